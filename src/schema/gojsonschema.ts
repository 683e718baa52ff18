// A re-implementation of the parts of xeipuuv/gojsonschema v1.2.0 that docker's compose schemas
// use, with its error order, contexts, English descriptions and "score" (which picks the oneOf
// branch whose errors are reported). docker prints one of these errors (see docker-error.ts), so
// the list must come out as gojsonschema builds it. Used only for files that fail validation.
import type { PathSeg } from '../load/types.js';
import { pushAll } from '../load/collections.js';

/** Go's string order (UTF-8 bytes, i.e. code points). */
function compareCodePoints(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

/** A JSON-schema node as parsed from the schema file. */
export type SchemaNode = { [keyword: string]: unknown };

/** A validated value: JSON-like data (bigint allowed for large integers). */
export type JsonLike = string | number | bigint | boolean | null | JsonLike[] | { [key: string]: JsonLike };

export interface OneOfInfo {
  /** Number of branch errors merged right after this error (the "best" branch's errors). */
  merged: number;
  /** Whether every branch rejected the value by its type alone. */
  allTypeMismatch: boolean;
  /** The types the branches accept, in order (when known). */
  types: string[];
}

export interface GoSchemaError {
  /** gojsonschema's error type: invalid_type, required, additional_property_not_allowed, … */
  type: string;
  /** Path of the context the error is attached to (gojsonschema's `(root).a.0.b`, as segments). */
  path: PathSeg[];
  /** gojsonschema's English description. */
  description: string;
  details: Record<string, unknown>;
  oneOf?: OneOfInfo;
}

/** gojsonschema's Field(): the context without `(root).`, or `(root)` itself. */
export function errorField(error: GoSchemaError): string {
  return error.path.length === 0 ? '(root)' : error.path.join('.');
}

class Result {
  errors: GoSchemaError[] = [];
  score = 0;

  get valid(): boolean {
    return this.errors.length === 0;
  }

  add(type: string, path: PathSeg[], description: string, details: Record<string, unknown> = {}): GoSchemaError {
    const error: GoSchemaError = { type, path, description, details };
    this.errors.push(error);
    this.score -= 2; // a net -1 with the +1 every validation step adds
    return error;
  }

  merge(other: Result): void {
    pushAll(this.errors, other.errors);
    this.score += other.score;
  }
}

const DESCRIPTIONS = {
  oneOf: 'Must validate one and only one schema (oneOf)',
  anyOf: 'Must validate at least one schema (anyOf)',
  allOf: 'Must validate all the schemas (allOf)',
  not: 'Must not validate the schema (not)',
};

function typesOf(schema: SchemaNode): string[] {
  const t = schema.type;
  if (typeof t === 'string') return [t];
  return Array.isArray(t) ? (t as string[]) : [];
}

/** gojsonschema's jsonSchemaType.String(). */
export function typeString(types: string[]): string {
  return types.length === 1 ? types[0] : `[${types.join(',')}]`;
}

function isPlainObject(v: unknown): v is { [key: string]: JsonLike } {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** JSON text as gojsonschema compares values (numbers through float64, map keys sorted). */
export function canonicalJson(v: unknown): string {
  if (typeof v === 'bigint') return JSON.stringify(Number(v));
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isPlainObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Go regexp (RE2) semantics for the schema patterns: `.` matches everything but `\n`. */
export function goPatternToJs(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      out += c + (pattern[i + 1] ?? '');
      i++;
    } else if (inClass) {
      out += c;
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else out += c === '.' ? '[^\\n]' : c;
  }
  return out;
}

export class GoJsonSchema {
  private readonly regexps = new Map<string, RegExp>();

  constructor(
    private readonly root: SchemaNode,
    private readonly formats: Record<string, (value: unknown) => boolean>,
  ) {}

  /** Every error gojsonschema reports for `document`, in its order. */
  validate(document: JsonLike): GoSchemaError[] {
    const result = new Result();
    this.validateRecursive(this.root, document, result, []);
    return result.errors;
  }

  private resolveRef(ref: string): SchemaNode {
    let node: unknown = this.root;
    for (const part of ref.replace(/^#\/?/, '').split('/').filter(Boolean)) {
      node = (node as SchemaNode)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return (node ?? {}) as SchemaNode;
  }

  private regexp(pattern: string): RegExp {
    let re = this.regexps.get(pattern);
    if (!re) {
      // Patterns come from docker's schemas shipped with stacklint (^x-, ^[a-zA-Z0-9._-]+$, …), never from a recipe.
      // eslint-disable-next-line stacklint/static-regexp
      re = new RegExp(goPatternToJs(pattern), 'u');
      this.regexps.set(pattern, re);
    }
    return re;
  }

  private subValidate(schema: SchemaNode, node: JsonLike, path: PathSeg[]): Result {
    const result = new Result();
    this.validateRecursive(schema, node, result, path);
    return result;
  }

  private typeMismatch(schema: SchemaNode, node: JsonLike, result: Result, path: PathSeg[], given: string): boolean {
    const types = typesOf(schema);
    if (types.length === 0 || types.includes(given)) return false;
    if (given === 'integer' && types.includes('number')) return false;
    const expected = typeString(types);
    result.add('invalid_type', path, `Invalid type. Expected: ${expected}, given: ${given}`, { expected, given });
    return true;
  }

  private validateRecursive(schema: SchemaNode, node: JsonLike, result: Result, path: PathSeg[]): void {
    if (typeof schema.$ref === 'string') {
      this.validateRecursive(this.resolveRef(schema.$ref), node, result, path);
      return;
    }
    if (node === null) {
      if (this.typeMismatch(schema, node, result, path, 'null')) return;
      this.validateSchema(schema, node, result, path);
      this.validateCommon(schema, node, result, path);
    } else if (typeof node === 'number' || typeof node === 'bigint') {
      const isInt = typeof node === 'bigint' || Number.isInteger(node);
      if (this.typeMismatch(schema, node, result, path, isInt ? 'integer' : 'number')) return;
      this.validateSchema(schema, node, result, path);
      this.validateNumber(schema, node, result, path);
      this.validateCommon(schema, node, result, path);
    } else if (Array.isArray(node)) {
      if (this.typeMismatch(schema, node, result, path, 'array')) return;
      this.validateSchema(schema, node, result, path);
      this.validateArray(schema, node, result, path);
      this.validateCommon(schema, node, result, path);
    } else if (typeof node === 'object') {
      if (this.typeMismatch(schema, node, result, path, 'object')) return;
      this.validateSchema(schema, node, result, path);
      this.validateObject(schema, node, result, path);
      this.validateCommon(schema, node, result, path);
      this.validateProperties(schema, node, result, path);
    } else {
      const given = typeof node === 'boolean' ? 'boolean' : 'string';
      if (this.typeMismatch(schema, node, result, path, given)) return;
      this.validateSchema(schema, node, result, path);
      this.validateCommon(schema, node, result, path);
      if (typeof node === 'string') this.validateString(schema, node, result, path);
    }
    result.score++;
  }

  private validateProperties(schema: SchemaNode, node: { [key: string]: JsonLike }, result: Result, path: PathSeg[]): void {
    const properties = (schema.properties ?? {}) as Record<string, SchemaNode>;
    for (const name of Object.keys(properties)) {
      if (Object.hasOwn(node, name)) this.validateRecursive(properties[name], node[name], result, [...path, name]);
    }
  }

  private validateSchema(schema: SchemaNode, node: JsonLike, result: Result, path: PathSeg[]): void {
    if (Array.isArray(schema.anyOf)) this.validateAnyOf(schema.anyOf as SchemaNode[], node, result, path);
    if (Array.isArray(schema.oneOf)) this.validateOneOf(schema.oneOf as SchemaNode[], node, result, path);
    if (Array.isArray(schema.allOf)) {
      let passed = 0;
      for (const sub of schema.allOf as SchemaNode[]) {
        const r = this.subValidate(sub, node, path);
        if (r.valid) passed++;
        result.merge(r);
      }
      if (passed !== schema.allOf.length) result.add('number_all_of', path, DESCRIPTIONS.allOf);
    }
    if (isPlainObject(schema.not) && this.subValidate(schema.not as SchemaNode, node, path).valid) {
      result.add('number_not', path, DESCRIPTIONS.not);
    }
    result.score++;
  }

  private validateAnyOf(branches: SchemaNode[], node: JsonLike, result: Result, path: PathSeg[]): void {
    let best: Result | undefined;
    for (const branch of branches) {
      const r = this.subValidate(branch, node, path);
      if (r.valid) return;
      if (!best || r.score > best.score) best = r;
    }
    const error = result.add('number_any_of', path, DESCRIPTIONS.anyOf);
    error.oneOf = this.alternativesInfo(branches, node, best);
    if (best) result.merge(best);
  }

  private validateOneOf(branches: SchemaNode[], node: JsonLike, result: Result, path: PathSeg[]): void {
    let passed = 0;
    let best: Result | undefined;
    for (const branch of branches) {
      const r = this.subValidate(branch, node, path);
      if (r.valid) passed++;
      else if (passed === 0 && (!best || r.score > best.score)) best = r;
    }
    if (passed === 1) return;
    const error = result.add('number_one_of', path, DESCRIPTIONS.oneOf);
    error.oneOf = this.alternativesInfo(branches, node, passed === 0 ? best : undefined);
    if (passed === 0 && best) result.merge(best);
  }

  private alternativesInfo(branches: SchemaNode[], node: JsonLike, best: Result | undefined): OneOfInfo {
    const resolved = branches.map((b) => (typeof b.$ref === 'string' ? this.resolveRef(b.$ref) : b));
    const types = resolved.flatMap(typesOf);
    const allTypeMismatch = resolved.every((b) => this.rejectsByType(b, node));
    return { merged: best ? best.errors.length : 0, allTypeMismatch, types };
  }

  private rejectsByType(schema: SchemaNode, node: JsonLike): boolean {
    const r = new Result();
    return this.typeMismatch(schema, node, r, [], givenType(node));
  }

  private validateCommon(schema: SchemaNode, node: JsonLike, result: Result, path: PathSeg[]): void {
    if (Array.isArray(schema.enum) && schema.enum.length > 0) {
      const allowed = schema.enum.map(canonicalJson);
      if (!allowed.includes(canonicalJson(node))) {
        const field = path.length === 0 ? '(root)' : path.join('.');
        const list = allowed.join(', ');
        result.add('enum', path, `${field} must be one of the following: ${list}`, { allowed: list, field });
      }
    }
    result.score++;
  }

  private validateArray(schema: SchemaNode, node: JsonLike[], result: Result, path: PathSeg[]): void {
    const items = schema.items;
    if (isPlainObject(items)) {
      node.forEach((item, i) => result.merge(this.subValidate(items as SchemaNode, item, [...path, i])));
    } else if (Array.isArray(items)) {
      const tuple = items as SchemaNode[];
      for (let i = 0; i < tuple.length && i < node.length; i++) result.merge(this.subValidate(tuple[i], node[i], [...path, i]));
      if (tuple.length < node.length && schema.additionalItems === false) {
        result.add('array_no_additional_items', path, 'No additional items allowed on array');
      } else if (tuple.length < node.length && isPlainObject(schema.additionalItems)) {
        for (let i = tuple.length; i < node.length; i++) {
          result.merge(this.subValidate(schema.additionalItems as SchemaNode, node[i], [...path, i]));
        }
      }
    }
    if (typeof schema.minItems === 'number' && node.length < schema.minItems) {
      result.add('array_min_items', path, `Array must have at least ${schema.minItems} items`, { min: schema.minItems });
    }
    if (typeof schema.maxItems === 'number' && node.length > schema.maxItems) {
      result.add('array_max_items', path, `Array must have at most ${schema.maxItems} items`, { max: schema.maxItems });
    }
    if (schema.uniqueItems === true) this.validateUnique(node, result, path);
    result.score++;
  }

  private validateUnique(node: JsonLike[], result: Result, path: PathSeg[]): void {
    const seen = new Map<string, number>();
    node.forEach((item, j) => {
      const key = canonicalJson(item);
      const i = seen.get(key);
      if (i !== undefined) {
        result.add('unique', path, `array items[${i},${j}] must be unique`, { type: 'array', i, j });
      }
      seen.set(key, j);
    });
  }

  private validateObject(schema: SchemaNode, node: { [key: string]: JsonLike }, result: Result, path: PathSeg[]): void {
    // gojsonschema ranges over a Go map, whose order changes from run to run. For up to 8 keys (one bucket)
    // docker's map holds them sorted and each run starts at a random slot of 8, wrapping: the first key in
    // sorted order comes first most often (5 runs in 8 for 6 keys), so its error is the one docker prints most.
    const keys = Object.keys(node).sort(compareCodePoints);
    if (typeof schema.minProperties === 'number' && keys.length < schema.minProperties) {
      result.add('array_min_properties', path, `Must have at least ${schema.minProperties} properties`, { min: schema.minProperties });
    }
    if (typeof schema.maxProperties === 'number' && keys.length > schema.maxProperties) {
      result.add('array_max_properties', path, `Must have at most ${schema.maxProperties} properties`, { max: schema.maxProperties });
    }
    for (const property of (schema.required ?? []) as string[]) {
      if (Object.hasOwn(node, property)) result.score++;
      else result.add('required', path, `${property} is required`, { property });
    }
    const properties = (schema.properties ?? {}) as Record<string, SchemaNode>;
    const additional = schema.additionalProperties;
    // gojsonschema only looks at patternProperties when additionalProperties is false, a schema or absent.
    if (additional === true) {
      result.score++;
      return;
    }
    for (const key of keys) {
      const matched = this.validatePatternProperties(schema, key, node[key], result, path);
      if (Object.hasOwn(properties, key) || matched) continue;
      if (additional === false) {
        result.add('additional_property_not_allowed', path, `Additional property ${key} is not allowed`, { property: key, patterns: Object.keys(schema.patternProperties ?? {}) });
      } else if (isPlainObject(additional)) {
        result.merge(this.subValidate(additional as SchemaNode, node[key], path)); // sic: the object's context
      }
    }
    result.score++;
  }

  /** Validates `value` against every pattern its key matches; whether any matched. */
  private validatePatternProperties(schema: SchemaNode, key: string, value: JsonLike, result: Result, path: PathSeg[]): boolean {
    const patterns = (schema.patternProperties ?? {}) as Record<string, SchemaNode>;
    let matched = false;
    for (const pattern of Object.keys(patterns)) {
      if (!this.regexp(pattern).test(key)) continue;
      matched = true;
      result.merge(this.subValidate(patterns[pattern], value, [...path, key]));
    }
    if (matched) result.score++;
    return matched;
  }

  private validateString(schema: SchemaNode, node: string, result: Result, path: PathSeg[]): void {
    const length = [...node].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) {
      result.add('string_gte', path, `String length must be greater than or equal to ${schema.minLength}`, { min: schema.minLength });
    }
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) {
      result.add('string_lte', path, `String length must be less than or equal to ${schema.maxLength}`, { max: schema.maxLength });
    }
    if (typeof schema.pattern === 'string' && !this.regexp(schema.pattern).test(node)) {
      result.add('pattern', path, `Does not match pattern '${schema.pattern}'`, { pattern: schema.pattern });
    }
    this.validateFormat(schema, node, result, path);
    result.score++;
  }

  private validateNumber(schema: SchemaNode, node: number | bigint, result: Result, path: PathSeg[]): void {
    const n = Number(node);
    if (typeof schema.multipleOf === 'number' && !Number.isInteger(n / schema.multipleOf)) {
      result.add('multiple_of', path, `Must be a multiple of ${schema.multipleOf}`, { multiple: schema.multipleOf });
    }
    if (typeof schema.maximum === 'number') {
      const max = schema.maximum;
      if (schema.exclusiveMaximum === true ? n >= max : n > max) {
        const [type, word] = schema.exclusiveMaximum === true ? ['number_lt', 'less than'] : ['number_lte', 'less than or equal to'];
        result.add(type, path, `Must be ${word} ${max}`, { max });
      }
    }
    if (typeof schema.minimum === 'number') {
      const min = schema.minimum;
      if (schema.exclusiveMinimum === true ? n <= min : n < min) {
        const [type, word] = schema.exclusiveMinimum === true ? ['number_gt', 'greater than'] : ['number_gte', 'greater than or equal to'];
        result.add(type, path, `Must be ${word} ${min}`, { min });
      }
    }
    this.validateFormat(schema, node, result, path);
    result.score++;
  }

  private validateFormat(schema: SchemaNode, node: JsonLike, result: Result, path: PathSeg[]): void {
    const format = schema.format;
    if (typeof format !== 'string') return;
    const check = this.formats[format];
    if (check && !check(node)) result.add('format', path, `Does not match format '${format}'`, { format, value: node });
  }
}

function givenType(node: JsonLike): string {
  if (node === null) return 'null';
  if (typeof node === 'bigint') return 'integer';
  if (typeof node === 'number') return Number.isInteger(node) ? 'integer' : 'number';
  if (Array.isArray(node)) return 'array';
  return typeof node === 'object' ? 'object' : typeof node;
}
