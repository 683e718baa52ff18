// A config value with the source position of every node, whatever format it was written in, so one
// validator can point at the offending line in YAML, JSON and TypeScript alike.
import { isAlias, isMap, isScalar, isSeq, LineCounter } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { jsonSyntaxProblem } from '../load/excerpt.js';
import { composeYamlDocuments } from '../load/yaml.js';
import { ConfigError } from './types.js';

export interface Pos {
  line: number;
  column: number;
}

export type Scalar = string | number | boolean | null;

export type Located =
  | { kind: 'object'; pos: Pos; entries: LocatedEntry[] }
  | { kind: 'array'; pos: Pos; items: Located[] }
  | { kind: 'scalar'; pos: Pos; value: Scalar };

export interface LocatedEntry {
  key: string;
  keyPos: Pos;
  value: Located;
}

/** Plain JS value of a located tree (objects built without a prototype chain to pollute). */
export function toPlain(node: Located): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'array') return node.items.map(toPlain);
  return Object.fromEntries(node.entries.map((e) => [e.key, toPlain(e.value)]));
}

const MAX_DEPTH = 100;

/** Parses YAML config text; an empty document is an empty object. */
export function locateYaml(text: string, file: string): Located {
  const lineCounter = new LineCounter();
  // Duplicate keys are found below with a set per mapping: the `yaml` package's own check compares each key
  // with every earlier one, quadratic in a mapping's size.
  const parsed = composeYamlDocuments(text, lineCounter, MAX_DEPTH + 1, { uniqueKeys: false, schema: 'core', strict: true });
  if ('tooDeepAt' in parsed) throw at(file, lineCounter, parsed.tooDeepAt, 'nested too deeply');
  const list = parsed.docs;
  if (list.length > 1) throw at(file, lineCounter, list[1].range[0], 'a config file holds one YAML document');
  const doc = list[0];
  if (!doc) return { kind: 'object', pos: { line: 1, column: 1 }, entries: [] };
  const problem = doc.errors[0];
  if (problem) throw at(file, lineCounter, problem.pos[0], problem.message.split('\n')[0]);
  if (doc.contents === null) return { kind: 'object', pos: { line: 1, column: 1 }, entries: [] };
  return fromYamlNode(doc.contents as YamlNode, file, lineCounter, 0);
}

/** JSON config: must be strict JSON; positions come from the YAML parser (JSON is YAML 1.2). */
export function locateJson(text: string, file: string): Located {
  const located = locateYaml(text, file); // throws with a position for most JSON syntax errors too
  try {
    JSON.parse(text);
  } catch (e) {
    const p = jsonSyntaxProblem(text, e);
    throw ConfigError.at(file, `not valid JSON: ${p.message}`, p.line ?? 1, p.column ?? 1);
  }
  return located;
}

function fromYamlNode(node: YamlNode, file: string, lc: LineCounter, depth: number): Located {
  const pos = posOf(lc, node.range?.[0] ?? 0);
  if (depth > MAX_DEPTH) throw ConfigError.at(file, 'nested too deeply', pos.line, pos.column);
  if (isAlias(node)) throw ConfigError.at(file, 'YAML aliases (*name) are not supported in stacklint config', pos.line, pos.column);
  if (isScalar(node)) return { kind: 'scalar', pos, value: scalarValue(node.value, file, pos) };
  if (isSeq(node)) {
    return { kind: 'array', pos, items: node.items.map((item) => fromYamlNode(item as YamlNode, file, lc, depth + 1)) };
  }
  if (isMap(node)) {
    const entries: LocatedEntry[] = [];
    const seen = new Set<string>();
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const keyPos = keyNode ? posOf(lc, keyNode.range?.[0] ?? 0) : pos;
      if (!keyNode || !isScalar(keyNode) || typeof keyNode.value !== 'string') {
        throw ConfigError.at(file, 'keys must be strings', keyPos.line, keyPos.column);
      }
      if (seen.has(keyNode.value)) throw ConfigError.at(file, 'Map keys must be unique', keyPos.line, keyPos.column);
      seen.add(keyNode.value);
      const value: Located = pair.value
        ? fromYamlNode(pair.value as YamlNode, file, lc, depth + 1)
        : { kind: 'scalar', pos: keyPos, value: null };
      entries.push({ key: keyNode.value, keyPos, value });
    }
    return { kind: 'object', pos, entries };
  }
  throw ConfigError.at(file, 'unsupported YAML node', pos.line, pos.column);
}

function scalarValue(value: unknown, file: string, pos: Pos): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  throw ConfigError.at(file, `unsupported value ${String(value)}`, pos.line, pos.column);
}

function posOf(lc: LineCounter, offset: number): Pos {
  const p = lc.linePos(offset);
  return { line: p.line, column: p.col };
}

function at(file: string, lc: LineCounter, offset: number, message: string): ConfigError {
  const p = posOf(lc, offset);
  return ConfigError.at(file, message, p.line, p.column);
}
