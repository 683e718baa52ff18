// gojsonschema's Go loader json.Marshal-s the data before validating it, and docker prints that
// error as is. Two things in decoded YAML cannot be marshalled: a mapping with a non-string key
// and a NaN/±Inf float. This also builds the plain copy the validators see.
import { NonStringKeyMap } from '../load/types.js';
import type { Path, PathSeg, YamlValue } from '../load/types.js';
import type { JsonLike } from './gojsonschema.js';
import { goFormatValue } from './version.js';

export interface MarshalIssue {
  path: Path;
  kind: 'non-string-key' | 'non-finite-number';
  /** What encoding/json says about this value. */
  dockerMessage: string;
}

const NON_STRING_KEY_MESSAGE = 'json: unsupported type: map[interface {}]interface {}';

function nonFiniteMessage(n: number): string {
  return `json: unsupported value: ${Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf'}`;
}

/** Go compares strings by UTF-8 bytes, which is code-point order (not UTF-16 order). */
function compareGoStrings(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < x.length && i < y.length; i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** Order in which encoding/json meets values: map keys sorted, list items in order. */
function compareMarshalOrder(a: Path, b: Path): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const [p, q] = [a[i], b[i]];
    const d = typeof p === 'number' && typeof q === 'number' ? p - q : compareGoStrings(String(p), String(q));
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

function defineOwn(target: { [key: string]: JsonLike }, key: string, value: JsonLike): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

class Sanitizer {
  readonly issues: MarshalIssue[] = [];

  copy(value: YamlValue, path: PathSeg[]): JsonLike {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      this.issues.push({ path, kind: 'non-finite-number', dockerMessage: nonFiniteMessage(value) });
      return 0;
    }
    // Validators compare numbers as float64 anyway; a bigint stays an integer as a Number.
    if (typeof value === 'bigint') return Number(value);
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map((item, i) => this.copy(item, [...path, i]));
    const out: { [key: string]: JsonLike } = {};
    if (value instanceof NonStringKeyMap) {
      this.issues.push({ path, kind: 'non-string-key', dockerMessage: NON_STRING_KEY_MESSAGE });
      for (const [key, item] of value.entries) defineOwn(out, goFormatValue(key), this.copy(item, [...path, goFormatValue(key)]));
      return out;
    }
    for (const key of Object.keys(value)) defineOwn(out, key, this.copy(value[key], [...path, key]));
    return out;
  }
}

function needsCopy(value: YamlValue): boolean {
  if (typeof value === 'number') return !Number.isFinite(value);
  if (typeof value === 'bigint') return true;
  if (value === null || typeof value !== 'object') return false;
  if (value instanceof NonStringKeyMap) return true;
  if (Array.isArray(value)) return value.some(needsCopy);
  return Object.keys(value).some((k) => needsCopy(value[k]));
}

export interface Marshalled {
  /** The data as the validators see it (non-string keys printed with %v, NaN/Inf as 0, bigints as numbers). */
  value: JsonLike;
  /** Every unmarshallable value, in document order. */
  issues: MarshalIssue[];
  /** The error docker prints: the first such value in encoding/json's (sorted-key) order. */
  dockerMessage?: string;
}

export function marshalForValidation(data: YamlValue): Marshalled {
  if (!needsCopy(data)) return { value: data as JsonLike, issues: [] };
  const sanitizer = new Sanitizer();
  const value = sanitizer.copy(data, []);
  const issues = sanitizer.issues;
  const first = [...issues].sort((a, b) => compareMarshalOrder(a.path, b.path))[0];
  return { value, issues, dockerMessage: first?.dockerMessage };
}
