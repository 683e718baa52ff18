// The `abra` rung: `abra recipe lint` against a private, throw-away ABRA_DIR holding a clean clone of the
// recipe — its tracked files as they are in the working tree, committed, never the untracked ones — so
// abra (which merges every compose*.yml it finds and force-fetches tags from origin) sees what git
// tracks, and the user's ~/.abra is never touched. abra needs a terminal, so it runs under `script`.
// stacklint lints the same clone, so the two verdicts per rule can be compared.
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { Finding, SkippedRule } from '../lint/types.js';
import { loadConfigFor } from '../config/index.js';
import { safeGitEnv, safeGitPrefix } from '../load/git.js';
import { lintRecipe } from '../lint/engine.js';
import { RecipeFiles } from '../pipeline/recipe-files.js';
import { ALL_RULES } from '../rules/index.js';
import { failureText, findOnPath, runCommand } from './exec.js';
import type { CommandResult } from './exec.js';
import { parseAbraLint, rowFailed, stripTerminal } from './abra-table.js';
import type { AbraRow } from './abra-table.js';

export interface AbraOptions {
  recipeDir: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  timeoutMs?: number;
  note?: (line: string) => void;
  status?: (text: string) => void;
}

export interface Disagreement {
  ref: string;
  abra: 'fails' | 'passes';
  stacklint: 'fires' | 'silent';
  rule: string;
}

export type AbraOutcome =
  | { kind: 'skipped'; reason: string }
  | { kind: 'error'; reason: string; output: string }
  | { kind: 'ran'; rows: AbraRow[]; failedErrors: AbraRow[]; failedWarnings: AbraRow[]; disagreements: Disagreement[]; notRunByStacklint: string[]; recipeName: string; note?: string };

const GIT_IDENTITY = ['-c', 'user.name=stacklint ladder', '-c', 'user.email=stacklint@localhost', '-c', 'commit.gpgsign=false'];
// The command string is constant: the program and recipe come in through the environment, never spliced in.
const SCRIPT_COMMAND = 'exec "$STACKLINT_ABRA" recipe lint "$STACKLINT_ABRA_RECIPE"';

export async function runAbra(options: AbraOptions): Promise<AbraOutcome> {
  const env = options.env ?? process.env;
  const abra = await findOnPath('abra', env);
  if (!abra) return { kind: 'skipped', reason: 'abra not found' };
  const scratch = mkdtempSync(join(tmpdir(), 'stacklint-abra-'));
  try {
    const recipeName = safeName(basename(realpathSync(options.recipeDir)));
    const abraDir = join(scratch, 'abra');
    const clone = join(abraDir, 'recipes', recipeName);
    mkdirSync(dirname(clone), { recursive: true });
    options.status?.('abra: cloning the recipe into a private ABRA_DIR');
    const prepared = await prepareClone(options.recipeDir, clone, scratch, env);
    if ('error' in prepared) return { kind: 'error', reason: prepared.error, output: '' };
    if (prepared.note) options.note?.(prepared.note);
    // stacklint lints the very clone abra gets, so a disagreement is about the rules, not the input.
    const config = (await loadConfigFor(options.recipeDir)).config;
    const lint = lintRecipe(clone, { rules: ALL_RULES, config });
    options.status?.(`abra: abra recipe lint ${recipeName}`);
    const runEnv: NodeJS.ProcessEnv = { ...env, ABRA_DIR: abraDir, STACKLINT_ABRA: abra, STACKLINT_ABRA_RECIPE: recipeName, SHELL: '/bin/sh', TERM: env.TERM || 'xterm' };
    const script = await findOnPath('script', env);
    const timeoutMs = options.timeoutMs ?? 120_000;
    const result = script
      ? await runCommand(script, ['-qec', SCRIPT_COMMAND, '/dev/null'], { env: runEnv, cwd: scratch, timeoutMs, signal: options.signal })
      : await runCommand(abra, ['recipe', 'lint', recipeName], { env: runEnv, cwd: scratch, timeoutMs, signal: options.signal });
    const output = stripTerminal(`${result.stdout}\n${result.stderr}`).trim();
    const table = parseAbraLint(output);
    if (table.rows.length === 0) {
      const why = table.fatal[0] ?? (result.code !== 0 ? failureText(result) : 'no rule table in its output');
      return { kind: 'error', reason: `abra recipe lint failed: ${why}`, output };
    }
    if (result.code !== 0 && table.fatal.length > 0) return { kind: 'error', reason: `abra recipe lint failed: ${table.fatal[0]}`, output };
    const failed = table.rows.filter(rowFailed);
    const { disagreements, notRun } = compare(table.rows, lint.findings, lint.skipped);
    return {
      kind: 'ran',
      rows: table.rows,
      failedErrors: failed.filter((r) => r.severity === 'error'),
      failedWarnings: failed.filter((r) => r.severity !== 'error'),
      disagreements,
      notRunByStacklint: notRun,
      recipeName,
      note: script ? undefined : '`script` not found: abra ran without a terminal',
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** abra looks recipes up by directory name under $ABRA_DIR/recipes. */
function safeName(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+/, '');
  return cleaned === '' ? 'recipe' : cleaned;
}

// The recipe's .git/config must not make git run anything: stacklint's safe git configuration
// (src/load/git.ts), with local paths allowed for the scratch clones.
async function git(args: readonly string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<CommandResult> {
  return runCommand('git', [...safeGitPrefix([], { allowFileProtocol: true }), '--literal-pathspecs', ...args], { env: safeGitEnv(env), cwd, timeoutMs: 60_000 });
}

/**
 * Makes `clone` a git clone holding the recipe's tracked files as they are in the working tree. A recipe
 * at a repository's root is cloned (history and tags, for R014) and its uncommitted changes to tracked
 * files are committed on top; a recipe inside a larger repository, or outside git, gets a fresh one-commit
 * repository (so its origin exists for abra's fetch).
 */
async function prepareClone(recipeDir: string, clone: string, scratch: string, env: NodeJS.ProcessEnv): Promise<{ note?: string } | { error: string }> {
  const real = realpathSync(recipeDir);
  const top = await git(['rev-parse', '--show-toplevel'], env, real);
  const topDir = top.code === 0 ? safeRealpath(top.stdout.trim()) : undefined;
  if (topDir === real) {
    const cloned = await git(['clone', '--quiet', '--no-hardlinks', real, clone], env);
    if (cloned.code !== 0) return { error: `git clone: ${failureText(cloned)}` };
    const tracked = await trackedFiles(real, env);
    if (tracked === undefined) return { error: 'git ls-files failed' };
    const changed = copyChanged(real, clone, tracked);
    if (changed > 0) {
      const commit = await git([...GIT_IDENTITY, 'commit', '--quiet', '--all', '--no-verify', '-m', 'stacklint ladder: working tree'], env, clone);
      if (commit.code !== 0) return { error: `git commit in the scratch clone: ${failureText(commit)}` };
      return { note: `abra lints a clone with ${changed} uncommitted change${changed === 1 ? '' : 's'} to tracked files committed on top; untracked files left out` };
    }
    return {};
  }
  const origin = join(scratch, 'origin');
  mkdirSync(origin, { recursive: true });
  const files = topDir !== undefined ? await trackedFiles(real, env) : new RecipeFiles(real).list();
  if (files === undefined) return { error: 'git ls-files failed' };
  for (const f of files) copyEntry(join(real, f), join(origin, f), origin);
  for (const args of [['init', '--quiet'], ['add', '--all'], [...GIT_IDENTITY, 'commit', '--quiet', '--allow-empty', '--no-verify', '-m', 'stacklint ladder: recipe files']]) {
    const r = await git(args, env, origin);
    if (r.code !== 0) return { error: `git ${args.filter((a) => !a.startsWith('user.') && a !== '-c').join(' ')}: ${failureText(r)}` };
  }
  const cloned = await git(['clone', '--quiet', origin, clone], env);
  if (cloned.code !== 0) return { error: `git clone: ${failureText(cloned)}` };
  return {
    note: topDir !== undefined
      ? 'the recipe is not the root of its git repository: abra lints a fresh repository of its tracked files (no tags, so R014 says nothing)'
      : 'the recipe is not in git: abra lints a fresh repository of its files (no tags, so R014 says nothing)',
  };
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

async function trackedFiles(dir: string, env: NodeJS.ProcessEnv): Promise<string[] | undefined> {
  // Run inside the recipe, ls-files lists paths relative to it, limited to it.
  const r = await git(['ls-files', '-z', '--', '.'], env, dir);
  if (r.code !== 0) return undefined;
  return r.stdout.split('\0').filter((f) => f !== '');
}

/**
 * Copies a regular file or a link (as a link) into the scratch clone `root`. FIFOs, devices and sockets are
 * left out (reading one would block), and nothing is written through a link already in the clone.
 */
function copyEntry(from: string, to: string, root: string): void {
  const st = lstatSync(from, { throwIfNoEntry: false });
  if (!st || !(st.isFile() || st.isSymbolicLink())) return;
  if (!parentsAreDirectories(root, dirname(to))) return;
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { verbatimSymlinks: true, force: true, recursive: false });
}

/** Every existing component from `root` down to `dir` is a real directory (not a link that leads elsewhere). */
function parentsAreDirectories(root: string, dir: string): boolean {
  const rel = relative(root, dir);
  if (rel.startsWith('..') || isAbsolute(rel)) return false;
  let at = root;
  for (const part of rel.split(sep).filter((p) => p !== '')) {
    at = join(at, part);
    const st = lstatSync(at, { throwIfNoEntry: false });
    if (!st) return true; // made below, by mkdirSync
    if (!st.isDirectory()) return false;
  }
  return true;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Copies tracked files whose working-tree content differs from the clone; deletes those deleted. */
function copyChanged(from: string, to: string, tracked: readonly string[]): number {
  let changed = 0;
  for (const f of tracked) {
    const src = join(from, f);
    const dst = join(to, f);
    const srcExists = existsSync(src) || isLink(src);
    if (!srcExists) {
      if (existsSync(dst) || isLink(dst)) {
        rmSync(dst, { force: true });
        changed++;
      }
      continue;
    }
    const kind = lstatSync(src);
    if (kind.isDirectory()) continue; // a submodule: left as cloned
    if (!kind.isFile() && !kind.isSymbolicLink()) continue; // a FIFO or device: never read
    if (!sameContent(src, dst)) {
      if (!parentsAreDirectories(to, dirname(dst))) continue;
      rmSync(dst, { force: true });
      copyEntry(src, dst, to);
      changed++;
    }
  }
  return changed;
}

function sameContent(a: string, b: string): boolean {
  try {
    const la = lstatSync(a);
    const lb = lstatSync(b);
    if (la.isSymbolicLink() !== lb.isSymbolicLink() || (la.mode & 0o111) !== (lb.mode & 0o111)) return false;
    if (la.isSymbolicLink()) return readlinkSync(a) === readlinkSync(b);
    return la.size === lb.size && readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

/** Where abra's verdict on a rule differs from stacklint's finding of the same id. */
function compare(rows: readonly AbraRow[], findings: readonly Finding[], skipped: readonly SkippedRule[]): { disagreements: Disagreement[]; notRun: string[] } {
  const skippedIds = new Set(skipped.map((s) => s.rule));
  const disagreements: Disagreement[] = [];
  const notRun: string[] = [];
  for (const row of rows) {
    if (row.skipped === true || row.satisfied === undefined) continue;
    if (skippedIds.has(row.ref)) {
      notRun.push(row.ref);
      continue;
    }
    // abra judges one merge of every compose file: compare with stacklint's `abra` view (or view-less findings).
    const fires = findings.some((f) => f.rule === row.ref && f.state !== 'known' && (f.views.length === 0 || f.views.includes('abra')));
    const abraFails = rowFailed(row);
    if (fires !== abraFails) disagreements.push({ ref: row.ref, rule: row.rule, abra: abraFails ? 'fails' : 'passes', stacklint: fires ? 'fires' : 'silent' });
  }
  return { disagreements, notRun };
}
