// docker's env_file parsing (opts.ParseEnvFile): KEY=VALUE lines taken literally (no quotes, no
// interpolation), `#` comments, and bare KEY lines passed through from the CLI's environment.
import type { GoResult } from './go.js';

export interface EnvFileEntry {
  key: string;
  value: string;
  /** 1-based line of the entry. */
  line: number;
}

/** bufio.Scanner's default limit: docker reads an env_file line by line and fails on a line this long or longer. */
export const ENV_FILE_MAX_LINE_BYTES = 64 * 1024;

/** Errors are docker 28's text after `invalid env file (PATH): `. */
export function parseDockerEnvFile(text: string, lookup: (name: string) => string | undefined): GoResult<EnvFileEntry[]> {
  const entries: EnvFileEntry[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let n = 0; n < lines.length; n++) {
    // The scanner's buffer holds a line and its newline: 65,536 bytes before the newline do not fit.
    if (lines[n].length * 3 >= ENV_FILE_MAX_LINE_BYTES && Buffer.byteLength(lines[n]) >= ENV_FILE_MAX_LINE_BYTES) {
      return { ok: false, error: 'bufio.Scanner: token too long' };
    }
    let line = lines[n].endsWith('\r') ? lines[n].slice(0, -1) : lines[n];
    if (n === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    line = line.replace(/^\s+/u, '');
    if (line.length === 0 || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const variable = eq >= 0 ? line.slice(0, eq) : line;
    if (/[ \t]/.test(variable)) {
      return { ok: false, error: `variable '${variable}' contains whitespaces` };
    }
    if (variable.length === 0) return { ok: false, error: `no variable name on line '${line}'` };
    if (eq >= 0) {
      entries.push({ key: variable, value: line.slice(eq + 1), line: n + 1 });
    } else {
      const value = lookup(line);
      if (value !== undefined) entries.push({ key: variable.trim(), value, line: n + 1 });
    }
  }
  return { ok: true, value: entries };
}
