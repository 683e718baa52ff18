// Helpers of the abra parity rules (R0xx, version-label, compose-file-list, secret-version-var): reading raw
// compose data, finding views, and choosing the file line a maintainer must edit.
import { NonStringKeyMap } from '../load/types.js';
import type { FileDoc, Origin, Path, YamlValue } from '../load/types.js';
import { interpolateString } from '../interpolate/index.js';
import type { VariableUse } from '../interpolate/index.js';
import type { LintView, RuleContext } from './rule.js';
import type { StackConfig } from './model.js';

export type RawMapping = { [key: string]: YamlValue };

export const BASE_FILE = 'compose.yml';

export function asRawMapping(value: unknown): RawMapping | undefined {
  if (value === null || value === undefined || typeof value !== 'object') return undefined;
  if (Array.isArray(value) || value instanceof NonStringKeyMap) return undefined;
  return value as RawMapping;
}

/** The raw value at `path` in decoded data. */
export function rawValueAt(data: YamlValue | undefined, path: Path): YamlValue | undefined {
  let node: YamlValue | undefined = data;
  for (const seg of path) {
    if (node === undefined || node === null || typeof node !== 'object') return undefined;
    if (Array.isArray(node)) {
      if (typeof seg !== 'number') return undefined;
      node = node[seg];
    } else {
      const map = asRawMapping(node);
      if (!map || !Object.hasOwn(map, String(seg))) return undefined;
      node = map[String(seg)];
    }
  }
  return node;
}

/** Quoted for messages: `x`. */
export function code(text: string): string {
  return '`' + text + '`';
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
  const value = rawValueAt(ctx.recipe.composeFile(origin.file)?.doc.data, origin.path);
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

export interface Position {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * The position of characters [start, end) of the string value at `path`: exact when the value is written on
 * one line as itself (plain or quoted without escapes); otherwise the whole value.
 */
export function positionInString(doc: FileDoc, path: Path, start: number, end: number): Position | undefined {
  const range = doc.locate(path);
  if (!range) return undefined;
  const whole: Position = { line: range.start.line, column: range.start.column, endLine: range.end.line, endColumn: range.end.column };
  const value = rawValueAt(doc.data, path);
  if (typeof value !== 'string' || range.start.line !== range.end.line) return whole;
  const bom = doc.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const raw = doc.text.slice(range.start.offset + bom, range.end.offset + bom);
  let shift: number | undefined;
  if (raw === value) shift = 0;
  else if (raw.length === value.length + 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0] && raw.slice(1, -1) === value) shift = 1;
  if (shift === undefined) return whole;
  return { line: range.start.line, column: range.start.column + shift + start, endLine: range.start.line, endColumn: range.start.column + shift + end };
}

/** Position of the mapping key (or value) at `path` in `doc`. */
export function positionOfPath(doc: FileDoc, path: Path, at: 'key' | 'value'): Position | undefined {
  const range = at === 'key' ? doc.locateKey(path) : doc.locate(path);
  if (!range) return undefined;
  return { line: range.start.line, column: range.start.column, endLine: range.end.line, endColumn: range.end.column };
}

/** The file a recipe-level finding (no line of its own) points at: compose.yml, else the first compose file. */
export function recipeAnchorFile(ctx: RuleContext): string {
  if (ctx.recipe.composeFile(BASE_FILE)) return BASE_FILE;
  return ctx.recipe.composeFiles[0]?.file ?? BASE_FILE;
}
