// Validates one (interpolated) compose file against docker's schema for its version, giving every
// violation for the linter and the one line docker would print.
import type { YamlValue } from '../load/types.js';
import { ajvValidator } from './ajv.js';
import { dockerSchemaMessage } from './docker-error.js';
import { DOCKER_FORMATS } from './formats.js';
import { GoJsonSchema } from './gojsonschema.js';
import { marshalForValidation } from './json-marshal.js';
import { loadSchema } from './schemas.js';
import { isSupportedVersion, normalizeVersion, unsupportedVersionMessage } from './version.js';
import { violationFromMarshalIssue, violationsFromAjv, violationsFromGoErrors } from './violations.js';
import type { SchemaViolation } from './violations.js';
import { pushAll } from '../load/collections.js';

export interface SchemaValidation {
  /** Every problem found (empty when docker accepts the file). */
  violations: SchemaViolation[];
  /** The single error docker prints, in docker's words; undefined when docker accepts the file. */
  dockerMessage?: string;
}

const goValidators = new Map<string, GoJsonSchema>();

function goValidator(version: string): GoJsonSchema {
  let validator = goValidators.get(version);
  if (!validator) {
    validator = new GoJsonSchema(loadSchema(version), DOCKER_FORMATS);
    goValidators.set(version, validator);
  }
  return validator;
}

function unsupportedVersion(version: string): SchemaValidation {
  const message = `unsupported compose file version "${version}": docker stack supports 3.0 to 3.13 (or "3")`;
  return {
    violations: [{ path: ['version'], keyword: 'version', message, params: { version } }],
    dockerMessage: unsupportedVersionMessage(version),
  };
}

/**
 * Validates one file as docker does after interpolating it. `version` is the version docker
 * validates with: the FIRST file's (see `dockerVersion`), normalised or not.
 */
export function validateFile(data: YamlValue, version: string): SchemaValidation {
  const v = normalizeVersion(version);
  if (!isSupportedVersion(v)) return unsupportedVersion(v);
  const marshalled = marshalForValidation(data);
  const violations = marshalled.issues.map(violationFromMarshalIssue);
  const validate = ajvValidator(v);
  if (validate(marshalled.value)) return { violations, dockerMessage: marshalled.dockerMessage };
  // Only failing files pay for the gojsonschema replay that decides docker's wording.
  const goErrors = goValidator(v).validate(marshalled.value);
  const schemaViolations = goErrors.length > 0 ? violationsFromGoErrors(goErrors) : violationsFromAjv(validate.errors ?? [], marshalled.value);
  pushAll(violations, schemaViolations);
  const fallback = schemaViolations[0] ? `${schemaViolations[0].path.join('.')} ${schemaViolations[0].message}` : undefined;
  return { violations, dockerMessage: marshalled.dockerMessage ?? dockerSchemaMessage(goErrors) ?? fallback };
}
