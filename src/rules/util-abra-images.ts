// The images of a view's services, parsed, for R003–R005 and R011.
import type { Path } from '../load/types.js';
import type { LoadedView } from './util-abra-yaml.js';
import { rawValueAt } from './util-abra-yaml.js';
import type { RuleContext } from './rule.js';
import { parseSubstitution, scanTemplate } from '../interpolate/scan.js';
import { parseImageReference } from './util-abra-image.js';
import type { ImageParse } from './util-abra-image.js';

export interface ServiceImage {
  service: string;
  /** The merged (interpolated) image. */
  image: string;
  mergedPath: Path;
  parsed: ImageParse;
}

/** Services of the view with a non-empty image (R011 reports missing and empty ones). */
export function serviceImages(view: LoadedView): ServiceImage[] {
  const out: ServiceImage[] = [];
  for (const [service, def] of Object.entries(view.config.services ?? {})) {
    const image = def?.image;
    if (typeof image !== 'string' || image === '') continue;
    out.push({ service, image, mergedPath: ['services', service, 'image'], parsed: parseImageReference(image) });
  }
  return out;
}

/**
 * The substitutions written in the raw value behind `mergedPath` that the view leaves unset or empty, as
 * written (`${tag}`): what a message about an emptied value must name, since that is what the user fixes.
 */
export function emptiedSubstitutions(ctx: RuleContext, view: LoadedView, mergedPath: Path): string[] {
  const origin = view.origin(mergedPath);
  const doc = origin ? ctx.recipe.composeFile(origin.file)?.doc : undefined;
  const raw = origin && doc ? rawValueAt(doc.data, origin.path) : undefined;
  if (typeof raw !== 'string' || !raw.includes('$')) return [];
  const out: string[] = [];
  for (const token of scanTemplate(raw)) {
    if ((token.kind !== 'braced' && token.kind !== 'unbraced') || token.body === undefined) continue;
    const { variable, operator, argument } = parseSubstitution(token.body);
    const value = view.env(variable);
    const rendered = value === undefined ? (operator === '-' || operator === ':-' ? argument : '') : value === '' && operator === ':-' ? argument : value;
    if (rendered === '') out.push(raw.slice(token.start, token.end));
  }
  return out;
}
