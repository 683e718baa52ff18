// What the review keys do to the recipe: write a suppression comment, add a baseline entry, open the
// editor, re-lint. Each returns what the screen should say, and the fresh findings when it re-linted.
import { spawnSync } from 'node:child_process';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { BASELINE_FILE, BASELINE_VERSION, BaselineError, buildBaseline, updateBaseline } from '../../src/gate/index.js';
import type { Baseline, BaselineEntry } from '../../src/gate/index.js';
import { suppressionEdit } from '../../src/lint/suppress-edit.js';
import { changedSince, hashBytes, inspectTarget, readForWrite, withLocks, writeInside, WriteError } from '../../src/write/index.js';
import type { RuleMeta } from '../../src/rules/types.js';
import type { Finding } from '../../src/lint/types.js';
import type { EffectResult, ReviewActions } from './App.js';
import { DetailSource } from './detail.js';

export interface ActionOptions {
  recipeDir: string;
  rules: readonly RuleMeta[];
  /** Lints the recipe as `stacklint lint` would (baseline applied). */
  lint: () => Promise<Finding[]>;
  /** The findings shown first (the lint the session started with). */
  findings: Finding[];
  /** When that lint began (Date.now()): a file modified since may not be what it saw. */
  lintStartedMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Hands the terminal to the editor and takes it back (the runner suspends the screen around it). */
  runEditor?: (command: string, args: string[], cwd: string) => { error?: string; status: number | null };
}

export function createActions(options: ActionOptions): ReviewActions {
  const dir = resolve(options.recipeDir);
  let details = new DetailSource(dir, options.rules);
  // File texts as the last lint saw them: a suppression is written only if the line is still the same.
  // What this session wrote itself (file → hash): its own write just before a re-lint is no outside change.
  const ownWrites = new Map<string, string>();
  let seen = snapshot(dir, options.findings, ownWrites, options.lintStartedMs);

  const relintWith = async (status?: EffectResult['status']): Promise<EffectResult> => {
    const started = Date.now();
    const findings = await options.lint();
    details = new DetailSource(dir, options.rules);
    seen = snapshot(dir, findings, ownWrites, started);
    return { findings, status };
  };

  return {
    describe: (f) => details.describe(f),

    async suppress(f, reason) {
      const abs = inside(dir, f.file);
      if (!abs) return error(`${f.file} is outside the recipe`);
      let written: { directiveLine: number; extended: boolean };
      try {
        // Read, edit and write under the file's lock; the write happens only if the file still holds what was read.
        const outcome = withLocks(dir, [abs], (): EffectResult | { directiveLine: number; extended: boolean } => {
          const read = readForWrite(dir, abs);
          if (!read.exists) return error(`cannot read ${f.file}: it no longer exists`);
          const text = read.bytes.toString('utf8');
          if (!Buffer.from(text, 'utf8').equals(read.bytes)) return error(`${f.file} is not valid UTF-8: suppress by editing it, or accept into the baseline`);
          const before = seen.get(f.file);
          if (before === CHANGED_DURING_LINT || (before !== undefined && lineOf(before, f.line) !== lineOf(text, f.line))) {
            return error(`${f.file} changed since the last lint: press r to re-lint, then suppress`);
          }
          const edit = suppressionEdit({ text, file: f.file, line: f.line, rule: f.rule, reason });
          if (!edit.ok) return error(`cannot suppress: ${edit.message}`);
          writeInside(dir, abs, edit.text, { expect: read.hash });
          ownWrites.set(f.file, hashBytes(Buffer.from(edit.text, 'utf8')));
          return { directiveLine: edit.directiveLine, extended: edit.extended };
        });
        if (!('directiveLine' in outcome)) return outcome;
        written = outcome;
      } catch (err) {
        if (err instanceof WriteError) return error(err.message);
        throw err;
      }
      const result = await relintWith();
      const where = `${f.file}:${written.directiveLine}`;
      const still = result.findings!.some((g) => g.fingerprint === f.fingerprint && g.message === f.message);
      result.status = still
        ? { tone: 'error', text: `wrote the directive at ${where}, but ${f.rule} is still reported there` }
        : { tone: 'info', text: `suppressed ${f.rule}: ${written.extended ? 'extended the directive' : 'added a directive'} at ${where}` };
      result.changed = { suppressed: 1 };
      return result;
    },

    async baseline(f, reason) {
      let already = false;
      try {
        updateBaseline(
          dir,
          (previous) => {
            const entries = previous?.entries ?? [];
            if (entries.some((e) => e.fingerprint === f.fingerprint && e.message === f.message)) {
              already = true;
              return undefined;
            }
            const [entry] = buildBaseline([f], undefined, reason).baseline.entries;
            // Only this entry is added: the rest of the file (other reasons, entries of fixed findings) stays as it is.
            return { version: BASELINE_VERSION, entries: sortEntries([...entries, entry]) };
          },
          'throw',
        );
      } catch (err) {
        if (err instanceof BaselineError && err.unparsable) return error(`${err.message}: fix or regenerate it with \`stacklint baseline\``);
        if (err instanceof BaselineError || err instanceof WriteError) return error(err.message);
        throw err;
      }
      if (already) return error('already in the baseline');
      const result = await relintWith({ tone: 'info', text: `accepted ${f.rule} at ${f.file}:${f.line} into ${BASELINE_FILE}` });
      result.changed = { baselined: 1 };
      return result;
    },

    async open(f) {
      const abs = inside(dir, f.file);
      if (!abs) return error(`${f.file} is outside the recipe`);
      try {
        // The editor writes what it opens: only a regular file inside the recipe, reached through no link.
        if (!inspectTarget(dir, abs).stat) return error(`${f.file} does not exist`);
      } catch (err) {
        if (err instanceof WriteError) return error(`not opened: ${err.message}`);
        throw err;
      }
      const env = options.env ?? process.env;
      const command = editorCommand(env.VISUAL || env.EDITOR || 'vi', abs, f.line, f.column);
      const run = options.runEditor ?? runInTerminal;
      const outcome = run(command[0], command.slice(1), dir);
      if (outcome.error) return { ...error(`could not start ${command[0]}: ${outcome.error} (set $EDITOR)`), repaint: true };
      const result = await relintWith({
        tone: outcome.status === 0 ? 'info' : 'error',
        text: `${basename(command[0])} ${outcome.status === 0 ? 'closed' : `exited with status ${outcome.status}`}; re-linted`,
      });
      return { ...result, repaint: true };
    },

    relint: () => relintWith({ tone: 'info', text: 're-linted' }),
  };
}

function error(text: string): EffectResult {
  return { status: { tone: 'error', text } };
}

/** The absolute path of a recipe-relative file, or undefined when it would leave the recipe. */
function inside(dir: string, file: string): string | undefined {
  const abs = resolve(dir, file);
  const rel = relative(dir, abs);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? undefined : abs;
}

function lineOf(text: string, line: number): string | undefined {
  return text.replace(/^\uFEFF/, '').split(/\r?\n/)[line - 1];
}

/** Marks a file modified while (or after) the lint read it: its findings' lines may not be where they say. */
const CHANGED_DURING_LINT = Symbol('changed during the lint');

function snapshot(dir: string, findings: readonly Finding[], ownWrites: ReadonlyMap<string, string>, lintStartedMs?: number): Map<string, string | typeof CHANGED_DURING_LINT> {
  const out = new Map<string, string | typeof CHANGED_DURING_LINT>();
  for (const f of findings) {
    if (out.has(f.file)) continue;
    const abs = inside(dir, f.file);
    if (!abs) continue;
    try {
      const read = readForWrite(dir, abs);
      if (!read.exists) continue;
      const changed = lintStartedMs !== undefined && changedSince(read, lintStartedMs) && ownWrites.get(f.file) !== read.hash;
      out.set(f.file, changed ? CHANGED_DURING_LINT : read.bytes.toString('utf8'));
    } catch {
      // Unreadable now: the suppression will say so when asked.
    }
  }
  return out;
}

function sortEntries(entries: BaselineEntry[]): BaselineEntry[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return entries.sort((a, b) => cmp(a.file, b.file) || cmp(a.rule, b.rule) || cmp(a.path, b.path) || cmp(a.fingerprint, b.fingerprint) || cmp(a.message, b.message));
}

/**
 * The editor's argv to open `file` at `line`. $EDITOR may carry arguments ("code -w"); it is split on
 * blanks, never given to a shell. The path is absolute, so it can't be read as an option.
 */
export function editorCommand(editor: string, file: string, line: number, column = 1): string[] {
  const [program, ...args] = editor.trim().split(/\s+/);
  const name = basename(program).replace(/\.exe$/i, '');
  if (/^(code|codium|code-insiders|cursor)$/.test(name)) return [program, ...args, '-g', `${file}:${line}:${column}`];
  if (/^(subl|sublime_text|zed|hx|helix)$/.test(name)) return [program, ...args, `${file}:${line}:${column}`];
  return [program, ...args, `+${line}`, file];
}

function runInTerminal(command: string, args: string[], cwd: string): { error?: string; status: number | null } {
  const stdin = process.stdin;
  const raw = stdin.isTTY && stdin.isRaw;
  if (raw) stdin.setRawMode(false);
  try {
    const r = spawnSync(command, args, { stdio: 'inherit', cwd });
    return r.error ? { error: r.error.message, status: null } : { status: r.status };
  } finally {
    if (raw) stdin.setRawMode(true);
  }
}
