// Reads a recipe as it was at a git revision, from git's objects, into a temporary directory: never by
// checking anything out over the user's tree. Every git and tar call is an argument array passed to
// execFile (no shell), with `--literal-pathspecs` so a directory name is never read as a glob.
import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** A problem with --base that the user can fix (not a repository, unknown revision): exit 2. */
export class GateError extends Error {}

/** The directory is in no git repository. */
export class NotARepositoryError extends GateError {}

interface RunResult {
  stdout: Buffer;
  stderr: string;
}

const MAX_BUFFER = 256 * 1024 * 1024;

// A repository's own .git/config must not make git run anything (fsmonitor, hooks): the repository
// under review may come from a stranger's pull request.
const GIT_SAFETY = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null'];

function run(cmd: string, args: readonly string[], cwd: string): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      cmd,
      cmd === 'git' ? [...GIT_SAFETY, ...args] : args,
      { cwd, encoding: 'buffer', maxBuffer: MAX_BUFFER, env: gitEnv() },
      (err, stdout, stderr) => {
        const errText = stderr.toString('utf8').trim();
        if (err) {
          const e = err as NodeJS.ErrnoException & { code?: unknown };
          if (e.code === 'ENOENT') reject(new GateError(`${cmd} is not installed (or not on PATH); --base needs it`));
          else reject(Object.assign(new Error(errText || e.message), { stderrText: errText, exitCode: e.code }));
          return;
        }
        resolvePromise({ stdout, stderr: errText });
      },
    );
  });
}

/** git's own environment, minus variables that would redirect it somewhere else than `-C dir` says. */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  // Inside a git hook these point at the hook's repository; we always name the directory ourselves.
  for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_PREFIX']) delete env[key];
  return env;
}

function git(cwd: string, args: readonly string[]): Promise<RunResult> {
  return run('git', ['--literal-pathspecs', '-c', 'core.quotePath=false', ...args], cwd);
}

export interface RepoLocation {
  /** The repository's top-level directory. */
  top: string;
  /** The directory's path inside the repository, '/'-separated with a trailing '/', or '' at the top. */
  prefix: string;
}

/** Where `dir` sits in its git repository; a GateError when it is in none. */
export async function repoLocation(dir: string): Promise<RepoLocation> {
  let out: RunResult;
  try {
    out = await git(dir, ['rev-parse', '--show-toplevel', '--show-prefix']);
  } catch (err) {
    if (err instanceof GateError) throw err;
    throw new NotARepositoryError(`${dir} is not inside a git repository; --base compares with a git revision`);
  }
  const [top, prefix = ''] = out.stdout.toString('utf8').split('\n');
  return { top, prefix };
}

/**
 * The commit a revision names; a GateError that says how to fetch it when the clone doesn't have it.
 * `A...B` (B defaults to HEAD) names their merge base, as in a pull request's diff: where the branch
 * forked from A.
 */
export async function resolveCommit(top: string, ref: string): Promise<string> {
  const dots = ref.indexOf('...', 1);
  if (dots > 0) {
    const [left, right] = [ref.slice(0, dots), ref.slice(dots + 3)];
    const a = await resolveCommit(top, left);
    const b = await resolveCommit(top, right || 'HEAD');
    try {
      return (await git(top, ['merge-base', a, b])).stdout.toString('utf8').trim();
    } catch {
      throw new GateError(
        `--base ${ref}: ${left} and ${right || 'HEAD'} have no common ancestor in this clone ` +
          '(a shallow clone? fetch more history, e.g. `git fetch --deepen=200 origin main`)',
      );
    }
  }
  if (ref === '' || ref.startsWith('-')) throw new GateError(`--base ${ref}: not a git revision`);
  try {
    const out = await git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
    return out.stdout.toString('utf8').trim();
  } catch {
    const shallow = await git(top, ['rev-parse', '--is-shallow-repository']).then(
      (r) => r.stdout.toString('utf8').trim() === 'true',
      () => false,
    );
    throw new GateError(
      `--base ${ref}: no such commit in ${top}` +
        (shallow ? ' (this clone is shallow: fetch the base first, e.g. `git fetch origin main`, or clone with full history)' : ' (fetch it first, e.g. `git fetch origin main`)'),
    );
  }
}

interface TreeEntry {
  mode: string;
  type: string;
  object: string;
  path: string;
}

async function listTree(top: string, commit: string, prefix: string): Promise<TreeEntry[]> {
  const args = ['ls-tree', '-r', '-z', '--full-tree', commit];
  if (prefix !== '') args.push('--', prefix);
  const out = await git(top, args);
  const entries: TreeEntry[] = [];
  for (const record of out.stdout.toString('utf8').split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, object] = record.slice(0, tab).split(' ');
    entries.push({ mode, type, object, path: record.slice(tab + 1) });
  }
  return entries;
}

/** A scratch directory removed by `dispose()` (and on process exit, should the caller not get there). */
export class TempDir {
  readonly path: string;
  private disposed = false;
  private readonly onExit = () => this.dispose();

  constructor(label = 'stacklint-base-') {
    this.path = realpathSync(mkdtempSync(join(tmpdir(), label)));
    process.once('exit', this.onExit);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    process.removeListener('exit', this.onExit);
    rmSync(this.path, { recursive: true, force: true });
  }
}

/**
 * Writes the tree at `prefix` of `commit` under `dest` (as `dest/<prefix>`), with `git archive | tar`.
 * Returns the directory that corresponds to `prefix`, or undefined when that path did not exist at the
 * commit (a recipe added since: everything in it is new).
 */
export async function materialise(top: string, commit: string, prefix: string, dest: string): Promise<string | undefined> {
  const entries = await listTree(top, commit, prefix);
  if (entries.length === 0) return undefined;
  const archive = join(dest, '.stacklint-base.tar');
  const archiveArgs = ['archive', '--format=tar', `--output=${archive}`, commit];
  if (prefix !== '') archiveArgs.push('--', prefix);
  await git(top, archiveArgs);
  await run('tar', ['-x', '--no-same-owner', '-f', archive, '-C', dest], dest);
  rmSync(archive, { force: true });
  // `git archive` obeys the commit's export-ignore attributes; a file it left out is written from its blob.
  for (const e of entries) {
    if (e.type !== 'blob') continue; // submodules (commits) have no content here
    const target = join(dest, e.path);
    if (pathExists(target)) continue;
    const blob = (await git(top, ['cat-file', 'blob', e.object])).stdout;
    mkdirSync(dirname(target), { recursive: true });
    if (e.mode === '120000') symlinkSync(blob.toString('utf8'), target);
    else writeFileSync(target, blob, { mode: e.mode === '100755' ? 0o755 : 0o644 });
  }
  return resolve(dest, prefix);
}

function pathExists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}
