// Reading a decoded compose document by logical path, and positions inside its string values.
import { NonStringKeyMap } from './types.js';
import type { FileDoc, Path, YamlValue } from './types.js';

export type Mapping = { [key: string]: YamlValue };

/** A mapping with string keys, or undefined for anything else. */
export function asMapping(value: unknown): Mapping | undefined {
  if (value === null || value === undefined || typeof value !== 'object') return undefined;
  if (Array.isArray(value) || value instanceof NonStringKeyMap) return undefined;
  return value as Mapping;
}

/** The value at `path` in decoded data (aliases and merge keys are already resolved by the loader). */
export function valueAt(data: YamlValue | undefined, path: Path): YamlValue | undefined {
  let node: YamlValue | undefined = data;
  for (const seg of path) {
    if (Array.isArray(node)) {
      if (typeof seg !== 'number') return undefined;
      node = node[seg];
      continue;
    }
    const map = asMapping(node);
    if (!map || !Object.hasOwn(map, String(seg))) return undefined;
    node = map[String(seg)];
  }
  return node;
}

export interface Position {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** The position of the value (or key) at `path`, if it is in the file. */
export function positionOf(doc: FileDoc, path: Path, at: 'key' | 'value' = 'value'): Position | undefined {
  const range = at === 'key' ? doc.locateKey(path) : doc.locate(path);
  if (!range) return undefined;
  return { line: range.start.line, column: range.start.column, endLine: range.end.line, endColumn: range.end.column };
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
