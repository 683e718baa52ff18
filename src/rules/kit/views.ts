// The rule kit's view helpers: the abra, base and deploy views, a service's definition and raw strings
// through provenance, interpolation of a template, and the file a recipe-wide finding points at.
import { asMapping, positionInValue, positionOf, valueAt } from '../../load/path.js';
import type { Mapping } from '../../load/path.js';
import type { Origin } from '../../load/types.js';
import { interpolateString } from '../../interpolate/index.js';
import type { VariableUse } from '../../interpolate/index.js';
import type { MergedView, RecipeView, RuleContext } from '../rule.js';
import type { StackConfig } from '../../merge/index.js';

export const BASE_FILE = 'compose.yml';


/** Quoted for messages: `x`, on one line (a key or value's line breaks shown as \n, \r). */
export function code(text: string): string {
  return '`' + text.replace(/\r/g, '\\r').replace(/\n/g, '\\n') + '`';
}


/** The `abra` view, when its merge succeeded (abra itself stops with a fatal error otherwise). */
export function loadedAbraView(ctx: RuleContext): MergedView | undefined {
  const view = ctx.views.find((v) => v.kind === 'abra');
  return view && view.config ? (view as MergedView) : undefined;
}

/** The deploy views (everything but `abra`) whose merge succeeded. */
export function loadedDeployViews(ctx: RuleContext): MergedView[] {
  return ctx.views.filter((v): v is MergedView => v.kind !== 'abra' && v.config !== undefined);
}

/** The base `compose.yml` view, when its merge succeeded. */
export function loadedBaseView(ctx: RuleContext): MergedView | undefined {
  const view = ctx.views.find((v) => v.kind === 'base');
  return view && view.config ? (view as MergedView) : undefined;
}

/** The raw text of the value at `origin`, when it is a string. */
export function rawString(ctx: RuleContext, origin: Origin | undefined): string | undefined {
  if (!origin) return undefined;
  const value = valueAt(ctx.recipe.composeFile(origin.file)?.doc.data, origin.path);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Where a maintainer edits a service of `view`: the base `compose.yml` when it defines the service, else
 * the first file of the view (merge order) that mentions it — e.g. an overlay that adds a service the base
 * does not have.
 */
export function serviceDefinition(view: RecipeView, service: string): Origin | undefined {
  const mentions = view.definedBy(['services', service]);
  return mentions.find((o) => o.file === BASE_FILE) ?? mentions[0];
}

/** Docker's substitution of a raw template, and the variables it used. */
export function substitute(template: string, lookup: (name: string) => string | undefined): { value: string; uses: VariableUse[]; failed: boolean } {
  const result = interpolateString(template, lookup);
  return { value: result.value, uses: result.uses, failed: result.error !== undefined };
}

/** The file a recipe-level finding (no line of its own) points at: compose.yml, else the first compose file. */
export function recipeAnchorFile(ctx: RuleContext): string {
  if (ctx.recipe.composeFile(BASE_FILE)) return BASE_FILE;
  return ctx.recipe.composeFiles[0]?.file ?? BASE_FILE;
}
