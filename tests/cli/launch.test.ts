// The launcher's code cache (cli/launch.ts): written when missing, reused when it fits, replaced when it does
// not — and whatever the cache holds, the output is the same. Runs on a copy of the built dist/ inside the
// repository (so node_modules and schemas/ resolve as for the real one).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

const EXAMPLE = join(REPO, 'fixtures/example-recipe');
let dist: string;
let cacheFile: string;

function lint(args: string[] = ['lint', EXAMPLE, '--format', 'json']) {
  const r = spawnSync(process.execPath, [join(dist, 'launch.mjs'), ...args], {
    cwd: REPO,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The stamp line and the V8 data after it. */
function readCache(): { stamp: string; data: Buffer } {
  const bytes = readFileSync(cacheFile);
  const end = bytes.indexOf(0x0a);
  return { stamp: bytes.toString('utf8', 0, end), data: bytes.subarray(end + 1) };
}

beforeAll(() => {
  const parent = mkdtempSync(join(REPO, '.launch-test-'));
  dist = join(parent, 'dist');
  cpSync(join(REPO, 'dist'), dist, { recursive: true });
  cacheFile = join(dist, 'stacklint.cjs.v8cache');
});
afterAll(() => rmSync(join(dist, '..'), { recursive: true, force: true }));

describe('the code-cache launcher', () => {
  it('writes a missing cache at the end of a run, stamped with the bundle, and then keeps it', () => {
    rmSync(cacheFile, { force: true });
    const first = lint();
    expect(first.status).toBe(1);
    expect(existsSync(cacheFile)).toBe(true);
    const { size, mtimeMs } = statSync(join(dist, 'stacklint.cjs'));
    const { stamp, data } = readCache();
    expect(stamp).toBe(`stacklint.cjs ${size} ${mtimeMs} ${process.version}`);
    expect(data.length).toBeGreaterThan(100_000);
    const written = statSync(cacheFile).mtimeMs;
    const second = lint();
    expect(second.stdout).toBe(first.stdout);
    // Accepted by V8, so not written again.
    expect(statSync(cacheFile).mtimeMs).toBe(written);
  });

  it('replaces a cache made for another bundle or refused by V8, with the same output', () => {
    const reference = lint().stdout;
    writeFileSync(cacheFile, Buffer.concat([Buffer.from('stacklint.cjs 1 2 v0\n'), readCache().data]));
    expect(lint().stdout).toBe(reference);
    expect(readCache().stamp).toMatch(/^stacklint\.cjs \d+ [\d.]+ v\d/);
    const stamp = readCache().stamp;
    writeFileSync(cacheFile, `${stamp}\nnot V8 code at all`);
    expect(lint().stdout).toBe(reference);
    expect(readCache().data.length).toBeGreaterThan(100_000);
  });

  it('runs without complaint when the cache cannot be written', () => {
    rmSync(cacheFile, { force: true });
    // A directory where the cache goes: reading and renaming onto it fail, even for root.
    mkdirSync(cacheFile);
    try {
      const r = lint();
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).summary.errors).toBeGreaterThan(0);
      expect(readdirSync(dist).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      rmSync(cacheFile, { recursive: true, force: true });
    }
  });

  it('starts the worker threads of a catalogue run on their own bundle and cache', () => {
    const workerCache = join(dist, 'lint-worker.cjs.v8cache');
    rmSync(workerCache, { force: true });
    const catalogue = join(dist, '..', 'catalogue');
    for (let i = 0; i < 6; i++) cpSync(EXAMPLE, join(catalogue, `r${i}`), { recursive: true });
    const two = lint(['lint', '--jobs', '2', catalogue, '--format', 'json']);
    const one = lint(['lint', '--jobs', '1', catalogue, '--format', 'json']);
    expect(two.status).toBe(1);
    expect(two.stdout).toBe(one.stdout);
    expect(existsSync(workerCache)).toBe(true);
  });

  it('loads the schema validators through their own caches, written when missing', () => {
    const validatorCache = join(dist, 'validators', 'config_schema_v3.8.cjs.v8cache');
    const reference = lint().stdout;
    rmSync(validatorCache, { force: true });
    expect(lint().stdout).toBe(reference);
    expect(existsSync(validatorCache)).toBe(true);
    expect(readFileSync(validatorCache).subarray(0, 40).toString('utf8')).toMatch(/^config_schema_v3\.8\.cjs \d+ /);
    const written = statSync(validatorCache).mtimeMs;
    expect(lint().stdout).toBe(reference);
    expect(statSync(validatorCache).mtimeMs).toBe(written);
  });
});
