// Which stacks an editor's workspace holds, and which stack a file belongs to. A stack is a directory holding a
// base compose file by docker's or the community's name (compose.yml, compose.yaml, docker-compose.yml|yaml,
// docker-stack.yml|yaml, stack.yml|yaml: the CLI's list, src/views), on disk or as an open, unsaved buffer; a
// catalogue is a directory of stacks. A file belongs to the nearest directory above it (or its own)
// that is a stack. Whether a stack is a Co-op Cloud recipe or a plain swarm stack is the engine's call.
import { lstatSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BASE_FILE_NAMES } from '../views/index.js';

/** Directories never searched for stacks (nor walked up through when they hold one). */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);
const BASE_NAMES: ReadonlySet<string> = new Set(BASE_FILE_NAMES);

/** The absolute path of a `file:` URI, or undefined for any other scheme (untitled buffers, …). */
export function pathOfUri(uri: string): string | undefined {
  if (typeof uri !== 'string' || !uri.startsWith('file:')) return undefined;
  try {
    return resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

export function uriOfPath(path: string): string {
  return pathToFileURL(path).href;
}

/** True for a base compose file's name (`docker-stack.yml`, …): the file that makes its directory a stack. */
export function isBaseFileName(path: string): boolean {
  return BASE_NAMES.has(basename(path));
}

/**
 * The base file that makes `dir` a stack, in the CLI's order of preference: on disk (anything by that name, even
 * a dangling link: the lint says what is wrong with it) or among `buffers` (absolute paths of open, maybe unsaved,
 * files). Undefined when `dir` is no stack.
 */
export function baseFileOf(dir: string, buffers: ReadonlySet<string> = new Set()): string | undefined {
  return BASE_FILE_NAMES.find((name) => buffers.has(join(dir, name)) || present(join(dir, name)));
}

export function isStackDir(dir: string, buffers?: ReadonlySet<string>): boolean {
  return baseFileOf(dir, buffers) !== undefined;
}

function present(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The stack directory a file belongs to, or undefined when no directory above it is a stack. */
export function recipeDirOf(path: string, buffers?: ReadonlySet<string>): string | undefined {
  let dir = dirname(path);
  for (;;) {
    if (isStackDir(dir, buffers)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The stacks in a workspace folder: the folder itself, or each stack of a catalogue (one level down). */
export function recipesIn(folder: string): string[] {
  if (isStackDir(folder)) return [folder];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name) && isStackDir(join(folder, e.name)))
    .map((e) => join(folder, e.name))
    .sort();
}

/** True when `path` is `dir` or inside it. */
export function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
