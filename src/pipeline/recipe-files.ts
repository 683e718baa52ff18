// Read-only access to a recipe's files for rules: listing, and text of files the recipe mounts.
// Confined to the recipe directory: a path that escapes it (../, absolute, or a symlink pointing out)
// is reported as such and never read. Nothing is ever executed.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { READ_LIMITS, readTextInside } from '../load/read.js';
import type { GuardedFailure } from '../load/read.js';

export const RECIPE_LIMITS = {
  /** Files listed per recipe; deeper trees are cut, with a note. */
  maxListedFiles: 5_000,
  /** Directory depth below the recipe root that is listed. */
  maxDepth: 6,
};

const SKIPPED_DIRS = new Set(['.git', 'node_modules', '.venv', 'vendor']);
/** Compose file names at the recipe's top level (the engine's COMPOSE_FILE_PATTERN). */
const TOP_LEVEL_COMPOSE = /^compose.*\.ya?ml$/;

export type RecipeRead =
  | { ok: true; text: string }
  | { ok: false; reason: 'missing' | 'outside' | 'unreadable'; message: string; kind?: GuardedFailure };

export class RecipeFiles {
  private readonly cache = new Map<string, RecipeRead>();
  private listing?: string[];
  private listed?: Set<string>;
  /** Listed regular files reached through real directories only: their real path is known without asking. */
  private readonly plainFiles = new Set<string>();
  /** Directories the listing read whole, and every entry it saw in them: what they lack does not exist. */
  private readonly listedDirs = new Set<string>();
  private readonly entries = new Set<string>();
  /** Set when the listing hit a limit or a symlink loop, for an info finding. */
  readonly notes: string[] = [];
  /** The listing stopped at a limit: a file it does not hold may still exist (asked of the disk). */
  private cut = false;
  readonly realDir: string;
  /** The read boundary: the recipe directory, or (for a plain stack) the repository it lies in. */
  private boundary: string;
  private realBoundary: string;
  /** A plain stack's messages speak of the stack's directory, not of a recipe. */
  private plain = false;

  /** `overlay`: texts that replace files' contents on disk, keyed by absolute path (`lint --fix-dry-run`). */
  constructor(
    readonly dir: string,
    private readonly overlay?: ReadonlyMap<string, string>,
  ) {
    this.realDir = safeRealpath(dir) ?? dir;
    this.boundary = dir;
    this.realBoundary = this.realDir;
  }

  /**
   * Widens the read boundary to `root`, a directory holding the recipe (a plain stack's git work tree, or
   * `--root`): `../x` paths inside it are read like the recipe's own; nothing outside it, ever.
   */
  widen(root: string): void {
    const realRoot = safeRealpath(root);
    if (realRoot === undefined) return;
    const down = relative(realRoot, this.realDir);
    if (down.startsWith('..') || isAbsolute(down)) return;
    this.boundary = resolve(this.dir, relative(this.realDir, realRoot));
    this.realBoundary = realRoot;
    this.cache.clear();
  }

  /** Marks the directory a plain swarm stack (not a recipe): only the words of messages change. */
  markPlain(): void {
    this.plain = true;
    this.cache.clear();
  }

  /** The read boundary's absolute path (the recipe directory unless widened). */
  get root(): string {
    return this.boundary;
  }

  /** Recipe-relative paths ('/'-separated) of regular files and symlinks, sorted; then the overlay's files the disk lacks. */
  list(): string[] {
    if (!this.listing) this.listing = this.withOverlayFiles(this.walk());
    return this.listing;
  }

  /** Overlay texts of files not on disk yet (an editor's unsaved new file) are files of the stack too. */
  private withOverlayFiles(listed: string[]): string[] {
    if (!this.overlay || this.overlay.size === 0) return listed;
    const known = new Set(listed);
    const added: string[] = [];
    for (const abs of this.overlay.keys()) {
      const rel = relative(this.dir, abs).split(sep).join('/');
      if (rel === '' || rel.startsWith('../') || rel === '..' || isAbsolute(rel) || known.has(rel)) continue;
      if (rel.split('/').some((segment) => SKIPPED_DIRS.has(segment))) continue;
      added.push(rel);
    }
    return [...listed, ...added.sort()];
  }

  /** Files at the recipe's top level. */
  topLevel(): string[] {
    return this.list().filter((f) => !f.includes('/'));
  }

  exists(rel: string): boolean {
    const resolved = this.resolveInside(rel);
    if (resolved === undefined) return false;
    if (resolved.startsWith('../')) return existsBelow(this.realBoundary, relative(this.realDir, resolve(this.realDir, resolved)), this.realDir);
    this.listed ??= new Set(this.list());
    // A file the listing never reached (cut at a limit) exists all the same: a file named by `-c` or a
    // declaration is read whatever the size of the tree around it.
    return this.listed.has(resolved) || (this.cut && !resolved.split('/').some((segment) => SKIPPED_DIRS.has(segment)) && existsBelow(this.realDir, resolved, this.realDir, { notDirectory: true }));
  }

  /** Normalises a recipe-relative path; undefined when it leaves the read boundary (the recipe, unless widened). */
  resolveInside(rel: string): string | undefined {
    if (isAbsolute(rel)) return undefined;
    const norm = normalize(rel).split(sep).join('/');
    if (norm === '..' || norm.startsWith('../')) {
      const fromRoot = relative(this.realBoundary, resolve(this.realDir, norm));
      if (fromRoot === '' || fromRoot.startsWith('..') || isAbsolute(fromRoot)) return undefined;
      return norm;
    }
    return norm.replace(/^\.\//, '');
  }

  read(rel: string): RecipeRead {
    const inside = this.resolveInside(rel);
    if (inside === undefined) return { ok: false, reason: 'outside', message: `${rel} is outside the ${this.boundary !== this.dir ? 'repository' : this.plain ? "stack's directory" : 'recipe directory'}; not read` };
    const cached = this.cache.get(inside);
    if (cached) return cached;
    const result = this.readUncached(inside);
    this.cache.set(inside, result);
    return result;
  }

  private readUncached(rel: string): RecipeRead {
    const replaced = this.overlay?.get(resolve(this.dir, rel));
    if (replaced !== undefined) return { ok: true, text: replaced };
    this.list();
    if (this.listedMissing(rel)) return { ok: false, reason: 'missing', message: `${rel} does not exist`, kind: 'missing' };
    // A path above the recipe is read from the boundary, through the same guard (no link out of it).
    const [root, path] = rel.startsWith('../') ? [this.realBoundary, relative(this.realBoundary, resolve(this.realDir, rel)).split(sep).join('/')] : [this.realDir, rel];
    const words = this.plain ? { limitFor: 'a stack file', rootName: root === this.realDir ? "the stack's directory" : 'the repository' } : { limitFor: 'a recipe file' };
    const read = readTextInside(root, path, { maxBytes: READ_LIMITS.maxFileBytes, ...words, listedAsFile: this.plainFiles.has(rel) }, rel);
    if (read.ok) return { ok: true, text: read.text };
    return { ok: false, reason: recipeReadReason(read.kind), message: read.message, kind: read.kind };
  }

  /**
   * `rel` is missing as the listing saw the tree: a directory on its way was read whole and had no such entry.
   * Asking the disk instead costs a realpath(3) per probe (CI files, examples, configs) — most of a catalogue's
   * system calls. Anything the listing did not read whole (a cut listing, a skipped or linked directory, a
   * file where a directory should be) is left to the disk.
   */
  private listedMissing(rel: string): boolean {
    if (this.cut || rel.startsWith('../')) return false;
    const parts = rel.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..')) return false;
    let parent = '';
    for (let i = 0; i < parts.length; i++) {
      const path = parent ? `${parent}/${parts[i]}` : parts[i];
      if (!this.listedDirs.has(parent)) return false;
      if (!this.entries.has(path)) return true;
      parent = path;
    }
    return false;
  }

  private walk(): string[] {
    const out: string[] = [];
    const tooDeep: string[] = [];
    const visit = (absDir: string, relDir: string, depth: number) => {
      if (out.length >= RECIPE_LIMITS.maxListedFiles) return;
      let entries: import('node:fs').Dirent[];
      try {
        entries = readdirSync(absDir, { withFileTypes: true });
      } catch {
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      this.listedDirs.add(relDir);
      for (const entry of entries) {
        const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
        this.entries.add(rel);
        if (entry.isDirectory()) {
          // An overlay that is a directory is listed too, so that reading it reports what it is.
          if (depth === 0 && TOP_LEVEL_COMPOSE.test(entry.name)) out.push(rel);
          if (SKIPPED_DIRS.has(entry.name)) continue;
          if (depth >= RECIPE_LIMITS.maxDepth) {
            tooDeep.push(`${rel}/`);
            this.cut = true;
            continue;
          }
          visit(join(absDir, entry.name), rel, depth + 1);
        } else {
          // Symlinked directories are not followed (no loops); other links are listed. FIFOs, sockets and
          // devices are listed too: reading one reports what it is instead of skipping it without a word.
          if (entry.isSymbolicLink() && isDirectoryLink(join(absDir, entry.name))) continue;
          out.push(rel);
          if (entry.isFile()) this.plainFiles.add(rel);
        }
        if (out.length >= RECIPE_LIMITS.maxListedFiles) {
          this.notes.push(`more than ${RECIPE_LIMITS.maxListedFiles} files; the rest were not listed`);
          this.cut = true;
          return;
        }
      }
    };
    visit(this.dir, '', 0);
    // One note for every directory the depth limit stopped at: an application tree beside the stack has many.
    if (tooDeep.length > 0) {
      const shown = tooDeep.slice(0, 3).join(', ') + (tooDeep.length > 3 ? `, … (${tooDeep.length} in all)` : '');
      this.notes.push(`${tooDeep.length === 1 ? 'a directory' : `${tooDeep.length} directories`} deeper than ${RECIPE_LIMITS.maxDepth} levels not listed (${shown}); a file the stack names there is still read`);
    }
    if (this.cut) out.push(...this.topLevelFilesBeyond(out));
    return out;
  }

  /**
   * Top-level files a cut listing did not reach (a large folder sorted before them): the stack's own files
   * (its base file, scripts, README) are listed whatever lies in its folders.
   */
  private topLevelFilesBeyond(listed: readonly string[]): string[] {
    const known = new Set(listed);
    try {
      return readdirSync(this.dir, { withFileTypes: true })
        .filter((e) => !known.has(e.name) && !e.isDirectory() && !(e.isSymbolicLink() && isDirectoryLink(join(this.dir, e.name))))
        .map((e) => e.name)
        .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    } catch {
      return [];
    }
  }
}

/** Whether `rel` (relative to `from`) names something inside `root`, without following a link out of it. */
function existsBelow(root: string, rel: string, from: string, options: { notDirectory?: boolean } = {}): boolean {
  try {
    const real = realpathNative(resolve(from, rel));
    const inside = relative(root, real);
    if (options.notDirectory && statSync(real).isDirectory()) return false;
    return !inside.startsWith('..') && !isAbsolute(inside);
  } catch {
    return false;
  }
}

function isDirectoryLink(abs: string): boolean {
  try {
    const real = realpathNative(abs);
    return statSync(real).isDirectory();
  } catch {
    return false;
  }
}

function recipeReadReason(kind: GuardedFailure): 'missing' | 'outside' | 'unreadable' {
  return kind === 'missing' || kind === 'dangling' ? 'missing' : kind === 'outside' ? 'outside' : 'unreadable';
}

// One realpath(3) call; the JS realpathSync lstat()s every component of the path, for every file read.
const realpathNative = realpathSync.native;

function safeRealpath(p: string): string | undefined {
  try {
    return realpathNative(p);
  } catch {
    return undefined;
  }
}
