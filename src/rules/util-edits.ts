// Building the safe text edits behind `lint --fix`. Every helper here refuses (returns undefined) unless
// the source text is exactly what the decoded value says it is — a single-line plain or quoted scalar, a
// block collection one entry per line — so an edit never has to guess how YAML would read it. Offsets are
// into the file's text as stacklint read it (FileDoc.text).
import type { FileDoc, Path, YamlValue } from '../load/types.js';
import type { TextEdit } from './types.js';
import { asRawMapping, rawValueAt } from './util-abra-yaml.js';

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

function bomShift(doc: FileDoc): number {
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
  const value = rawValueAt(doc.data, path);
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
  if (!source || typeof rawValueAt(doc.data, path) !== 'string') return undefined;
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
  const data = asRawMapping(doc.data);
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

// ---------------------------------------------------------------------------------------------------
// Moving a service's Traefik container labels under deploy.labels.

interface EntryLine {
  /** Label key (decoded). */
  key: string;
  /** Label value as docker reads it (decoded; null when absent). */
  value: string | null;
  /** The whole line, newline included. */
  start: number;
  end: number;
  /** Indentation of the line (spaces). */
  indent: number;
  /** `  # comment` after the entry, if any, without the newline. */
  comment: string;
  traefik: boolean;
}

function indentOf(line: string): number {
  return /^ */.exec(line)![0].length;
}

function labelValueString(value: YamlValue | undefined): string | null | undefined {
  if (value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isInteger(value))) return String(value);
  return undefined; // floats and others: docker's formatting would have to be reproduced
}

/** The entries of a block-style labels collection, one per line, or undefined when it is laid out otherwise. */
function labelEntries(doc: FileDoc, path: Path): { style: 'list' | 'map'; entries: EntryLine[]; blockEnd: number } | undefined {
  const node = rawValueAt(doc.data, path);
  const range = doc.locate(path);
  if (!range || node === undefined || node === null) return undefined;
  const shift = bomShift(doc);
  const text = doc.text;
  const blockStart = range.start.offset + shift;
  if (text[blockStart] === '[' || text[blockStart] === '{' || text[blockStart] === '*') return undefined;
  const blockEnd = lineEndAt(text, Math.max(blockStart, range.end.offset + shift - 1));
  const entries: EntryLine[] = [];
  const seenLines = new Set<number>();
  const lineOf = (entryPath: Path, keyRange: boolean): { start: number; end: number; scalarEnd: number } | undefined => {
    const r = keyRange ? doc.locateKey(entryPath) : doc.locate(entryPath);
    const v = doc.locate(entryPath);
    if (!r || !v || v.start.line !== v.end.line || r.start.line !== v.end.line) return undefined;
    const start = lineStartAt(text, r.start.offset + shift);
    if (start < lineStartAt(text, blockStart) || start >= blockEnd) return undefined;
    return { start, end: lineEndAt(text, v.end.offset + shift), scalarEnd: v.end.offset + shift };
  };
  const commentAfter = (scalarEnd: number, end: number): string | undefined => {
    const rest = text.slice(scalarEnd, end).replace(/\r?\n$/, '');
    if (rest.trim() === '') return '';
    const m = /^([ \t]+#.*)$/.exec(rest);
    return m ? m[1] : undefined;
  };
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const item = node[i];
      if (typeof item !== 'string') return undefined;
      const where = lineOf([...path, i], false);
      if (!where || seenLines.has(where.start)) return undefined;
      const lineText = text.slice(where.start, where.end);
      if (!/^ *- /.test(lineText) || !scalarSource(doc, [...path, i])) return undefined;
      const comment = commentAfter(where.scalarEnd, where.end);
      if (comment === undefined) return undefined;
      seenLines.add(where.start);
      const eq = item.indexOf('=');
      const key = eq < 0 ? item : item.slice(0, eq);
      entries.push({ key, value: eq < 0 ? null : item.slice(eq + 1), start: where.start, end: where.end, indent: indentOf(lineText), comment, traefik: key.startsWith('traefik.') });
    }
    return { style: 'list', entries, blockEnd };
  }
  const map = asRawMapping(node);
  if (!map) return undefined;
  for (const key of Object.keys(map)) {
    const value = labelValueString(map[key]);
    if (value === undefined) return undefined;
    const where = lineOf([...path, key], true);
    if (!where || seenLines.has(where.start)) return undefined;
    const lineText = text.slice(where.start, where.end);
    if (/^ *- /.test(lineText) || (value !== null && !scalarSource(doc, [...path, key]))) return undefined;
    const comment = commentAfter(where.scalarEnd, where.end);
    if (comment === undefined) return undefined;
    seenLines.add(where.start);
    entries.push({ key, value, start: where.start, end: where.end, indent: indentOf(lineText), comment, traefik: key.startsWith('traefik.') });
  }
  return { style: 'map', entries, blockEnd };
}

/** One label entry written in `style` at `indent`, keeping its line verbatim when the style is unchanged. */
function entryText(text: string, entry: EntryLine, from: 'list' | 'map', to: 'list' | 'map', indent: number, nl: string): string {
  if (from === to) return ' '.repeat(indent) + text.slice(entry.start + entry.indent, entry.end).replace(/\r?\n$/, '') + nl;
  const body =
    to === 'list'
      ? `- ${doubleQuoted(entry.value === null ? entry.key : `${entry.key}=${entry.value}`)}`
      : `${/^[A-Za-z0-9_.${}\/-]+$/.test(entry.key) && !entry.key.startsWith('$') ? entry.key : doubleQuoted(entry.key)}:${entry.value === null ? '' : ` ${doubleQuoted(entry.value)}`}`;
  return ' '.repeat(indent) + body + entry.comment + nl;
}

/**
 * Edits that move the `traefik.*` entries of `services.<service>.labels` in one file under the same service's
 * `deploy.labels` (created when missing). Undefined when the layout is not plain block YAML, when a key is
 * already a deploy label of that service in the file, or when nothing is to be moved.
 */
export function moveTraefikLabelsEdits(doc: FileDoc, file: string, service: string): TextEdit[] | undefined {
  const text = doc.text;
  const nl = newlineOf(text);
  const shift = bomShift(doc);
  const svcPath = ['services', service];
  const labelsPath = [...svcPath, 'labels'];
  const svcRange = doc.locate(svcPath);
  const svcKey = doc.locateKey(svcPath);
  const labelsKey = doc.locateKey(labelsPath);
  if (!svcRange || !svcKey || !labelsKey) return undefined;
  const svcStart = svcRange.start.offset + shift;
  const svcEnd = svcRange.end.offset + shift;
  const labelsKeyStart = labelsKey.start.offset + shift;
  if (labelsKeyStart < svcStart || labelsKeyStart >= svcEnd || text[svcStart] === '{') return undefined;
  const labelsLineStart = lineStartAt(text, labelsKeyStart);
  const labelsLine = text.slice(labelsLineStart, lineEndAt(text, labelsKeyStart));
  if (!/^ *labels:[ \t]*\r?\n?$/.test(labelsLine)) return undefined; // comments, anchors or tags on the key line
  const source = labelEntries(doc, labelsPath);
  if (!source) return undefined;
  const moved = source.entries.filter((e) => e.traefik);
  if (moved.length === 0) return undefined;
  const keyIndent = labelsKeyStart - labelsLineStart;
  const step = keyIndent - (svcKey.start.column - 1);
  if (step <= 0) return undefined;
  const relative = Math.max(0, Math.min(...moved.map((e) => e.indent)) - keyIndent);

  const edits: TextEdit[] = [];
  // Remove: the whole `labels:` block when every entry moves (its comment lines move with it), else each entry line.
  const all = moved.length === source.entries.length;
  const movedLines: Array<{ entry?: EntryLine; line: string }> = [];
  if (all) {
    const firstEntry = lineEndAt(text, labelsKeyStart);
    for (let at = firstEntry; at < source.blockEnd; ) {
      const end = lineEndAt(text, at);
      const entry = source.entries.find((e) => e.start === at);
      const line = text.slice(at, end);
      if (entry || line.trim().startsWith('#')) movedLines.push({ entry, line });
      at = end;
    }
    edits.push({ file, start: labelsLineStart, end: source.blockEnd, text: '' });
  } else {
    for (const e of moved) {
      movedLines.push({ entry: e, line: text.slice(e.start, e.end) });
      edits.push({ file, start: e.start, end: e.end, text: '' });
    }
  }
  const render = (to: 'list' | 'map', indent: number) =>
    movedLines
      .map(({ entry, line }) => {
        if (entry) return entryText(text, entry, source.style, to, indent + (entry.indent - keyIndent - relative), nl);
        const comment = line.replace(/\r?\n$/, '').trimStart();
        return ' '.repeat(indent) + comment + nl;
      })
      .join('');

  // Insert under deploy.labels (or create it).
  const deployPath = [...svcPath, 'deploy'];
  const deploy = rawValueAt(doc.data, deployPath);
  if (deploy === undefined) {
    const at = lineEndAt(text, Math.max(svcStart, svcEnd - 1));
    const lead = text[at - 1] === '\n' ? '' : nl;
    const deployIndent = keyIndent;
    edits.push(insertAt(file, at, `${lead}${' '.repeat(deployIndent)}deploy:${nl}${' '.repeat(deployIndent + step)}labels:${nl}${render(source.style, deployIndent + step + relative)}`));
    return ordered(edits);
  }
  const deployMap = asRawMapping(deploy);
  const deployRange = doc.locate(deployPath);
  if (!deployMap || !deployRange || text[deployRange.start.offset + shift] === '{') return undefined;
  const deployStart = deployRange.start.offset + shift;
  const deployEnd = deployRange.end.offset + shift;
  const deployIndent = deployStart - lineStartAt(text, deployStart);
  if (deployIndent <= keyIndent) return undefined;
  const existing = rawValueAt(doc.data, [...deployPath, 'labels']);
  if (existing === undefined) {
    const at = lineEndAt(text, Math.max(deployStart, deployEnd - 1));
    const lead = text[at - 1] === '\n' ? '' : nl;
    edits.push(insertAt(file, at, `${lead}${' '.repeat(deployIndent)}labels:${nl}${render(source.style, deployIndent + step + relative)}`));
    return ordered(edits);
  }
  const target = labelEntries(doc, [...deployPath, 'labels']);
  if (!target || target.entries.length === 0) return undefined;
  const taken = new Set(target.entries.map((e) => e.key));
  if (moved.some((e) => taken.has(e.key))) return undefined;
  const last = target.entries[target.entries.length - 1];
  const indent = target.entries[0].indent;
  const at = last.end;
  const lead = text[at - 1] === '\n' ? '' : nl;
  const lines = movedLines
    .map(({ entry, line }) => (entry ? entryText(text, entry, source.style, target.style, indent, nl) : ' '.repeat(indent) + line.trimStart().replace(/\r?\n$/, '') + nl))
    .join('');
  edits.push(insertAt(file, at, lead + lines));
  return ordered(edits);
}

function ordered(edits: TextEdit[]): TextEdit[] {
  return edits.sort((a, b) => a.start - b.start || a.end - b.end);
}
