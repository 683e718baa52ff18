export { validateFile } from './validate.js';
export type { SchemaValidation } from './validate.js';
export type { SchemaViolation } from './violations.js';
export {
  DEFAULT_VERSION,
  SUPPORTED_VERSIONS,
  dockerVersion,
  goFormatValue,
  isSupportedVersion,
  normalizeVersion,
  unsupportedVersionMessage,
  versionMismatchMessage,
} from './version.js';
export { FORBIDDEN_PROPERTIES, findForbiddenProperties } from './forbidden.js';
export type { ForbiddenCheck, ForbiddenProperty } from './forbidden.js';
export { isGoDuration } from './formats.js';
