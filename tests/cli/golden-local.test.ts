// `stacklint config` against docker CLI 28.2.2's recorded output for the golden cases kept in this project
// (tests/golden/*/<case>): stdout, stderr and exit code byte for byte.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from './helpers.js';

const GOLDEN = join(REPO, 'tests/golden');

function casesOf(set: string): string[] {
  const dir = join(GOLDEN, set);
  return readdirSync(dir).filter((name) => existsSync(join(dir, name, 'cmd'))).sort();
}

const sets = readdirSync(GOLDEN).filter((name) => !name.includes('.'));

describe.each(sets)('golden %s: stacklint config prints what docker stack config 28.2.2 printed', (set) => {
  it.each(casesOf(set))('%s', (name) => {
    const dir = join(GOLDEN, set, name);
    const cmd = readFileSync(join(dir, 'cmd'), 'utf8').trim();
    expect(cmd).toMatch(/^docker stack config( -c \S+)+$/);
    const args = cmd.split(/\s+/).slice(3);
    const r = runCli(['config', ...args], { cwd: dir });
    const placeholder = (text: string) => text.split(`${dir}/`).join('{{CASE_DIR}}/');
    expect({ stdout: placeholder(r.stdout), stderr: placeholder(r.stderr), status: r.status }).toEqual({
      stdout: readFileSync(join(dir, 'expected.yml'), 'utf8'),
      stderr: readFileSync(join(dir, 'expected.err'), 'utf8'),
      status: Number(readFileSync(join(dir, 'expected.rc'), 'utf8').trim()),
    });
  });
});
