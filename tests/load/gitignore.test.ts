// git's ignore semantics as stacklint reads them (no git run), and a submodule path that is not checked out.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ignoredBy, parseGitignore, parseGitmodules } from '../../src/load/gitignore.js';
import type { IgnoreFile } from '../../src/load/gitignore.js';
import { recipeViews } from '../../src/pipeline/recipe.js';

const files = (...entries: Array<[string, string]>): IgnoreFile[] => entries.map(([dir, text]) => ({ dir, file: `${dir}/.gitignore`, rules: parseGitignore(text) }));
const ignored = (list: IgnoreFile[], path: string) => ignoredBy(list, path) !== undefined;

describe('.gitignore patterns', () => {
  it('matches an unanchored name at any depth, an anchored one only from its directory', () => {
    const list = files(['', '.env\n/top.conf\nconf/local.yml\n']);
    expect(ignored(list, '.env')).toBe(true);
    expect(ignored(list, 'deploy/prod/.env')).toBe(true);
    expect(ignored(list, 'top.conf')).toBe(true);
    expect(ignored(list, 'sub/top.conf')).toBe(false);
    expect(ignored(list, 'conf/local.yml')).toBe(true);
    expect(ignored(list, 'x/conf/local.yml')).toBe(false);
    expect(ignored(list, '.env.example')).toBe(false);
  });

  it('takes the last matching rule, so a negation re-includes a file', () => {
    const list = files(['', '**/*.env*\n!**/*.env.example*\n']);
    expect(ignored(list, 'app/prod.env')).toBe(true);
    expect(ignored(list, 'app/.env.example')).toBe(false);
  });

  it('never re-includes a file whose directory is excluded', () => {
    const list = files(['', 'secrets/\n!secrets/keep.txt\n']);
    expect(ignored(list, 'secrets/keep.txt')).toBe(true);
    const inside = files(['', 'secrets/*\n!secrets/keep.txt\n']);
    expect(ignored(inside, 'secrets/keep.txt')).toBe(false);
    expect(ignored(inside, 'secrets/db.txt')).toBe(true);
  });

  it('applies a directory-only pattern to directories, not to a file of that name', () => {
    const list = files(['', 'data/\n']);
    expect(ignored(list, 'data')).toBe(false);
    expect(ignored(list, 'data/x.db')).toBe(true);
  });

  it('reads `**`, `?`, character classes, comments, escapes and trailing spaces', () => {
    const list = files(['', '# a comment\na/**/b.txt\nlog?.txt   \n[Cc]ert.pem\n\\#hash\nlogs/**\n']);
    expect(ignored(list, 'a/b.txt')).toBe(true);
    expect(ignored(list, 'a/x/y/b.txt')).toBe(true);
    expect(ignored(list, 'log1.txt')).toBe(true);
    expect(ignored(list, 'log12.txt')).toBe(false);
    expect(ignored(list, 'cert.pem')).toBe(true);
    expect(ignored(list, 'Cert.pem')).toBe(true);
    expect(ignored(list, '#hash')).toBe(true);
    expect(ignored(list, '# a comment')).toBe(false);
    expect(ignored(list, 'logs/today/app.log')).toBe(true);
  });

  it('lets a deeper .gitignore override a shallower one, relative to its own directory', () => {
    const list = files(['', '*.yml\n'], ['stack', '!public.yml\n/local.yml\n']);
    expect(ignored(list, 'stack/public.yml')).toBe(false);
    expect(ignored(list, 'stack/other.yml')).toBe(true);
    expect(ignored(list, 'stack/local.yml')).toBe(true);
    expect(ignoredBy(list, 'stack/local.yml')).toMatchObject({ file: 'stack/.gitignore', line: 2 });
  });
});

describe('.gitmodules', () => {
  it('lists each submodule path and url', () => {
    const text = '[submodule "prom"]\n\tpath = vendor/prom\n\turl = https://example.org/prom\n[core]\n\tpath = nope\n[submodule "elk"]\n  path = ./elk/\n';
    expect(parseGitmodules(text)).toEqual([
      { name: 'prom', path: 'vendor/prom', url: 'https://example.org/prom' },
      { name: 'elk', path: 'elk' },
    ]);
  });
});

describe('a stack whose files lie in a submodule that is not checked out', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is expected to miss them (info at the file: line); a file outside the submodule is still missing', () => {
    dir = mkdtempSync(join(tmpdir(), 'stacklint-submodule-'));
    mkdirSync(join(dir, 'swarmprom'));
    writeFileSync(join(dir, '.gitmodules'), '[submodule "swarmprom"]\n\tpath = swarmprom\n\turl = https://github.com/stefanprodan/swarmprom\n');
    writeFileSync(join(dir, 'stack.yml'), 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    env_file: swarmprom/web.env\n');
    const { recipe } = recipeViews(dir, { views: [['stack.yml']], root: dir });
    expect(recipe.absentReason('swarmprom/rules/node.yml')).toEqual({ kind: 'submodule', submodule: 'swarmprom', url: 'https://github.com/stefanprodan/swarmprom' });
    expect(recipe.absentReason('other/node.yml')).toBeUndefined();
  });
});
