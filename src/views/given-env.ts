// `--env-file FILE`: the variables of the deploying shell, as the user states them for a run. Parsed with
// docker's env-file syntax (KEY=VALUE taken literally, `#` comments, a bare KEY passes the variable through
// from stacklint's own environment, as docker does) — never sourced.
import { parseDockerEnvFile } from '../merge/env-file.js';
import type { EnvVariable } from './view-env.js';

export type GivenEnvResult = { ok: true; variables: EnvVariable[] } | { ok: false; message: string };

/** The variables of one env file (`name` as the user gave it); an error reads as docker's `invalid env file`. */
export function parseGivenEnvFile(text: string, name: string, lookup: (variable: string) => string | undefined): GivenEnvResult {
  const parsed = parseDockerEnvFile(text, lookup);
  if (!parsed.ok) return { ok: false, message: `invalid env file (${name}): ${parsed.error}` };
  return { ok: true, variables: parsed.value.map((e) => ({ name: e.key, value: e.value, file: name, line: e.line })) };
}
