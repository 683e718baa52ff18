// R014 annotated-tags: every git tag of the recipe repository is annotated (needs --git).
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { checkGitDirectory, parseConfigNames, REV_PARSE_LOCATION, safeGitEnv, safeGitPrefix } from '../load/git.js';
import { defineRule } from './rule.js';
import type { Rule } from './rule.js';
import { code, recipeAnchorFile } from './util-abra-yaml.js';

export interface GitTag {
  name: string;
  /** `tag` for an annotated tag; `commit` (or another object type) for a lightweight one. */
  objectType: string;
}

export type GitTagResult = { ok: true; tags: GitTag[] } | { ok: false; error: string };

/** Reads a repository's tags; the default runs `git for-each-ref` in the recipe directory. */
export type ReadGitTags = (dir: string) => GitTagResult;

// Only read-only plumbing runs, with stacklint's safe git configuration (src/load/git.ts).
function git(dir: string, args: string[], prefix: readonly string[]): string {
  return execFileSync('git', [...prefix, ...args], {
    cwd: dir,
    env: safeGitEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
    maxBuffer: 16 * 1024 * 1024,
    windowsHide: true,
  });
}

export const gitForEachRefTags: ReadGitTags = (dir) => {
  try {
    const names = parseConfigNames(git(dir, ['config', '--list', '--name-only', '-z'], safeGitPrefix()));
    const prefix = safeGitPrefix(names);
    const [top, gitDir, commonDir] = git(dir, REV_PARSE_LOCATION, prefix).split('\n');
    if (realpathSync(top) !== realpathSync(dir)) {
      return { ok: false, error: `the recipe directory is not the root of a git repository (it is inside ${top})` };
    }
    // A `.git` file (or link) naming another repository would show that repository's tags.
    const check = checkGitDirectory(top, gitDir, commonDir);
    if (!check.ok) return { ok: false, error: `${check.reason}; its tags are not read` };
    const out = git(dir, ['for-each-ref', '--format=%(objecttype) %(refname)', 'refs/tags'], prefix);
    const tags: GitTag[] = [];
    for (const line of out.split('\n')) {
      const sp = line.indexOf(' ');
      if (sp < 0) continue;
      tags.push({ objectType: line.slice(0, sp), name: line.slice(sp + 1).replace(/^refs\/tags\//, '') });
    }
    return { ok: true, tags };
  } catch (e) {
    const err = e as { stderr?: string; message?: string; code?: string };
    if (err.code === 'ENOENT') return { ok: false, error: 'git is not installed' };
    const text = (err.stderr || err.message || 'git failed').trim().split('\n')[0];
    return { ok: false, error: text };
  }
};

/** Builds R014 with an injectable tag reader (tests); the default export runs git. */
export function createR014(readTags: ReadGitTags = gitForEachRefTags): Rule {
  return defineRule({
    meta: {
      id: 'R014',
      name: 'annotated-tags',
      level: 'error',
      requires: 'git',
      description: 'Every git tag of the recipe repository is an annotated tag (needs `--git`).',
      details: [
        'abra\'s rule R014 ("only annotated tags used for recipe version"). abra reads recipe versions from annotated',
        'tags (their message and date are the release notes and order); a lightweight tag is not seen as a release,',
        'and abra refuses to deploy a pinned version while a lightweight tag exists, since `abra app deploy` runs the',
        'error-level lint rules. The rule reads the tags with `git for-each-ref refs/tags` in the recipe directory',
        '(which must be the repository root); nothing of the recipe is run.',
      ].join('\n'),
      fix: 'Replace the tag with an annotated one on the same commit: `git tag -a -f X X^{commit} -m "X"`, then `git push --force origin X`. `abra recipe release` creates annotated tags.',
    },
    check(ctx) {
      const anchor = { file: recipeAnchorFile(ctx), line: 1, column: 1 };
      const result = readTags(ctx.recipe.dir);
      if (!result.ok) {
        ctx.report({
          ...anchor,
          message: `could not read the recipe's git tags: ${result.error}`,
          logicalPath: 'git.tags',
          severity: 'info',
          fix: 'Run stacklint with --git on a clone of the recipe repository (the directory that holds .git).',
        });
        return;
      }
      for (const tag of result.tags) {
        if (tag.objectType === 'tag') continue;
        ctx.report({
          ...anchor,
          message: `git tag ${code(tag.name)} is a lightweight tag, not an annotated one`,
          logicalPath: `git.tags.${tag.name}`,
          fix: `Replace it in place with an annotated tag on the same commit: \`git tag -a -f ${tag.name} ${tag.name}^{commit} -m "${tag.name}"\`, then \`git push --force origin ${tag.name}\`.`,
        });
      }
    },
  });
}

export default createR014();
