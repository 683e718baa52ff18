// docker's compose-file version handling (cli/compose/schema/schema.go: Version, normalizeVersion).
import { NonStringKeyMap } from '../load/types.js';
import type { YamlValue } from '../load/types.js';

export const DEFAULT_VERSION = '3.13';

/** The versions docker CLI 28.2.2 ships a schema for. */
export const SUPPORTED_VERSIONS: readonly string[] = Array.from({ length: 14 }, (_, i) => `3.${i}`);

/** Go's %v for a float64: shortest digits, exponent form below 1e-4 or from 1e6 (`1e+06`). */
function goFloatV(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : '-Inf';
  const [mantissa, exp] = n.toExponential().split('e');
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= 6) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  return String(n);
}

/**
 * Go's %v of a decoded YAML value. Integral numbers print as Go ints: the loaded data no longer
 * says whether YAML had `1e6` (a float, which Go prints `1e+06`) or `1000000`.
 */
export function goFormatValue(value: YamlValue | unknown): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'number') {
    return Number.isInteger(value) && Math.abs(value) < 2 ** 63 ? BigInt(value).toString() : goFloatV(value);
  }
  if (Array.isArray(value)) return `[${value.map(goFormatValue).join(' ')}]`;
  const entries =
    value instanceof NonStringKeyMap
      ? value.entries.map(([k, v]) => [goFormatValue(k), goFormatValue(v)])
      : Object.keys(value as object).map((k) => [k, goFormatValue((value as Record<string, YamlValue>)[k])]);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `map[${entries.map(([k, v]) => `${k}:${v}`).join(' ')}]`;
}

/** "" and "3" mean the latest 3.x. */
export function normalizeVersion(version: string): string {
  return version === '' || version === '3' ? DEFAULT_VERSION : version;
}

function isMapping(data: YamlValue): data is { [key: string]: YamlValue } {
  return data !== null && typeof data === 'object' && !Array.isArray(data) && !(data instanceof NonStringKeyMap);
}

/**
 * The version docker reads from one file: the raw `version` value formatted with %v (so an
 * unquoted 3.10 is "3.1" and a null is "<nil>"), missing/""/"3" meaning 3.13. Read before
 * interpolation, so `version: ${V}` stays "${V}".
 */
export function dockerVersion(data: YamlValue): string {
  if (!isMapping(data) || !Object.hasOwn(data, 'version')) return DEFAULT_VERSION;
  return normalizeVersion(goFormatValue(data.version));
}

export function isSupportedVersion(version: string): boolean {
  return SUPPORTED_VERSIONS.includes(normalizeVersion(version));
}

export function unsupportedVersionMessage(version: string): string {
  return `unsupported Compose file version: ${normalizeVersion(version)}`;
}

/** docker's error when a later file's version differs from the first file's. */
export function versionMismatchMessage(first: string, other: string): string {
  return `version mismatched between two composefiles : ${first} and ${other}`;
}
