// A write that runs out of room (EFBIG under `ulimit -f`, as ENOSPC would) leaves the file as it was,
// leaves no temporary file, and exits 2 with one clear line.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI, largeRecipe, leftovers, makeWorld } from './write-helpers.js';
import type { World } from './write-helpers.js';

const worlds: World[] = [];
afterEach(() => {
  for (const w of worlds.splice(0)) w.dispose();
});

/** The CLI with files limited to `kib` KiB (bash's ulimit -f counts 1024-byte blocks). */
function limited(kib: number, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const r = spawnSync('bash', ['-c', `ulimit -f ${kib} && exec ${quote(process.execPath)} ${[CLI, ...args].map(quote).join(' ')}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', NO_COLOR: '1' },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('a write that hits the file size limit', () => {
  it('baseline: the old baseline stays, exit 2, one line', () => {
    const w = makeWorld(largeRecipe());
    worlds.push(w);
    const old = '{"version": 1, "findings": []}\n';
    writeFileSync(w.path('.stacklint-baseline.json'), old);
    const r = limited(8, ['baseline', w.recipe]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^stacklint baseline: .*\.stacklint-baseline\.json: not written: file too large \(the file size limit, `ulimit -f`, was reached\); the file is unchanged\n$/);
    expect(r.stdout).toBe('');
    expect(readFileSync(w.path('.stacklint-baseline.json'), 'utf8')).toBe(old);
    expect(leftovers(w.recipe)).toEqual([]);
  });

  it('lint --fix: compose.yml stays as it was, exit 2, one line', () => {
    const w = makeWorld(largeRecipe());
    worlds.push(w);
    const before = readFileSync(w.path('compose.yml'));
    const r = limited(100, ['lint', '--fix', '--format', 'compact', w.recipe]);
    expect(before.length).toBeGreaterThan(100 * 1024);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^stacklint lint: .*compose\.yml: not written: file too large \(the file size limit, `ulimit -f`, was reached\); the file is unchanged\nfixed 0 findings in 0 files\n$/);
    expect(readFileSync(w.path('compose.yml')).equals(before)).toBe(true);
    // The report says what remains: the unfixed finding is still there.
    expect(r.stdout).toMatch(/R001/);
    expect(leftovers(w.recipe)).toEqual([]);
  });

  it('-o FILE: the previous report stays, exit 2, one line', () => {
    const w = makeWorld(largeRecipe());
    worlds.push(w);
    const out = join(w.scratch, 'report.json');
    writeFileSync(out, 'previous report\n');
    const r = limited(8, ['lint', '--format', 'json', '-o', out, w.recipe]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^stacklint lint: .*report\.json: not written: file too large .*; the file is unchanged\n$/);
    expect(readFileSync(out, 'utf8')).toBe('previous report\n');
    expect(leftovers(w.scratch)).toEqual([]);
  });
});
