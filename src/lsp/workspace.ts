// Which stacks an editor's workspace holds, and which stack a file belongs to. A stack is what `stacklint lint`
// takes for one (stackLayout, src/pipeline): a directory holding a base compose file by docker's or the
// community's name (compose.yml, compose.yaml, docker-compose.yml|yaml, docker-stack.yml|yaml,
// stack.yml|yaml), or one that declares its views (its config's `views:`, .env.example COMPOSE_FILE, a
// `docker stack deploy -c` line of its README / scripts / CI) — on disk or in open, unsaved buffers; a
// catalogue is a directory of stacks. A file belongs to the nearest directory above it (or its own) that is
// a stack.
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ConfigDirectories } from '../config/index.js';
import { directoryLayout } from '../lint/stack-layout.js';
import { BASE_FILE_NAMES, EXAMPLE_ENV_FILES, isDeployScript } from '../views/index.js';

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
 * Whether a file's name can make or unmake a stack where it lies (a base file, a config file, an example env
 * file, a deploy script or README): opening, closing, creating or deleting one finds the buffers' stacks again.
 */
export function makesStacks(path: string): boolean {
  const name = basename(path);
  if (isBaseFileName(path) || CONFIG_FILE.test(name) || (EXAMPLE_ENV_FILES as readonly string[]).includes(name) || isDeployScript(name)) return true;
  const parts = path.split('/');
  return isDeployScript(parts.slice(-2).join('/')) || isDeployScript(parts.slice(-3).join('/'));
}

/** stacklint's own config files (src/config). */
export const CONFIG_FILE = /^(\.stacklintrc\.(ya?ml|json)|stacklint\.config\.ts)$/;

/**
 * The file a stack's own failures (no file of their own) are shown on: its base file as `lint` chooses it for
 * its kind, else the first file of the view it deploys; undefined when `dir` is no stack. `buffers`: absolute
 * paths of open, maybe unsaved, files.
 */
export function baseFileOf(dir: string, buffers?: Buffers, seen?: ConfigDirectories): string | undefined {
  return layoutOf(dir, buffers, seen).defaultFiles?.[0];
}

export function isStackDir(dir: string, buffers?: Buffers, seen?: ConfigDirectories): boolean {
  return layoutOf(dir, buffers, seen).isStack;
}

/** Open buffers: their texts by absolute path (an unsaved README's deploy line counts), or only their paths. */
export type Buffers = ReadonlyMap<string, string> | ReadonlySet<string>;

function layoutOf(dir: string, buffers: Buffers | undefined, seen: ConfigDirectories | undefined) {
  const open = buffers instanceof Map ? { overlay: buffers } : buffers ? { buffers: buffers as ReadonlySet<string> } : {};
  return directoryLayout(dir, { ...open, ...(seen ? { seen } : {}) });
}

/** The stack directory a file belongs to, or undefined when no directory above it is a stack. */
export function recipeDirOf(path: string, buffers?: Buffers): string | undefined {
  const seen = new ConfigDirectories();
  let dir = dirname(path);
  for (;;) {
    if (isStackDir(dir, buffers, seen)) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The stacks in a workspace folder: the folder itself, or each stack of a catalogue (one level down). */
export function recipesIn(folder: string): string[] {
  const seen = new ConfigDirectories();
  if (isStackDir(folder, undefined, seen)) return [folder];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name) && isStackDir(join(folder, e.name), undefined, seen))
    .map((e) => join(folder, e.name))
    .sort();
}

/** True when `path` is `dir` or inside it. */
export function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}
