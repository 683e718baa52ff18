// Reads files as bytes → text, never executing anything. `readTextFile` reads a file the user named
// (`stacklint config -c FILE`, as docker would, pipes included; errors worded like Go's os errors);
// everything read from a linted repository goes through the guarded `readInside` path below.
import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync, readlinkSync, readSync, realpathSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { isAbsolute as isAbsolutePath, relative as relativePath, resolve as resolvePath } from 'node:path';

export const READ_LIMITS = {
  /** Larger compose files are refused with a finding instead of being parsed. */
  maxFileBytes: 8 * 1024 * 1024,
};

export type ReadResult =
  | { ok: true; text: string }
  | { ok: false; kind: 'missing' | 'directory' | 'permission' | 'too-large' | 'encoding' | 'other'; message: string; dockerMessage: string };

const GO_ERRNO: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ELOOP: 'too many levels of symbolic links',
  ENOTDIR: 'not a directory',
  ENAMETOOLONG: 'file name too long',
};

/** Reads `name` (as given by the user; relative to the process cwd) and decodes it as UTF-8. */
export function readTextFile(name: string, displayName = name): ReadResult {
  let bytes: Buffer;
  try {
    const st = statSync(name);
    if (st.isDirectory()) {
      return { ok: false, kind: 'directory', message: `${displayName} is a directory, not a file`, dockerMessage: `read ${displayName}: is a directory` };
    }
    if (!st.isFile() && !st.isFIFO()) {
      // A device (/dev/zero) or socket would never end; a pipe (`-c <(…)`) is read, but only up to the limit.
      const msg = `${displayName} is not a regular file`;
      return { ok: false, kind: 'other', message: msg, dockerMessage: msg };
    }
    if (st.size > READ_LIMITS.maxFileBytes) return tooLarge(displayName, st.size);
    bytes = st.isFIFO() ? readAtMost(name, READ_LIMITS.maxFileBytes + 1) : readFileSync(name);
    if (bytes.length > READ_LIMITS.maxFileBytes) return tooLarge(displayName, bytes.length);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const text = GO_ERRNO[code] ?? (err as Error).message;
    const kind = code === 'ENOENT' ? 'missing' : code === 'EACCES' || code === 'EPERM' ? 'permission' : 'other';
    return { ok: false, kind, message: `cannot read ${displayName}: ${text}`, dockerMessage: `open ${displayName}: ${text}` };
  }
  return decodeUtf8(bytes, displayName);
}

function tooLarge(displayName: string, size: number): ReadResult {
  const mib = (size / 1024 / 1024).toFixed(1);
  const over = size > READ_LIMITS.maxFileBytes + 1 ? `is ${mib} MiB, over` : 'is over';
  const msg = `${displayName} ${over} the ${READ_LIMITS.maxFileBytes / 1024 / 1024} MiB limit for a compose file`;
  return { ok: false, kind: 'too-large', message: msg, dockerMessage: msg };
}

function readAtMost(name: string, limit: number): Buffer {
  const fd = openSync(name, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total < limit) {
      const chunk = Buffer.alloc(Math.min(64 * 1024, limit - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    return Buffer.concat(chunks);
  } finally {
    closeSync(fd);
  }
}

// Stateless between calls (no streaming), so one serves every file.
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const UTF16 = { le: new TextDecoder('utf-16le', { fatal: true }), be: new TextDecoder('utf-16be', { fatal: true }) };

/**
 * Bytes → text as libyaml (docker's yaml.v3) reads them: UTF-8, or UTF-16 when the file starts with a UTF-16
 * byte-order mark (docker deploys such files). The name stays: UTF-8 is what nearly every file is.
 */
export function decodeUtf8(bytes: Uint8Array, displayName: string): ReadResult {
  let text: string;
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe ? 'le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'be' : undefined;
  if (utf16) {
    const invalid = (dockerMessage: string): ReadResult => ({ ok: false, kind: 'encoding', message: `${displayName} is not valid UTF-16 text`, dockerMessage });
    if (bytes.length % 2 !== 0) return invalid('yaml: incomplete UTF-16 character');
    try {
      text = UTF16[utf16].decode(bytes);
    } catch {
      return invalid(utf16Surrogate(bytes, utf16));
    }
  } else {
    try {
      text = UTF8.decode(bytes);
    } catch {
      return { ok: false, kind: 'encoding', message: `${displayName} is not valid UTF-8 text`, dockerMessage: 'yaml: invalid leading UTF-8 octet' };
    }
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    return { ok: false, kind: 'encoding', message: `${displayName}:${line}: contains a NUL byte (binary file?)`, dockerMessage: 'yaml: control characters are not allowed' };
  }
  return { ok: true, text };
}

// ---------------------------------------------------------------------------------------------------------
// The guarded read path: every file stacklint reads from a linted repository (compose files, overlays, env
// files, templates, its own config and baseline, README, abra.sh) goes through `readInside`. The file must be
// a regular file inside `root` once every link is resolved; it is opened without following a link
// (O_NOFOLLOW) and without waiting on a pipe (O_NONBLOCK), checked with fstat on the opened descriptor, and
// read up to a byte budget, so a link to /dev/zero or /proc/self/environ, a FIFO or a link loop is refused
// with a message that says what it is, never read.
// ---------------------------------------------------------------------------------------------------------

export type GuardedFailure =
  | 'missing'
  | 'dangling'
  | 'loop'
  | 'outside'
  | 'directory'
  | 'special'
  | 'permission'
  | 'too-large'
  | 'encoding'
  | 'other';

export type GuardedBytes = { ok: true; bytes: Buffer } | { ok: false; kind: GuardedFailure; message: string };
export type GuardedText = { ok: true; text: string } | { ok: false; kind: GuardedFailure; message: string };

export interface GuardedReadOptions {
  /** Larger files are refused (before reading, from fstat's size; and while reading, should the file grow). */
  maxBytes: number;
  /** What the limit is for, in the too-large message: "a compose file", "a baseline". */
  limitFor?: string;
  /** Where the file is for people, in messages: "the recipe", "the repository". */
  rootName?: string;
  /**
   * The caller saw `rel` as a regular file reached through real directories only (a directory listing):
   * skip the realpath look-up. O_NOFOLLOW and fstat still refuse anything that changed since.
   */
  listedAsFile?: boolean;
}

const OPEN_FLAGS = fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW | fsConstants.O_NONBLOCK;

/** A directory's real path, or the path itself when it has none (missing): the root `readInside` confines to. */
export function realRoot(dir: string): string {
  try {
    return realpathSync.native(dir);
  } catch {
    return resolvePath(dir);
  }
}

/**
 * Reads `rel` (relative to `root`, '/'-separated) as bytes, confined to `root`. `root` should be a real path
 * (see `realRoot`); `display` names the file in messages (defaults to `rel`).
 */
export function readBytesInside(root: string, rel: string, options: GuardedReadOptions, display = rel): GuardedBytes {
  const inside = rootName(options);
  const lexical = resolvePath(root, rel);
  if (!isInside(root, lexical)) return { ok: false, kind: 'outside', message: `${display} is outside ${inside}; not read` };
  let real = lexical;
  if (!options.listedAsFile) {
    try {
      real = realpathSync.native(lexical);
    } catch (err) {
      return unresolvable(err as NodeJS.ErrnoException, lexical, display);
    }
    if (!isInside(root, real)) {
      const link = linkTarget(lexical);
      const how = link !== undefined ? `is a symbolic link to ${link}` : 'leads through a linked directory to a path';
      return { ok: false, kind: 'outside', message: `${display} ${how} outside ${inside}; not read` };
    }
  }
  let fd: number;
  try {
    fd = openSync(real, OPEN_FLAGS);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    // O_NOFOLLOW: the last component became a link since the look-up.
    if (e.code === 'ELOOP') return { ok: false, kind: 'outside', message: `${display} changed into a symbolic link while being read; not read` };
    return unresolvable(e, lexical, display);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return notRegular(st, display);
    if (st.size > options.maxBytes) return tooLargeFailure(display, st.size, options);
    const bytes = readBounded(fd, options.maxBytes + 1, st.size);
    if (bytes.length > options.maxBytes) return tooLargeFailure(display, bytes.length, options);
    return { ok: true, bytes };
  } catch (err) {
    return unresolvable(err as NodeJS.ErrnoException, lexical, display);
  } finally {
    closeSync(fd);
  }
}

/** `readBytesInside`, decoded as UTF-8 (a leading BOM kept: callers that parse decide). */
export function readTextInside(root: string, rel: string, options: GuardedReadOptions, display = rel): GuardedText {
  const read = readBytesInside(root, rel, options, display);
  if (!read.ok) return read;
  const decoded = decodeUtf8(read.bytes, display);
  return decoded.ok ? decoded : { ok: false, kind: 'encoding', message: decoded.message };
}

/** What sits at `abs` when it is not a regular file, in words ("a FIFO (named pipe)"); undefined for a file. */
export function describeNonFile(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function notRegular(st: Stats, display: string): GuardedBytes {
  const what = describeNonFile(st) ?? 'not a regular file';
  return { ok: false, kind: st.isDirectory() ? 'directory' : 'special', message: `${display} is ${what}, not a regular file; not read` };
}

function tooLargeFailure(display: string, size: number, options: GuardedReadOptions): GuardedBytes {
  const over = size > options.maxBytes + 1 ? `is ${formatBytes(size, 1)}, over` : 'is over';
  return { ok: false, kind: 'too-large', message: `${display} ${over} the ${formatBytes(options.maxBytes)} limit for ${options.limitFor ?? 'a file'}; not read` };
}

/** `8 MiB` for a limit; with `decimals`, `50.0 MiB` for a size (as docker-style messages print it). */
function formatBytes(n: number, decimals = 0): string {
  const unit = (size: number, name: string) => `${Number.isInteger(size) && decimals === 0 ? size : size.toFixed(decimals || 1)} ${name}`;
  if (n >= 1024 * 1024) return unit(n / 1024 / 1024, 'MiB');
  if (n >= 1024) return unit(n / 1024, 'KiB');
  return `${n} bytes`;
}

function unresolvable(err: NodeJS.ErrnoException, lexical: string, display: string): GuardedBytes {
  switch (err.code) {
    case 'ELOOP':
      return { ok: false, kind: 'loop', message: `${display} is a symbolic link loop; not read` };
    case 'ENOENT': {
      const link = linkTarget(lexical);
      if (link !== undefined) return { ok: false, kind: 'dangling', message: `${display} is a symbolic link to nothing (dangling: ${link} does not exist)` };
      return { ok: false, kind: 'missing', message: `${display} does not exist` };
    }
    case 'ENOTDIR':
      return { ok: false, kind: 'missing', message: `${display} does not exist (a parent is not a directory)` };
    case 'EACCES':
    case 'EPERM':
      return { ok: false, kind: 'permission', message: `cannot read ${display}: permission denied` };
    case 'EISDIR':
      return { ok: false, kind: 'directory', message: `${display} is a directory, not a regular file; not read` };
    default:
      return { ok: false, kind: 'other', message: `cannot read ${display}: ${GO_ERRNO[err.code ?? ''] ?? err.code ?? 'error'}` };
  }
}

function linkTarget(abs: string): string | undefined {
  try {
    return readlinkSync(abs);
  } catch {
    return undefined;
  }
}

/** Reads at most `limit` bytes; `expected` (fstat's size) sizes the first buffer. */
function readBounded(fd: number, limit: number, expected: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  let chunkSize = Math.min(Math.max(expected + 1, 4096), limit);
  while (total < limit) {
    const chunk = Buffer.allocUnsafe(Math.min(chunkSize, limit - total));
    let n: number;
    try {
      n = readSync(fd, chunk, 0, chunk.length, null);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') break;
      throw err;
    }
    if (n === 0) break;
    chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
    total += n;
    chunkSize = 64 * 1024;
  }
  return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
}

function isInside(root: string, p: string): boolean {
  const back = relativePath(root, p);
  return !(back === '..' || back.startsWith('../') || isAbsolutePath(back));
}

function rootName(options: GuardedReadOptions): string {
  return options.rootName ?? 'the recipe';
}

/** libyaml's words for the first bad surrogate of a UTF-16 text (which the decoder refused). */
function utf16Surrogate(bytes: Uint8Array, order: 'le' | 'be'): string {
  const unit = (i: number) => (order === 'le' ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1]);
  for (let i = 2; i < bytes.length; i += 2) {
    const u = unit(i);
    if (u >= 0xdc00 && u <= 0xdfff) return 'yaml: unexpected low surrogate area';
    if (u >= 0xd800 && u <= 0xdbff) {
      if (i + 2 >= bytes.length) return 'yaml: incomplete UTF-16 surrogate pair';
      const next = unit(i + 2);
      if (next < 0xdc00 || next > 0xdfff) return 'yaml: expected low surrogate area';
      i += 2;
    }
  }
  return 'yaml: incomplete UTF-16 character';
}
