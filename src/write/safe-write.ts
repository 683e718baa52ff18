// Every file stacklint writes goes through here. A recipe is someone else's repository (a pull request, a
// branch checked out to review), so a write into it:
//   - lands only on a regular file inside the root it was given (the recipe), found by walking each path
//     component with lstat: a symbolic link anywhere on the way, a FIFO, a device or a directory is refused
//     with a message saying what it is and where it points, and nothing is written;
//   - is atomic: a temporary file (O_EXCL, O_NOFOLLOW, an unguessable name) in the same directory is written,
//     fsynced and renamed over the target, whose mode it keeps; the directory is fsynced after;
//   - can be made conditional on the file still holding what was read (`expect`: its content hash), so an
//     editor's save between a read and the write is never lost.
// Files the user names on the command line (`-o FILE`) go through `writeUserFile`: anywhere, links followed.
import { nodeCrypto } from '../load/node-builtins.js';
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { describeNonFile } from '../load/read.js';
import { hashBytes } from './hash.js';
import { armCleanup, pidAlive, track, untrack } from './cleanup.js';

/**
 * A write that was refused or failed; the message names the file and says why, in one line. Commands turn
 * it into exit 2. `kind`: refused (not a regular file inside the recipe, read-only), changed (the file is
 * not what was read any more), locked (another run holds it too long), failed (the write itself: ENOSPC…).
 */
export class WriteError extends Error {
  constructor(
    readonly file: string,
    readonly kind: 'refused' | 'changed' | 'locked' | 'failed',
    message: string,
  ) {
    super(message);
  }
}

/**
 * A file read before it is rewritten: its bytes and their hash, or absent. With `maxBytes`, a larger file is
 * read only up to maxBytes + 1 bytes (`bytes.length > maxBytes` tells), and its hash matches nothing.
 */
export type ReadForWrite = { exists: true; bytes: Buffer; hash: string; mtimeMs: number } | { exists: false; hash: typeof ABSENT };

/**
 * A file modified this close before a time (or after it) may have changed while a lint was reading it: file
 * system timestamps come from a coarse kernel clock that can lag Date.now() by a few milliseconds.
 */
export const MTIME_SLACK_MS = 50;

/** True when `read` may have been changed on disk after `sinceMs` (when a lint began reading the recipe). */
export function changedSince(read: ReadForWrite, sinceMs: number): boolean {
  return read.exists && read.mtimeMs > sinceMs - MTIME_SLACK_MS;
}

/** The `expect` of a file that must not exist yet. */
export const ABSENT = 'absent';

const TEMP_SUFFIX = '.stacklint-tmp';
/** Long file names would make the temporary file's name too long for the file system. */
const NAME_PART = 100;

/** A path for messages: relative to the working directory when inside it. */
export function shown(abs: string, cwd = process.cwd()): string {
  const rel = relative(cwd, abs);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? abs : rel;
}

interface Target {
  abs: string;
  root: string;
  /** Undefined when the file does not exist yet (its directory does). */
  stat?: Stats;
}

/** The absolute path of `file` (absolute, or relative to `root`) when it is inside `root`; else a refusal. */
export function insideRoot(root: string, file: string): string {
  const base = resolve(root);
  const abs = resolve(base, file);
  const rel = relative(base, abs);
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new WriteError(abs, 'refused', `${shown(abs)} is outside ${shown(base) || base}; stacklint writes only inside the recipe`);
  }
  return abs;
}

/**
 * Walks from `root` to `file` one component at a time without following links: every directory on the
 * way must be a real directory, and the file a regular file or not there yet. `root` itself is the
 * user's choice and may be reached through links.
 */
export function inspectTarget(root: string, file: string): Target {
  const base = resolve(root);
  const abs = insideRoot(base, file);
  const parts = relative(base, abs).split(sep);
  let at = base;
  for (let i = 0; i < parts.length; i++) {
    at = join(at, parts[i]);
    const last = i === parts.length - 1;
    let st: Stats;
    try {
      st = lstatSync(at);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && last) return { abs, root: base };
      if (code === 'ENOENT') throw new WriteError(abs, 'refused', `${shown(abs)}: not written: its directory ${shown(at)} does not exist`);
      throw new WriteError(abs, 'refused', `${shown(abs)}: not written: ${errnoText(err)}`);
    }
    if (st.isSymbolicLink()) {
      const what = last ? `${shown(abs)} is ${describeLink(at, base)}` : `${shown(abs)}: not written: the directory ${shown(at)} on its path is ${describeLink(at, base)}`;
      throw new WriteError(abs, 'refused', `${what}; stacklint does not follow links here (replace it with a regular file or remove it)`);
    }
    if (!last && !st.isDirectory()) throw new WriteError(abs, 'refused', `${shown(abs)}: not written: ${shown(at)} is ${kindOf(st)}, not a directory`);
    if (last && !st.isFile()) throw new WriteError(abs, 'refused', `${shown(abs)} is ${kindOf(st)}, not a regular file; not written`);
    if (last) return { abs, root: base, stat: st };
  }
  /* c8 ignore next */
  throw new WriteError(abs, 'refused', `${shown(abs)}: not written`);
}

/** "a symbolic link to X, which leads outside the recipe (/abs)", "… which does not exist", "… to a link loop". */
function describeLink(at: string, root: string): string {
  let target = '?';
  try {
    target = readlinkSync(at);
  } catch {
    // unreadable link: said as "?"
  }
  let real: string;
  try {
    real = realpathSync(at);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') return `a symbolic link to ${target}, a loop of links`;
    return `a symbolic link to ${target}, which does not exist (a dangling link)`;
  }
  let realRoot = root;
  try {
    realRoot = realpathSync(root);
  } catch {
    // the root's own path is used as it is
  }
  const rel = relative(realRoot, real);
  const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  return `a symbolic link to ${target}${outside ? `, which leads outside the recipe (${real})` : ` (${shown(real)}, inside the recipe)`}`;
}

/** What sits at a path, in words: the read path's wording, and `a regular file` where a directory was expected. */
function kindOf(st: Stats): string {
  return describeNonFile(st) ?? 'a regular file';
}

/** Throws the WriteError `writeInside` would for where `file` is and what it is (nothing is written). */
export function assertWritable(root: string, file: string): void {
  checkWritable(inspectTarget(root, file));
}

/** Refuses a file or directory nobody may write (mode bits, checked even for root). */
function checkWritable(target: Target): void {
  const dir = dirname(target.abs);
  if (target.stat) {
    if ((target.stat.mode & 0o222) === 0) {
      throw new WriteError(target.abs, 'refused', `${shown(target.abs)} is read-only (mode ${octal(target.stat.mode)}); not written (make it writable first)`);
    }
  }
  const dirStat = statSync(dir);
  if ((dirStat.mode & 0o222) === 0) {
    throw new WriteError(target.abs, 'refused', `${shown(target.abs)}: not written: its directory ${shown(dir) || '.'} is read-only (mode ${octal(dirStat.mode)})`);
  }
}

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/** Reads `file` inside `root` as `writeInside` will find it: no link, a regular file (or absent). */
export function readForWrite(root: string, file: string, maxBytes = Infinity): ReadForWrite {
  const target = inspectTarget(root, file);
  if (!target.stat) return { exists: false, hash: ABSENT };
  const read = readNoFollow(target.abs, maxBytes + 1);
  if (read === undefined) return { exists: false, hash: ABSENT };
  return { exists: true, bytes: read.bytes, hash: read.bytes.length > maxBytes ? 'too-large' : hashBytes(read.bytes), mtimeMs: read.mtimeMs };
}

/** The file's bytes, opened without following a link and never blocking on a FIFO; undefined when absent. */
function readNoFollow(abs: string, limit = Infinity): { bytes: Buffer; mtimeMs: number } | undefined {
  let fd: number;
  try {
    fd = openSync(abs, READ_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new WriteError(abs, 'refused', `${shown(abs)} became a symbolic link; not written`);
    throw new WriteError(abs, 'failed', `${shown(abs)}: cannot read: ${errnoText(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new WriteError(abs, 'refused', `${shown(abs)} is ${kindOf(st)}, not a regular file; not written`);
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < limit) {
      const chunk = Buffer.allocUnsafe(Math.min(limit - total, Math.max(64 * 1024, st.size + 1)));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    return { bytes: Buffer.concat(chunks), mtimeMs: st.mtimeMs };
  } finally {
    closeSync(fd);
  }
}

/** The hash of what the file holds now (ABSENT when it is not there). */
function currentHash(abs: string): string {
  const read = readNoFollow(abs);
  return read === undefined ? ABSENT : hashBytes(read.bytes);
}

export interface WriteOptions {
  /**
   * The hash the file must still have (from `readForWrite`, or ABSENT for a file that must not exist):
   * otherwise the write is refused with kind 'changed'. Checked before the temporary file is written and
   * again just before it replaces the target.
   */
  expect?: string;
}

/** Writes `data` to `file` inside `root`, atomically; see the top of this file. Throws WriteError. */
export function writeInside(root: string, file: string, data: string | Uint8Array, options: WriteOptions = {}): string {
  const target = inspectTarget(root, file);
  checkWritable(target);
  const verify = (): void => {
    if (options.expect === undefined) return;
    if (currentHash(target.abs) !== options.expect) {
      throw new WriteError(target.abs, 'changed', `${shown(target.abs)} changed on disk since stacklint read it (saved by an editor or another run?); not written`);
    }
  };
  verify();
  writeAtomic(target.abs, target.stat, data, () => {
    // The last look before the rename: the path must still be what was checked, and hold what was read.
    inspectTarget(root, file);
    verify();
  });
  return target.abs;
}

/**
 * A file the user named (`-o FILE`): may be anywhere and may be a link (followed). A regular file is
 * replaced atomically; a FIFO or device (`-o /dev/stdout`) is written directly; a directory is refused.
 */
export function writeUserFile(file: string, data: string | Uint8Array): string {
  const given = resolve(file);
  let st: Stats | undefined;
  try {
    st = statSync(given);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new WriteError(given, 'failed', `${shown(given)}: not written: ${errnoText(err)}`);
  }
  if (st?.isDirectory()) throw new WriteError(given, 'refused', `${shown(given)}: not written: it is a directory`);
  if (st && !st.isFile()) {
    // A pipe, a terminal, /dev/stdout (a link to a pipe under /proc): written as it is, in place.
    let fd: number | undefined;
    try {
      fd = openSync(given, 'w');
      writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    } catch (err) {
      throw new WriteError(given, 'failed', `${shown(given)}: not written: ${errnoText(err)}`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return given;
  }
  let abs: string;
  try {
    // Through a link to the file it names (the link stays); a new file in its directory.
    abs = st ? realpathSync(given) : join(realpathSync(dirname(given)), basename(given));
  } catch (err) {
    throw new WriteError(given, 'failed', `${shown(given)}: not written: ${errnoText(err)}`);
  }
  if (st && (st.mode & 0o222) === 0) throw new WriteError(abs, 'refused', `${shown(given)} is read-only (mode ${octal(st.mode)}); not written`);
  writeAtomic(abs, st, data);
  return abs;
}

/**
 * Moves `file` inside `root` aside to `file.bak` (or `.bak.1`, `.bak.2`, … when taken), never replacing
 * anything: the move is a hard link that fails when the name exists, then an unlink. Returns the new path.
 */
export function moveAside(root: string, file: string): string {
  const target = inspectTarget(root, file);
  checkWritable(target);
  if (!target.stat) throw new WriteError(target.abs, 'failed', `${shown(target.abs)}: cannot move it aside: it does not exist`);
  for (let n = 0; n < 1000; n++) {
    const bak = `${target.abs}.bak${n === 0 ? '' : `.${n}`}`;
    try {
      linkSync(target.abs, bak);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      throw new WriteError(target.abs, 'failed', `${shown(target.abs)}: cannot move it aside to ${shown(bak)}: ${errnoText(err)}`);
    }
    unlinkSync(target.abs);
    syncDirectory(dirname(target.abs));
    return bak;
  }
  throw new WriteError(target.abs, 'failed', `${shown(target.abs)}: cannot move it aside: .bak … .bak.999 all exist`);
}

/**
 * Temporary file in the target's directory → write → fsync → `beforeRename` → rename → fsync the directory.
 * The temporary file is registered for removal on exit and on SIGINT/SIGTERM, and removed on any error.
 */
function writeAtomic(abs: string, existing: Stats | undefined, data: string | Uint8Array, beforeRename?: () => void): void {
  const dir = dirname(abs);
  sweepStaleTemps(dir, basename(abs));
  const temp = join(dir, `${tempPrefix(basename(abs))}${process.pid}.${nodeCrypto().randomBytes(8).toString('hex')}${TEMP_SUFFIX}`);
  let fd: number | undefined;
  armCleanup();
  try {
    try {
      fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, existing ? 0o600 : 0o666);
    } catch (err) {
      throw new WriteError(abs, 'failed', `${shown(abs)}: not written: ${errnoText(err)}`);
    }
    track(temp);
    try {
      if (existing) {
        fchmodSync(fd, existing.mode & 0o7777);
        if (process.getuid?.() === 0 && (existing.uid !== 0 || existing.gid !== 0)) fchownSync(fd, existing.uid, existing.gid);
      }
      writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } catch (err) {
      throw new WriteError(abs, 'failed', `${shown(abs)}: not written: ${errnoText(err)}; the file is unchanged`);
    } finally {
      closeSync(fd);
    }
    beforeRename?.();
    try {
      renameSync(temp, abs);
    } catch (err) {
      throw new WriteError(abs, 'failed', `${shown(abs)}: not written: ${errnoText(err)}; the file is unchanged`);
    }
    untrack(temp);
    syncDirectory(dir);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // never made, or already renamed
    }
    untrack(temp);
    throw err;
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
}

function tempPrefix(name: string): string {
  return `${hiddenName(name)}.`;
}

/** `.NAME` (a dot-file already keeps its one dot), cut short so that suffixes still fit in a file name. */
export function hiddenName(name: string): string {
  return `.${name.replace(/^\./, '').slice(0, NAME_PART)}`;
}

/** Temporary files a killed run (SIGKILL, power loss) left for this target: removed once their process is gone. */
function sweepStaleTemps(dir: string, name: string): void {
  const prefix = tempPrefix(name);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith(TEMP_SUFFIX)) continue;
    const pid = Number(entry.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || pidAlive(pid)) continue;
    try {
      if (lstatSync(join(dir, entry)).isFile()) unlinkSync(join(dir, entry));
    } catch {
      // another run swept it first
    }
  }
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a directory; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const ERRNO_TEXT: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EFBIG: 'file too large (the file size limit, `ulimit -f`, was reached)',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EIO: 'input/output error',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'a symbolic link where none may be',
  EISDIR: 'it is a directory',
  ENAMETOOLONG: 'file name too long',
};

export function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && ERRNO_TEXT[code]) ?? (err as Error).message;
}
