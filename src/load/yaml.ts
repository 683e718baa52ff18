// Parses one compose file the way docker's yaml.v3 decode does, keeping source positions.
// The `yaml` package gives us the syntax tree with ranges; resolving plain scalars, aliases,
// merge keys and duplicate keys is done here so that the rules match yaml.v3, not YAML 1.2 core.
import { Composer, isAlias, isMap, isScalar, isSeq, LineCounter, Parser, Scalar } from 'yaml';
import type { CST, Document, Node as YamlNode, Pair } from 'yaml';
import { NonStringKeyMap } from './types.js';
import { resolvePlainScalar, setOwn } from './scalars.js';
export { resolvePlainScalar } from './scalars.js';
import { locateSubsetNode, parseYamlSubset } from './yaml-subset.js';
import { scanGoYaml } from './go-yaml-syntax.js';
import type { GoYamlSyntaxError } from './go-yaml-syntax.js';
import type { SubsetDocument, SubsetNode } from './yaml-subset.js';
import type { FileComment, FileDoc, FileTag, LoadError, Path, PathSeg, SourceRange, YamlValue } from './types.js';
import { pushAll } from './collections.js';

/** Limits that keep hostile input bounded (documented in README "Limits"). */
export const LOAD_LIMITS = {
  /** Nodes the decoded document may expand to, aliases counted each time they are used. */
  maxExpandedNodes: 2_000_000,
  /**
   * Text (keys and scalar values, in UTF-16 units) the decoded document may expand to, aliases counted each
   * time they are used: one big string behind many aliases costs few nodes but gigabytes for every stage that
   * reads the values. Twice the file-size limit, so a file without aliases never reaches it.
   */
  maxExpandedBytes: 16 * 1024 * 1024,
  /**
   * Nesting depth of mappings and sequences, checked on the syntax tree before the recursive compose step:
   * the `yaml` package overflows the stack near 800 levels, and an overflow is not always a catchable error.
   */
  maxDepth: 256,
};

type Located = { node: YamlNode; keyNode?: YamlNode };

class LoadFailure extends Error {
  constructor(public readonly loadError: LoadError) {
    super(loadError.message);
  }
}

interface Decoder {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  file: string;
  anchors: Map<string, YamlNode>;
  aliasCache: Map<YamlNode, YamlValue>;
  decoding: Set<YamlNode>;
  expandedSize: Map<YamlNode, number>;
  expandedBytes: Map<YamlNode, number>;
  budget: number;
  byteBudget: number;
  duplicateErrors: string[];
  firstDuplicate?: SourceRange;
}

function rangeOf(dec: Decoder, node: { range?: [number, number, number] | null }): SourceRange | undefined {
  if (!node.range) return undefined;
  return offsetsToRange(dec.lineCounter, node.range[0], node.range[1]);
}

function offsetsToRange(lc: LineCounter, start: number, end: number): SourceRange {
  const s = lc.linePos(start);
  const e = lc.linePos(end);
  return {
    start: { line: s.line, column: s.col, offset: start },
    end: { line: e.line, column: e.col, offset: end },
  };
}

function scalarText(node: Scalar): string {
  return typeof node.value === 'string' ? node.value : String(node.source ?? node.value ?? '');
}

/** A tag yaml.v3 does not resolve: neither one of its `!!` tags nor the non-specific `!`. */
export function isLocalTag(tag: string | undefined): tag is string {
  return tag !== undefined && tag !== '!' && !tag.startsWith('tag:yaml.org,2002:') && !tag.startsWith('!!');
}

function decodeScalar(node: Scalar): YamlValue {
  const text = scalarText(node);
  const tag = node.tag;
  if (tag === 'tag:yaml.org,2002:str' || tag === '!!str') return text;
  // yaml.v3 resolves only its own `!!` tags (and the non-specific `!`); any other tag (compose's `!reset`,
  // `!override`, `!foo`) leaves the scalar's text as a string: `build: !reset null` is "null" to docker stack.
  if (isLocalTag(tag)) return text;
  if (node.type && node.type !== 'PLAIN') return text;
  return resolvePlainScalar(text);
}

/** A key as yaml.v3 sees it: its text, and whether decoding it gives a string. */
function keyInfo(node: YamlNode | null | undefined): { text: string; isString: boolean; isMerge: boolean } {
  if (!node) return { text: '', isString: false, isMerge: false };
  if (isScalar(node)) {
    const text = scalarText(node);
    const plain = !node.type || node.type === 'PLAIN';
    if (plain && text === '<<' && !node.tag) return { text, isString: true, isMerge: true };
    // yaml.v3 builds a map[string]interface{} only when every key is tagged !!str: a `!reset web:` key is not.
    if (isLocalTag(node.tag)) return { text, isString: false, isMerge: false };
    const value = decodeScalar(node);
    return { text, isString: typeof value === 'string', isMerge: false };
  }
  return { text: '', isString: false, isMerge: false };
}

function decode(dec: Decoder, node: YamlNode | null | undefined, depth: number): YamlValue {
  if (!node) return null;
  if (depth > LOAD_LIMITS.maxDepth) {
    throw new LoadFailure({
      kind: 'limit',
      message: `nesting deeper than ${LOAD_LIMITS.maxDepth} levels`,
      dockerMessage: `yaml: exceeded max depth of ${LOAD_LIMITS.maxDepth}`,
      range: rangeOf(dec, node),
    });
  }
  if (isAlias(node)) return decodeAlias(dec, node, depth);
  if (node.anchor && !dec.decoding.has(node)) {
    dec.anchors.set(node.anchor, node);
    dec.decoding.add(node);
    try {
      return decode(dec, node, depth);
    } finally {
      dec.decoding.delete(node);
    }
  }
  spend(dec, node, 1, isScalar(node) ? scalarText(node).length : 0);
  if (isScalar(node)) return decodeScalar(node);
  if (isSeq(node)) return node.items.map((item) => decode(dec, item as YamlNode, depth + 1));
  if (isMap(node)) return decodeMap(dec, node.items as Pair[], depth);
  return null;
}

function spend(dec: Decoder, node: YamlNode, n: number, bytes: number): void {
  dec.budget -= n;
  dec.byteBudget -= bytes;
  if (dec.byteBudget < 0) {
    throw new LoadFailure({
      kind: 'limit',
      message: `document expands to more than ${LOAD_LIMITS.maxExpandedBytes / (1024 * 1024)} MiB of text (alias bomb?)`,
      dockerMessage: 'yaml: document contains excessive aliasing',
      range: rangeOf(dec, node),
    });
  }
  if (dec.budget < 0) {
    throw new LoadFailure({
      kind: 'limit',
      message: `document expands to more than ${LOAD_LIMITS.maxExpandedNodes} nodes (alias bomb?)`,
      dockerMessage: 'yaml: document contains excessive aliasing',
      range: rangeOf(dec, node),
    });
  }
}

function decodeAlias(dec: Decoder, node: YamlNode & { source: string }, depth: number): YamlValue {
  const target = dec.anchors.get(node.source);
  if (!target) {
    throw new LoadFailure({
      kind: 'unknown-anchor',
      message: `unknown anchor '${node.source}' referenced (anchors work within one file only)`,
      dockerMessage: `yaml: unknown anchor '${node.source}' referenced`,
      range: rangeOf(dec, node),
    });
  }
  // Shared, immutable: an alias decodes once; each further use costs its expanded size in budget.
  const cached = dec.aliasCache.get(target);
  if (cached !== undefined) {
    spend(dec, node, dec.expandedSize.get(target) ?? 1, dec.expandedBytes.get(target) ?? 0);
    return cached;
  }
  if (dec.decoding.has(target)) {
    throw new LoadFailure({
      kind: 'yaml-syntax',
      message: `anchor '${node.source}' contains an alias to itself`,
      dockerMessage: `yaml: anchor '${node.source}' value contains itself`,
      range: rangeOf(dec, node),
    });
  }
  const before = dec.budget;
  const bytesBefore = dec.byteBudget;
  const value = decode(dec, target, depth + 1);
  dec.expandedSize.set(target, before - dec.budget);
  dec.expandedBytes.set(target, bytesBefore - dec.byteBudget);
  dec.aliasCache.set(target, value);
  return value;
}

function decodeMap(dec: Decoder, pairs: Pair[], depth: number): YamlValue {
  // yaml.v3 stops decoding a mapping whose own keys repeat; its children are not visited.
  if (!checkDuplicateKeys(dec, pairs)) return {};
  const explicit: Array<[Pair, YamlValue]> = [];
  const merged: Array<Record<string, YamlValue>> = [];
  let allStringKeys = true;
  for (const pair of pairs) {
    const key = keyInfo(pair.key as YamlNode);
    if (key.isMerge) {
      pushAll(merged, mergeSources(dec, pair.value as YamlNode, depth));
      continue;
    }
    if (!key.isString) allStringKeys = false;
    spend(dec, pair.key as YamlNode, 0, key.text.length);
    explicit.push([pair, decode(dec, pair.value as YamlNode, depth + 1)]);
  }
  if (!allStringKeys) {
    return new NonStringKeyMap(
      explicit.map(([pair, value]) => [keyValue(dec, pair.key as YamlNode, depth), value]),
    );
  }
  const out: Record<string, YamlValue> = {};
  // Merge keys: explicit keys win; among merged maps the first listed wins (yaml.v3 order).
  for (let i = merged.length - 1; i >= 0; i--) for (const [k, v] of Object.entries(merged[i])) setOwn(out, k, v);
  for (const [pair, value] of explicit) setOwn(out, keyInfo(pair.key as YamlNode).text, value);
  return out;
}

function keyValue(dec: Decoder, node: YamlNode | null, depth: number): unknown {
  return node ? decode(dec, node, depth + 1) : null;
}

function mergeSources(dec: Decoder, node: YamlNode | null, depth: number): Array<Record<string, YamlValue>> {
  const items = node && isSeq(node) ? (node.items as YamlNode[]) : [node];
  const out: Array<Record<string, YamlValue>> = [];
  for (const item of items) {
    const value = decode(dec, item, depth + 1);
    if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof NonStringKeyMap)) {
      out.push(value as Record<string, YamlValue>);
    } else {
      throw new LoadFailure({
        kind: 'yaml-syntax',
        message: 'a merge key (<<) must name a mapping or a list of mappings',
        dockerMessage: 'yaml: map merge requires map or sequence of maps as the value',
        range: item ? rangeOf(dec, item) : undefined,
      });
    }
  }
  return out;
}

/** Duplicate-key messages kept per document (docker prints them all; a hostile file can have millions). */
const MAX_DUPLICATE_MESSAGES = 100;

function checkDuplicateKeys(dec: Decoder, pairs: Pair[]): boolean {
  // yaml.v3 compares every pair of scalar keys by raw text and reports each later repeat, in the order
  // (earlier key, later key). Keys are grouped by text first, so a mapping of distinct keys costs one pass.
  const keys = pairs.map((p) => p.key as YamlNode | null).filter((k): k is Scalar => !!k && isScalar(k));
  const texts = keys.map(scalarText);
  const byText = new Map<string, number[]>();
  texts.forEach((text, i) => {
    const same = byText.get(text);
    if (same) same.push(i);
    else byText.set(text, [i]);
  });
  if (byText.size === keys.length) return true;
  for (let i = 0; i < keys.length && dec.duplicateErrors.length < MAX_DUPLICATE_MESSAGES; i++) {
    const same = byText.get(texts[i])!;
    for (const j of same) {
      if (j <= i) continue;
      if (dec.duplicateErrors.length >= MAX_DUPLICATE_MESSAGES) break;
      const line = rangeOf(dec, keys[j])?.start.line ?? 0;
      const firstLine = rangeOf(dec, keys[i])?.start.line ?? 0;
      dec.duplicateErrors.push(`line ${line}: mapping key ${goQuote(texts[j])} already defined at line ${firstLine}`);
      dec.firstDuplicate ??= rangeOf(dec, keys[j]);
    }
  }
  return false;
}

/** Go's %#v of a string (strconv.Quote) for the characters compose keys realistically hold. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += ch;
  }
  return out + '"';
}

/** Maps the `yaml` package's error codes to the closest libyaml wording docker prints. */
function dockerSyntaxMessage(code: string, line: number, fallback: string): string {
  const texts: Record<string, string> = {
    TAB_AS_INDENT: 'found character that cannot start any token',
    BAD_INDENT: 'did not find expected key',
    MISSING_CHAR: 'did not find expected node content',
    UNEXPECTED_TOKEN: 'did not find expected key',
    BLOCK_AS_IMPLICIT_KEY: 'mapping values are not allowed in this context',
    MULTILINE_IMPLICIT_KEY: 'could not find expected \':\'',
    BAD_DQ_ESCAPE: 'found unknown escape character while parsing a quoted scalar',
  };
  return `yaml: line ${line}: ${texts[code] ?? fallback}`;
}

export interface LoadOptions {
  /** Absolute path of the file (for FileDoc.absPath). */
  absPath?: string;
}

/**
 * Parses compose YAML text. Never throws: problems land in `errors` with positions. Files in the subset of
 * YAML that compose files are written in take the fast path (yaml-subset.ts), which is also text yaml.v3 reads
 * as one document: they need no syntax scan. The rest go through yaml.v3's syntax scan (docker's errors, and
 * where its first document ends), then the `yaml` package.
 */
export function loadYamlText(text: string, file: string, options: LoadOptions = {}): FileDoc {
  const subset = parseYamlSubset(text, LOAD_LIMITS);
  if (subset) return subsetFileDoc(subset, text, file, options);
  const scan = scanGoYaml(text);
  if (scan.error) return withGoSyntaxError(loadYamlTextFully(text, file, options), scan.error);
  if (scan.firstDocumentEnd !== undefined) return firstDocumentOnly(text, scan.firstDocumentEnd, file, options);
  return loadYamlTextFully(text, file, options);
}

/**
 * A file with more after its first document (a later document, or a line indented less than the root
 * collection, which ends the first one): docker reads only the first, so only it is parsed; the text stays whole.
 */
function firstDocumentOnly(text: string, end: number, file: string, options: LoadOptions): FileDoc {
  const doc = loadYamlTextFully(text.slice(0, end), file, options);
  let lines: string[] | undefined;
  return { ...doc, text, lineText: (line: number) => (lines ??= text.split(/\r?\n/))[line - 1] ?? '' };
}

/**
 * A file yaml.v3 fails to parse: docker's message is the port's (go-yaml-syntax.ts). `lint` keeps the `yaml`
 * package's own message and range (or our nesting limit's) when it fails on the same file, else it points at
 * yaml.v3's problem mark.
 */
function withGoSyntaxError(doc: FileDoc, goError: GoYamlSyntaxError): FileDoc {
  const own = doc.errors[0];
  // docker's own words, for a user comparing with `docker stack deploy` (its line is often another one).
  const docker = ` (docker: "${goError.dockerMessage}")`;
  if ((own?.kind === 'yaml-syntax' || own?.kind === 'limit') && own.range) {
    return { ...doc, data: undefined, errors: [{ ...own, message: own.message + docker, dockerMessage: goError.dockerMessage }] };
  }
  const mark = goError.problemMark;
  const position = { line: mark.line + 1, column: mark.column + 1, offset: mark.index };
  const kind = goError.kind === 'anchor' ? 'unknown-anchor' : 'yaml-syntax';
  const message = goError.kind === 'anchor' ? `${goError.problem} (anchors work within one file only)` : goError.problem + docker;
  return { ...doc, data: undefined, errors: [{ kind, message, dockerMessage: goError.dockerMessage, range: { start: position, end: position } }] };
}

/**
 * A fast-path document. Keys, scalars and aliases are located from its own tree. Collections, block scalars
 * and some empty values take their ranges from the full loader: their ends follow the `yaml` package's
 * rules, so the file is parsed again, once, when one of them is first asked for.
 */
function subsetFileDoc(subset: SubsetDocument, text: string, file: string, options: LoadOptions): FileDoc {
  let full: FileDoc | undefined;
  const fullDoc = () => (full ??= loadYamlTextFully(text, file, options));
  const starts = subset.lineStarts;
  const linePos = (offset: number) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, col: offset - starts[low] + 1 };
  };
  const rangeOfNode = (node: SubsetNode): SourceRange => {
    const s = linePos(node.start);
    const e = linePos(node.end);
    return { start: { line: s.line, column: s.col, offset: node.start }, end: { line: e.line, column: e.col, offset: node.end } };
  };
  let lines: string[] | undefined;
  let comments: FileComment[] | undefined;
  return {
    absPath: options.absPath ?? file,
    file,
    text,
    data: subset.data,
    errors: [],
    lineText: (line: number) => (lines ??= text.split(/\r?\n/))[line - 1] ?? '',
    comments: () => (comments ??= collectComments(text, linePos)),
    locate: (path: Path) => {
      const hit = locateSubsetNode(subset.root, path);
      if (!hit) return undefined;
      return hit.node.exact ? rangeOfNode(hit.node) : fullDoc().locate(path);
    },
    locateKey: (path: Path) => {
      const hit = locateSubsetNode(subset.root, path);
      if (!hit) return undefined;
      const node = hit.keyNode ?? hit.node;
      return node.exact ? rangeOfNode(node) : fullDoc().locateKey(path);
    },
  };
}

/** Parses with the `yaml` package and decodes as yaml.v3 does. */
export function loadYamlTextFully(text: string, file: string, options: LoadOptions = {}): FileDoc {
  const lineCounter = new LineCounter();
  // Split on first use: most files never show a snippet.
  let lines: string[] | undefined;
  const base = {
    absPath: options.absPath ?? file,
    file,
    text,
    lineText: (line: number) => (lines ??= text.split(/\r?\n/))[line - 1] ?? '',
  };
  let docs: Document.Parsed[];
  try {
    const parsed = composeYamlDocuments(stripBom(text), lineCounter, LOAD_LIMITS.maxDepth, { uniqueKeys: false });
    if ('tooDeepAt' in parsed) {
      const range = offsetsToRange(lineCounter, parsed.tooDeepAt, parsed.tooDeepAt + 1);
      return failed(base, {
        kind: 'limit',
        message: `nesting deeper than ${LOAD_LIMITS.maxDepth} levels`,
        dockerMessage: `yaml: line ${range.start.line}: exceeded max depth of ${LOAD_LIMITS.maxDepth}`,
        range,
      });
    }
    docs = parsed.docs;
  } catch (err) {
    return failed(base, { kind: 'yaml-syntax', message: String((err as Error).message), dockerMessage: `yaml: ${String((err as Error).message)}` });
  }
  const doc = docs[0];
  let comments: FileComment[] | undefined;
  const located = (path: Path) => (doc ? locateNode(doc, path) : undefined);
  const withPositions = {
    ...base,
    comments: () => (comments ??= collectComments(text, lineCounter.linePos)),
    locate: (path: Path) => {
      const hit = located(path);
      return hit?.node?.range ? offsetsToRange(lineCounter, hit.node.range[0], hit.node.range[1]) : undefined;
    },
    locateKey: (path: Path) => {
      const hit = located(path);
      const n = hit?.keyNode ?? hit?.node;
      return n?.range ? offsetsToRange(lineCounter, n.range[0], n.range[1]) : undefined;
    },
  };
  if (!doc) return { ...withPositions, data: undefined, errors: [topLevelNotMapping()] };
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const range = offsetsToRange(lineCounter, err.pos[0], err.pos[1]);
    const message = err.message.split('\n')[0];
    if (/call stack/i.test(message)) {
      return { ...withPositions, data: undefined, errors: [{ kind: 'limit', message: 'document nested too deeply to parse', dockerMessage: 'yaml: exceeded max depth of 10000', range }] };
    }
    return {
      ...withPositions,
      data: undefined,
      errors: [{ kind: 'yaml-syntax', message, dockerMessage: dockerSyntaxMessage(err.code, range.start.line, message), range }],
    };
  }
  const dec: Decoder = {
    doc, lineCounter, file,
    anchors: new Map(), aliasCache: new Map(), decoding: new Set(), expandedSize: new Map(), expandedBytes: new Map(),
    budget: LOAD_LIMITS.maxExpandedNodes, byteBudget: LOAD_LIMITS.maxExpandedBytes, duplicateErrors: [],
  };
  let data: YamlValue;
  try {
    data = decode(dec, doc.contents as YamlNode, 0);
  } catch (err) {
    if (err instanceof LoadFailure) return { ...withPositions, data: undefined, errors: [err.loadError] };
    if (err instanceof RangeError) {
      return { ...withPositions, data: undefined, errors: [{ kind: 'limit', message: 'document nested too deeply', dockerMessage: 'yaml: exceeded max depth of 10000' }] };
    }
    throw err;
  }
  if (dec.duplicateErrors.length > 0) {
    const dockerMessage = `yaml: unmarshal errors:\n  ${dec.duplicateErrors.join('\n  ')}`;
    return {
      ...withPositions,
      data: undefined,
      errors: [{ kind: 'duplicate-key', message: `duplicate mapping key: ${dec.duplicateErrors[0]}`, dockerMessage, range: dec.firstDuplicate }],
    };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data) || data instanceof NonStringKeyMap) {
    return { ...withPositions, data: undefined, errors: [topLevelNotMapping(rangeOf(dec, doc.contents as YamlNode))] };
  }
  let tags: FileTag[] | undefined;
  return { ...withPositions, data, errors: [], tags: () => (tags ??= collectTags(doc, text, lineCounter)) };
}

/** The tags yaml.v3 leaves unresolved, walking the document as written (aliases are not followed). */
function collectTags(doc: Document.Parsed, text: string, lineCounter: LineCounter): FileTag[] {
  const out: FileTag[] = [];
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const visit = (node: YamlNode | null | undefined, path: PathSeg[]) => {
    if (!node || isAlias(node)) return;
    const tag = node.tag;
    if (isLocalTag(tag) && node.range) {
      // The node's range starts after its tag (and anchor): find the tag as written just before it.
      const valueStart = node.range[0] + shift;
      const at = text.lastIndexOf(tag, valueStart);
      const start = at >= 0 && valueStart - at < 256 ? at - shift : node.range[0];
      const range = offsetsToRange(lineCounter, start, start + tag.length);
      if (isScalar(node)) out.push({ tag, path: [...path], kind: 'scalar', range, text: scalarText(node) });
      else if (isMap(node)) out.push({ tag, path: [...path], kind: 'mapping', range, empty: node.items.length === 0 });
      else if (isSeq(node)) out.push({ tag, path: [...path], kind: 'sequence', range, empty: node.items.length === 0 });
    }
    if (isSeq(node)) node.items.forEach((item, i) => visit(item as YamlNode, [...path, i]));
    else if (isMap(node)) {
      for (const pair of node.items as Pair[]) {
        const key = pair.key as YamlNode | null;
        if (!key || !isScalar(key)) continue;
        visit(pair.value as YamlNode, [...path, scalarText(key)]);
      }
    }
  };
  visit(doc.contents as YamlNode, []);
  return out;
}

function topLevelNotMapping(range?: SourceRange): LoadError {
  return {
    kind: 'not-a-mapping',
    message: 'the top level of a compose file must be a mapping (version:, services:, …)',
    dockerMessage: 'top-level object must be a mapping',
    range,
  };
}

function failed(base: Omit<FileDoc, 'data' | 'errors' | 'locate' | 'locateKey' | 'comments'>, error: LoadError): FileDoc {
  return { ...base, data: undefined, errors: [error], comments: () => [], locate: () => undefined, locateKey: () => undefined };
}

/**
 * The `yaml` package's parseAllDocuments, with a nesting limit checked between its iterative parser and its
 * recursive composer, so deep input is refused instead of overflowing the stack (which V8 does not always
 * report as a catchable error). `schema` defaults to failsafe: plain scalars stay strings.
 */
export function composeYamlDocuments(
  text: string,
  lineCounter: LineCounter,
  maxDepth: number,
  options: { uniqueKeys: boolean; schema?: 'failsafe' | 'core'; strict?: boolean },
): { docs: Document.Parsed[] } | { tooDeepAt: number } {
  const tokens = Array.from(new Parser(lineCounter.addNewLine).parse(text));
  const tooDeepAt = firstTooDeep(tokens, maxDepth);
  if (tooDeepAt !== undefined) return { tooDeepAt };
  const composer = new Composer({ schema: options.schema ?? 'failsafe', uniqueKeys: options.uniqueKeys, merge: false, strict: options.strict ?? false, keepSourceTokens: false });
  return { docs: Array.from(composer.compose(tokens)) as Document.Parsed[] };
}

/** Offset of the first collection nested deeper than `limit` in the syntax tree (walked without recursion). */
function firstTooDeep(tokens: CST.Token[], limit: number): number | undefined {
  const stack: Array<[CST.Token | null | undefined, number]> = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (!token) continue;
    switch (token.type) {
      case 'document':
        stack.push([token.value, depth]);
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection':
        if (depth + 1 > limit) return token.offset;
        for (const item of token.items) {
          if ('key' in item) stack.push([item.key, depth + 1]);
          stack.push([item.value, depth + 1]);
        }
        break;
      default:
        break;
    }
  }
  return undefined;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Finds the node for a logical path, following aliases and merge keys like the decoder does. */
function locateNode(doc: Document.Parsed, path: Path): Located | undefined {
  let current: Located = { node: doc.contents as YamlNode };
  for (const seg of path) {
    const node = resolveAliasNode(doc, current.node);
    if (!node) return undefined;
    if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as YamlNode | undefined;
      if (!item) return undefined;
      current = { node: item };
    } else if (isMap(node)) {
      const found = findPair(doc, node.items as Pair[], String(seg));
      if (!found) return undefined;
      current = { node: found.value as YamlNode, keyNode: found.key as YamlNode };
    } else {
      return undefined;
    }
  }
  return current;
}

/** Per mapping, the last pair of each scalar key text: a look-up per key of a big mapping stays linear overall. */
const lastPairIndex = new WeakMap<Pair[], Map<string, Pair>>();

function findPair(doc: Document.Parsed, pairs: Pair[], key: string): Pair | undefined {
  let index = lastPairIndex.get(pairs);
  if (!index) {
    index = new Map();
    for (const pair of pairs) if (isScalar(pair.key)) index.set(scalarText(pair.key), pair);
    lastPairIndex.set(pairs, index);
  }
  const last = index.get(key);
  if (last) return last;
  if (!index.has('<<')) return undefined;
  for (const pair of pairs) {
    if (!isScalar(pair.key) || scalarText(pair.key) !== '<<') continue;
    const sources = isSeq(pair.value) ? (pair.value.items as YamlNode[]) : [pair.value as YamlNode];
    for (const src of sources) {
      const map = resolveAliasNode(doc, src);
      if (map && isMap(map)) {
        const hit = findPair(doc, map.items as Pair[], key);
        if (hit) return hit;
      }
    }
  }
  return undefined;
}

/** Per document, each anchor's nodes in document order (an alias names the last one before it). */
const anchorIndexes = new WeakMap<Document.Parsed, Map<string, YamlNode[]>>();

function anchorIndex(doc: Document.Parsed): Map<string, YamlNode[]> {
  let index = anchorIndexes.get(doc);
  if (index) return index;
  index = new Map();
  // The `yaml` package's Alias.resolve walks the whole document per alias: quadratic in aliases. One walk here.
  const stack: unknown[] = [doc.contents];
  const found: YamlNode[] = [];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node || typeof node !== 'object') continue;
    if (isScalar(node) || isMap(node) || isSeq(node)) {
      if (node.anchor) found.push(node as YamlNode);
      if (isMap(node)) for (const pair of node.items) stack.push(pair.key, pair.value);
      if (isSeq(node)) for (const item of node.items) stack.push(item);
    }
  }
  found.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
  for (const node of found) {
    const list = index.get(node.anchor!);
    if (list) list.push(node);
    else index.set(node.anchor!, [node]);
  }
  anchorIndexes.set(doc, index);
  return index;
}

function resolveAliasNode(doc: Document.Parsed, node: YamlNode | null | undefined): YamlNode | undefined {
  if (!node) return undefined;
  if (isAlias(node)) {
    const candidates = anchorIndex(doc).get(node.source);
    const at = node.range?.[0] ?? Infinity;
    // The last anchor of that name that starts before the alias (binary search: anchors are in order).
    let low = 0;
    let high = (candidates?.length ?? 0) - 1;
    let hit: YamlNode | undefined;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if ((candidates![mid].range?.[0] ?? 0) < at) {
        hit = candidates![mid];
        low = mid + 1;
      } else high = mid - 1;
    }
    return hit;
  }
  return node;
}

/** Comments by line, found from the source text (outside quoted scalars, via the line counter). */
function collectComments(text: string, linePos: (offset: number) => { line: number; col: number }): FileComment[] {
  const out: FileComment[] = [];
  const re = /(^|[ \t])#(.*)$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const offset = m.index + m[1].length;
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const before = text.slice(lineStart, offset);
    if (insideQuotes(before)) continue;
    const pos = linePos(offset);
    out.push({ line: pos.line, column: pos.col, text: m[2].replace(/\r$/, '') });
  }
  return out;
}

function insideQuotes(prefix: string): boolean {
  let single = false;
  let double = false;
  for (let i = 0; i < prefix.length; i++) {
    const c = prefix[i];
    if (c === "'" && !double) single = !single;
    else if (c === '"' && !single && prefix[i - 1] !== '\\') double = !double;
  }
  return single || double;
}

