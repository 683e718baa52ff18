// Which recipes an editor's workspace holds, and which recipe a file belongs to. A recipe is a directory
// holding compose.yml; a catalogue is a directory of recipes. A file belongs to the nearest directory above
// it (or its own) that holds compose.yml.
import { lstatSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BASE_COMPOSE_FILE = 'compose.yml';
/** Directories never searched for recipes (nor walked up through when they hold one). */
const SKIPPED_DIRS = new Set(['.git', 'node_modules']);

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

function holdsCompose(dir: string): boolean {
  try {
    lstatSync(join(dir, BASE_COMPOSE_FILE));
    return true;
  } catch {
    return false;
  }
}

/** The recipe directory a file belongs to, or undefined when no directory above it holds compose.yml. */
export function recipeDirOf(path: string): string | undefined {
  let dir = dirname(path);
  for (;;) {
    if (holdsCompose(dir)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The recipes in a workspace folder: the folder itself, or each recipe of a catalogue (one level down). */
export function recipesIn(folder: string): string[] {
  if (holdsCompose(folder)) return [folder];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name) && holdsCompose(join(folder, e.name)))
    .map((e) => join(folder, e.name))
    .sort();
}

/** True when `path` is `dir` or inside it. */
export function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
