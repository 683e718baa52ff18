// A recipe repository's git tags, for R014's `gather` (run before the rules; `check` does no I/O): read with
// read-only git plumbing, with stacklint's safe git configuration (no setting can make git run a program).
import { childProcess } from '../../load/node-builtins.js';
import { realpathSync } from 'node:fs';
import { checkGitDirectory, parseConfigNames, REV_PARSE_LOCATION, safeGitEnv, safeGitPrefix } from '../../load/git.js';

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
  return childProcess().execFileSync('git', [...prefix, ...args], {
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

