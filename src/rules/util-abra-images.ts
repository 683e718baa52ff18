// The images of a view's services, parsed, for R003–R005 and R011.
import type { Path } from '../load/types.js';
import type { MergedView } from './util-abra-yaml.js';
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
export function serviceImages(view: MergedView): ServiceImage[] {
  const out: ServiceImage[] = [];
  for (const [service, def] of Object.entries(view.config.services ?? {})) {
    const image = def?.image;
    if (typeof image !== 'string' || image === '') continue;
    out.push({ service, image, mergedPath: ['services', service, 'image'], parsed: parseImageReference(image) });
  }
  return out;
}
