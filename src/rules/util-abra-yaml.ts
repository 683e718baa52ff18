// Helpers of the abra parity rules (R0xx, version-label, compose-file-list, secret-version-var): reading raw
// compose data, finding views, and choosing the file line a maintainer must edit.
import { asMapping, positionInValue, positionOf, valueAt } from '../load/path.js';
import type { Mapping } from '../load/path.js';
import type { Origin } from '../load/types.js';
import { interpolateString } from '../interpolate/index.js';
import type { VariableUse } from '../interpolate/index.js';
import type { LintView, RuleContext } from './rule.js';
import type { StackConfig } from './model.js';

export type RawMapping = Mapping;

export const BASE_FILE = 'compose.yml';

// Shared path and position helpers, under the names these rules were written with.
export { asMapping as asRawMapping, valueAt as rawValueAt, positionInValue as positionInString, positionOf as positionOfPath };
export type { Position } from '../load/path.js';

/** Quoted for messages: `x`, on one line (a key or value's line breaks shown as \n, \r). */
export function code(text: string): string {
  return '`' + text.replace(/\r/g, '\\r').replace(/\n/g, '\\n') + '`';
}

export type LoadedView = LintView & { config: StackConfig };

/** The `abra` view, when its merge succeeded (abra itself stops with a fatal error otherwise). */
export function loadedAbraView(ctx: RuleContext): LoadedView | undefined {
  const view = ctx.views.find((v) => v.kind === 'abra');
  return view && view.config ? (view as LoadedView) : undefined;
}

/** The deploy views (everything but `abra`) whose merge succeeded. */
export function loadedDeployViews(ctx: RuleContext): LoadedView[] {
  return ctx.views.filter((v): v is LoadedView => v.kind !== 'abra' && v.config !== undefined);
}

/** The base `compose.yml` view, when its merge succeeded. */
export function loadedBaseView(ctx: RuleContext): LoadedView | undefined {
  const view = ctx.views.find((v) => v.kind === 'base');
  return view && view.config ? (view as LoadedView) : undefined;
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
export function serviceDefinition(view: LintView, service: string): Origin | undefined {
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
