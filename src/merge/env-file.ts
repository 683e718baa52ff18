// docker's env_file parsing (opts.ParseEnvFile): KEY=VALUE lines taken literally (no quotes, no
// interpolation), `#` comments, and bare KEY lines passed through from the CLI's environment.
import type { GoResult } from './go.js';

export interface EnvFileEntry {
  key: string;
  value: string;
}

export function parseDockerEnvFile(text: string, lookup: (name: string) => string | undefined): GoResult<EnvFileEntry[]> {
  const entries: EnvFileEntry[] = [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n].endsWith('\r') ? lines[n].slice(0, -1) : lines[n];
    if (n === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    line = line.replace(/^\s+/u, '');
    if (line.length === 0 || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const variable = eq >= 0 ? line.slice(0, eq) : line;
    if (/[ \t]/.test(variable)) {
      return { ok: false, error: `poorly formatted environment: variable '${variable}' contains whitespaces` };
    }
    if (variable.length === 0) return { ok: false, error: `poorly formatted environment: no variable name on line '${line}'` };
    if (eq >= 0) {
      entries.push({ key: variable, value: line.slice(eq + 1) });
    } else {
      const value = lookup(line);
      if (value !== undefined) entries.push({ key: variable.trim(), value });
    }
  }
  return { ok: true, value: entries };
}
