// A lock per written file, so that two stacklint runs (two `baseline`s, `--fix` beside `review`, a catalogue
// run) never interleave a read-modify-write of the same file. The lock is a file beside the target,
// `.NAME.stacklint-lock`, created with O_EXCL and holding "pid hostname". A lock whose process is gone
// (killed) is stale and taken over; a live one is waited for, up to STACKLINT_LOCK_WAIT_MS (default 10 s),
// then the write is refused with a message naming the holder. Everything done under a lock is synchronous,
// so a signal cannot arrive in the middle of it (cleanup.ts removes a held lock on exit and on signals).
import { closeSync, constants, fstatSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { armCleanup, pidAlive, track, untrack } from './cleanup.js';
import { errnoText, hiddenName, inspectTarget, shown, WriteError } from './safe-write.js';

const LOCK_SUFFIX = '.stacklint-lock';
const DEFAULT_WAIT_MS = 10_000;
/** A lock file still empty after this long was left by a process killed between creating and filling it. */
const EMPTY_LOCK_STALE_MS = 2_000;
const POLL_MS = 20;

export function lockPathOf(abs: string): string {
  return join(dirname(abs), `${hiddenName(basename(abs))}${LOCK_SUFFIX}`);
}

function waitLimit(): number {
  const raw = Number(process.env.STACKLINT_LOCK_WAIT_MS);
  return Number.isFinite(raw) && raw >= 0 ? raw : DEFAULT_WAIT_MS;
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));
function sleep(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * Runs `fn` holding the locks of `files` (inside `root`), taken in sorted order so that two runs locking
 * overlapping sets cannot deadlock. `fn` must be synchronous.
 */
export function withLocks<T>(root: string, files: readonly string[], fn: () => T): T {
  const targets = [...new Set(files.map((f) => inspectTarget(root, f).abs))].sort();
  const held: string[] = [];
  try {
    for (const abs of targets) held.push(acquire(root, abs));
    return fn();
  } finally {
    for (const lock of held.reverse()) release(lock);
  }
}

function acquire(root: string, abs: string): string {
  const lock = lockPathOf(abs);
  // The lock lives in the target's directory, which inspectTarget has walked; the name itself is checked too.
  inspectTarget(root, lock);
  const deadline = Date.now() + waitLimit();
  const me = `${process.pid} ${hostname()}\n`;
  armCleanup();
  for (;;) {
    let fd: number | undefined;
    try {
      fd = openSync(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new WriteError(abs, 'failed', `${shown(abs)}: not written: cannot create its lock ${shown(lock)}: ${errnoText(err)}`);
      }
    }
    if (fd !== undefined) {
      track(lock);
      try {
        writeSync(fd, me);
      } finally {
        closeSync(fd);
      }
      return lock;
    }
    const holder = readHolder(abs, lock);
    if (holder.stale) {
      breakStale(lock, holder.text);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new WriteError(
        abs,
        'locked',
        `${shown(abs)} is being written by another stacklint (${holder.text.trim() ? `pid ${holder.text.trim()}` : 'starting'}); ` +
          `waited ${Math.round(waitLimit() / 100) / 10} s and left it unchanged. If no stacklint is running, delete ${shown(lock)}`,
      );
    }
    sleep(POLL_MS);
  }
}

function readHolder(abs: string, lock: string): { text: string; stale: boolean } {
  let fd: number;
  try {
    fd = openSync(lock, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { text: '', stale: false }; // released meanwhile: try again
    if (code === 'ELOOP') throw new WriteError(abs, 'refused', `${shown(abs)}: not written: its lock file ${shown(lock)} is a symbolic link (remove it)`);
    throw new WriteError(abs, 'failed', `${shown(abs)}: not written: cannot read its lock ${shown(lock)}: ${errnoText(err)}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new WriteError(abs, 'refused', `${shown(abs)}: not written: its lock file ${shown(lock)} is not a regular file (remove it)`);
    const buf = Buffer.alloc(256);
    const text = buf.toString('utf8', 0, readSync(fd, buf, 0, buf.length, 0));
    if (text === '') return { text, stale: Date.now() - st.mtimeMs > EMPTY_LOCK_STALE_MS };
    const [pidText, host] = text.trim().split(/\s+/);
    const pid = Number(pidText);
    // A lock from another machine (a shared file system) cannot be judged: it is waited for.
    const stale = host === hostname() && Number.isInteger(pid) && pid > 0 && !pidAlive(pid);
    return { text, stale };
  } finally {
    closeSync(fd);
  }
}

/**
 * Removes a stale lock. Two runs may find the same stale lock: the removal itself is serialised by a second
 * lock (`…-lock.break`), and under it the lock is re-read, so a fresh lock another run just took is kept.
 */
function breakStale(lock: string, seen: string): void {
  const breaker = `${lock}.break`;
  let fd: number;
  try {
    fd = openSync(breaker, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch {
    // Another run is breaking it; a breaker left by a killed run is itself stale once its process is gone.
    const holder = readHolder(breaker, breaker);
    if (holder.stale) unlinkQuietly(breaker);
    else sleep(POLL_MS);
    return;
  }
  track(breaker);
  try {
    try {
      writeSync(fd, `${process.pid} ${hostname()}\n`);
    } finally {
      closeSync(fd);
    }
    const now = readHolder(lock, lock);
    if (now.stale && now.text === seen) unlinkQuietly(lock);
  } finally {
    unlinkQuietly(breaker);
    untrack(breaker);
  }
}

function release(lock: string): void {
  unlinkQuietly(lock);
  untrack(lock);
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}
