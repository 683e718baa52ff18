// The pre-commit hooks, for real: Debian's `pre-commit` installs this repository (copied into a
// temporary git repository and committed: "a local commit") as a hook source, in temporary recipe
// repositories; `pre-commit run --all-files` fails on the R011 fixture and passes on a clean recipe.
// Nothing is skipped: without pre-commit installed this test fails and says how to install it.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { git, TempRepo } from './helpers.js';
import { FIXED, RECIPE } from './recipes.js';

const REPO_ROOT = resolve(__dirname, '../..');
const INSTALL_TIMEOUT = 600_000;

function preCommitVersion(): string | undefined {
  const r = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** This repository's sources as a fresh git repository with one commit (no node_modules, no dist). */
function hookSource(dir: string): string {
  const skip = new Set(['node_modules', 'dist', '.git', 'coverage']);
  cpSync(REPO_ROOT, dir, {
    recursive: true,
    filter: (src) => src === REPO_ROOT || !(skip.has(basename(src)) || src.endsWith('.log')),
  });
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'stacklint under test');
  return git(dir, 'rev-parse', 'HEAD').trim();
}

/** The scenario recipe with its one finding fixed: nothing to report. */
const CLEAN_RECIPE = { ...RECIPE, 'compose.yml': FIXED };

/**
 * The documented configurations (docs/ci-examples/), as a user would copy them: the remote hook source
 * pointed at the local commit instead, or the `repo: local` one verbatim.
 */
function preCommitConfig(variant: Variant): string {
  if (variant === 'local') return readFileSync(join(REPO_ROOT, 'docs/ci-examples/pre-commit-local.yaml'), 'utf8');
  const text = readFileSync(join(REPO_ROOT, 'docs/ci-examples/pre-commit-config.yaml'), 'utf8');
  const doc = parse(text);
  expect(doc.repos[0]).toEqual({ repo: 'https://git.coopcloud.tech/toolshed/stacklint', rev: 'main', hooks: [{ id: 'stacklint' }] });
  const local = text.replace('repo: https://git.coopcloud.tech/toolshed/stacklint', `repo: ${JSON.stringify(source)}`).replace('rev: main', `rev: ${rev}`);
  return variant === 'remote-system' ? local.replace('- id: stacklint', '- id: stacklint-system') : local;
}

let work: string;
let source: string;
let rev: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'stacklint-test-precommit-')));
  source = join(work, 'stacklint');
  rev = hookSource(source);
  // A private pre-commit cache, so the hook really is installed from the commit; stacklint on PATH
  // for the `language: system` hooks (a shim running this checkout's sources).
  const bin = join(work, 'bin');
  mkdirSync(bin);
  const tsx = join(REPO_ROOT, 'node_modules/tsx/dist/esm/index.mjs');
  writeFileSync(join(bin, 'stacklint'), `#!/bin/sh\nexec node --import ${JSON.stringify(tsx)} ${JSON.stringify(join(REPO_ROOT, 'cli/main.ts'))} "$@"\n`);
  chmodSync(join(bin, 'stacklint'), 0o755);
  // `language: node` runs the hook with the machine's node, and pre-commit's nodeenv looks for `nodejs`
  // before `node`: Debian's nodejs (Node 20 here) is older than stacklint supports. This suite's node it is.
  symlinkSync(process.execPath, join(bin, 'nodejs'));
  symlinkSync(process.execPath, join(bin, 'node'));
  env = {
    ...process.env,
    PRE_COMMIT_HOME: join(work, 'cache'),
    PATH: `${bin}:${process.env.PATH}`,
    GIT_AUTHOR_NAME: 'stacklint tests',
    GIT_AUTHOR_EMAIL: 'tests@stacklint.invalid',
    GIT_COMMITTER_NAME: 'stacklint tests',
    GIT_COMMITTER_EMAIL: 'tests@stacklint.invalid',
    NO_COLOR: '1',
  };
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
}, 120_000);

type Variant = 'remote' | 'remote-system' | 'local';

function recipeRepo(files: Record<string, string>, variant: Variant): TempRepo {
  const r = new TempRepo();
  r.write({ ...files, '.pre-commit-config.yaml': preCommitConfig(variant) });
  git(r.dir, 'add', '-A');
  return r;
}

function preCommit(cwd: string, ...args: string[]) {
  const r = spawnSync('pre-commit', ['run', '--color=never', ...args], { cwd, env, encoding: 'utf8', timeout: INSTALL_TIMEOUT });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

function exampleRecipe(): Record<string, string> {
  const dir = join(REPO_ROOT, 'fixtures/example-recipe');
  return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
}

describe('.pre-commit-hooks.yaml', () => {
  it('declares the hooks as the issue asks: node, the recipe dir once, on recipe files', () => {
    const hooks = parse(readFileSync(join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
    const byId = new Map(hooks.map((h) => [h.id, h]));
    const node = byId.get('stacklint')!;
    expect(node).toMatchObject({ language: 'node', pass_filenames: false, entry: 'stacklint lint', args: ['.'] });
    expect(byId.get('stacklint-system')).toMatchObject({ language: 'system', pass_filenames: false, entry: 'stacklint lint' });
    const files = new RegExp(node.files as string);
    for (const f of ['compose.yml', 'compose.smtpauth.yml', 'recipes/x/compose.oidc.yaml', '.env.sample', 'abra.sh', 'Caddyfile.tmpl', 'nginx/default.conf.tmpl', '.stacklint-baseline.json']) {
      expect(files.test(f), f).toBe(true);
    }
    // A plain swarm stack's files, by docker's and the community's names.
    for (const f of ['docker-compose.yml', 'docker-compose.prod.yaml', 'docker-stack.yml', 'stacks/web/docker-stack.yaml', 'stack.yml', 'stack.prod.yml', 'traefik.stack.yml', 'app-stack.yaml', 'swarm.yml', '.env.example', '.env.dist']) {
      expect(files.test(f), f).toBe(true);
    }
    for (const f of ['README.md', 'docker-compose.override.md', 'notcompose.yml', 'abra.sh.bak', '.env', 'stackoverflow.yml', 'haystack.yml', 'docker-stack.yml.bak']) expect(files.test(f), f).toBe(false);
    // The documented `repo: local` hook watches the same files.
    const local = parse(readFileSync(join(REPO_ROOT, 'docs/ci-examples/pre-commit-local.yaml'), 'utf8')).repos[0].hooks[0];
    expect(local).toMatchObject({ id: 'stacklint', entry: 'stacklint lint .', language: 'system', pass_filenames: false, files: node.files });
  });
});

describe("the CI examples' install command", () => {
  it(
    'npm install --prefix DIR git+URL#REV builds a working stacklint (here from the local commit)',
    () => {
      const line = readFileSync(join(REPO_ROOT, 'docs/ci-examples/drone.yml'), 'utf8')
        .split('\n')
        .map((l) => l.trim().replace(/^- /, ''))
        .find((l) => l.startsWith('npm install'))!;
      expect(line).toBe('npm install --prefix /opt/stacklint --no-audit --no-fund git+https://git.coopcloud.tech/toolshed/stacklint.git#main');
      const prefix = join(work, 'opt-stacklint');
      const args = line
        .split(' ')
        .slice(1)
        .map((w) => (w === '/opt/stacklint' ? prefix : w.startsWith('git+https://') ? `git+file://${source}#${rev}` : w));
      const install = spawnSync('npm', args, { env, encoding: 'utf8', timeout: INSTALL_TIMEOUT });
      expect(install.status, `${install.stdout}${install.stderr}`).toBe(0);
      const recipe = join(work, 'example-recipe');
      cpSync(join(REPO_ROOT, 'fixtures/example-recipe'), recipe, { recursive: true });
      const run = spawnSync(join(prefix, 'node_modules/.bin/stacklint'), ['lint', '--format', 'compact', '.'], { cwd: recipe, env, encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(1);
      expect(run.stdout).toMatch(/^compose\.smtpauth\.yml:\d+:\d+: error R011/m);
    },
    INSTALL_TIMEOUT,
  );
});

describe('pre-commit, for real', () => {
  it('is installed (Debian: apt-get install pre-commit; .ci/run installs it)', () => {
    const version = preCommitVersion();
    expect(version, 'pre-commit is not installed: run `apt-get update && apt-get install -y pre-commit` (or `pip install pre-commit`); this test does not skip').toBeDefined();
  });

  it(
    'stacklint (language: node) installs from a local commit, fails on the R011 fixture and passes on a clean recipe',
    () => {
      expect(preCommitVersion(), 'pre-commit is not installed: apt-get install pre-commit').toBeDefined();
      const failing = recipeRepo(exampleRecipe(), 'remote');
      const clean = recipeRepo(CLEAN_RECIPE, 'remote');
      try {
        const bad = preCommit(failing.dir, '--all-files');
        expect(bad.code, bad.output).toBe(1);
        expect(bad.output).toMatch(/stacklint\.+Failed/);
        expect(bad.output).toContain('R011');
        expect(bad.output).toContain('compose.smtpauth.yml');

        const good = preCommit(clean.dir, '--all-files');
        expect(good.code, good.output).toBe(0);
        expect(good.output).toMatch(/stacklint\.+Passed/);

        // Only recipe files trigger it.
        const untouched = preCommit(failing.dir, '--files', 'README.md');
        expect(untouched.code, untouched.output).toBe(0);
        expect(untouched.output).toMatch(/stacklint\.+\(no files to check\)Skipped/);
      } finally {
        failing.dispose();
        clean.dispose();
      }
    },
    INSTALL_TIMEOUT,
  );

  it(
    'stacklint-system, and the documented `repo: local` hook (language: system), run the stacklint on PATH',
    () => {
      expect(preCommitVersion(), 'pre-commit is not installed: apt-get install pre-commit').toBeDefined();
      for (const variant of ['remote-system', 'local'] as const) {
        const failing = recipeRepo(exampleRecipe(), variant);
        const clean = recipeRepo(CLEAN_RECIPE, variant);
        try {
          const bad = preCommit(failing.dir, '--all-files');
          expect(bad.code, bad.output).toBe(1);
          expect(bad.output).toContain('R011');
          const good = preCommit(clean.dir, '--all-files');
          expect(good.code, good.output).toBe(0);
          expect(good.output).toMatch(/stacklint\.+Passed/);
        } finally {
          failing.dispose();
          clean.dispose();
        }
      }
    },
    INSTALL_TIMEOUT,
  );

  it(
    'on a plain swarm stack (docker-stack.yml, no recipe files) the hook runs when the stack file changes and fails on its defect',
    () => {
      expect(preCommitVersion(), 'pre-commit is not installed: apt-get install pre-commit').toBeDefined();
      const stack = (replicas: string) => ({ 'docker-stack.yml': `version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    deploy:\n      replicas: ${replicas}\n` });
      const broken = recipeRepo(stack('two'), 'local');
      const fine = recipeRepo(stack('2'), 'local');
      try {
        const bad = preCommit(broken.dir, '--files', 'docker-stack.yml');
        expect(bad.code, bad.output).toBe(1);
        expect(bad.output).toMatch(/stacklint\.+Failed/);
        expect(bad.output).toContain('docker-stack.yml');
        expect(bad.output).toContain('replicas');
        expect(bad.output).not.toMatch(/R0(08|09|12)/);
        const good = preCommit(fine.dir, '--files', 'docker-stack.yml');
        expect(good.code, good.output).toBe(0);
        expect(good.output).toMatch(/stacklint\.+Passed/);
      } finally {
        broken.dispose();
        fine.dispose();
      }
    },
    INSTALL_TIMEOUT,
  );
});
