// Git as data, not as a program. Every git stacklint runs (`lint --base`, R014's tags, the ladder's scratch
// clones) reads objects and refs with a fixed, minimal configuration: no system or global config, no hooks,
// no fsmonitor, no pager, no transport, and every command a repository's own .git/config can name (filters,
// textconv, diff and merge drivers, ssh commands, …) overridden with an empty value. The commands stacklint
// runs (rev-parse, ls-tree, cat-file --batch, for-each-ref, merge-base) apply no filters in the first place;
// the overrides are a second wall. `.git` files and `commondir` links that lead to another repository are
// checked by `checkGitDirectory`.
import { childProcess } from './node-builtins.js';
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface GitSafetyOptions {
  /** The ladder clones local paths: allow git's `file` protocol (every other transport stays off). */
  allowFileProtocol?: boolean;
}

/**
 * `-c` overrides for every setting in git that names a program and could come from a repository's config
 * (see git-config(1)). Empty values switch a command off; hooks point at /dev/null.
 */
export function gitSafetyArgs(options: GitSafetyOptions = {}): string[] {
  const pairs = [
    'core.fsmonitor=false',
    'core.hooksPath=/dev/null',
    'core.pager=cat',
    'core.editor=false',
    'core.askPass=',
    'core.sshCommand=false',
    'core.gitProxy=',
    'core.alternateRefsCommand=',
    'core.untrackedCache=false',
    'diff.external=',
    'credential.helper=',
    'uploadpack.packObjectsHook=',
    'gpg.program=false',
    'sequence.editor=false',
    'protocol.allow=never',
    ...(options.allowFileProtocol ? ['protocol.file.allow=always'] : []),
    'protocol.ext.allow=never',
    'submodule.recurse=false',
    'fetch.recurseSubmodules=false',
  ];
  return ['--no-pager', '--no-replace-objects', ...pairs.flatMap((p) => ['-c', p])];
}

/** Per-name settings that run a program: `filter.<driver>.clean`, `diff.<driver>.textconv`, … */
const DRIVER_COMMAND = /^(filter\.[^\0]+\.(clean|smudge|process)|diff\.[^\0]+\.(textconv|command)|merge\.[^\0]+\.driver|remote\.[^\0]+\.(uploadpack|receivepack|vcs))$/i;

/**
 * `-c NAME=` for each configured setting (names as `git config --list --name-only -z` prints them) that names
 * a program per driver or remote, so that no filter, textconv or diff driver the repository defines can run.
 */
export function driverOverrides(configNames: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of new Set(configNames)) {
    if (!DRIVER_COMMAND.test(name)) continue;
    // `-c` splits at the first '='; a name holding one cannot be overridden, and git refuses such names anyway.
    if (name.includes('=')) continue;
    out.push('-c', `${name}=`);
    if (/^filter\./i.test(name)) out.push('-c', `${name.replace(/\.[^.]+$/, '')}.required=false`);
  }
  return out;
}

/** Parses `git config --list --name-only -z` output. */
export function parseConfigNames(output: string): string[] {
  return output.split('\0').map((n) => n.trim()).filter((n) => n !== '');
}

let safeDirectories: string[] | undefined;

/**
 * The `safe.directory` entries of the user's own (global and system) config, forwarded on the command line:
 * those files are not read (GIT_CONFIG_GLOBAL=/dev/null), but a CI job that marked its checkout safe there
 * must keep working. Read once, with `git config`, which runs nothing.
 */
function trustedSafeDirectories(): string[] {
  if (safeDirectories) return safeDirectories;
  const env = withoutGitVariables(process.env);
  const found: string[] = [];
  for (const scope of ['--system', '--global']) {
    try {
      const out = childProcess().execFileSync('git', ['config', scope, '-z', '--get-all', 'safe.directory'], {
        env,
        cwd: '/',
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 10_000,
        maxBuffer: 1024 * 1024,
      });
      found.push(...out.split('\0').filter((d) => d !== ''));
    } catch {
      // None set (git exits 1), or no git: nothing to forward.
    }
  }
  safeDirectories = found;
  return found;
}

/** `-c safe.directory=…` for what the user trusts (see trustedSafeDirectories). */
export function safeDirectoryArgs(): string[] {
  return trustedSafeDirectories().flatMap((d) => ['-c', `safe.directory=${d}`]);
}

function withoutGitVariables(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) if (!key.startsWith('GIT_')) env[key] = value;
  return env;
}

/**
 * git's environment: the caller's without any GIT_* variable (inside a hook they point at another repository;
 * GIT_CONFIG_*, GIT_SSH_COMMAND, GIT_EXTERNAL_DIFF could name programs), with no system or global config,
 * no prompts, no lazy fetches, no optional locks.
 */
export function safeGitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return {
    ...withoutGitVariables(base),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_NO_LAZY_FETCH: '1',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_NO_REPLACE_OBJECTS: '1',
    LC_ALL: 'C',
  };
}

/** Everything before a git subcommand: safety overrides, forwarded safe.directory, per-repository drivers. */
export function safeGitPrefix(configNames: readonly string[] = [], options: GitSafetyOptions = {}): string[] {
  return [...gitSafetyArgs(options), ...safeDirectoryArgs(), ...driverOverrides(configNames)];
}

export type GitDirectoryCheck = { ok: true } | { ok: false; reason: string };

/**
 * Whether the git directory git found for the work tree `top` belongs to it: the `.git` directory inside it
 * (its `commondir`, if any, inside it too); a linked worktree's `.git` file whose administrative directory
 * (`<common>/worktrees/<name>`) names this very `.git` file back (git writes that link when it makes the
 * worktree: a `.git` file cannot claim another repository's worktree); or a submodule's `.git` file naming
 * `<superproject>/.git/modules/…` of a superproject whose tree holds `top`. Anything else — a `.git` file or
 * link (or a `commondir`) leading to another repository — is refused: its refs and objects are not the
 * recipe's.
 * `gitDir` and `commonDir` are what `git rev-parse --path-format=absolute --git-dir --git-common-dir` printed.
 */
export function checkGitDirectory(top: string, gitDir: string, commonDir: string): GitDirectoryCheck {
  const realTop = realOr(top);
  const realGit = realOr(gitDir);
  const realCommon = realOr(commonDir);
  const dotGit = join(realTop, '.git');
  if (isWithin(realTop, realGit) && isWithin(realTop, realCommon)) return { ok: true };
  if (isSubmoduleDir(realTop, realGit) && (realCommon === realGit || isSubmoduleDir(realTop, realCommon))) return { ok: true };
  if (isWorktreeOf(realGit, realCommon, dotGit)) return { ok: true };
  const where = realGit === realCommon ? realGit : `${realGit} (objects and refs in ${realCommon})`;
  return { ok: false, reason: `its .git leads to ${where}, another repository (not a worktree or submodule of this one)` };
}

function isWorktreeOf(realGit: string, realCommon: string, dotGit: string): boolean {
  if (dirname(realGit) !== join(realCommon, 'worktrees')) return false;
  let back: string;
  try {
    back = readFileSync(join(realGit, 'gitdir'), 'utf8').trim();
  } catch {
    return false;
  }
  return realOr(back) === dotGit;
}

function isSubmoduleDir(realTop: string, dir: string): boolean {
  const marker = `${sep}.git${sep}modules${sep}`;
  const at = dir.indexOf(marker);
  if (at < 0) return false;
  return isWithin(dir.slice(0, at) || sep, realTop);
}

function isWithin(root: string, p: string): boolean {
  const back = relative(root, p);
  return !(back === '..' || back.startsWith(`..${sep}`) || isAbsolute(back));
}

function realOr(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return resolve(p);
  }
}

/** `git rev-parse` arguments whose three output lines `checkGitDirectory` takes (top, git dir, common dir). */
export const REV_PARSE_LOCATION = ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-dir', '--git-common-dir'];

/**
 * The git work tree a directory lies in: the nearest directory at or above it (links resolved) that holds a
 * `.git` directory or file. Found on disk, without running git; undefined outside any repository.
 */
export function workTreeOf(dir: string): string | undefined {
  let current: string;
  try {
    current = realpathSync.native(dir);
  } catch {
    return undefined;
  }
  for (;;) {
    try {
      lstatSync(join(current, '.git'));
      return current;
    } catch {
      // not here: one level up
    }
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}
