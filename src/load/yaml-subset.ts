// A fast path for the YAML compose files are written in. It reads block mappings and sequences, one-line
// scalars, one-line flow sequences, block scalars, anchors, aliases and merge keys, and decodes them exactly
// as the full loader (src/load/yaml.ts) does. For anything else, or anything it is unsure of, it returns
// undefined and the caller falls back to the full loader, which also words the errors. So this parser never
// decides whether a file is valid: it only finds the same data sooner. What it reads, yaml.v3 (docker) reads
// too, without a syntax error and as one document, so the loader skips the syntax scan for it
// (go-yaml-syntax.ts; tests/load/yaml-subset.test.ts checks this against the port and docker's recorded
// answers): where yaml.v3 is stricter than the `yaml` package, so is the subset (anchor names, key length,
// lone surrogates). It works line by line with native string search, because most files are parsed before V8
// optimises anything.
import { resolvePlainScalar, setOwn } from './scalars.js';
import { NonStringKeyMap } from './types.js';
import type { YamlValue } from './types.js';

/** A node of the parsed file, with the offsets the full loader would give it where `exact` says so. */
export type SubsetNode = SubsetScalar | SubsetMap | SubsetSeq | SubsetAlias;

interface NodeBase {
  start: number;
  end: number;
  /** Whether [start, end] is the `yaml` package's range for this node; otherwise the full loader locates it. */
  exact: boolean;
  /** The line a one-line value ends on (and a block collection whose last value is one): see `finishBlock`. */
  endLine?: number;
  anchor?: string;
}

export interface SubsetScalar extends NodeBase {
  kind: 'scalar';
  /** The scalar's content: unescaped for quoted scalars, folded for block scalars. */
  text: string;
  plain: boolean;
}

export interface SubsetMap extends NodeBase {
  kind: 'map';
  keys: SubsetScalar[];
  values: SubsetNode[];
}

export interface SubsetSeq extends NodeBase {
  kind: 'seq';
  items: SubsetNode[];
}

export interface SubsetAlias extends NodeBase {
  kind: 'alias';
  target: SubsetNode;
}

export interface SubsetLimits {
  maxDepth: number;
  maxExpandedNodes: number;
  maxExpandedBytes: number;
}

export interface SubsetDocument {
  root: SubsetMap;
  data: Record<string, YamlValue>;
  /** Offset of the first character of each line. */
  lineStarts: number[];
}

/** Thrown inside the parser when the text leaves the subset; never escapes `parseYamlSubset`. */
const NOT_SUBSET = new Error('not in the compose subset of YAML');

/**
 * Characters the subset leaves to the full loader: tabs, carriage returns, BOMs, C0/C1 controls, YAML 1.1
 * line breaks (NEL, LS, PS) and non-characters.
 */
const OUTSIDE_SUBSET_CHARS = /[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ud800-\udfff\ue000-\ufefe\uff00-\ufffd]/;
/** A surrogate that is not half of a pair (not a character: yaml.v3 refuses it). */
const LONE_SURROGATE = /[\ud800-\udfff]/u;
/** yaml.v3's anchor and alias names: letters, digits, `_` and `-` (the `yaml` package takes more). */
const ANCHOR_NAME = /[0-9A-Za-z_-]+/y;
/** yaml.v3 refuses an implicit key longer than 1024 characters; the subset leaves long keys to the full loader. */
const MAX_KEY_LENGTH = 1000;
const BLOCK_HEADER = /([+-]?)[ ]*(?:#.*)?$/y;

const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;

/** Parses and decodes `text` if it lies in the subset; undefined otherwise. Never throws. */
export function parseYamlSubset(text: string, limits: SubsetLimits): SubsetDocument | undefined {
  if (OUTSIDE_SUBSET_CHARS.test(text) || LONE_SURROGATE.test(text)) return undefined;
  try {
    const parser = new SubsetParser(text, limits.maxDepth);
    const root = parser.parseDocument();
    const data = new SubsetDecoder(limits).decodeRoot(root);
    return { root, data, lineStarts: parser.starts };
  } catch (err) {
    if (err === NOT_SUBSET || err instanceof RangeError) return undefined;
    throw err;
  }
}

function notSubset(): never {
  throw NOT_SUBSET;
}

class SubsetParser {
  readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Columns of the first character of each line, -1 for blank and comment-only lines. */
  private readonly indents: number[] = [];
  private readonly lineCount: number;
  /** The line to go on from after the node just parsed. */
  private next = 0;
  private depth = 0;
  private readonly anchors = new Map<string, SubsetNode>();
  private readonly openAnchors = new Set<string>();

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    let pos = 0;
    for (;;) {
      let end = text.indexOf('\n', pos);
      if (end < 0) end = text.length;
      let i = pos;
      while (i < end && text.charCodeAt(i) === SPACE) i++;
      this.starts.push(pos);
      this.ends.push(end);
      this.indents.push(i === end || text.charCodeAt(i) === HASH ? -1 : i - pos);
      if (end === text.length) break;
      pos = end + 1;
    }
    this.lineCount = this.starts.length;
  }

  parseDocument(): SubsetMap {
    let line = this.nextContent(0);
    if (line < this.lineCount && this.isDocumentStart(line)) line = this.nextContent(line + 1);
    if (line >= this.lineCount) notSubset();
    const indent = this.indents[line];
    const at = this.starts[line] + indent;
    if (this.isSeqEntry(at, line)) notSubset(); // the top level must be a mapping
    const root = this.parseBlockMap(line, at, indent);
    if (this.next < this.lineCount) notSubset();
    return root;
  }

  private isDocumentStart(line: number): boolean {
    const text = this.text.slice(this.starts[line], this.ends[line]);
    return /^---[ ]*(?:[ ]#.*)?$/.test(text);
  }

  private nextContent(line: number): number {
    while (line < this.lineCount && this.indents[line] < 0) line++;
    return line;
  }

  /** `-` followed by a space or the end of the line. */
  private isSeqEntry(at: number, line: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    return at + 1 === this.ends[line] || this.text.charCodeAt(at + 1) === SPACE;
  }

  private enter(): void {
    if (++this.depth > this.maxDepth) notSubset();
  }

  private parseBlockMap(line: number, at: number, indent: number): SubsetMap {
    this.enter();
    const map: SubsetMap = { kind: 'map', start: at, end: at, exact: false, keys: [], values: [] };
    const seen = new Set<string>();
    for (;;) {
      const key = this.parseKey(line, at);
      // A repeated key is an error the full loader words.
      if (seen.has(key.text)) notSubset();
      seen.add(key.text);
      map.keys.push(key);
      map.values.push(this.parseValue(line, key.end + 1, indent, true));
      line = this.next;
      if (line >= this.lineCount) break;
      const lineIndent = this.indents[line];
      if (lineIndent < indent) break;
      if (lineIndent > indent) notSubset();
      at = this.starts[line] + lineIndent;
      if (this.isSeqEntry(at, line)) notSubset();
    }
    this.depth--;
    this.finishBlock(map, map.values[map.values.length - 1]);
    return map;
  }

  private parseBlockSeq(line: number, indent: number): SubsetSeq {
    this.enter();
    const seq: SubsetSeq = { kind: 'seq', start: this.starts[line] + indent, end: 0, exact: false, items: [] };
    for (;;) {
      const end = this.ends[line];
      let at = this.starts[line] + indent + 1;
      while (at < end && this.text.charCodeAt(at) === SPACE) at++;
      let item: SubsetNode;
      if (at === end || this.text.charCodeAt(at) === HASH) item = this.parseNested(line + 1, indent, false, at);
      else if (this.isSeqEntry(at, line)) notSubset(); // `- - x`
      else if (this.keyEnd(line, at) >= 0) item = this.parseBlockMap(line, at, at - this.starts[line]);
      else item = this.parseInline(line, at, indent);
      seq.items.push(item);
      line = this.next;
      if (line >= this.lineCount) break;
      const lineIndent = this.indents[line];
      if (lineIndent < indent) break;
      if (lineIndent > indent) notSubset();
      if (!this.isSeqEntry(this.starts[line] + lineIndent, line)) break; // the next key of the mapping this sequence is a value of
    }
    this.depth--;
    this.finishBlock(seq, seq.items[seq.items.length - 1]);
    return seq;
  }

  /**
   * The end of a block collection, where the `yaml` package puts it: after the line break of the line its
   * last value ends on. Only known here when that value is a one-line value (or a collection ending with
   * one) and no comment line follows before the next content: the package counts some of those in.
   */
  private finishBlock(node: SubsetMap | SubsetSeq, last: SubsetNode): void {
    const line = last.exact ? last.endLine : undefined;
    if (line === undefined) return;
    for (let l = line + 1; l < this.lineCount && this.indents[l] < 0; l++) {
      if (this.starts[l] !== this.ends[l] && this.text.slice(this.starts[l], this.ends[l]).trim() !== '') return;
    }
    node.end = this.ends[line] === this.text.length ? this.text.length : this.ends[line] + 1;
    node.exact = true;
    node.endLine = line;
  }

  /** The value after `key:` or `- ` at `at`: on this line, or a block on the lines below. */
  private parseValue(line: number, at: number, parentIndent: number, inMap: boolean): SubsetNode {
    const end = this.ends[line];
    while (at < end && this.text.charCodeAt(at) === SPACE) at++;
    if (at === end || this.text.charCodeAt(at) === HASH) return this.parseNested(line + 1, parentIndent, inMap, at);
    return this.parseInline(line, at, parentIndent);
  }

  /**
   * A block collection starting on the lines from `line`, or an empty (null) value at `emptyAt`. A mapping's
   * value may be a sequence at the mapping's own indentation.
   */
  private parseNested(line: number, parentIndent: number, inMap: boolean, emptyAt: number): SubsetNode {
    const next = this.nextContent(line);
    if (next < this.lineCount) {
      const indent = this.indents[next];
      const at = this.starts[next] + indent;
      const seqEntry = this.isSeqEntry(at, next);
      if (indent > parentIndent || (inMap && indent === parentIndent && seqEntry)) {
        if (seqEntry) return this.parseBlockSeq(next, indent);
        if (this.keyEnd(next, at) < 0) notSubset(); // a scalar on its own line
        return this.parseBlockMap(next, at, indent);
      }
    }
    this.next = next;
    return { kind: 'scalar', start: emptyAt, end: emptyAt, exact: this.text.charCodeAt(emptyAt) !== HASH, text: '', plain: true };
  }

  /** A node that starts on this line at `at` (not at its end). */
  private parseInline(line: number, at: number, parentIndent: number): SubsetNode {
    const c = this.text[at];
    if (c === '&') return this.parseAnchored(line, at, parentIndent);
    let node: SubsetNode;
    let after: number;
    switch (c) {
      case '*': {
        const target = this.anchorName(at + 1);
        after = at + 1 + target.length;
        if (this.openAnchors.has(target)) notSubset();
        node = { kind: 'alias', start: at, end: after, exact: true, target: this.anchors.get(target) ?? notSubset() };
        break;
      }
      case '"':
      case "'": {
        const quoted = this.parseQuoted(line, at);
        node = quoted;
        after = quoted.end;
        break;
      }
      case '[': {
        const seq = this.parseFlowSeq(line, at);
        node = seq;
        after = seq.end;
        break;
      }
      case '{': {
        if (this.text.charCodeAt(at + 1) !== 125 /* } */) notSubset();
        node = { kind: 'map', start: at, end: at + 2, exact: true, keys: [], values: [] };
        after = at + 2;
        break;
      }
      case '|':
      case '>':
        return this.parseBlockScalar(line, at, parentIndent);
      default: {
        const plain = this.parsePlain(line, at);
        this.next = this.endOfInline(line, plain.end, parentIndent, true);
        plain.endLine = line;
        return plain;
      }
    }
    this.next = this.endOfInline(line, after, parentIndent, false);
    node.endLine = line;
    return node;
  }

  private parseAnchored(line: number, at: number, parentIndent: number): SubsetNode {
    const name = this.anchorName(at + 1);
    const end = this.ends[line];
    let after = at + 1 + name.length;
    while (after < end && this.text.charCodeAt(after) === SPACE) after++;
    if (after === at + 1 + name.length && after < end) notSubset(); // `&a,b`
    this.openAnchors.add(name);
    let node: SubsetNode;
    if (after === end || this.text.charCodeAt(after) === HASH) {
      node = this.parseNested(line + 1, parentIndent, false, after);
      if (node.kind === 'scalar') notSubset(); // an anchored empty value
    } else {
      const c = this.text[after];
      if (c === '&' || c === '*' || this.keyEnd(line, after) >= 0) notSubset();
      node = this.parseInline(line, after, parentIndent);
    }
    this.openAnchors.delete(name);
    node.anchor = name;
    this.anchors.set(name, node);
    return node;
  }

  private anchorName(at: number): string {
    ANCHOR_NAME.lastIndex = at;
    const m = ANCHOR_NAME.exec(this.text);
    if (!m) notSubset();
    return m[0];
  }

  /**
   * After a one-line node ending at `after`: only spaces and a comment may follow, and no more-indented line
   * (which would continue the scalar, or be an error). Returns the next content line.
   */
  private endOfInline(line: number, after: number, parentIndent: number, commentChecked: boolean): number {
    if (!commentChecked) {
      const end = this.ends[line];
      let i = after;
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      if (i < end && (i === after || this.text.charCodeAt(i) !== HASH)) notSubset();
    }
    const next = this.nextContent(line + 1);
    if (next < this.lineCount && this.indents[next] > parentIndent) notSubset();
    return next;
  }

  /**
   * Where the `:` of a mapping key starting at `at` is, or -1 when the line holds no key there. Plain keys
   * end at the first `: ` (or `:` at the end of the line) before any ` #`; quoted keys at their quote.
   */
  private keyEnd(line: number, at: number): number {
    const end = this.ends[line];
    const c = this.text[at];
    if (c === '"' || c === "'") {
      const close = this.closingQuote(line, at);
      if (close < 0 || this.text.charCodeAt(close + 1) !== COLON) return -1;
      return close + 2 === end || this.text.charCodeAt(close + 2) === SPACE ? close + 1 : -1;
    }
    const rest = this.text.slice(at, end);
    let colon = rest.indexOf(':');
    while (colon >= 0 && colon + 1 < rest.length && rest.charCodeAt(colon + 1) !== SPACE) colon = rest.indexOf(':', colon + 1);
    if (colon < 0) return -1;
    const hash = rest.indexOf(' #');
    if (hash >= 0 && hash < colon) return -1;
    return at + colon;
  }

  private parseKey(line: number, at: number): SubsetScalar {
    // `---` and `...` at the start of a line end the document.
    if (at === this.starts[line] && /^(?:---|\.\.\.)/.test(this.text.slice(at, at + 3))) notSubset();
    const colon = this.keyEnd(line, at);
    if (colon < 0) notSubset();
    if (colon - at > MAX_KEY_LENGTH) notSubset();
    const c = this.text[at];
    if (c === '"' || c === "'") {
      const key = this.parseQuoted(line, at);
      if (key.end !== colon) notSubset();
      return key;
    }
    if (!startsPlain(this.text, at) || this.text.charCodeAt(colon - 1) === SPACE) notSubset();
    const text = this.text.slice(at, colon);
    // A key must decode to a string (`1:` or `true:` is a mapping docker refuses later).
    if (typeof resolvePlainScalar(text) !== 'string') notSubset();
    return { kind: 'scalar', start: at, end: colon, exact: true, text, plain: true };
  }

  private parsePlain(line: number, at: number): SubsetScalar {
    if (!startsPlain(this.text, at)) notSubset();
    const rest = this.text.slice(at, this.ends[line]);
    const hash = rest.indexOf(' #');
    let stop = hash >= 0 ? hash : rest.length;
    while (stop > 0 && rest.charCodeAt(stop - 1) === SPACE) stop--;
    const text = stop === rest.length ? rest : rest.slice(0, stop);
    // `a: b` on a value's line would be a nested mapping, an error there.
    if (text.includes(': ') || text.charCodeAt(text.length - 1) === COLON) notSubset();
    return { kind: 'scalar', start: at, end: at + stop, exact: true, text, plain: true };
  }

  /** Offset of the quote closing the quoted scalar at `at` on this line, or -1. */
  private closingQuote(line: number, at: number): number {
    const end = this.ends[line];
    const quote = this.text[at];
    for (let i = at + 1; i < end; i++) {
      const c = this.text[i];
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && this.text[i + 1] === "'") i++;
        else return i;
      }
    }
    return -1;
  }

  private parseQuoted(line: number, at: number): SubsetScalar {
    const close = this.closingQuote(line, at);
    if (close < 0) notSubset(); // spans lines
    const body = this.text.slice(at + 1, close);
    const text = this.text[at] === "'" ? body.replaceAll("''", "'") : unescapeDoubleQuoted(body);
    return { kind: 'scalar', start: at, end: close + 1, exact: true, text, plain: false };
  }

  /** `[a, "b", c]` on one line, of scalars only. */
  private parseFlowSeq(line: number, at: number): SubsetSeq {
    const end = this.ends[line];
    const seq: SubsetSeq = { kind: 'seq', start: at, end: 0, exact: true, items: [] };
    let i = at + 1;
    for (;;) {
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      if (i >= end) notSubset();
      const c = this.text[i];
      if (c === ']') break;
      let item: SubsetScalar;
      if (c === '"' || c === "'") item = this.parseQuoted(line, i);
      else item = this.parseFlowPlain(line, i);
      seq.items.push(item);
      i = item.end;
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      if (this.text[i] === ',') i++;
      else if (this.text[i] !== ']') notSubset();
    }
    seq.end = i + 1;
    return seq;
  }

  private parseFlowPlain(line: number, at: number): SubsetScalar {
    if (!startsPlain(this.text, at)) notSubset();
    const end = this.ends[line];
    let i = at;
    for (; i < end; i++) {
      const c = this.text[i];
      if (c === ',' || c === ']') break;
      if (c === '[' || c === '{' || c === '}' || c === '#' || c === ':') notSubset();
    }
    let stop = i;
    while (stop > at && this.text.charCodeAt(stop - 1) === SPACE) stop--;
    if (stop === at) notSubset();
    return { kind: 'scalar', start: at, end: stop, exact: true, text: this.text.slice(at, stop), plain: true };
  }

  /**
   * `|` and `>` with an optional chomping indicator; the content's indentation is that of its first
   * non-empty line. Folded scalars with more-indented lines, indentation indicators and other rarities are
   * left to the full loader.
   */
  private parseBlockScalar(line: number, at: number, parentIndent: number): SubsetScalar {
    BLOCK_HEADER.lastIndex = at + 1;
    const header = BLOCK_HEADER.exec(this.text.slice(0, this.ends[line]));
    if (!header) notSubset();
    if (header[0].includes('#') && !/[ ]#/.test(header[0])) notSubset();
    const chomping = header[1];
    const folded = this.text[at] === '>';
    // Content lines: up to the first non-empty line indented no more than the parent.
    let first = -1;
    let last = line; // the last line holding content
    let contentIndent = 0;
    let leadingSpaces = 0; // the longest run of spaces on the empty lines before the first content line
    let l = line + 1;
    for (; l < this.lineCount; l++) {
      const start = this.starts[l];
      const end = this.ends[l];
      let i = start;
      while (i < end && this.text.charCodeAt(i) === SPACE) i++;
      const spaces = i - start;
      if (i === end) {
        // Spaces only: empty, unless longer than the content's indentation (whitespace content).
        if (first < 0) leadingSpaces = Math.max(leadingSpaces, spaces);
        else if (spaces > contentIndent) notSubset();
        continue;
      }
      if (first < 0) {
        if (spaces <= parentIndent) break;
        first = l;
        contentIndent = spaces;
        if (leadingSpaces > contentIndent) notSubset();
      } else if (spaces < contentIndent) {
        break;
      }
      if (folded && spaces !== contentIndent) notSubset();
      last = l;
    }
    if (first < 0) notSubset(); // no content at all
    // No line break after the content, or kept empty lines running to the end of the file.
    if (this.ends[last] === this.text.length || (chomping === '+' && l === this.lineCount)) notSubset();
    const lines: string[] = [];
    for (let k = first; k <= last; k++) lines.push(this.text.slice(Math.min(this.starts[k] + contentIndent, this.ends[k]), this.ends[k]));
    // Empty lines before the first content line are kept as line breaks, in both styles.
    let value = '\n'.repeat(first - line - 1) + (folded ? foldLines(lines) : lines.join('\n'));
    if (chomping === '') value += '\n';
    else if (chomping === '+') value += '\n'.repeat(1 + trailingEmptyLines(last, l));
    this.next = this.nextContent(last + 1);
    if (this.next < this.lineCount && this.indents[this.next] > parentIndent) notSubset();
    return { kind: 'scalar', start: at, end: at, exact: false, text: value, plain: false };
  }
}

/** Empty lines kept by `|+`: those after the last content line, before the next less-indented line. */
function trailingEmptyLines(last: number, stop: number): number {
  return stop - last - 1;
}

/** Folding of `>` content lines that all share one indentation: breaks become spaces, empty lines stay. */
function foldLines(lines: string[]): string {
  let out = lines[0];
  let empties = 0;
  for (let i = 1; i < lines.length; i++) {
    if (lines[i] === '') {
      empties++;
      continue;
    }
    out += empties > 0 ? '\n'.repeat(empties) : ' ';
    out += lines[i];
    empties = 0;
  }
  return out;
}

/** Whether a plain scalar may start at `at`: not an indicator, except `-` before a non-space. */
function startsPlain(text: string, at: number): boolean {
  const c = text[at];
  if (c === '-') return at + 1 < text.length && text.charCodeAt(at + 1) !== SPACE && text[at + 1] !== '\n';
  return !'?:,[]{}#&*!|>\'"%@`'.includes(c) && c !== ' ';
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};
const HEX_ESCAPE_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

function unescapeDoubleQuoted(body: string): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    const simple = Object.hasOwn(SIMPLE_ESCAPES, e) ? SIMPLE_ESCAPES[e] : undefined;
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const length = Object.hasOwn(HEX_ESCAPE_LENGTH, e) ? HEX_ESCAPE_LENGTH[e] : 0;
    const hex = body.slice(i + 1, i + 1 + length);
    if (length === 0 || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) notSubset();
    const code = parseInt(hex, 16);
    if ((code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) notSubset();
    out += String.fromCodePoint(code);
    i += length;
  }
  return out;
}

/** Decodes the tree as src/load/yaml.ts decodes the `yaml` package's: merge keys, shared aliases, a node budget. */
class SubsetDecoder {
  private budget: number;
  private byteBudget: number;
  private readonly aliasCache = new Map<SubsetNode, YamlValue>();
  private readonly expandedSize = new Map<SubsetNode, number>();
  private readonly expandedBytes = new Map<SubsetNode, number>();
  private readonly decoding = new Set<SubsetNode>();

  constructor(private readonly limits: SubsetLimits) {
    this.budget = limits.maxExpandedNodes;
    this.byteBudget = limits.maxExpandedBytes;
  }

  /** Over either budget: the full loader decodes the file again and words the error. */
  private spendBytes(bytes: number): void {
    this.byteBudget -= bytes;
    if (this.byteBudget < 0) notSubset();
  }

  decodeRoot(root: SubsetMap): Record<string, YamlValue> {
    return this.decode(root, 0) as Record<string, YamlValue>;
  }

  private decode(node: SubsetNode, depth: number): YamlValue {
    if (depth > this.limits.maxDepth) notSubset();
    if (node.kind === 'alias') return this.decodeAlias(node, depth);
    if (node.anchor !== undefined && !this.decoding.has(node)) {
      this.decoding.add(node);
      try {
        return this.decode(node, depth);
      } finally {
        this.decoding.delete(node);
      }
    }
    if (--this.budget < 0) notSubset();
    switch (node.kind) {
      case 'scalar':
        this.spendBytes(node.text.length);
        return node.plain ? resolvePlainScalar(node.text) : node.text;
      case 'seq':
        return node.items.map((item) => this.decode(item, depth + 1));
      case 'map':
        return this.decodeMap(node, depth);
    }
  }

  private decodeAlias(node: SubsetAlias, depth: number): YamlValue {
    const target = node.target;
    const cached = this.aliasCache.get(target);
    if (cached !== undefined) {
      this.budget -= this.expandedSize.get(target) ?? 1;
      if (this.budget < 0) notSubset();
      this.spendBytes(this.expandedBytes.get(target) ?? 0);
      return cached;
    }
    if (this.decoding.has(target)) notSubset();
    const before = this.budget;
    const bytesBefore = this.byteBudget;
    const value = this.decode(target, depth + 1);
    this.expandedSize.set(target, before - this.budget);
    this.expandedBytes.set(target, bytesBefore - this.byteBudget);
    this.aliasCache.set(target, value);
    return value;
  }

  private decodeMap(map: SubsetMap, depth: number): YamlValue {
    const explicit: Array<[string, YamlValue]> = [];
    const merged: Array<Record<string, YamlValue>> = [];
    for (let i = 0; i < map.keys.length; i++) {
      const key = map.keys[i];
      if (key.plain && key.text === '<<') {
        for (const source of this.mergeSources(map.values[i], depth)) merged.push(source);
        continue;
      }
      this.spendBytes(key.text.length);
      explicit.push([key.text, this.decode(map.values[i], depth + 1)]);
    }
    const out: Record<string, YamlValue> = {};
    // Merge keys: explicit keys win; among merged maps the first listed wins (yaml.v3 order).
    for (let i = merged.length - 1; i >= 0; i--) for (const k of Object.keys(merged[i])) setOwn(out, k, merged[i][k]);
    for (const [k, v] of explicit) setOwn(out, k, v);
    return out;
  }

  private mergeSources(node: SubsetNode, depth: number): Array<Record<string, YamlValue>> {
    const items = node.kind === 'seq' ? node.items : [node];
    const out: Array<Record<string, YamlValue>> = [];
    for (const item of items) {
      const value = this.decode(item, depth + 1);
      if (!value || typeof value !== 'object' || Array.isArray(value) || value instanceof NonStringKeyMap) notSubset();
      out.push(value as Record<string, YamlValue>);
    }
    return out;
  }
}

export interface Located {
  node: SubsetNode;
  keyNode?: SubsetScalar;
}

/** The node at a logical path, following aliases and merge keys as the full loader's locate does. */
export function locateSubsetNode(root: SubsetNode, path: readonly (string | number)[]): Located | undefined {
  let current: Located = { node: root };
  for (const seg of path) {
    const node = current.node.kind === 'alias' ? current.node.target : current.node;
    if (node.kind === 'seq' && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) return undefined;
      current = { node: item };
    } else if (node.kind === 'map') {
      const found = findSubsetPair(node, String(seg));
      if (!found) return undefined;
      current = found;
    } else {
      return undefined;
    }
  }
  return current;
}

/** Per mapping, the index of the last key of each text: a look-up per key of a big mapping stays linear overall. */
const lastKeyIndex = new WeakMap<SubsetMap, Map<string, number>>();

function findSubsetPair(map: SubsetMap, key: string): { node: SubsetNode; keyNode: SubsetScalar } | undefined {
  let index = lastKeyIndex.get(map);
  if (!index) {
    index = new Map();
    for (let i = 0; i < map.keys.length; i++) index.set(map.keys[i].text, i);
    lastKeyIndex.set(map, index);
  }
  const at = index.get(key);
  if (at !== undefined) return { node: map.values[at], keyNode: map.keys[at] };
  if (!index.has('<<')) return undefined;
  for (let i = 0; i < map.keys.length; i++) {
    if (map.keys[i].text !== '<<') continue;
    const value = map.values[i];
    for (const source of value.kind === 'seq' ? value.items : [value]) {
      const target = source.kind === 'alias' ? source.target : source;
      if (target.kind !== 'map') continue;
      const hit = findSubsetPair(target, key);
      if (hit) return hit;
    }
  }
  return undefined;
}
