// Schema problems in our own words, for the linter: one entry per problem, at the path to point at.
import type { Path, PathSeg } from '../load/types.js';
import type { ErrorObject } from './ajv.js';
import type { GoSchemaError, JsonLike } from './gojsonschema.js';
import type { MarshalIssue } from './json-marshal.js';

export interface SchemaViolation {
  /** Where to point: the offending value, or the offending key for an unknown property. */
  path: Path;
  /** The JSON-schema keyword that failed (type, additionalProperties, required, enum, format, uniqueItems, minimum, oneOf…), or version / nonStringKey / nonFiniteNumber. */
  keyword: string;
  message: string;
  params: Record<string, unknown>;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean',
  null: 'null',
};

function typeWord(type: string): string {
  return TYPE_WORDS[type] ?? type;
}

/** "a string, a number or null". */
export function typeList(types: readonly string[]): string {
  const words = [...new Set(types)].map(typeWord);
  return words.length <= 1 ? (words[0] ?? 'something else') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function expectedTypes(expected: unknown): string[] {
  if (typeof expected !== 'string') return [];
  return expected.startsWith('[') ? expected.slice(1, -1).split(',') : [expected];
}

function typeViolation(path: Path, types: string[], given: string): SchemaViolation {
  return { path, keyword: 'type', message: `must be ${typeList(types)}, not ${typeWord(given)}`, params: { types, given } };
}

function fromGoError(error: GoSchemaError): SchemaViolation {
  const { path, details } = error;
  switch (error.type) {
    case 'invalid_type':
      return typeViolation(path, expectedTypes(details.expected), String(details.given));
    case 'additional_property_not_allowed':
      return unknownKeyViolation(path, String(details.property), (details.patterns ?? []) as string[]);
    case 'required':
      return { path, keyword: 'required', message: `missing required key "${details.property}"`, params: { property: details.property } };
    case 'enum':
      return { path, keyword: 'enum', message: `must be one of ${details.allowed}`, params: { allowed: details.allowed } };
    case 'format':
      return formatViolation(path, String(details.format), details.value);
    case 'unique': {
      const [i, j] = [details.i as number, details.j as number];
      return { path: [...path, j], keyword: 'uniqueItems', message: `duplicate entry: the same as entry ${i}`, params: { i, j } };
    }
    case 'number_gte':
      return { path, keyword: 'minimum', message: `must be at least ${details.min}`, params: { min: details.min } };
    default:
      return { path, keyword: error.type, message: error.description, params: details };
  }
}

const NAME_PATTERN = '^[a-zA-Z0-9._-]+$';

function unknownKeyViolation(path: Path, property: string, patterns: string[]): SchemaViolation {
  let message = `"${property}" is not allowed here`;
  if (patterns.includes(NAME_PATTERN)) {
    message = `"${property}" is not a valid name: use only letters, digits, ".", "_" and "-"`;
  } else if (property.startsWith('x-') && !patterns.includes('^x-')) {
    message = `extension fields such as "${property}" are not allowed here in this compose file version`;
  }
  return { path: [...path, property], keyword: 'additionalProperties', message, params: { property } };
}

function formatViolation(path: Path, format: string, value: unknown): SchemaViolation {
  const message =
    format === 'duration'
      ? `${JSON.stringify(value)} is not a valid duration (a number with a unit: 30s, 1m30s, 1h, 500ms)`
      : `does not match the "${format}" format`;
  return { path, keyword: 'format', message, params: { format, value } };
}

/**
 * Turns gojsonschema's list into violations. A failed oneOf is followed by the errors of the
 * branch that matched best; those say more than "oneOf failed", unless every branch rejected
 * the value by type, which reads best as one "must be X or Y".
 */
export function violationsFromGoErrors(errors: GoSchemaError[]): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  for (let i = 0; i < errors.length; i++) {
    const error = errors[i];
    const alternatives = error.oneOf;
    if (!alternatives) {
      out.push(fromGoError(error));
    } else if (alternatives.allTypeMismatch && alternatives.types.length > 0) {
      const given = errors[i + 1]?.details.given;
      out.push(typeViolation(error.path, alternatives.types, typeof given === 'string' ? given : 'this'));
      i += alternatives.merged;
    } else if (alternatives.merged === 0) {
      const message = error.type === 'number_one_of' ? 'matches more than one of the allowed forms' : 'matches none of the allowed forms';
      out.push({ path: error.path, keyword: error.type === 'number_one_of' ? 'oneOf' : 'anyOf', message, params: {} });
    }
  }
  return out;
}

export function violationFromMarshalIssue(issue: MarshalIssue): SchemaViolation {
  const message =
    issue.kind === 'non-string-key'
      ? 'a key in this mapping is not a string (a number, boolean or null key); docker cannot process it, quote the key'
      : 'NaN and infinite numbers (.nan, .inf) are not allowed';
  return { path: issue.path, keyword: issue.kind === 'non-string-key' ? 'nonStringKey' : 'nonFiniteNumber', message, params: {} };
}

/** An ajv instancePath (`/services/web/ports/0`) as a Path, with list indices as numbers. */
export function pathFromPointer(pointer: string, data: JsonLike): Path {
  const path: PathSeg[] = [];
  let node: unknown = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const seg: PathSeg = Array.isArray(node) && /^\d+$/.test(key) ? Number(key) : key;
    path.push(seg);
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

/** Fallback wording straight from ajv (used only if the two validators ever disagree). */
export function violationsFromAjv(errors: ErrorObject[], data: JsonLike): SchemaViolation[] {
  return errors
    .filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf')
    .map((e) => ({ path: pathFromPointer(e.instancePath, data), keyword: e.keyword, message: e.message ?? e.keyword, params: e.params }));
}
