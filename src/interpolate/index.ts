export { interpolateString, invalidFormatMessage } from './template.js';
export type {
  InterpolateStringOptions,
  InterpolationError,
  InterpolationResult,
  Lookup,
  Operator,
  VariableUse,
} from './template.js';
export { interpolateConfig } from './config.js';
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
