// The traefik-labels fixes: moving a service's Traefik container labels under deploy.labels (or, for a stack
// whose Traefik reads container labels, its deploy labels under labels:), keeping each entry's line verbatim where its style does not change (the kit's rule for edits: refuse unless the source
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

/** The `traefik.*` entries of one labels block, taken out: the edits removing them and how to write them elsewhere. */
interface Taken {
  edits: TextEdit[];
  /** The moved entries (and the comment lines among them, when the whole block moves) written at `indent` in `to` style. */
  render: (to: 'list' | 'map', indent: number) => string;
  /** The moved entries' keys. */
  keys: string[];
  style: 'list' | 'map';
  /** Indentation of the block's `labels:` key, and one level of the file's indentation. */
  keyIndent: number;
  step: number;
  /** How much deeper than the `labels:` key the entries sit. */
  relative: number;
  /** The whole `labels:` block goes (every entry moves). */
  all: boolean;
  /** Start of the `labels:` key's line and end of its block. */
  blockStart: number;
  blockEnd: number;
}

/**
 * Takes the `traefik.*` entries out of the labels block at `holder.labels` (`holder` a block mapping inside the
 * service's text `within`); undefined when the layout is not plain block YAML or nothing is to be moved.
 */
function takeTraefikEntries(doc: FileDoc, file: string, holder: Path, within: { start: number; end: number }): Taken | undefined {
  const text = doc.text;
  const shift = bomShift(doc);
  const holderKey = doc.locateKey(holder);
  const labelsPath = [...holder, 'labels'];
  const labelsKey = doc.locateKey(labelsPath);
  if (!holderKey || !labelsKey) return undefined;
  const labelsKeyStart = labelsKey.start.offset + shift;
  if (labelsKeyStart < within.start || labelsKeyStart >= within.end) return undefined;
  const labelsLineStart = lineStartAt(text, labelsKeyStart);
  const labelsLine = text.slice(labelsLineStart, lineEndAt(text, labelsKeyStart));
  if (!/^ *labels:[ \t]*\r?\n?$/.test(labelsLine)) return undefined; // comments, anchors or tags on the key line
  const source = labelEntries(doc, labelsPath);
  if (!source) return undefined;
  const moved = source.entries.filter((e) => e.traefik);
  if (moved.length === 0) return undefined;
  const keyIndent = labelsKeyStart - labelsLineStart;
  const step = keyIndent - (holderKey.start.column - 1);
  if (step <= 0) return undefined;
  const relative = Math.max(0, Math.min(...moved.map((e) => e.indent)) - keyIndent);
  const nl = newlineOf(text);
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
  return { edits, render, keys: moved.map((e) => e.key), style: source.style, keyIndent, step, relative, all, blockStart: labelsLineStart, blockEnd: source.blockEnd };
}

/** Edits appending the taken entries to the existing block-style labels at `path`; undefined when it cannot take them. */
function appendTo(doc: FileDoc, file: string, path: Path, taken: Taken): TextEdit[] | undefined {
  const text = doc.text;
  const target = labelEntries(doc, path);
  if (!target || target.entries.length === 0) return undefined;
  const present = new Set(target.entries.map((e) => e.key));
  if (taken.keys.some((key) => present.has(key))) return undefined;
  const last = target.entries[target.entries.length - 1];
  const lead = text[last.end - 1] === '\n' ? '' : newlineOf(text);
  return [insertAt(file, last.end, lead + taken.render(target.style, target.entries[0].indent))];
}

/** The service's block mapping in the file: its range, or undefined when it is written in flow style. */
function serviceBlock(doc: FileDoc, service: string): { start: number; end: number; keyIndent: number } | undefined {
  const svcPath = ['services', service];
  const range = doc.locate(svcPath);
  const key = doc.locateKey(svcPath);
  if (!range || !key) return undefined;
  const shift = bomShift(doc);
  const start = range.start.offset + shift;
  if (doc.text[start] === '{') return undefined;
  return { start, end: range.end.offset + shift, keyIndent: key.start.column - 1 };
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
  const svc = serviceBlock(doc, service);
  if (!svc) return undefined;
  const taken = takeTraefikEntries(doc, file, svcPath, svc);
  if (!taken) return undefined;
  const { edits, render, keyIndent, step, relative } = taken;

  // Insert under deploy.labels (or create it).
  const deployPath = [...svcPath, 'deploy'];
  const deploy = valueAt(doc.data, deployPath);
  if (deploy === undefined) {
    const at = lineEndAt(text, Math.max(svc.start, svc.end - 1));
    const lead = text[at - 1] === '\n' ? '' : nl;
    const deployIndent = keyIndent;
    edits.push(insertAt(file, at, `${lead}${' '.repeat(deployIndent)}deploy:${nl}${' '.repeat(deployIndent + step)}labels:${nl}${render(taken.style, deployIndent + step + relative)}`));
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
    edits.push(insertAt(file, at, `${lead}${' '.repeat(deployIndent)}labels:${nl}${render(taken.style, deployIndent + step + relative)}`));
    return ordered(edits);
  }
  const appended = appendTo(doc, file, [...deployPath, 'labels'], taken);
  return appended ? ordered([...edits, ...appended]) : undefined;
}

/**
 * The opposite move, for a stack whose Traefik reads container labels: the `traefik.*` entries of
 * `services.<service>.deploy.labels` go under the service's own `labels:` (created when missing); a `deploy:`
 * left with nothing else goes too. Undefined in the same cases as moveTraefikLabelsEdits.
 */
export function moveTraefikDeployLabelsEdits(doc: FileDoc, file: string, service: string): TextEdit[] | undefined {
  const text = doc.text;
  const nl = newlineOf(text);
  const svcPath = ['services', service];
  const deployPath = [...svcPath, 'deploy'];
  const svc = serviceBlock(doc, service);
  const deploy = asMapping(valueAt(doc.data, deployPath));
  const deployKey = doc.locateKey(deployPath);
  if (!svc || !deploy || !deployKey) return undefined;
  const taken = takeTraefikEntries(doc, file, deployPath, svc);
  if (!taken) return undefined;
  let { edits } = taken;
  // `deploy:` holding only these labels (nothing but them below its key): the whole key goes.
  const deployLineStart = lineStartAt(text, deployKey.start.offset + bomShift(doc));
  if (taken.all && Object.keys(deploy).length === 1 && text.slice(lineEndAt(text, deployLineStart), taken.blockStart).trim() === '' && /^ *deploy:[ \t]*\r?\n$/.test(text.slice(deployLineStart, lineEndAt(text, deployLineStart)))) {
    edits = [{ file, start: deployLineStart, end: taken.blockEnd, text: '' }];
  }
  const childIndent = deployKey.start.column - 1;
  const existing = valueAt(doc.data, [...svcPath, 'labels']);
  if (existing === undefined) {
    const at = lineEndAt(text, Math.max(svc.start, svc.end - 1));
    const lead = text[at - 1] === '\n' ? '' : nl;
    edits.push(insertAt(file, at, `${lead}${' '.repeat(childIndent)}labels:${nl}${taken.render(taken.style, childIndent + taken.relative)}`));
    return ordered(edits);
  }
  const appended = appendTo(doc, file, [...svcPath, 'labels'], taken);
  return appended ? ordered([...edits, ...appended]) : undefined;
}

function ordered(edits: TextEdit[]): TextEdit[] {
  return edits.sort((a, b) => a.start - b.start || a.end - b.end);
}
