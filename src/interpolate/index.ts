export { interpolateString, invalidFormatMessage, MAX_INTERPOLATED_LENGTH } from './template.js';
export type {
  InterpolateStringOptions,
  InterpolationError,
  InterpolationResult,
  Lookup,
  Operator,
  VariableUse,
} from './template.js';
export { interpolateConfig, MAX_INTERPOLATED_FILE_LENGTH } from './config.js';
export type {
  ConfigInterpolationError,
  ConfigVariableUse,
  InterpolateConfigOptions,
  InterpolateConfigResult,
} from './config.js';
export { findInterpolationPitfalls } from './pitfalls.js';
export type { InterpolationPitfall, PitfallKind } from './pitfalls.js';
export { castForPath } from './casts.js';
export { goAtoi, goParseFloat, goQuote } from './go-strconv.js';
