// The package as users get it: `npm pack`, then `npm install -g` of the tarball into a fresh prefix, made
// read-only, run with the node running this suite (.ci/run runs it on every supported line). No runtime
// dependencies, no source maps, no caches; the installed command lints and writes nothing into its install.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARALLEL_MIN_RECIPES } from '../../src/catalogue/run.js';
import { CLI, REPO } from './helpers.js';

interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  files: Array<{ path: string }>;
}

let work: string;
let packed: Packed;
let prefix: string;
/** npm and the installed command run with this suite's node first on PATH. */
let PATH: string;

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const s = statSync(p);
      out.set(relative(dir, p), `${e.isDirectory() ? 'dir' : s.size} ${s.mtimeMs} ${s.mode}`);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'stacklint-package-'));
  PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;
  const npmEnv = { ...process.env, PATH, npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' };
  // --ignore-scripts: pack the dist/ this suite tests (`prepare` would rebuild it under the other tests' feet).
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO, env: npmEnv, encoding: 'utf8' });
  packed = (JSON.parse(out) as Packed[])[0];
  prefix = join(work, 'prefix');
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', join(work, packed.filename)], { env: npmEnv, encoding: 'utf8' });
  chmodSync(prefix, 0o555);
  execFileSync('chmod', ['-R', 'a-w', prefix]);
}, 120_000);

afterAll(() => {
  execFileSync('chmod', ['-R', 'u+w', work]);
  rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the bundle and its launcher, without source maps, caches or sources', () => {
    const paths = packed.files.map((f) => f.path);
    for (const needed of ['package.json', 'bin/stacklint.js', 'bin/package.json', 'bin/import.cjs', 'dist/stacklint.mjs', 'dist/lint-worker.mjs', 'dist/typescript-estree.cjs']) {
      expect(paths).toContain(needed);
    }
    expect(paths.filter((p) => /\.map$|v8cache|^src\/|^cli\/|^tests\/|node_modules/.test(p))).toEqual([]);
  });

  it('declares no runtime dependencies: everything it runs is bundled', () => {
    const installed = JSON.parse(execFileSync('cat', [join(prefix, 'lib/node_modules/stacklint/package.json')], { encoding: 'utf8' })) as Record<string, unknown>;
    expect(installed.dependencies ?? {}).toEqual({});
    expect(readdirSync(join(prefix, 'lib/node_modules/stacklint'))).not.toContain('node_modules');
  });
});

describe('stacklint installed with npm install -g into a read-only prefix', () => {
  const run = (args: string[], cacheHome: string) =>
    spawnSync(join(prefix, 'bin/stacklint'), args, {
      cwd: REPO,
      env: { PATH, HOME: join(work, 'home'), XDG_CACHE_HOME: cacheHome, NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('prints its version and lints the example recipe as the repository build does, writing nothing into the install', () => {
    const before = tree(prefix);
    const expected = spawnSync(process.execPath, [CLI, 'lint', 'fixtures/example-recipe'], { cwd: REPO, env: { PATH, HOME: join(work, 'home'), NO_COLOR: '1' }, encoding: 'utf8' });
    expect(expected.status).toBe(1);
    const cacheHome = join(work, 'cache');
    for (let i = 0; i < 2; i++) {
      // The first run fills the compile cache, the second uses it.
      const version = run(['--version'], cacheHome);
      expect(version.stderr).toBe('');
      expect(version.stdout).toBe(`${JSON.parse(execFileSync('cat', [join(REPO, 'package.json')], { encoding: 'utf8' })).version}\n`);
      expect(version.status).toBe(0);
      const lint = run(['lint', 'fixtures/example-recipe'], cacheHome);
      expect(lint.stderr).toBe('');
      expect(lint.stdout).toBe(expected.stdout);
      expect(lint.status).toBe(1);
    }
    expect(readdirSync(join(cacheHome, 'stacklint')).length).toBeGreaterThan(0);
    expect(tree(prefix)).toEqual(before);
  });

  it('keeps node from loading a --env-file itself (a NODE_OPTIONS in it would run code)', () => {
    const stack = join(work, 'env-file-stack');
    mkdirSync(stack, { recursive: true });
    writeFileSync(join(stack, 'docker-stack.yml'), 'services:\n  web:\n    image: "nginx:${TAG}"\n');
    writeFileSync(join(stack, 'hook.cjs'), `require('node:fs').writeFileSync(${JSON.stringify(join(stack, 'ran'))}, '');\n`);
    writeFileSync(join(stack, 'deploy.env'), `NODE_OPTIONS=--require ${join(stack, 'hook.cjs')}\nTAG=1.27\n`);
    const config = run(['config', '--env-file', join(stack, 'deploy.env'), '-c', join(stack, 'docker-stack.yml')], join(work, 'cache-env-file'));
    expect(config.stderr).toBe('');
    expect(config.stdout).toContain('image: nginx:1.27');
    expect(existsSync(join(stack, 'ran'))).toBe(false);
  });

  it('runs its catalogue worker threads from the install', () => {
    const catalogue = join(work, 'catalogue');
    for (let i = 0; i < PARALLEL_MIN_RECIPES + 1; i++) cpSync(join(REPO, 'fixtures/example-recipe'), join(catalogue, `recipe-${i}`), { recursive: true });
    const cacheHome = join(work, 'cache-threads');
    const lint = run(['lint', '--jobs', '2', '--format', 'json', catalogue], cacheHome);
    expect(lint.stderr).toBe('');
    expect([0, 1]).toContain(lint.status);
    expect((JSON.parse(lint.stdout) as { summary: { recipes: number } }).summary.recipes).toBe(PARALLEL_MIN_RECIPES + 1);
    // The worker ran (a worker that cannot start leaves its share to the main thread, silently) and used the
    // compile cache: its entries sit beside the main thread's, under the worker's V8 flags.
    const flagSets = readdirSync(join(cacheHome, 'stacklint')).filter((d) => d.startsWith(`v${process.versions.node}-`));
    expect(flagSets).toHaveLength(2);
  });
});
