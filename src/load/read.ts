// Reads files from the linted repository as bytes → text. Never follows a path outside what it is
// asked for, never executes anything; errors are worded like Go's os errors, as docker prints them.
import { closeSync, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';

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

/**
 * Reads a file a directory listing just showed to be a regular file: one open, fstat, read and close,
 * without the stat by name that `readTextFile` needs to keep pipes and devices out. Anything that is not a
 * regular file by now goes to `readTextFile`.
 */
export function readListedTextFile(name: string, displayName = name): ReadResult {
  let fd: number;
  try {
    fd = openSync(name, 'r');
  } catch {
    return readTextFile(name, displayName);
  }
  let bytes: Buffer;
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return readTextFile(name, displayName);
    if (st.size > READ_LIMITS.maxFileBytes) return tooLarge(displayName, st.size);
    bytes = Buffer.allocUnsafe(st.size);
    let filled = 0;
    while (filled < st.size) {
      const n = readSync(fd, bytes, filled, st.size - filled, null);
      if (n === 0) break;
      filled += n;
    }
    if (filled < st.size) bytes = bytes.subarray(0, filled);
  } catch {
    return readTextFile(name, displayName);
  } finally {
    closeSync(fd);
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
