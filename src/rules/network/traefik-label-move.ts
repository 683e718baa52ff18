// The traefik-labels fix: moving a service's Traefik container labels under deploy.labels, keeping each
// entry's line verbatim where its style does not change (the kit's rule for edits: refuse unless the source
// text is exactly what the decoded value says).
import { asMapping, valueAt } from '../../load/path.js';
import type { FileDoc, Path, YamlValue } from '../../load/types.js';
import type { TextEdit } from '../types.js';
import { bomShift, doubleQuoted, insertAt, lineEndAt, lineStartAt, newlineOf, scalarSource } from '../kit/edits.js';

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
  const node = valueAt(doc.data, path);
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
  const map = asMapping(node);
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
  const deploy = valueAt(doc.data, deployPath);
  if (deploy === undefined) {
    const at = lineEndAt(text, Math.max(svcStart, svcEnd - 1));
    const lead = text[at - 1] === '\n' ? '' : nl;
    const deployIndent = keyIndent;
    edits.push(insertAt(file, at, `${lead}${' '.repeat(deployIndent)}deploy:${nl}${' '.repeat(deployIndent + step)}labels:${nl}${render(source.style, deployIndent + step + relative)}`));
    return ordered(edits);
  }
  const deployMap = asMapping(deploy);
  const deployRange = doc.locate(deployPath);
  if (!deployMap || !deployRange || text[deployRange.start.offset + shift] === '{') return undefined;
  const deployStart = deployRange.start.offset + shift;
  const deployEnd = deployRange.end.offset + shift;
  const deployIndent = deployStart - lineStartAt(text, deployStart);
  if (deployIndent <= keyIndent) return undefined;
  const existing = valueAt(doc.data, [...deployPath, 'labels']);
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
