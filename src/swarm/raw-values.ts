// Reading what a maintainer actually wrote: the raw (uninterpolated)
// value behind a merged path, with `${STACK_NAME}` kept recognisable. The views' configs are interpolated
// (STACK_NAME=example_com in deploy views, empty in the abra view), so a rule that must tell `db` from
// `${STACK_NAME}_db` reads the raw text through provenance instead.
import { isAbsolute, relative } from 'node:path';
import type { Path, YamlValue } from '../load/types.js';
import { NonStringKeyMap } from '../load/types.js';
import { parseSubstitution, scanTemplate } from '../interpolate/scan.js';
import type { RecipeInfo, RecipeView } from '../pipeline/recipe.js';

/** Stands in for `${STACK_NAME}` / `{{ env "STACK_NAME" }}` in scanned text: a host containing it is stack-qualified. */
export const STACK_MARK = '\u0001';
/** Stands in for any other substitution (`${X}`, `{{ … }}`): a host containing it is not judged. */
export const OPAQUE_MARK = '\u0002';

import { valueAt } from '../load/path.js';



export interface RawValue {
  /** The file and raw path the merged value came from. */
  file: string;
  path: Path;
  /** The raw node there. */
  node: YamlValue;
}

/** The raw node that provided a merged value (the last file that set it), if the provenance resolves. */
export function rawOf(recipe: RecipeInfo, view: RecipeView, mergedPath: Path): RawValue | undefined {
  const origin = view.origin(mergedPath);
  if (!origin) return undefined;
  const doc = recipe.composeFile(origin.file)?.doc;
  if (!doc || doc.data === undefined) return undefined;
  const node = valueAt(doc.data, origin.path);
  if (node === undefined) return undefined;
  return { file: origin.file, path: origin.path, node };
}

/**
 * Interpolates raw compose text for scanning: `${STACK_NAME}` becomes STACK_MARK; a variable with a default
 * (`${X:-db}`) yields its default as written (docker does not expand variables inside defaults); any other
 * variable becomes OPAQUE_MARK, so a host built from it is never judged. `$$` becomes `$`. Returns '' for
 * text docker would reject.
 */
export function markInterpolate(raw: string): string {
  let out = '';
  let at = 0;
  for (const token of scanTemplate(raw)) {
    out += raw.slice(at, token.start);
    at = token.end;
    if (token.kind === 'escape') {
      out += '$';
      continue;
    }
    if (token.kind === 'invalid' || token.body === undefined) return '';
    const sub = parseSubstitution(token.body);
    if (sub.variable === 'STACK_NAME') out += STACK_MARK;
    else if ((sub.operator === ':-' || sub.operator === '-') && sub.argument !== undefined && !sub.argument.includes('$')) out += sub.argument;
    else out += OPAQUE_MARK;
  }
  return out + raw.slice(at);
}

/**
 * The raw text of a `KEY=value` list entry or a mapping value behind a merged environment/label entry:
 * returns the value part as written, or undefined when the value did not come from the file literally
 * (a bare `- KEY` taken from the environment, an env_file, a non-string node).
 */
export function rawEntryValue(raw: RawValue | undefined): string | undefined {
  if (!raw) return undefined;
  const last = raw.path[raw.path.length - 1];
  if (typeof raw.node !== 'string') {
    if (typeof raw.node === 'number' || typeof raw.node === 'boolean') return String(raw.node);
    return undefined;
  }
  if (typeof last === 'number') {
    const eq = raw.node.indexOf('=');
    return eq < 0 ? undefined : raw.node.slice(eq + 1);
  }
  return raw.node;
}

/** The raw key of a `KEY=value` list entry or of a mapping entry behind a merged label path. */
export function rawEntryKey(raw: RawValue | undefined): string | undefined {
  if (!raw) return undefined;
  const last = raw.path[raw.path.length - 1];
  if (typeof last === 'number') {
    if (typeof raw.node !== 'string') return undefined;
    const eq = raw.node.indexOf('=');
    return eq < 0 ? raw.node : raw.node.slice(0, eq);
  }
  return typeof last === 'string' ? last : undefined;
}

/** Every string scalar in a raw node (depth-first), e.g. the words of a command list. */
export function rawStrings(node: YamlValue | undefined): string[] {
  if (node === undefined || node === null) return [];
  if (typeof node === 'string') return [node];
  if (typeof node === 'number' || typeof node === 'boolean' || typeof node === 'bigint') return [String(node)];
  if (Array.isArray(node)) return node.flatMap((n) => rawStrings(n));
  if (node instanceof NonStringKeyMap) return [];
  return Object.values(node).flatMap((n) => rawStrings(n));
}

/** A config/secret `file:` from the merged config as a recipe-relative path (docker makes it absolute). */
export function recipeRelative(recipe: RecipeInfo, file: string): string | undefined {
  if (!file) return undefined;
  const rel = isAbsolute(file) ? relative(recipe.dir, file) : file.replace(/^\.\//, '');
  if (rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split('\\').join('/');
}

/** 1-based line and column of an offset in text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * A merged label/environment key as the maintainer wrote it (`traefik.http.routers.${STACK_NAME}.rule`), so
 * messages and logical paths do not change with the view's STACK_NAME; falls back to the merged key.
 */
export function writtenKey(recipe: RecipeInfo, view: RecipeView, mergedPath: Path): string {
  const key = rawEntryKey(rawOf(recipe, view, mergedPath));
  const last = mergedPath[mergedPath.length - 1];
  return key ?? String(last);
}
