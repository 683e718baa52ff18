// What the review keys do to the recipe: write a suppression comment, add a baseline entry, open the
// editor, re-lint. Each returns what the screen should say, and the fresh findings when it re-linted.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve } from 'node:path';
import { BASELINE_FILE, BASELINE_VERSION, BaselineError, buildBaseline, readBaseline, writeBaseline } from '../../src/gate/index.js';
import type { Baseline, BaselineEntry } from '../../src/gate/index.js';
import { READ_LIMITS, readTextInside, realRoot } from '../../src/load/read.js';
import { suppressionEdit } from '../../src/lint/suppress-edit.js';
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
  env?: NodeJS.ProcessEnv;
  /** Hands the terminal to the editor and takes it back (the runner suspends the screen around it). */
  runEditor?: (command: string, args: string[], cwd: string) => { error?: string; status: number | null };
}

export function createActions(options: ActionOptions): ReviewActions {
  const dir = resolve(options.recipeDir);
  let details = new DetailSource(dir, options.rules);
  // File texts as the last lint saw them: a suppression is written only if the line is still the same.
  let seen = snapshot(dir, options.findings);

  const relintWith = async (status?: EffectResult['status']): Promise<EffectResult> => {
    const findings = await options.lint();
    details = new DetailSource(dir, options.rules);
    seen = snapshot(dir, findings);
    return { findings, status };
  };

  return {
    describe: (f) => details.describe(f),

    async suppress(f, reason) {
      const abs = inside(dir, f.file);
      if (!abs) return error(`${f.file} is outside the recipe`);
      const read = readTextInside(realRoot(dir), f.file, { maxBytes: READ_LIMITS.maxFileBytes, limitFor: 'a recipe file' });
      if (!read.ok) return error(read.message);
      const text = read.text;
      const before = seen.get(f.file);
      if (before !== undefined && lineOf(before, f.line) !== lineOf(text, f.line)) {
        return error(`${f.file} changed since the last lint: press r to re-lint, then suppress`);
      }
      const edit = suppressionEdit({ text, file: f.file, line: f.line, rule: f.rule, reason });
      if (!edit.ok) return error(`cannot suppress: ${edit.message}`);
      writeFileSync(abs, edit.text);
      const result = await relintWith();
      const where = `${f.file}:${edit.directiveLine}`;
      const still = result.findings!.some((g) => g.fingerprint === f.fingerprint && g.message === f.message);
      result.status = still
        ? { tone: 'error', text: `wrote the directive at ${where}, but ${f.rule} is still reported there` }
        : { tone: 'info', text: `suppressed ${f.rule}: ${edit.extended ? 'extended the directive' : 'added a directive'} at ${where}` };
      result.changed = { suppressed: 1 };
      return result;
    },

    async baseline(f, reason) {
      let previous: Baseline | undefined;
      try {
        previous = readBaseline(dir);
      } catch (err) {
        if (err instanceof BaselineError) return error(`${err.message}: fix or regenerate it with \`stacklint baseline\``);
        throw err;
      }
      const entries = previous?.entries ?? [];
      if (entries.some((e) => e.fingerprint === f.fingerprint && e.message === f.message)) return error('already in the baseline');
      const [entry] = buildBaseline([f], undefined, reason).baseline.entries;
      // Only this entry is added: the rest of the file (other reasons, entries of fixed findings) stays as it is.
      const baseline: Baseline = { version: BASELINE_VERSION, entries: sortEntries([...entries, entry]) };
      writeBaseline(dir, baseline);
      const result = await relintWith({ tone: 'info', text: `accepted ${f.rule} at ${f.file}:${f.line} into ${BASELINE_FILE}` });
      result.changed = { baselined: 1 };
      return result;
    },

    async open(f) {
      const abs = inside(dir, f.file);
      if (!abs) return error(`${f.file} is outside the recipe`);
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

function snapshot(dir: string, findings: readonly Finding[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of findings) {
    if (out.has(f.file)) continue;
    const abs = inside(dir, f.file);
    if (!abs) continue;
    // Unreadable now: the suppression will say so when asked.
    const read = readTextInside(realRoot(dir), f.file, { maxBytes: READ_LIMITS.maxFileBytes });
    if (read.ok) out.set(f.file, read.text);
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
