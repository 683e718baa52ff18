/** Documented exit codes (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  /** Error-level findings, warnings beyond --max-warnings, or docker's own failure for `config`. */
  findings: 1,
  /** Usage, configuration or internal error. */
  usage: 2,
  internal: 2,
} as const;
