// Building the safe text edits behind `lint --fix`. Every helper here refuses (returns undefined) unless
// the source text is exactly what the decoded value says it is — a single-line plain or quoted scalar, a
// block collection one entry per line — so an edit never has to guess how YAML would read it. Offsets are
// into the file's text as stacklint read it (FileDoc.text).
import { asMapping, valueAt } from '../../load/path.js';
import type { FileDoc, Path } from '../../load/types.js';
import type { TextEdit } from '../types.js';

/** The newline a file uses (CRLF when its first line ends so). */
export function newlineOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** Offset of the start of the line holding `offset`. */
export function lineStartAt(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** Offset just past the line holding `offset` (after its newline, or the end of the text). */
export function lineEndAt(text: string, offset: number): number {
  const i = text.indexOf('\n', offset);
  return i < 0 ? text.length : i + 1;
}

/** 1 when the text starts with a byte-order mark, which the parsed positions do not count. */
export function bomShift(doc: FileDoc): number {
  return doc.text.charCodeAt(0) === 0xfeff ? 1 : 0;
}

export interface ScalarSource {
  /** Offsets of the scalar as written, quotes included. */
  start: number;
  end: number;
  /** Offset of the value's first character (after an opening quote). */
  valueStart: number;
  style: 'plain' | 'single' | 'double';
}

/** Where the string (or number/boolean) scalar at `path` is written, when its source text is the value itself. */
export function scalarSource(doc: FileDoc, path: Path): ScalarSource | undefined {
  const range = doc.locate(path);
  const value = valueAt(doc.data, path);
  if (!range || range.start.line !== range.end.line) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const shift = bomShift(doc);
  const start = range.start.offset + shift;
  const end = range.end.offset + shift;
  const raw = doc.text.slice(start, end);
  const text = String(value);
  if (typeof value === 'string' && raw === text && !/^[*&!|>'"]/.test(raw)) return { start, end, valueStart: start, style: 'plain' };
  if (typeof value !== 'string' && /^[0-9A-Za-z._+-]+$/.test(raw)) return { start, end, valueStart: start, style: 'plain' };
  const quote = raw[0];
  if ((quote === '"' || quote === "'") && raw.length === text.length + 2 && raw[raw.length - 1] === quote && raw.slice(1, -1) === text) {
    if (quote === '"' && raw.includes('\\')) return undefined;
    return { start, end, valueStart: start + 1, style: quote === '"' ? 'double' : 'single' };
  }
  return undefined;
}

/** File offsets of characters [start, end) of the string at `path`, when the scalar is written as its value. */
export function valueOffsets(doc: FileDoc, path: Path, start: number, end: number): { start: number; end: number } | undefined {
  const source = scalarSource(doc, path);
  if (!source || typeof valueAt(doc.data, path) !== 'string') return undefined;
  return { start: source.valueStart + start, end: source.valueStart + end };
}

/**
 * True when a plain scalar at `offset` is in block context (not inside `[…]`/`{…}`), so `{`, `}` and `,` may
 * be inserted into it: the line before it holds only indentation, `- ` markers and one `key:`.
 */
export function inBlockContext(doc: FileDoc, offset: number): boolean {
  const before = doc.text.slice(lineStartAt(doc.text, offset), offset);
  return /^[ \t]*(-[ \t]+)*([^\s#'"\[\]{},&*!|>%@`-][^#\[\]{},]*:[ \t]+)?(-[ \t]+)*$/.test(before);
}

/** An insertion of `text` at `offset` of `file`. */
export function insertAt(file: string, offset: number, text: string): TextEdit {
  return { file, start: offset, end: offset, text };
}

/**
 * The edit that inserts `version: "3.8"` above the first top-level key of a block-mapping compose file
 * (below any header comments and `---`), or undefined when the file is not laid out that way.
 */
export function insertVersionEdit(doc: FileDoc, file: string, version: string): TextEdit | undefined {
  const data = asMapping(doc.data);
  if (!data) return undefined;
  let first: number | undefined;
  for (const key of Object.keys(data)) {
    const range = doc.locateKey([key]);
    if (!range) return undefined;
    if (range.start.column !== 1) return undefined; // a flow mapping or an indented root
    const offset = range.start.offset + bomShift(doc);
    if (first === undefined || offset < first) first = offset;
  }
  const nl = newlineOf(doc.text);
  if (first === undefined) {
    // An empty mapping: only `{}` is possible; leave it.
    return undefined;
  }
  if (lineStartAt(doc.text, first) !== first) return undefined;
  return insertAt(file, first, `version: "${version}"${nl}`);
}

const ENV_VERSION_LINE = /^[ \t]*(?:#[ \t]*)?SECRET_[A-Za-z0-9_]*_VERSION=/;

/**
 * The edit that adds `line` to .env.sample: after the block of lines following the line that names
 * `nearFile` (an overlay's COMPOSE_FILE line), else after the last `SECRET_*_VERSION=` line, else at the end.
 */
export function envSampleLineEdit(text: string, line: string, nearFile?: string): TextEdit {
  const nl = newlineOf(text);
  const lines = text.split('\n');
  let after: number | undefined; // index of the line to insert after
  if (nearFile) {
    const at = lines.findIndex((l) => l.includes(nearFile));
    if (at >= 0) {
      after = at;
      while (after + 1 < lines.length && lines[after + 1].trim() !== '') after++;
    }
  }
  if (after === undefined) {
    for (let i = lines.length - 1; i >= 0; i--) {
      if (ENV_VERSION_LINE.test(lines[i])) {
        after = i;
        break;
      }
    }
  }
  if (after === undefined || after >= lines.length - 1) {
    // At the end of the file, after its last newline (adding one if it has none).
    const needsNewline = text.length > 0 && !text.endsWith('\n');
    return insertAt('.env.sample', text.length, `${needsNewline ? nl : ''}${line}${nl}`);
  }
  let offset = 0;
  for (let i = 0; i <= after; i++) offset += lines[i].length + 1;
  return insertAt('.env.sample', offset, `${line}${nl}`);
}

/** Quotes a string as a YAML double-quoted scalar. */
export function doubleQuoted(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
