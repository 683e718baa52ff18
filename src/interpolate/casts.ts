// The values docker converts back to a typed value after substitution
// (cli/compose/loader/interpolate.go, interpolateTypeCastMapping). Everything else stays a string.
import { goAtoi, goParseFloat } from './go-strconv.js';
import type { GoParse } from './go-strconv.js';

export type CastResult = GoParse<number | bigint | boolean>;
type Cast = (value: string) => CastResult;

const toInt: Cast = (value) => goAtoi(value);
const toFloat: Cast = (value) => goParseFloat(value);

// docker's toBoolean: YAML 1.1 words, compared after strings.ToLower.
const toBoolean: Cast = (value) => {
  const lower = value.toLowerCase();
  if (['y', 'yes', 'true', 'on'].includes(lower)) return { ok: true, value: true };
  if (['n', 'no', 'false', 'off'].includes(lower)) return { ok: true, value: false };
  return { ok: false, error: `invalid boolean: ${value}` };
};

const ANY = '*';
const LIST = '[]';

function service(...parts: string[]): string[] {
  return ['services', ANY, ...parts];
}

/** Patterns in docker's dotted-path form: `*` matches any one part, `[]` is a list item. */
const CAST_PATTERNS: Array<[string[], Cast]> = [
  [service('configs', LIST, 'mode'), toInt],
  [service('secrets', LIST, 'mode'), toInt],
  [service('healthcheck', 'retries'), toInt],
  [service('healthcheck', 'disable'), toBoolean],
  [service('deploy', 'replicas'), toInt],
  [service('deploy', 'update_config', 'parallelism'), toInt],
  [service('deploy', 'update_config', 'max_failure_ratio'), toFloat],
  [service('deploy', 'rollback_config', 'parallelism'), toInt],
  [service('deploy', 'rollback_config', 'max_failure_ratio'), toFloat],
  [service('deploy', 'restart_policy', 'max_attempts'), toInt],
  [service('deploy', 'placement', 'max_replicas_per_node'), toInt],
  [service('ports', LIST, 'target'), toInt],
  [service('ports', LIST, 'published'), toInt],
  [service('ulimits', ANY), toInt],
  [service('ulimits', ANY, 'hard'), toInt],
  [service('ulimits', ANY, 'soft'), toInt],
  [service('privileged'), toBoolean],
  [service('read_only'), toBoolean],
  [service('stdin_open'), toBoolean],
  [service('tty'), toBoolean],
  [service('volumes', LIST, 'read_only'), toBoolean],
  [service('volumes', LIST, 'volume', 'nocopy'), toBoolean],
  [['networks', ANY, 'external'], toBoolean],
  [['networks', ANY, 'internal'], toBoolean],
  [['networks', ANY, 'attachable'], toBoolean],
  [['volumes', ANY, 'external'], toBoolean],
  [['secrets', ANY, 'external'], toBoolean],
  [['configs', ANY, 'external'], toBoolean],
];

function matches(parts: string[], pattern: string[]): boolean {
  return parts.length === pattern.length && pattern.every((p, i) => p === ANY || p === parts[i]);
}

/**
 * The cast docker applies at a dotted path. docker splits the joined path on `.` again, so a key
 * containing a dot shifts the parts; we do the same to match it.
 */
export function castForPath(dockerPath: string): Cast | undefined {
  const parts = dockerPath.split('.');
  return CAST_PATTERNS.find(([pattern]) => matches(parts, pattern))?.[1];
}
