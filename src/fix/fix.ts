// `lint --fix` / `--fix-dry-run`: lint, apply every fixable finding's edits in memory, re-lint the new
// texts, and repeat until nothing fixable is left (or MAX_PASSES). A pass whose edits make a file stop
// parsing or validating is undone for that file and its findings are not fixed. Files are written only at
// the end (or not at all for a dry run); a file that cannot be read or written is reported and the others
// are still fixed. Writes go through src/write: only regular files inside the recipe, atomically, under each
// file's lock, and only while the file still holds what was read (an editor's save is never overwritten).
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { decodeUtf8, READ_LIMITS } from '../load/read.js';
import { findStacks, runLint } from '../catalogue/run.js';
import type { RunOptions, RunResult } from '../catalogue/run.js';
import type { Finding } from '../lint/types.js';
import { assertWritable, readForWrite, shown, withLocks, writeInside, WriteError } from '../write/index.js';
import { applyEditGroups } from './apply.js';
import type { EditGroup } from './apply.js';

export const MAX_PASSES = 10;

/** Findings of these rules mean a file no longer reads as docker reads it: a fix must never add one. */
const VALIDITY_RULES = new Set(['yaml-syntax', 'schema', 'interpolation']);

export interface FileChange {
  /** Absolute path. */
  path: string;
  before: string;
  after: string;
}

export interface FixProblem {
  path: string;
  message: string;
  /** A file that could not be read or written (exit 2), as opposed to a fix left out on purpose. */
  failed?: boolean;
}

export interface FixOutcome {
  /** Files whose text changed (written unless a dry run). */
  changes: FileChange[];
  /** Findings fixed, counted once per finding. */
  fixed: number;
  /** Files that could not be read or written, and fixes undone because they broke a file. */
  problems: FixProblem[];
  /** The lint of the fixed texts: what remains. */
  result: RunResult;
  passes: number;
}

interface Original {
  text: string;
  bom: boolean;
  /** Content hash when read: the file is written only if it still has it. */
  hash: string;
  /** The recipe directory the file belongs to: writes stay inside it. */
  root: string;
}

/** A file as read for the lint and the fix at once: its original, or why it cannot be fixed. */
type Recorded = { original: Original } | { problem: FixProblem };

/**
 * The overlay the fixer lints with: the edited texts, and for any other file the lint reads, the text read
 * here once and recorded as the file's original. So the edits are computed on exactly the bytes whose hash
 * is checked before writing: an editor's save during the lint cannot slip in between. (A catalogue linted on
 * worker threads gets a copy without this; there the original is read right after the lint.)
 */
class RecordingOverlay extends Map<string, string> {
  constructor(private readonly record: (abs: string) => string | undefined) {
    super();
  }

  override get(abs: string): string | undefined {
    return super.has(abs) ? super.get(abs) : this.record(abs);
  }
}

export async function fixTargets(targets: readonly string[], options: RunOptions, mode: { write: boolean }): Promise<FixOutcome> {
  const stacks = findStacks(targets, options.namedViews, options.root);
  const recipeDirs = stacks.dirs;
  // Files named with -c in a sibling folder of the repository are the stack's too: fixed inside that boundary.
  const boundaryOf = (dir: string) => stacks.roots[dir] ?? dir;
  const recorded = new Map<string, Recorded | undefined>();
  const overlay = new RecordingOverlay((abs) => {
    if (!recorded.has(abs)) {
      const dir = recipeDirs.find((d) => insideRecipe(d, abs, boundaryOf(d)) !== undefined);
      recorded.set(abs, dir === undefined ? undefined : readRecord(abs, boundaryOf(dir)));
    }
    const r = recorded.get(abs);
    return r && 'original' in r ? r.original.text : undefined;
  });
  const originals = new Map<string, Original | undefined>();
  const problems: FixProblem[] = [];
  const blocked = new Set<string>();
  const fixedIds = new Set<string>();
  /** The files each fixed finding edits: a finding counts as fixed only when all of them were written. */
  const groupFiles = new Map<string, string[]>();
  const roots = new Map<string, string>();
  const read = (abs: string): string | undefined => {
    if (overlay.has(abs)) return overlay.get(abs);
    if (!originals.has(abs)) originals.set(abs, readOriginal(abs, roots.get(abs)!, mode.write, recorded.get(abs), problems));
    return originals.get(abs)?.text;
  };

  let result = await runLint(targets, { ...options, overlay });
  let passes = 0;
  while (passes < MAX_PASSES) {
    const groups = editGroups(result, blocked, roots, boundaryOf);
    if (groups.length === 0) break;
    for (const g of groups) groupFiles.set(g.id, g.edits.map((e) => e.file));
    passes++;
    const texts = new Map<string, string | undefined>();
    for (const g of groups) for (const e of g.edits) if (!texts.has(e.file)) texts.set(e.file, read(e.file));
    const applied = applyEditGroups(texts, groups);
    for (const id of applied.invalid) blocked.add(id);
    if (applied.applied.length === 0) break;
    const before = new Map<string, string>();
    for (const [file, text] of applied.texts) {
      before.set(file, read(file)!);
      overlay.set(file, text);
    }
    const next = await runLint(targets, { ...options, overlay });
    // Undo the pass for any file it made invalid, and never try those findings' edits again.
    const broken = [...applied.texts.keys()].filter((file) => newValidityFindings(result, next, file));
    if (broken.length > 0) {
      const touching = groups.filter((g) => applied.applied.includes(g.id) && g.edits.some((e) => broken.includes(e.file)));
      const undo = new Set(touching.flatMap((g) => g.edits.map((e) => e.file)));
      for (const file of undo) overlay.set(file, before.get(file) ?? read(file)!);
      for (const g of touching) {
        blocked.add(g.id);
        problems.push({ path: g.edits[0].file, message: `not fixed: the fix for ${g.id.split('\u0000')[1]} would make the file invalid` });
      }
      for (const file of undo) if (overlay.get(file) === originals.get(file)?.text) overlay.delete(file);
      result = await runLint(targets, { ...options, overlay });
      // Groups whose files were all kept stay fixed; the others are redone by the next pass.
      for (const g of groups) if (applied.applied.includes(g.id) && g.edits.every((e) => !undo.has(e.file))) fixedIds.add(g.id);
      continue;
    }
    for (const id of applied.applied) fixedIds.add(id);
    result = next;
  }

  const changes: FileChange[] = [];
  for (const [path, after] of overlay) {
    const original = originals.get(path);
    if (!original || original.text === after) continue;
    changes.push({ path, before: original.text, after });
  }
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (mode.write && changes.length > 0) {
    const unwritten = writeChanges(changes, originals, problems);
    const written = changes.filter((c) => !unwritten.has(c.path));
    const fixed = [...fixedIds].filter((id) => (groupFiles.get(id) ?? []).every((file) => !unwritten.has(file))).length;
    return { changes: written, fixed, problems, result, passes };
  }
  return { changes, fixed: fixedIds.size, problems, result, passes };
}

/**
 * Writes every change holding all their files' locks. If any file changed on disk since it was read, none
 * is written (a fix may span files: half of it must not land). Returns the paths not written.
 */
function writeChanges(changes: readonly FileChange[], originals: ReadonlyMap<string, Original | undefined>, problems: FixProblem[]): Set<string> {
  const unwritten = new Set<string>();
  const byRoot = new Map<string, string[]>();
  for (const c of changes) {
    const root = originals.get(c.path)!.root;
    byRoot.set(root, [...(byRoot.get(root) ?? []), c.path]);
  }
  const roots = [...byRoot.keys()].sort();
  const underLocks = (i: number): void => {
    if (i < roots.length) {
      withLocks(roots[i], byRoot.get(roots[i])!, () => underLocks(i + 1));
      return;
    }
    const changed = changes.filter((c) => {
      const original = originals.get(c.path)!;
      return readForWrite(original.root, c.path).hash !== original.hash;
    });
    if (changed.length > 0) {
      for (const c of changes) unwritten.add(c.path);
      for (const c of changed) {
        problems.push({ path: c.path, failed: true, message: 'changed on disk since stacklint read it (saved by an editor or another run?); not written, and no other file was: run --fix again' });
      }
      return;
    }
    for (const c of changes) {
      const original = originals.get(c.path)!;
      try {
        writeInside(original.root, c.path, (original.bom ? '\ufeff' : '') + c.after, { expect: original.hash });
      } catch (err) {
        if (!(err instanceof WriteError)) throw err;
        unwritten.add(c.path);
        problems.push({ path: c.path, failed: true, message: err.message });
      }
    }
  };
  try {
    underLocks(0);
  } catch (err) {
    // A lock held too long, or a file that became a link: nothing written.
    if (!(err instanceof WriteError)) throw err;
    for (const c of changes) unwritten.add(c.path);
    problems.push({ path: err.file, failed: true, message: `${err.message}; no file was changed` });
  }
  return unwritten;
}

/** One group per fixable finding, with its edits' files made absolute (and kept inside the recipe). */
function editGroups(result: RunResult, blocked: ReadonlySet<string>, roots: Map<string, string>, boundaryOf: (dir: string) => string): EditGroup[] {
  const groups: EditGroup[] = [];
  for (const recipe of result.recipes) {
    for (const finding of recipe.findings) {
      if (!finding.edits || finding.edits.length === 0) continue;
      const id = groupId(recipe.recipeDir, finding);
      if (blocked.has(id)) continue;
      const boundary = boundaryOf(recipe.recipeDir);
      const edits = finding.edits.map((e) => ({ ...e, file: insideRecipe(recipe.recipeDir, e.file, boundary) ?? '' }));
      if (edits.some((e) => e.file === '')) continue;
      for (const e of edits) roots.set(e.file, boundary);
      groups.push({ id, edits });
    }
  }
  return groups;
}

function groupId(recipeDir: string, f: Finding): string {
  return [resolve(recipeDir), f.rule, f.file, f.logicalPath, JSON.stringify(f.edits)].join('\u0000');
}

/** `file` (recipe-relative) as an absolute path, when it lies inside `boundary` (the recipe's directory unless widened). */
function insideRecipe(recipeDir: string, file: string, boundary = recipeDir): string | undefined {
  if (isAbsolute(file)) return undefined;
  const abs = resolve(recipeDir, file);
  const rel = relative(resolve(boundary), abs);
  return rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel) ? undefined : abs;
}

/** The original of a file the fix may edit (checked to be writable when writing), or undefined with a problem. */
function readOriginal(abs: string, root: string, forWriting: boolean, recorded: Recorded | undefined, problems: FixProblem[]): Original | undefined {
  const read = recorded ?? readRecord(abs, root);
  if ('problem' in read) {
    problems.push(read.problem);
    return undefined;
  }
  try {
    // Refused up front (a link, a FIFO, a read-only file): then the file's fixes are left out whole.
    if (forWriting) assertWritable(root, abs);
  } catch (err) {
    if (!(err instanceof WriteError)) throw err;
    problems.push({ path: abs, failed: true, message: err.message });
    return undefined;
  }
  return read.original;
}

/** Reads a file as the fix will write it back: no link, a regular file, UTF-8 that round-trips byte for byte. */
function readRecord(abs: string, root: string): Recorded {
  let read;
  try {
    read = readForWrite(root, abs, READ_LIMITS.maxFileBytes);
  } catch (err) {
    if (!(err instanceof WriteError)) throw err;
    return { problem: { path: abs, failed: true, message: err.message } };
  }
  if (!read.exists) return { problem: { path: abs, failed: true, message: `${shown(abs)}: cannot read: no such file or directory` } };
  const bytes = read.bytes;
  if (bytes.length > READ_LIMITS.maxFileBytes) return { problem: { path: abs, message: 'not fixed: larger than the compose file limit' } };
  const decoded = decodeUtf8(bytes, abs);
  if (!decoded.ok) return { problem: { path: abs, message: `not fixed: ${decoded.message}` } };
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  // The decoder drops a BOM; writing back must reproduce every byte, so check the round trip.
  if (!Buffer.from((bom ? '\ufeff' : '') + decoded.text, 'utf8').equals(bytes)) return { problem: { path: abs, message: 'not fixed: the file does not round-trip as UTF-8' } };
  return { original: { text: decoded.text, bom, hash: read.hash, root } };
}

/** True when `after` has an error-level validity finding in `file` that `before` did not have. */
function newValidityFindings(before: RunResult, after: RunResult, file: string): boolean {
  const keysOf = (run: RunResult) => {
    const keys = new Set<string>();
    for (const recipe of run.recipes) {
      for (const f of recipe.findings) {
        if (!VALIDITY_RULES.has(f.rule) || f.severity !== 'error') continue;
        if (resolve(recipe.recipeDir, f.file) !== file) continue;
        keys.add(`${f.rule}\u0000${f.logicalPath}\u0000${f.message}`);
      }
    }
    return keys;
  };
  const had = keysOf(before);
  return [...keysOf(after)].some((k) => !had.has(k));
}

/** A path for people and for `git apply`: relative to `cwd` when inside it, '/'-separated. */
export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  return (rel.startsWith('..') || isAbsolute(rel) ? abs : rel).split(sep).join('/');
}
