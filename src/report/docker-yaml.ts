// Prints a merged config exactly as `docker stack config` does: docker's struct field order and
// omitempty rules, map keys in yaml.v3's order, yaml.v3's quoting, indent 2. With `provenance`, each
// line ends with `# file:line` of the value's origin (and `# replaced file:line` for what it overrode).
import type { FileDoc, Path } from '../load/types.js';
import { goFormatFloat } from '../merge/go.js';
import { DEFINITION_SECTIONS, DEFINITION_SPECS, SERVICE_SPEC } from '../merge/spec.js';
import type { StructSpec, TypeSpec } from '../merge/spec.js';
import type { ComposeConfig, ConfigObject, ConfigValue, Provenance } from '../merge/types.js';
import { compareYamlKeys, isSimpleKey, scalarStyle, writeScalar } from './docker-yaml-scalar.js';
import type { ScalarStyle } from './docker-yaml-scalar.js';
import { pushAll } from '../load/collections.js';

type YNode =
  | { kind: 'scalar'; text: string; style: ScalarStyle | 'raw'; path: Path }
  | { kind: 'map'; entries: Array<{ key: string; node: YNode }>; path: Path }
  | { kind: 'seq'; items: YNode[]; path: Path };

function isObject(v: unknown): v is ConfigObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stringNode(s: string, path: Path): YNode {
  return { kind: 'scalar', text: s, style: scalarStyle(s, false), path };
}

function rawNode(text: string, path: Path): YNode {
  return { kind: 'scalar', text, style: 'raw', path };
}

/** yaml.v3's float: strconv 'g' shortest, infinities and NaN spelled the YAML way. */
function yamlFloat(v: number, bits: 32 | 64): string {
  const s = goFormatFloat(v, bits);
  return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
}

function numberText(v: number | bigint): string {
  if (typeof v === 'bigint') return String(v);
  const integral = Number.isInteger(v) && !Object.is(v, -0) && Math.abs(v) < 2 ** 53;
  return integral ? String(v) : yamlFloat(v, 64);
}

/** An interface{} value (x- keys): as yaml.v3 marshals decoded YAML. */
function anyNode(value: ConfigValue, path: Path): YNode {
  if (value === null) return rawNode('null', path);
  if (typeof value === 'string') return stringNode(value, path);
  if (typeof value === 'boolean') return rawNode(String(value), path);
  if (typeof value === 'number' || typeof value === 'bigint') return rawNode(numberText(value), path);
  if (Array.isArray(value)) return { kind: 'seq', items: value.map((v, i) => anyNode(v, [...path, i])), path };
  return mapNode(value, path, (v, p) => anyNode(v, p));
}

function mapNode(obj: ConfigObject, path: Path, of: (v: ConfigValue, p: Path) => YNode): YNode {
  const keys = Object.keys(obj).sort(compareYamlKeys);
  return { kind: 'map', entries: keys.map((key) => ({ key, node: of(obj[key], [...path, key]) })), path };
}

/** yaml.v3's omitempty: zero scalars, empty lists and maps, structs whose fields are all zero; never a set pointer. */
function isZero(spec: TypeSpec, value: ConfigValue | undefined): boolean {
  if (value === undefined) return true;
  switch (spec.kind) {
    case 'scalar':
      return !spec.pointer && (value === '' || value === false || value === 0 || value === 0n || value === '0s');
    case 'list':
      return Array.isArray(value) && value.length === 0;
    case 'map':
      return isObject(value) && Object.keys(value).length === 0;
    case 'struct':
      if (spec.pointer) return value === null;
      return isObject(value) && Object.keys(value).every((k) => {
        const field = spec.fields.find(([n]) => n === k);
        return field ? isZero(field[1], value[k]) : false;
      });
    default:
      return false;
  }
}

function specNode(spec: TypeSpec, value: ConfigValue, path: Path): YNode {
  if (value === null) return rawNode('null', path);
  switch (spec.kind) {
    case 'scalar':
      switch (spec.type) {
        case 'string':
        case 'duration':
          return stringNode(String(value), path);
        case 'bytes':
          return stringNode(String(value), path); // UnitBytes marshals as "%d": a quoted number
        case 'bool':
          return rawNode(String(value), path);
        case 'float32':
          return rawNode(yamlFloat(Number(value), 32), path);
        default:
          return rawNode(numberText(value as number | bigint), path);
      }
    case 'list':
      return { kind: 'seq', items: (value as ConfigValue[]).map((v, i) => specNode(spec.of, v, [...path, i])), path };
    case 'map':
      return mapNode(value as ConfigObject, path, (v, p) => specNode(spec.of, v, p));
    case 'struct':
      return structNode(spec, value as ConfigObject, path);
    case 'ulimit':
      return ulimitNode(value, path);
    default:
      return anyNode(value, path);
  }
}

function structNode(spec: StructSpec, obj: ConfigObject, path: Path): YNode {
  const entries: Array<{ key: string; node: YNode }> = [];
  for (const [name, fieldSpec] of spec.fields) {
    if (!Object.hasOwn(obj, name) || isZero(fieldSpec, obj[name])) continue;
    entries.push({ key: name, node: specNode(fieldSpec, obj[name], [...path, name]) });
  }
  const extensions = Object.keys(obj)
    .filter((k) => k.startsWith('x-') && !spec.fields.some(([n]) => n === k))
    .sort(compareYamlKeys);
  for (const key of extensions) entries.push({ key, node: anyNode(obj[key], [...path, key]) });
  return { kind: 'map', entries, path };
}

/** UlimitsConfig.MarshalYAML: the single value when set, else {soft, hard} without zeros. */
function ulimitNode(value: ConfigValue, path: Path): YNode {
  if (typeof value === 'number' || typeof value === 'bigint') {
    return value === 0 || value === 0n ? { kind: 'map', entries: [], path } : rawNode(String(value), path);
  }
  const obj = value as ConfigObject;
  const entries = ['soft', 'hard']
    .filter((k) => obj[k] !== undefined && obj[k] !== 0 && obj[k] !== 0n)
    .map((k) => ({ key: k, node: rawNode(String(obj[k]), [...path, k]) }));
  return { kind: 'map', entries, path };
}

/** The document: version, services, non-empty definition sections, then the first file's x- keys. */
function configNode(config: ComposeConfig): YNode {
  const entries: Array<{ key: string; node: YNode }> = [
    { key: 'version', node: stringNode(config.version, ['version']) },
    { key: 'services', node: mapNode(config.services, ['services'], (v, p) => structNode(SERVICE_SPEC, v as ConfigObject, p)) },
  ];
  for (const section of DEFINITION_SECTIONS) {
    const defs = config[section];
    if (!defs || Object.keys(defs).length === 0) continue;
    const spec = DEFINITION_SPECS[section];
    entries.push({ key: section, node: mapNode(defs, [section], (v, p) => structNode(spec, (v ?? {}) as ConfigObject, p)) });
  }
  const root = config as unknown as ConfigObject;
  for (const key of Object.keys(config).filter((k) => k.startsWith('x-')).sort(compareYamlKeys)) {
    entries.push({ key, node: anyNode(root[key], [key]) });
  }
  return { kind: 'map', entries, path: [] };
}

// ---------------------------------------------------------------------------------------------
// emitting

interface Line {
  text: string;
  /** The merged path the line shows, for provenance comments. */
  path?: Path;
  /** The emitter ended this line with a break other than \n (U+2028, U+2029): the next line follows directly. */
  joinNext?: boolean;
  /** The line ends a `|+` block: if nothing follows, yaml.v3 ends the stream with `...`. */
  openEnded?: boolean;
}

/**
 * A scalar written after `head` (the line so far: indentation and an indicator), split into output lines.
 * `indent` is the scalar's own indentation. A block scalar that ends with its own line break ends at column 0,
 * where yaml.v3's next write_indent starts no new line: that break is the line's end here.
 */
function scalarLines(node: Extract<YNode, { kind: 'scalar' }>, head: string, indent: number): Line[] {
  if (node.style === 'raw') return [{ text: `${head} ${node.text}`, path: node.path }];
  const written = writeScalar(node.text, Array.from(head).length, indent);
  const text = head + written.text;
  const parts = text.split('\n');
  if (text.endsWith('\n')) parts.pop();
  const lines: Line[] = parts.map((part) => ({ text: part }));
  lines[0].path = node.path;
  const last = lines[lines.length - 1];
  if (/[\u2028\u2029]$/.test(last.text) && written.style === 'literal') last.joinNext = true;
  if (written.openEnded) last.openEnded = true;
  return lines;
}

function isEmptyCollection(node: YNode): string | undefined {
  if (node.kind === 'map' && node.entries.length === 0) return '{}';
  if (node.kind === 'seq' && node.items.length === 0) return '[]';
  return undefined;
}

/** Lines of `node` after a `prefix` ("key:" or "-") at `indent`. */
function emitAfter(prefix: string, node: YNode, indent: number, lines: Line[]): void {
  const pad = ' '.repeat(indent);
  const empty = isEmptyCollection(node);
  if (empty) {
    lines.push({ text: `${pad}${prefix} ${empty}`, path: node.path });
    return;
  }
  if (node.kind === 'scalar') {
    lines.push(...scalarLines(node, `${pad}${prefix}`, indent + 2));
    return;
  }
  if (prefix === '-') {
    // A collection in a sequence item starts on the dash's line.
    const inner: Line[] = [];
    emitBlock(node, indent + 2, inner);
    inner[0] = { ...inner[0], text: `${pad}- ${inner[0].text.slice(indent + 2)}` };
    pushAll(lines, inner);
    return;
  }
  lines.push({ text: `${pad}${prefix}`, path: node.path });
  emitBlock(node, indent + 2, lines);
}

/** A simple key as yaml.v3 writes it at the start of its line (write_indent leaves `whitespace` set). */
function keyText(key: string, indent: number): string {
  return writeScalar(key, indent, indent + 2, true, true).text;
}

function emitBlock(node: YNode, indent: number, lines: Line[]): void {
  if (node.kind === 'seq') {
    for (const item of node.items) emitAfter('-', item, indent, lines);
    return;
  }
  if (node.kind === 'scalar') {
    lines.push(...scalarLines(node, ' '.repeat(indent), indent));
    return;
  }
  for (const { key, node: value } of node.entries) {
    if (isSimpleKey(key)) emitAfter(`${keyText(key, indent)}:`, value, indent, lines);
    else emitComplexKey(key, value, indent, lines);
  }
}

/** `? key` / `: value` for keys over 128 bytes or spanning lines. */
function emitComplexKey(key: string, value: YNode, indent: number, lines: Line[]): void {
  const keyNode = { kind: 'scalar' as const, text: key, style: scalarStyle(key, false), path: value.path };
  emitAfter('?', keyNode, indent, lines);
  emitAfter(':', value, indent, lines);
}

// ---------------------------------------------------------------------------------------------

export interface PrintOptions {
  /** Append `# file:line` (and `# replaced file:line`) to each line. */
  provenance?: boolean;
  /** The loaded files by name, to turn origins into line numbers. */
  docs?: ReadonlyMap<string, Pick<FileDoc, 'locate' | 'locateKey'>>;
}

export interface Printable {
  config: ComposeConfig;
  provenance?: Provenance;
}

function where(file: string, raw: Path, options: PrintOptions): string {
  const doc = options.docs?.get(file);
  const range = doc?.locateKey(raw) ?? doc?.locate(raw);
  return range ? `${file}:${range.start.line}` : file;
}

function provenanceComment(path: Path, provenance: Provenance, options: PrintOptions): string {
  const origin = provenance.origin(path);
  if (!origin) return '';
  let comment = `  # ${where(origin.file, origin.path, options)}`;
  for (const r of provenance.replaced(path)) comment += `  # replaced ${where(r.file, r.path, options)}`;
  return comment;
}

/** The YAML `docker stack config` prints for this merged config. */
export function printDockerYaml(merged: Printable, options: PrintOptions = {}): string {
  const lines: Line[] = [];
  emitBlock(configNode(merged.config), 0, lines);
  const provenance = options.provenance ? merged.provenance : undefined;
  let out = '';
  for (const line of lines) {
    out += provenance && line.path ? line.text + provenanceComment(line.path, provenance, options) : line.text;
    if (!line.joinNext) out += '\n';
  }
  // yaml_emitter_emit_document_start at STREAM-END: an open-ended last scalar (`|+`) gets a `...` line.
  if (lines[lines.length - 1]?.openEnded) out += '...\n';
  return out;
}
