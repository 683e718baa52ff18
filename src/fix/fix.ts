// `lint --fix` / `--fix-dry-run`: lint, apply every fixable finding's edits in memory, re-lint the new
// texts, and repeat until nothing fixable is left (or MAX_PASSES). A pass whose edits make a file stop
// parsing or validating is undone for that file and its findings are not fixed. Files are written only at
// the end (or not at all for a dry run); a file that cannot be read or written is reported and the others
// are still fixed.
import { writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { decodeUtf8, READ_LIMITS, readBytesInside, realRoot } from '../load/read.js';
import { runLint } from '../catalogue/run.js';
import type { RunOptions, RunResult } from '../catalogue/run.js';
import type { Finding } from '../lint/types.js';
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
}

export async function fixTargets(targets: readonly string[], options: RunOptions, mode: { write: boolean }): Promise<FixOutcome> {
  const overlay = new Map<string, string>();
  const originals = new Map<string, Original | undefined>();
  const problems: FixProblem[] = [];
  const blocked = new Set<string>();
  const fixedIds = new Set<string>();
  const read = (abs: string): string | undefined => {
    if (overlay.has(abs)) return overlay.get(abs);
    if (!originals.has(abs)) originals.set(abs, readOriginal(abs, problems));
    return originals.get(abs)?.text;
  };

  let result = await runLint(targets, { ...options, overlay });
  let passes = 0;
  while (passes < MAX_PASSES) {
    const groups = editGroups(result, blocked);
    if (groups.length === 0) break;
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
  if (mode.write) {
    for (const change of changes) {
      const original = originals.get(change.path)!;
      try {
        writeFileSync(change.path, (original.bom ? '\ufeff' : '') + change.after);
      } catch (err) {
        problems.push({ path: change.path, message: `could not write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      }
    }
  }
  return { changes, fixed: fixedIds.size, problems, result, passes };
}

/** One group per fixable finding, with its edits' files made absolute (and kept inside the recipe). */
function editGroups(result: RunResult, blocked: ReadonlySet<string>): EditGroup[] {
  const groups: EditGroup[] = [];
  for (const recipe of result.recipes) {
    for (const finding of recipe.findings) {
      if (!finding.edits || finding.edits.length === 0) continue;
      const id = groupId(recipe.recipeDir, finding);
      if (blocked.has(id)) continue;
      const edits = finding.edits.map((e) => ({ ...e, file: insideRecipe(recipe.recipeDir, e.file) ?? '' }));
      if (edits.some((e) => e.file === '')) continue;
      groups.push({ id, edits });
    }
  }
  return groups;
}

function groupId(recipeDir: string, f: Finding): string {
  return [resolve(recipeDir), f.rule, f.file, f.logicalPath, JSON.stringify(f.edits)].join('\u0000');
}

function insideRecipe(recipeDir: string, file: string): string | undefined {
  if (isAbsolute(file)) return undefined;
  const abs = resolve(recipeDir, file);
  const rel = relative(resolve(recipeDir), abs);
  return rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel) ? undefined : abs;
}

function readOriginal(abs: string, problems: FixProblem[]): Original | undefined {
  // The guarded read path, confined to the file's own directory: a fix never reads through a link out.
  const read = readBytesInside(realRoot(dirname(abs)), basename(abs), { maxBytes: READ_LIMITS.maxFileBytes, limitFor: 'a compose file' }, abs);
  if (!read.ok) {
    problems.push({ path: abs, message: `not fixed: ${read.message}` });
    return undefined;
  }
  const bytes = read.bytes;
  const decoded = decodeUtf8(bytes, abs);
  if (!decoded.ok) {
    problems.push({ path: abs, message: `not fixed: ${decoded.message}` });
    return undefined;
  }
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  // The decoder drops a BOM; writing back must reproduce every byte, so check the round trip.
  if (!Buffer.from((bom ? '\ufeff' : '') + decoded.text, 'utf8').equals(bytes)) {
    problems.push({ path: abs, message: 'not fixed: the file does not round-trip as UTF-8' });
    return undefined;
  }
  return { text: decoded.text, bom };
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
