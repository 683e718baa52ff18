// R014 annotated-tags: every git tag of the recipe repository is annotated (needs --git).
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { defineRule } from '../rule.js';
import type { Rule } from '../rule.js';
import { code, recipeAnchorFile } from '../kit/views.js';

export interface GitTag {
  name: string;
  /** `tag` for an annotated tag; `commit` (or another object type) for a lightweight one. */
  objectType: string;
}

export type GitTagResult = { ok: true; tags: GitTag[] } | { ok: false; error: string };

/** Reads a repository's tags; the default runs `git for-each-ref` in the recipe directory. */
export type ReadGitTags = (dir: string) => GitTagResult;

// Only read-only plumbing runs, with settings that could make git run a program switched off.
const GIT_SAFETY = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null'];
const GIT_ENV_DROP = ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_CEILING_DIRECTORIES', 'GIT_NAMESPACE'];

function git(dir: string, args: string[]): string {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  for (const k of GIT_ENV_DROP) delete env[k];
  return execFileSync('git', [...GIT_SAFETY, ...args], {
    cwd: dir,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
    maxBuffer: 16 * 1024 * 1024,
    windowsHide: true,
  });
}

export const gitForEachRefTags: ReadGitTags = (dir) => {
  try {
    const top = git(dir, ['rev-parse', '--show-toplevel']).trim();
    if (realpathSync(top) !== realpathSync(dir)) {
      return { ok: false, error: `the recipe directory is not the root of a git repository (it is inside ${top})` };
    }
    const out = git(dir, ['for-each-ref', '--format=%(objecttype) %(refname)', 'refs/tags']);
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
