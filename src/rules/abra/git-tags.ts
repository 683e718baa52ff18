// A recipe repository's git tags, for R014's `gather` (run before the rules; `check` does no I/O): read with
// read-only git plumbing, with every setting that could make git run a program switched off.
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';

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

