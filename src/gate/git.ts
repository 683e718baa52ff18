// Reads a recipe as it was at a git revision, from git's objects, into a private temporary directory: never
// by checking anything out over the user's tree, never through `git archive` (it runs the repository's
// filters). Every git call is an argument array (no shell) with stacklint's safe configuration
// (src/load/git.ts: no hooks, filters, drivers, pager or transport), in its own process group, killed with
// its group when the run is interrupted or a time limit passes.
import { childProcess } from '../load/node-builtins.js';
import { closeSync, constants as fsConstants, ftruncateSync, mkdirSync, mkdtempSync, openSync, realpathSync, rmSync, symlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkGitDirectory, parseConfigNames, REV_PARSE_LOCATION, safeGitEnv, safeGitPrefix } from '../load/git.js';
import { READ_LIMITS } from '../load/read.js';
import { undoOnInterrupt } from './cleanup.js';

/** A problem with --base that the user can fix (not a repository, unknown revision): exit 2. */
export class GateError extends Error {}

/** The directory is in no git repository. */
export class NotARepositoryError extends GateError {}

/** What a base tree may cost: the README's Limits table. */
export const BASE_LIMITS = {
  /** Tree entries (files, links) read from a revision. */
  maxEntries: 200_000,
  /** Bytes of file content written for a revision; larger files (over READ_LIMITS.maxFileBytes) cost nothing. */
  maxBytes: 256 * 1024 * 1024,
  /** A git call that takes longer is killed (cat-file of the whole tree gets ten times as long). */
  timeoutMs: 60_000,
};

/** Output kept from a git call other than the streamed cat-file. */
const MAX_OUTPUT = 64 * 1024 * 1024;
/** Longest link target written (PATH_MAX). */
const MAX_LINK_BYTES = 4096;

interface RunResult {
  stdout: Buffer;
  stderr: string;
}

interface GitCall {
  /** Receives stdout as it arrives instead of collecting it. */
  onStdout?: (chunk: Buffer) => void;
  input?: string;
  timeoutMs?: number;
}

const driverNames = new Map<string, Promise<string[]>>();

/**
 * The setting names of the repository at `cwd` (for driverOverrides), read once per directory with `git
 * config`, which only reads files.
 */
function configNames(cwd: string): Promise<string[]> {
  let names = driverNames.get(cwd);
  if (!names) {
    names = spawnGit(cwd, safeGitPrefix(), ['config', '--list', '--name-only', '-z'], {}).then(
      (r) => parseConfigNames(r.stdout.toString('utf8')),
      () => [],
    );
    driverNames.set(cwd, names);
  }
  return names;
}

async function git(cwd: string, args: readonly string[], call: GitCall = {}): Promise<RunResult> {
  const prefix = safeGitPrefix(await configNames(cwd));
  return spawnGit(cwd, prefix, ['--literal-pathspecs', ...args], call);
}

function spawnGit(cwd: string, prefix: readonly string[], args: readonly string[], call: GitCall): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    // detached: its own process group, so that killing the group also stops anything git started.
    const child = childProcess().spawn('git', [...prefix, ...args], { cwd, env: safeGitEnv(), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let failure: Error | undefined;
    const killGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const forget = undoOnInterrupt(killGroup);
    const timer = setTimeout(() => {
      failure = new GateError(`git ${args.find((a) => !a.startsWith('-')) ?? ''} took longer than ${Math.round((call.timeoutMs ?? BASE_LIMITS.timeoutMs) / 1000)} s; stopped`);
      killGroup();
    }, call.timeoutMs ?? BASE_LIMITS.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (failure) return;
      if (call.onStdout) {
        try {
          call.onStdout(chunk);
        } catch (e) {
          failure = e as Error;
          killGroup();
        }
        return;
      }
      outBytes += chunk.length;
      if (outBytes > MAX_OUTPUT) {
        failure = new GateError(`git ${args[0]} printed more than ${MAX_OUTPUT / 1024 / 1024} MiB; stopped`);
        killGroup();
        return;
      }
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes < 64 * 1024) err.push(chunk);
      errBytes += chunk.length;
    });
    child.stdin.on('error', () => {
      // git stopped reading (it failed, or was killed): its exit reports why.
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      failure ??= e.code === 'ENOENT' ? new GateError('git is not installed (or not on PATH); --base needs it') : e;
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      forget();
      const errText = Buffer.concat(err).toString('utf8').trim();
      if (failure) reject(failure);
      else if (code !== 0) reject(Object.assign(new Error(errText || `git exited with ${code}`), { stderrText: errText, exitCode: code }));
      else resolvePromise({ stdout: Buffer.concat(out), stderr: errText });
    });
    child.stdin.end(call.input ?? '');
  });
}

export interface RepoLocation {
  /** The repository's top-level directory. */
  top: string;
  /** The directory's path inside the repository, '/'-separated with a trailing '/', or '' at the top. */
  prefix: string;
}

/**
 * Where `dir` sits in its git repository; a GateError when it is in none, or when its `.git` is a file or
 * link leading to another repository (see checkGitDirectory: worktrees and submodules are fine).
 */
export async function repoLocation(dir: string): Promise<RepoLocation> {
  let out: RunResult;
  try {
    out = await git(dir, [...REV_PARSE_LOCATION, '--show-prefix']);
  } catch (err) {
    if (err instanceof GateError) throw err;
    throw new NotARepositoryError(`${dir} is not inside a git repository; --base compares with a git revision`);
  }
  const [top, gitDir, commonDir, prefix = ''] = out.stdout.toString('utf8').split('\n');
  const check = checkGitDirectory(top, gitDir, commonDir);
  if (!check.ok) throw new GateError(`${top}: ${check.reason}; --base reads only the recipe's own repository`);
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
  /** Blob size in bytes ('-' in git's output for other objects: 0). */
  size: number;
  path: string;
}

async function listTree(top: string, commit: string, prefix: string): Promise<TreeEntry[]> {
  const args = ['ls-tree', '-r', '-z', '-l', '--full-tree', commit];
  if (prefix !== '') args.push('--', prefix);
  const out = await git(top, args);
  const entries: TreeEntry[] = [];
  for (const record of out.stdout.toString('utf8').split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, object, size] = record.slice(0, tab).split(/ +/);
    entries.push({ mode, type, object, size: Number(size) || 0, path: record.slice(tab + 1) });
    if (entries.length > BASE_LIMITS.maxEntries) {
      throw new GateError(`the tree at ${commit.slice(0, 12)} has more than ${BASE_LIMITS.maxEntries} files; over the limit for --base`);
    }
  }
  return entries;
}

/**
 * A private scratch directory (mode 0700), removed by `dispose()`, on process exit, and when the run is
 * interrupted (SIGINT, SIGTERM, SIGHUP).
 */
export class TempDir {
  readonly path: string;
  private disposed = false;
  private readonly onExit = () => this.dispose();
  private readonly forget: () => void;

  constructor(label = 'stacklint-base-') {
    this.path = realpathSync(mkdtempSync(join(tmpdir(), label)));
    process.once('exit', this.onExit);
    this.forget = undoOnInterrupt(this.onExit);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    process.removeListener('exit', this.onExit);
    this.forget();
    rmSync(this.path, { recursive: true, force: true });
  }
}

/**
 * Writes the tree at `prefix` of `commit` under `dest` (as `dest/<prefix>`) from git's objects
 * (`ls-tree` + one `cat-file --batch`): no checkout, no archive, no filters. Only regular files (mode 0644
 * or 0755), symbolic links (recorded as links, never followed: every directory on the way is one this call
 * made, and files are created with O_EXCL|O_NOFOLLOW) and empty directories for submodules are written;
 * paths with `.`, `..` or `.git` components, and entries that collide with one written before, are left
 * out. A file over the read limit is not fetched: a sparse placeholder of its size makes the base lint report
 * it as too large, as the working tree's does. Returns the directory that corresponds to `prefix`, or
 * undefined when that path did not exist at the commit (a recipe added since: everything in it is new).
 */
export async function materialise(top: string, commit: string, prefix: string, dest: string): Promise<string | undefined> {
  const entries = await listTree(top, commit, prefix);
  if (entries.length === 0) return undefined;
  const writer = new TreeWriter(dest);
  const fetched: TreeEntry[] = [];
  let bytes = 0;
  for (const e of entries) {
    if (!writer.acceptable(e.path)) continue;
    if (e.type === 'commit') writer.directory(e.path);
    if (e.type !== 'blob') continue;
    const isLink = e.mode === '120000';
    if (isLink ? e.size > MAX_LINK_BYTES : e.size > READ_LIMITS.maxFileBytes) {
      if (!isLink) writer.placeholder(e.path, e.size, e.mode);
      continue;
    }
    bytes += e.size;
    if (bytes > BASE_LIMITS.maxBytes) {
      throw new GateError(
        `the tree at ${commit.slice(0, 12)} holds more than ${BASE_LIMITS.maxBytes / 1024 / 1024} MiB of files; over the limit for --base`,
      );
    }
    fetched.push(e);
  }
  if (fetched.length > 0) await catFileBatch(top, fetched, writer);
  return resolve(dest, prefix);
}

/** Streams `git cat-file --batch` for `entries` (blobs, in order) into the writer. */
async function catFileBatch(top: string, entries: readonly TreeEntry[], writer: TreeWriter): Promise<void> {
  let index = 0;
  let header = Buffer.alloc(0);
  let remaining = -1; // bytes of the current object's content still to come; -1 while reading a header
  let separator = false; // the '\n' after each object's content
  let sink: BlobSink | undefined;
  const onStdout = (chunk: Buffer) => {
    let at = 0;
    while (at < chunk.length) {
      if (separator) {
        at++;
        separator = false;
        continue;
      }
      if (remaining < 0) {
        const nl = chunk.indexOf(0x0a, at);
        if (nl < 0) {
          header = Buffer.concat([header, chunk.subarray(at)]);
          if (header.length > 200) throw new GateError('git cat-file: unexpected output');
          return;
        }
        const line = Buffer.concat([header, chunk.subarray(at, nl)]).toString('utf8');
        header = Buffer.alloc(0);
        at = nl + 1;
        const entry = entries[index];
        const [object, type, size] = line.split(' ');
        if (!entry || object !== entry.object || type !== 'blob' || Number(size) !== entry.size) {
          throw new GateError(`git cat-file: unexpected object for ${entry?.path ?? '(none)'}: ${line.slice(0, 80)}`);
        }
        sink = writer.open(entry);
        remaining = entry.size;
        if (remaining === 0) finishObject();
        continue;
      }
      const take = Math.min(remaining, chunk.length - at);
      sink?.write(chunk.subarray(at, at + take));
      at += take;
      remaining -= take;
      if (remaining === 0) finishObject();
    }
  };
  const finishObject = () => {
    sink?.close();
    sink = undefined;
    remaining = -1;
    separator = true;
    index++;
  };
  try {
    await git(top, ['cat-file', '--batch'], {
      input: entries.map((e) => `${e.object}\n`).join(''),
      onStdout,
      timeoutMs: BASE_LIMITS.timeoutMs * 10,
    });
  } finally {
    sink?.close();
  }
  if (index !== entries.length) throw new GateError(`git cat-file: ${entries.length - index} objects missing from its output`);
}

interface BlobSink {
  write(chunk: Buffer): void;
  close(): void;
}

const CREATE_FLAGS = fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL | fsConstants.O_NOFOLLOW;

/** Writes tree entries under `dest` without ever following a link: see `materialise`. */
class TreeWriter {
  /** Directories this writer made, relative to dest ('' is dest itself). */
  private readonly made = new Set<string>(['']);

  constructor(private readonly dest: string) {}

  /** A path that names a file inside dest: no empty, `.`, `..` or `.git` component. */
  acceptable(path: string): boolean {
    if (path.includes('\0')) return false;
    return path.split('/').every((c) => c !== '' && c !== '.' && c !== '..' && c.toLowerCase() !== '.git');
  }

  /** Makes the parent directories of `path`; false when one of them is already something else (a link). */
  private parents(path: string): boolean {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (this.made.has(dir)) continue;
      try {
        mkdirSync(join(this.dest, dir), { mode: 0o700 });
      } catch {
        return false; // EEXIST: a file or link of the tree is there; never write through it
      }
      this.made.add(dir);
    }
    return true;
  }

  directory(path: string): void {
    if (!this.parents(path) || this.made.has(path)) return;
    try {
      mkdirSync(join(this.dest, path), { mode: 0o700 });
      this.made.add(path);
    } catch {
      // Something of the tree is already there.
    }
  }

  /** A sparse file of `size` bytes, holding nothing: readers refuse it by its size, as they would the real one. */
  placeholder(path: string, size: number, mode: string): void {
    const fd = this.create(path, mode);
    if (fd === undefined) return;
    try {
      ftruncateSync(fd, size);
    } finally {
      closeSync(fd);
    }
  }

  open(entry: TreeEntry): BlobSink {
    if (entry.mode === '120000') {
      const parts: Buffer[] = [];
      return {
        write: (chunk) => parts.push(Buffer.from(chunk)),
        close: () => {
          const target = Buffer.concat(parts).toString('utf8');
          if (target === '' || target.includes('\0') || !this.parents(entry.path)) return;
          try {
            symlinkSync(target, join(this.dest, entry.path));
          } catch {
            // Something of the tree is already there.
          }
        },
      };
    }
    let fd = this.create(entry.path, entry.mode);
    return {
      write: (chunk) => {
        if (fd === undefined) return;
        let done = 0;
        while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
      },
      close: () => {
        if (fd !== undefined) closeSync(fd);
        fd = undefined;
      },
    };
  }

  private create(path: string, mode: string): number | undefined {
    if (!this.parents(path)) return undefined;
    try {
      return openSync(join(this.dest, path), CREATE_FLAGS, mode === '100755' ? 0o755 : 0o644);
    } catch {
      return undefined; // EEXIST (a colliding entry) or ELOOP: never written through
    }
  }
}
