// Output formats. Every formatter is pure: a LintResult in, the complete output text out.
import type { RuleMeta } from '../rules/types.js';
import type { LintResult } from '../lint/types.js';
import { formatCompact } from './compact.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatSarif, type SarifOptions } from './sarif.js';
import { formatStylish, type StylishOptions } from './stylish.js';

export { formatCompact, formatFinding } from './compact.js';
export { escapeData, escapeProperty, formatGithub } from './github.js';
export { formatJson, jsonFinding, JSON_FORMAT_VERSION } from './json.js';
export { formatJunit } from './junit.js';
export { FINGERPRINT_KEY, formatSarif, SARIF_SCHEMA, type SarifOptions } from './sarif.js';
export { formatStylish, type StylishOptions } from './stylish.js';
export { paint, stripAnsi, type Paint } from './ansi.js';

/** Everything any format may need; the CLI fills it once and calls `FORMATS[name]`. */
export interface FormatContext extends StylishOptions, SarifOptions {
  rules: readonly RuleMeta[];
  /** Extra top-level keys for the JSON format (`fixed`, `unchanged`, `recipes`, …). */
  extra?: Record<string, unknown>;
}

export type Formatter = (result: LintResult, context: FormatContext) => string;

/** Format names for `--format`, in the order `--help` lists them. */
export const FORMATS = {
  stylish: (result, c) => formatStylish(result, c),
  json: (result, c) => formatJson(result, c.extra),
  sarif: (result, c) => formatSarif(result, c.rules, c),
  junit: (result) => formatJunit(result),
  github: (result) => formatGithub(result),
  compact: (result) => formatCompact(result),
} satisfies Record<string, Formatter>;

export type FormatName = keyof typeof FORMATS;

export function isFormatName(name: string): name is FormatName {
  return Object.hasOwn(FORMATS, name);
}
