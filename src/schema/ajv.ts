// The fast validity check: one ajv (draft-04) validator per schema version, compiled on first use.
import Ajv from 'ajv-draft-04';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { DOCKER_FORMATS } from './formats.js';
import { goPatternToJs } from './gojsonschema.js';
import type { SchemaNode } from './gojsonschema.js';
import { loadSchema } from './schemas.js';

let ajv: Ajv | undefined;
/** ajv binds a format to one type; the number form of "ports" gets its own name. */
const NUMBER_PORTS = 'ports-number';
const validators = new Map<string, ValidateFunction>();

function instance(): Ajv {
  if (!ajv) {
    ajv = new Ajv({ allErrors: true, strict: false });
    ajv.addFormat('duration', { type: 'string', validate: (s: string) => DOCKER_FORMATS.duration(s) });
    ajv.addFormat('ports', { type: 'string', validate: (s: string) => DOCKER_FORMATS.ports(s) });
    ajv.addFormat(NUMBER_PORTS, { type: 'number', validate: (n: number) => DOCKER_FORMATS.ports(n) });
    ajv.addFormat('expose', true);
  }
  return ajv;
}

/**
 * A copy of the schema for ajv: regular expressions follow Go's RE2 (`.` matches `\r` too), and
 * numbers with format "ports" are checked by the number variant of the format.
 */
function forAjv(node: unknown): unknown {
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

/** The compiled validator for a supported version (compiled once, then reused). */
export function ajvValidator(version: string): ValidateFunction {
  let validate = validators.get(version);
  if (!validate) {
    validate = instance().compile(forAjv(loadSchema(version)) as SchemaNode);
    validators.set(version, validate);
  }
  return validate;
}

export type { ErrorObject };
