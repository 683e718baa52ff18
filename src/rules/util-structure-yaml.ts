// Helpers shared by the structure rules (yaml-syntax, schema, interpolation, references…): walking
// raw decoded compose data, positions inside string values, and the deploy environment.
import { NonStringKeyMap } from '../load/types.js';
import type { FileDoc, Path, PathSeg, YamlValue } from '../load/types.js';
import type { ComposeFile, LintView, RuleContext } from './rule.js';

export type Mapping = { [key: string]: YamlValue };

export function asMapping(value: unknown): Mapping | undefined {
  if (value === null || value === undefined || typeof value !== 'object') return undefined;
  if (Array.isArray(value) || value instanceof NonStringKeyMap) return undefined;
  return value as Mapping;
}

export function has(obj: object | undefined, key: string): boolean {
  return obj !== undefined && Object.hasOwn(obj, key);
}

/** The raw value at `path` in decoded data (no alias or merge handling needed: data is decoded). */
export function valueAt(data: YamlValue | undefined, path: Path): YamlValue | undefined {
  let node: YamlValue | undefined = data;
  for (const seg of path) {
    if (node === undefined || node === null || typeof node !== 'object') return undefined;
    if (Array.isArray(node)) {
      if (typeof seg !== 'number') return undefined;
      node = node[seg];
    } else if (node instanceof NonStringKeyMap) {
      return undefined;
    } else {
      if (!Object.hasOwn(node, String(seg))) return undefined;
      node = (node as Mapping)[String(seg)];
    }
  }
  return node;
}

/** Calls `visit` for every string value (never keys), in document order, like docker's interpolation walk. */
export function walkStrings(data: YamlValue | undefined, visit: (path: PathSeg[], value: string) => void, path: PathSeg[] = []): void {
  if (typeof data === 'string') {
    visit(path, data);
  } else if (Array.isArray(data)) {
    data.forEach((item, i) => walkStrings(item, visit, [...path, i]));
  } else if (data instanceof NonStringKeyMap) {
    // docker does not interpolate inside these (the file fails anyway); yaml-syntax reports them.
  } else if (data !== null && typeof data === 'object') {
    for (const key of Object.keys(data)) walkStrings((data as Mapping)[key], visit, [...path, key]);
  }
}

/** Every mapping with a non-string key, with its path. */
export function findNonStringKeyMaps(data: YamlValue | undefined, path: PathSeg[] = [], out: Array<{ path: PathSeg[]; map: NonStringKeyMap }> = []) {
  if (data instanceof NonStringKeyMap) {
    out.push({ path, map: data });
    for (const [key, value] of data.entries) {
      if (typeof key === 'string') findNonStringKeyMaps(value, [...path, key], out);
    }
  } else if (Array.isArray(data)) {
    data.forEach((item, i) => findNonStringKeyMaps(item, [...path, i], out));
  } else if (data !== null && typeof data === 'object') {
    for (const key of Object.keys(data)) findNonStringKeyMaps((data as Mapping)[key], [...path, key], out);
  }
  return out;
}

export interface Position {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/**
 * The position of characters [start, end) of the string value at `path`: exact when the value is a
 * single-line plain or quoted scalar whose source text is the value itself (no escapes, no folding);
 * otherwise the position of the whole value.
 */
export function positionInValue(doc: FileDoc, path: Path, start: number, end: number): Position | undefined {
  const range = doc.locate(path);
  if (!range) return undefined;
  const whole: Position = { line: range.start.line, column: range.start.column, endLine: range.end.line, endColumn: range.end.column };
  const value = valueAt(doc.data, path);
  if (typeof value !== 'string' || range.start.line !== range.end.line) return whole;
  const bom = doc.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const raw = doc.text.slice(range.start.offset + bom, range.end.offset + bom);
  let shift: number | undefined;
  if (raw === value) shift = 0;
  else if (raw.length === value.length + 2 && (raw[0] === '"' || raw[0] === "'") && raw[raw.length - 1] === raw[0] && raw.slice(1, -1) === value) shift = 1;
  if (shift === undefined) return whole;
  const line = range.start.line;
  return { line, column: range.start.column + shift + start, endLine: line, endColumn: range.start.column + shift + end };
}

/** The position of the value (or key) at `path`, if it is in the file. */
export function positionOf(doc: FileDoc, path: Path, at: 'key' | 'value' = 'value'): Position | undefined {
  const range = at === 'key' ? doc.locateKey(path) : doc.locate(path);
  if (!range) return undefined;
  return { line: range.start.line, column: range.start.column, endLine: range.end.line, endColumn: range.end.column };
}

/** Parsed compose files (data decoded). */
export function loadedComposeFiles(ctx: RuleContext): Array<ComposeFile & { data: Mapping }> {
  const out: Array<ComposeFile & { data: Mapping }> = [];
  for (const c of ctx.recipe.composeFiles) {
    const data = asMapping(c.doc.data);
    if (c.doc.errors.length === 0 && data) out.push({ ...c, data });
  }
  return out;
}

/**
 * The deploy environment (.env.sample incl. commented values, abra.sh exports, STACK_NAME): the env of
 * any deploy view (they all share it).
 */
export function deployLookup(ctx: RuleContext): (name: string) => string | undefined {
  const view = ctx.views.find((v) => v.kind !== 'abra');
  if (view) return view.env;
  const values = new Map<string, string>();
  for (const commented of [true, false]) {
    for (const e of ctx.recipe.envSample?.entries ?? []) if (e.commented === commented) values.set(e.key, e.value);
  }
  for (const a of ctx.recipe.abraSh?.assignments ?? []) if (a.exported) values.set(a.name, a.value);
  values.set('STACK_NAME', 'example_com');
  return (name) => values.get(name);
}

/** Views whose per-file stages include `file`, with that file's stages. */
export function stagesOf(ctx: RuleContext, file: string) {
  const out: Array<{ view: LintView; stages: LintView['stages'][number] }> = [];
  for (const view of ctx.views) {
    for (const stages of view.stages) if (stages.file === file) out.push({ view, stages });
  }
  return out;
}

/** Joins a path for messages and logical paths: services.web.ports[0], deploy.labels[traefik.enable]. */
export function showPath(path: Path): string {
  return path
    .map((seg, i) => (typeof seg === 'number' || /[.\s\[\]]/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`))
    .join('');
}

/** Quoted for messages: `x`. */
export function q(text: string): string {
  return '`' + text + '`';
}

/** The last uncommented COMPOSE_FILE line's files: what the recipe deploys by default (`compose.yml` when none). */
export function defaultComposeFiles(ctx: RuleContext): string[] {
  const active = ctx.recipe.composeFileLines.filter((l) => !l.commented);
  return active.length > 0 ? active[active.length - 1].files : ['compose.yml'];
}
