// Materialising a recipe at a git revision: from git's objects, never touching the user's tree.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GateError, materialise, repoLocation, resolveCommit, TempDir } from '../../src/gate/git.js';
import { git, TempRepo } from './helpers.js';

const repos: TempRepo[] = [];
const temps: TempDir[] = [];
function repo(): TempRepo {
  const r = new TempRepo();
  repos.push(r);
  return r;
}
function scratch(): string {
  const t = new TempDir('stacklint-test-dest-');
  temps.push(t);
  return t.path;
}
afterEach(() => {
  for (const r of repos.splice(0)) r.dispose();
  for (const t of temps.splice(0)) t.dispose();
});

describe('repoLocation / resolveCommit', () => {
  it('finds the top and the prefix of a recipe in a subdirectory', async () => {
    const r = repo().write({ 'recipes/a b/compose.yml': 'services: {}\n' });
    r.commit('one');
    expect(await repoLocation(r.path('recipes/a b'))).toEqual({ top: r.dir, prefix: 'recipes/a b/' });
    expect(await repoLocation(r.dir)).toEqual({ top: r.dir, prefix: '' });
  });

  it('refuses a directory outside any repository', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'stacklint-test-norepo-')));
    try {
      // Make sure no repository above the temp dir claims it.
      await expect(repoLocation(dir)).rejects.toThrow(GateError);
      await expect(repoLocation(dir)).rejects.toThrow(/not inside a git repository/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resolves branches, tags, HEAD~1 and abbreviated commits; refuses unknown ones and options', async () => {
    const r = repo().write({ 'compose.yml': 'a\n' });
    const first = r.commit('one');
    git(r.dir, 'tag', 'v1');
    r.write({ 'compose.yml': 'b\n' });
    const second = r.commit('two');
    expect(await resolveCommit(r.dir, 'HEAD~1')).toBe(first);
    expect(await resolveCommit(r.dir, 'v1')).toBe(first);
    expect(await resolveCommit(r.dir, 'main')).toBe(second);
    expect(await resolveCommit(r.dir, first.slice(0, 10))).toBe(first);
    await expect(resolveCommit(r.dir, 'origin/nope')).rejects.toThrow(/no such commit.*fetch it first/);
    await expect(resolveCommit(r.dir, '--output=/tmp/x')).rejects.toThrow(GateError);
  });

  it('A...B and A... name the merge base, as a pull request diff does', async () => {
    const r = repo().write({ 'compose.yml': 'a\n' });
    const fork = r.commit('fork point');
    git(r.dir, 'checkout', '-q', '-b', 'feature');
    r.write({ 'compose.yml': 'feature\n' });
    const feature = r.commit('feature');
    git(r.dir, 'checkout', '-q', 'main');
    r.write({ 'compose.yml': 'main moved on\n' });
    r.commit('main');
    git(r.dir, 'checkout', '-q', 'feature');
    expect(await resolveCommit(r.dir, 'main...')).toBe(fork);
    expect(await resolveCommit(r.dir, 'main...feature')).toBe(fork);
    expect(await resolveCommit(r.dir, 'feature...feature')).toBe(feature);
    await expect(resolveCommit(r.dir, 'nope...')).rejects.toThrow(/--base nope: no such commit/);
    // Unrelated histories have no merge base.
    git(r.dir, 'checkout', '-q', '--orphan', 'other');
    r.write({ 'compose.yml': 'x\n' });
    r.commit('unrelated');
    await expect(resolveCommit(r.dir, 'main...')).rejects.toThrow(/no common ancestor/);
  });
});

describe('materialise', () => {
  it('writes the recipe as it was at the revision, leaving the working tree alone', async () => {
    const r = repo().write({ 'recipes/app/compose.yml': 'old\n', 'recipes/app/abra.sh': 'export A=1\n', 'recipes/other/compose.yml': 'x\n' });
    const old = r.commit('old');
    r.write({ 'recipes/app/compose.yml': 'new\n', 'recipes/app/compose.extra.yml': 'added\n' });
    r.commit('new');
    r.write({ 'recipes/app/compose.yml': 'uncommitted\n' });
    const before = r.status();
    const dest = scratch();
    const at = await materialise(r.dir, old, 'recipes/app/', dest);
    expect(at).toBe(join(dest, 'recipes/app'));
    expect(readFileSync(join(at!, 'compose.yml'), 'utf8')).toBe('old\n');
    expect(readFileSync(join(at!, 'abra.sh'), 'utf8')).toBe('export A=1\n');
    expect(existsSync(join(at!, 'compose.extra.yml'))).toBe(false);
    // Only the recipe is read, not its neighbours; the archive itself is gone.
    expect(existsSync(join(dest, 'recipes/other'))).toBe(false);
    expect(readdirSync(dest)).toEqual(['recipes']);
    // The user's tree and index are untouched.
    expect(r.status()).toBe(before);
    expect(readFileSync(r.path('recipes/app/compose.yml'), 'utf8')).toBe('uncommitted\n');
  });

  it('returns undefined when the recipe did not exist at the revision', async () => {
    const r = repo().write({ 'README.md': 'hi\n' });
    const old = r.commit('old');
    r.write({ 'recipes/new/compose.yml': 'x\n' });
    r.commit('new');
    expect(await materialise(r.dir, old, 'recipes/new/', scratch())).toBeUndefined();
  });

  it('takes directory names literally: glob characters, spaces, a leading dash, quotes', async () => {
    const names = ['a*', 'b [x]', '-rf', "it's $(touch pwned)"];
    const r = repo();
    for (const n of names) r.write({ [`${n}/compose.yml`]: `${n}\n` });
    r.write({ 'ab/compose.yml': 'must not match a*\n' });
    const c = r.commit('names');
    for (const n of names) {
      const dest = scratch();
      const at = await materialise(r.dir, c, `${n}/`, dest);
      expect(readFileSync(join(at!, 'compose.yml'), 'utf8')).toBe(`${n}\n`);
      expect(readdirSync(dest)).toEqual([n]);
    }
    expect(existsSync(join(r.dir, 'pwned'))).toBe(false);
  });

  it('materialises a recipe at the repository top, symlinks included', async () => {
    const r = repo().write({ 'compose.yml': 'top\n', 'configs/nginx.conf.tmpl': 'conf\n' });
    git(r.dir, 'config', 'core.symlinks', 'true');
    const { symlinkSync } = await import('node:fs');
    symlinkSync('configs/nginx.conf.tmpl', join(r.dir, 'link.tmpl'));
    const c = r.commit('top');
    const dest = scratch();
    const at = await materialise(r.dir, c, '', dest);
    expect(at).toBe(dest);
    expect(readFileSync(join(dest, 'compose.yml'), 'utf8')).toBe('top\n');
    expect(lstatSync(join(dest, 'link.tmpl')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dest, 'link.tmpl'))).toBe('configs/nginx.conf.tmpl');
  });

  it("writes files the commit's export-ignore attributes would leave out of the archive", async () => {
    const r = repo().write({ 'compose.yml': 'base\n', 'compose.smtp.yml': 'overlay\n', '.gitattributes': 'compose.smtp.yml export-ignore\n' });
    const c = r.commit('attrs');
    const dest = scratch();
    await materialise(r.dir, c, '', dest);
    expect(readFileSync(join(dest, 'compose.smtp.yml'), 'utf8')).toBe('overlay\n');
  });
});

describe('TempDir', () => {
  it('is removed on dispose, contents and all', () => {
    const t = new TempDir('stacklint-test-tmp-');
    mkdirSync(join(t.path, 'a/b'), { recursive: true });
    t.dispose();
    expect(existsSync(t.path)).toBe(false);
    t.dispose(); // twice is fine
  });
});
