// Reads files from the linted repository as bytes → text. Never follows a path outside what it is
// asked for, never executes anything; errors are worded like Go's os errors, as docker prints them.
import { readFileSync, statSync } from 'node:fs';

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
    if (st.size > READ_LIMITS.maxFileBytes) {
      const mib = (st.size / 1024 / 1024).toFixed(1);
      const msg = `${displayName} is ${mib} MiB, over the ${READ_LIMITS.maxFileBytes / 1024 / 1024} MiB limit for a compose file`;
      return { ok: false, kind: 'too-large', message: msg, dockerMessage: msg };
    }
    bytes = readFileSync(name);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const text = GO_ERRNO[code] ?? (err as Error).message;
    const kind = code === 'ENOENT' ? 'missing' : code === 'EACCES' || code === 'EPERM' ? 'permission' : 'other';
    return { ok: false, kind, message: `cannot read ${displayName}: ${text}`, dockerMessage: `open ${displayName}: ${text}` };
  }
  return decodeUtf8(bytes, displayName);
}

export function decodeUtf8(bytes: Uint8Array, displayName: string): ReadResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, kind: 'encoding', message: `${displayName} is not valid UTF-8 text`, dockerMessage: 'yaml: invalid leading UTF-8 octet' };
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    return { ok: false, kind: 'encoding', message: `${displayName}:${line}: contains a NUL byte (binary file?)`, dockerMessage: 'yaml: control characters are not allowed' };
  }
  return { ok: true, text };
}
