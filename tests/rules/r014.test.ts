// R014 annotated-tags reads the recipe repository's tags with `git for-each-ref`: one annotated tag passes,
// one lightweight tag is reported; a directory that is not a repository root gets an info finding.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintRecipe } from '../../src/lint/engine.js';
import { defaultConfig } from '../../src/config/index.js';
import r014, { createR014, gitForEachRefTags } from '../../src/rules/abra/r014.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'stacklint tests',
  GIT_AUTHOR_EMAIL: 'tests@stacklint.invalid',
  GIT_COMMITTER_NAME: 'stacklint tests',
  GIT_COMMITTER_EMAIL: 'tests@stacklint.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

const COMPOSE = 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27-alpine\n';

let root: string;
let repo: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'stacklint-r014-')));
  repo = join(root, 'recipe');
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'compose.yml'), COMPOSE);
  writeFileSync(join(repo, '.env.sample'), 'TYPE=recipe\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'init');
  git(repo, 'tag', '-a', '1.0.0+1.27.0', '-m', 'release 1.0.0+1.27.0');
  git(repo, 'tag', '1.0.1+1.27.1');
  mkdirSync(join(repo, 'sub'));
  writeFileSync(join(repo, 'sub', 'compose.yml'), COMPOSE);
  writeFileSync(join(repo, 'sub', '.env.sample'), 'TYPE=recipe\n'); // a recipe: R014 is a recipe convention
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function lint(dir: string, rule = r014, git = true) {
  return lintRecipe(dir, { rules: [rule], config: defaultConfig(), only: ['R014'], git });
}

describe('R014 annotated-tags', () => {
  it('reads tag types with git for-each-ref', () => {
    const result = gitForEachRefTags(repo);
    expect(result).toEqual({
      ok: true,
      tags: [
        { name: '1.0.0+1.27.0', objectType: 'tag' },
        { name: '1.0.1+1.27.1', objectType: 'commit' },
      ],
    });
  });

  it('reports the lightweight tag and not the annotated one', () => {
    const result = lint(repo);
    expect(result.findings.map((f) => [f.file, f.line, f.severity, f.message])).toEqual([
      ['compose.yml', 1, 'error', 'git tag `1.0.1+1.27.1` is a lightweight tag, not an annotated one'],
    ]);
    expect(result.findings[0].logicalPath).toBe('git.tags.1.0.1+1.27.1');
  });

  it('is skipped without --git', () => {
    const result = lint(repo, r014, false);
    expect(result.findings).toEqual([]);
    expect(result.skipped.map((s) => s.rule)).toEqual(['R014']);
  });

  it('stays silent when every tag is annotated', () => {
    const clean = join(root, 'clean');
    mkdirSync(clean);
    git(clean, 'init', '-q', '-b', 'main');
    writeFileSync(join(clean, 'compose.yml'), COMPOSE);
    git(clean, 'add', '-A');
    git(clean, 'commit', '-q', '-m', 'init');
    git(clean, 'tag', '-a', '0.1.0+1.27.0', '-m', 'first');
    expect(lint(clean).findings).toEqual([]);
  });

  it('says so (info) when the recipe directory is not the root of a repository', () => {
    const inside = lint(join(repo, 'sub'));
    expect(inside.findings.map((f) => [f.severity, f.message])).toEqual([
      ['info', expect.stringContaining('not the root of a git repository')],
    ]);
    const plain = join(root, 'plain');
    mkdirSync(plain);
    writeFileSync(join(plain, 'compose.yml'), COMPOSE);
    writeFileSync(join(plain, '.env.sample'), 'TYPE=recipe\n');
    const outside = lint(plain);
    expect(outside.findings).toHaveLength(1);
    expect(outside.findings[0].severity).toBe('info');
  });

  it('takes an injected tag reader', () => {
    const rule = createR014(() => ({ ok: true, tags: [{ name: 'v2', objectType: 'commit' }, { name: 'v3', objectType: 'tag' }] }));
    expect(lint(repo, rule).findings.map((f) => f.message)).toEqual(['git tag `v2` is a lightweight tag, not an annotated one']);
  });
});
