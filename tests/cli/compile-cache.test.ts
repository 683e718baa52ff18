// node's compile cache as stacklint uses it (bin/stacklint.js): in the user's cache directory, never in the
// install; shared by a catalogue run's worker threads without the pool's V8 flags invalidating anything;
// safe with several runs at once; and a directory that cannot be made costs nothing but the cache.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARALLEL_MIN_RECIPES } from '../../src/catalogue/run.js';
import { CLI, REPO } from './helpers.js';

const EXAMPLE = join(REPO, 'fixtures/example-recipe');
let work: string;
let catalogue: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'stacklint-cache-'));
  // A catalogue big enough for worker threads, with compose files of several schema versions (each its own
  // precompiled validator, loaded when first needed).
  catalogue = join(work, 'catalogue');
  for (let i = 0; i < PARALLEL_MIN_RECIPES + 2; i++) cpSync(EXAMPLE, join(catalogue, `recipe-${i}`), { recursive: true });
  for (const version of ['3.0', '3.4', '3.13']) {
    mkdirSync(join(catalogue, `version-${version}`));
    writeFileSync(join(catalogue, `version-${version}`, 'compose.yml'), `version: "${version}"\nservices:\n  app:\n    image: nginx:1.27\n`);
  }
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function env(cacheHome: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: join(work, 'home'), XDG_CACHE_HOME: cacheHome, NO_COLOR: '1', ...extra };
}

const PRE_COMMIT = { args: ['lint', '.'], cwd: EXAMPLE };
const CATALOGUE = () => ({ args: ['lint', '--jobs', '2', '--format', 'json', catalogue], cwd: REPO });

function stacklint(run: { args: string[]; cwd: string }, environment: NodeJS.ProcessEnv): Run {
  const r = spawnSync(process.execPath, [CLI, ...run.args], { cwd: run.cwd, env: environment, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function stacklintAsync(run: { args: string[]; cwd: string }, environment: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...run.args], { cwd: run.cwd, env: environment });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Every file under `dir`: path → size and modification time. */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const s = statSync(p);
        out.set(relative(dir, p), `${s.size} ${s.mtimeMs}`);
      }
    }
  };
  walk(dir);
  return out;
}

/** What the same command prints with no compile cache at all. */
function reference(run: { args: string[]; cwd: string }): Run {
  return stacklint(run, env(join(work, 'unused'), { NODE_DISABLE_COMPILE_CACHE: '1' }));
}

describe('the compile cache', () => {
  it("lives in $XDG_CACHE_HOME/stacklint, and nothing is written into the install's dist/", () => {
    const cacheHome = join(work, 'xdg-first');
    const before = snapshot(join(REPO, 'dist'));
    const expected = reference(PRE_COMMIT);
    const first = stacklint(PRE_COMMIT, env(cacheHome));
    const second = stacklint(PRE_COMMIT, env(cacheHome));
    for (const r of [first, second]) {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(expected.status);
      expect(r.stdout).toBe(expected.stdout);
    }
    // node's layout: a directory per node version and V8 flags, a file per module.
    const cached = snapshot(join(cacheHome, 'stacklint'));
    expect([...cached.keys()].some((p) => p.startsWith(`v${process.versions.node}-`))).toBe(true);
    expect(cached.size).toBeGreaterThan(2);
    expect(snapshot(join(REPO, 'dist'))).toEqual(before);
  });

  it("is not invalidated by catalogue runs: their worker threads' V8 flags get cache entries of their own", () => {
    const cacheHome = join(work, 'xdg-flags');
    const expectedLint = reference(PRE_COMMIT);
    const expectedCatalogue = reference(CATALOGUE());
    const check = (r: Run, expected: Run) => {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(expected.status);
      expect(r.stdout).toBe(expected.stdout);
    };
    // Warm up: every file each kind of run loads gets its entry.
    for (let i = 0; i < 2; i++) {
      check(stacklint(PRE_COMMIT, env(cacheHome)), expectedLint);
      check(stacklint(CATALOGUE(), env(cacheHome)), expectedCatalogue);
    }
    check(stacklint(PRE_COMMIT, env(cacheHome)), expectedLint);
    const warm = snapshot(join(cacheHome, 'stacklint'));
    for (let i = 0; i < 2; i++) {
      check(stacklint(CATALOGUE(), env(cacheHome)), expectedCatalogue);
      check(stacklint(PRE_COMMIT, env(cacheHome)), expectedLint);
    }
    const after = snapshot(join(cacheHome, 'stacklint'));
    // No entry was rewritten (which thread lints which recipe varies, so a worker may add one it never needed).
    for (const [path, stamp] of warm) expect(after.get(path), path).toBe(stamp);
  });

  it('survives three runs at once starting from nothing: each prints what it would alone, and so do later runs', async () => {
    const cacheHome = join(work, 'xdg-concurrent');
    const runs = [PRE_COMMIT, CATALOGUE(), PRE_COMMIT];
    const expected = runs.map(reference);
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all(runs.map((r) => stacklintAsync(r, env(cacheHome))));
      results.forEach((r, i) => {
        expect(r.stderr).toBe('');
        expect(r.status).toBe(expected[i].status);
        expect(r.stdout).toBe(expected[i].stdout);
      });
    }
    // Only complete entries: node writes each to a temporary file and renames it.
    const files = [...snapshot(join(cacheHome, 'stacklint')).keys()];
    expect(files.length).toBeGreaterThan(2);
    for (const f of files) expect(f).toMatch(/^(v[^/]+\/)+[0-9a-f]{8}$/);
    for (const [i, run] of runs.entries()) expect(stacklint(run, env(cacheHome)).stdout).toBe(expected[i].stdout);
  });

  it('where the cache directory cannot be made, runs as well with no warning', () => {
    const blocker = join(work, 'a-file');
    writeFileSync(blocker, '');
    const expected = reference(PRE_COMMIT);
    const r = stacklint(PRE_COMMIT, env(join(blocker, 'cache')));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(expected.status);
    expect(r.stdout).toBe(expected.stdout);
    const version = stacklint({ args: ['--version'], cwd: REPO }, env(join(blocker, 'cache')));
    expect(version).toEqual({ status: 0, stdout: `${(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version}\n`, stderr: '' });
  });
});
