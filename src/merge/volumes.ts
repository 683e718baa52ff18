// Short-syntax service volumes as docker's loader parses them (cli/compose/loader/volume.go), and the
// resolution of bind sources against the first file's directory.
import { dockerAbsPath, isWindowsAbs } from './go.js';
import type { GoResult } from './go.js';

export interface VolumeMount {
  type?: string;
  source?: string;
  target?: string;
  read_only?: boolean;
  bind?: { propagation?: string };
  volume?: { nocopy?: boolean };
}

const PROPAGATIONS = new Set(['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave']);

function isLetter(c: string): boolean {
  return /^\p{L}$/u.test(c);
}

/** A one-letter buffer followed by ':' is read as a Windows drive (so `x:/data` is one target "x:/data"). */
function isWindowsDrive(buffer: string[], char: string): boolean {
  return char === ':' && buffer.length === 1 && isLetter(buffer[0]);
}

function isFilePath(source: string): boolean {
  if ('./~'.includes(source[0])) return true;
  const chars = Array.from(source);
  if (chars.length === 1) return false;
  if (source.startsWith('\\\\')) return true;
  return isWindowsDrive([chars[0]], chars[1]);
}

/** docker's ParseVolume: `[source:]target[:options]`. */
export function parseShortVolume(spec: string): GoResult<VolumeMount> {
  const volume: VolumeMount = {};
  if (spec.length === 0) return { ok: false, error: 'invalid empty volume spec' };
  if (spec.length <= 2) return { ok: true, value: { type: 'volume', target: spec } };
  const end = '\u0000';
  let buffer: string[] = [];
  for (const char of [...Array.from(spec), end]) {
    if (isWindowsDrive(buffer, char)) {
      buffer.push(char);
    } else if (char === ':' || char === end) {
      const error = populateField(char === end, buffer.join(''), volume);
      if (error) return { ok: false, error: `invalid spec: ${spec}: ${error}` };
      buffer = [];
    } else {
      buffer.push(char);
    }
  }
  volume.type = volumeType(volume.source);
  return { ok: true, value: orderVolume(volume) };
}

function populateField(atEnd: boolean, text: string, volume: VolumeMount): string | undefined {
  if (text.length === 0) return 'empty section between colons';
  if (volume.source === undefined && atEnd) {
    volume.target = text;
    return undefined;
  }
  if (volume.source === undefined) {
    volume.source = text;
    return undefined;
  }
  if (volume.target === undefined) {
    volume.target = text;
    return undefined;
  }
  if (!atEnd) return 'too many colons';
  for (const option of text.split(',')) {
    if (option === 'ro') volume.read_only = true;
    else if (option === 'rw') delete volume.read_only;
    else if (option === 'nocopy') volume.volume = { nocopy: true };
    else if (PROPAGATIONS.has(option)) volume.bind = { propagation: option };
  }
  return undefined;
}

function volumeType(source: string | undefined): string {
  if (source === undefined) return 'volume';
  return isFilePath(source) ? 'bind' : 'volume';
}

function orderVolume(v: VolumeMount): VolumeMount {
  const out: VolumeMount = { type: v.type };
  if (v.source !== undefined) out.source = v.source;
  if (v.target !== undefined) out.target = v.target;
  if (v.read_only) out.read_only = true;
  if (v.bind) out.bind = v.bind;
  if (v.volume) out.volume = v.volume;
  return out;
}

export interface BindContext {
  workingDir: string;
  home: string | undefined;
  warn(message: string): void;
}

/** docker's resolveVolumePaths for one bind source: `~` -> $HOME, relative -> the first file's directory. */
export function resolveBindSource(source: string, ctx: BindContext): string {
  let path = source;
  if (path.startsWith('~')) {
    if (ctx.home === undefined) ctx.warn("cannot expand '~', because the environment lacks HOME");
    else path = ctx.home + path.slice(1);
  }
  if (!path.startsWith('/') && !isWindowsAbs(path)) path = dockerAbsPath(ctx.workingDir, path);
  return path;
}
