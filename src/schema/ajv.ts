// The fast validity check: one ajv (draft-04) validator per schema version. The bundle ships them
// precompiled (dist/validators/, written at build time: ajv-standalone.ts): compiling one costs
// ~130 ms, in every process and worker thread. Without them (running from sources) they compile on first use.
// ajv's compiler itself is required only then, from node_modules: the bundle never carries or parses it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, Format, ValidateFunction } from 'ajv';
import type AjvDraft04 from 'ajv-draft-04';
import { DOCKER_FORMATS } from './formats.js';
import { goPatternToJs } from './gojsonschema.js';
import type { SchemaNode } from './gojsonschema.js';
import { loadSchema } from './schemas.js';
import { SUPPORTED_VERSIONS } from './version.js';

/** ajv binds a format to one type; the number form of "ports" gets its own name. */
const NUMBER_PORTS = 'ports-number';
export const AJV_FORMATS: Record<string, Format> = {
  duration: { type: 'string', validate: (s: string) => DOCKER_FORMATS.duration(s) },
  ports: { type: 'string', validate: (s: string) => DOCKER_FORMATS.ports(s) },
  [NUMBER_PORTS]: { type: 'number', validate: (n: number) => DOCKER_FORMATS.ports(n) },
  expose: true,
};
const validators = new Map<string, ValidateFunction>();
let ajv: AjvDraft04 | undefined;

export function newAjv(forSource: boolean): AjvDraft04 {
  const load = createRequire(import.meta.url);
  const Ajv = (load('ajv-draft-04') as { default: typeof AjvDraft04 }).default;
  const { _ } = load('ajv') as typeof import('ajv');
  const instance = new Ajv({ allErrors: true, strict: false, ...(forSource ? { code: { source: true, formats: _`formats` } } : {}) });
  for (const [name, format] of Object.entries(AJV_FORMATS)) instance.addFormat(name, format);
  return instance;
}

/**
 * A copy of the schema for ajv: regular expressions follow Go's RE2 (`.` matches `\r` too), and
 * numbers with format "ports" are checked by the number variant of the format.
 */
export function forAjv(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forAjv);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'patternProperties' && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value).map(([p, s]) => [goPatternToJs(p), forAjv(s)]));
    } else if (key === 'pattern' && typeof value === 'string') {
      out[key] = goPatternToJs(value);
    } else out[key] = forAjv(value);
  }
  const types = ([] as unknown[]).concat(out.type);
  if (out.format === 'ports' && types.includes('number')) {
    // Each format only looks at values of its own type, so both can sit side by side.
    delete out.format;
    out.allOf = [{ format: 'ports' }, { format: NUMBER_PORTS }];
  }
  return out;
}

export const PRECOMPILED_DIR = 'validators';

export function precompiledFileName(version: string): string {
  return `config_schema_v${version}.cjs`;
}

/** The file of a version's precompiled validator beside the bundle, if there is one. */
function precompiledFile(version: string): string | undefined {
  const url = new URL(`./${PRECOMPILED_DIR}/${precompiledFileName(version)}`, import.meta.url);
  if (url.protocol !== 'file:') return undefined;
  const file = fileURLToPath(url);
  return existsSync(file) ? file : undefined;
}

/** The precompiled validator beside the bundle, if there is one. */
function precompiled(version: string): ValidateFunction | undefined {
  const file = precompiledFile(version);
  if (file === undefined) return undefined;
  // A plain require(): node's compile cache (bin/stacklint.js) keeps its compiled code between runs.
  const make = createRequire(import.meta.url)(file) as (formats: Record<string, Format>) => ValidateFunction;
  return make(AJV_FORMATS);
}

/**
 * Loads every precompiled validator's code now (cheap: their compiled code comes from node's compile cache),
 * for a caller about to change V8's flags (src/catalogue/pool.ts): code compiled after that carries the other
 * flags, and its cache entry would be rewritten by every run with the usual flags, and back.
 */
export function loadPrecompiledValidators(): void {
  const load = createRequire(import.meta.url);
  for (const version of SUPPORTED_VERSIONS) {
    const file = precompiledFile(version);
    if (file !== undefined) load(file);
  }
}

/** The compiled validator for a supported version (compiled once, then reused). */
export function ajvValidator(version: string): ValidateFunction {
  let validate = validators.get(version);
  if (!validate) {
    validate = precompiled(version) ?? (ajv ??= newAjv(false)).compile(forAjv(loadSchema(version)) as SchemaNode);
    validators.set(version, validate);
  }
  return validate;
}

export type { ErrorObject };
