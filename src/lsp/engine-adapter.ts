// Every call the language server makes into the lint engine goes through this module, so that the server
// can be re-pointed at another engine API by changing this one file. Lints as `stacklint lint DIR` does:
// the recipe's config file (and presets), the rules, then its baseline; open buffers replace the disk.
import { ConfigError, loadConfigFor } from '../config/index.js';
import type { ConfigProblem, StacklintConfig } from '../config/index.js';
import { applyBaseline, BASELINE_FILE, BASELINE_VERSION, BaselineError, buildBaseline, MAX_BASELINE_BYTES, parseBaseline, readBaseline, serializeBaseline } from '../gate/index.js';
import type { Baseline } from '../gate/index.js';
import { recipeViews } from '../pipeline/recipe.js';
import type { RecipeInfo, RecipeView } from '../pipeline/recipe.js';
import { lintRecipeJob } from '../lint/job.js';
import { configuredViews } from '../lint/engine.js';
import { parsePresets } from '../rules/presets.js';
import { cannotSuppressInline, suppressionEdit, takesHashComments } from '../lint/suppress-edit.js';
import { ALL_RULES } from '../rules/index.js';
import type { Rule } from '../rules/rule.js';
import type { RuleMeta } from '../rules/types.js';
import type { Finding } from '../lint/types.js';

/** A view as the editor features read it: the pipeline's built view. */
export type LintView = RecipeView;
export type { Finding, RecipeInfo, RuleMeta };
export { BASELINE_FILE, cannotSuppressInline, MAX_BASELINE_BYTES, suppressionEdit, takesHashComments };

/** Why a recipe could not be linted at all: its config file or baseline is unusable, or the engine failed. */
export interface LintFailure {
  /** Absolute path of the file at fault (the config file, the baseline), or undefined for compose.yml. */
  file?: string;
  problems: ConfigProblem[];
}

export interface EditorLint {
  findings: Finding[];
  failure?: LintFailure;
}

export const RULE_METAS: readonly RuleMeta[] = ALL_RULES.map((r) => r.meta);

/** Lints one recipe with `overlay` (absolute path → unsaved text) laid over the disk. Never throws. */
export async function lintForEditor(dir: string, overlay: ReadonlyMap<string, string>, rules: readonly Rule[] = ALL_RULES): Promise<EditorLint> {
  let findings: Finding[];
  try {
    findings = (await lintRecipeJob(dir, { overlay }, rules)).findings;
  } catch (err) {
    if (err instanceof ConfigError) return { findings: [], failure: { file: err.file, problems: err.problems } };
    // A bug outside any rule (a rule's own crash is already a finding): said on compose.yml, never as a stack.
    return { findings: [], failure: { problems: [{ message: `internal error: ${firstLine(err)} (a bug in stacklint: please report it)` }] } };
  }
  try {
    const baseline = readBaseline(dir);
    if (baseline) applyBaseline(findings, baseline);
  } catch (err) {
    if (!(err instanceof BaselineError)) throw err;
    return { findings, failure: { file: `${dir}/${BASELINE_FILE}`, problems: [{ message: stripPath(err.message) }] } };
  }
  return { findings, failure: undefined };
}

type ConfigViews = ReturnType<typeof configuredViews>;

/** The recipe's parsed files and merged views with `overlay` laid over the disk (hover, definitions). */
export function recipeModel(dir: string, overlay: ReadonlyMap<string, string>, chosen: { configViews?: ConfigViews; recipe?: boolean } = {}): { recipe: RecipeInfo; views: LintView[] } {
  return recipeViews(dir, { overlay, ...chosen });
}

/**
 * The model with the views the lint takes: the stack's config file can declare them (`views:`) or make it a
 * recipe (`preset: abra`). A config file that does not load changes nothing here (the lint reports it).
 */
export async function editorModel(dir: string, overlay: ReadonlyMap<string, string>): Promise<{ recipe: RecipeInfo; views: LintView[] }> {
  let config: StacklintConfig;
  try {
    config = (await loadConfigFor(dir)).config;
  } catch (err) {
    if (err instanceof ConfigError) return recipeModel(dir, overlay);
    throw err;
  }
  return recipeModel(dir, overlay, { configViews: configuredViews(dir, config), recipe: presetNames(config.preset).includes('abra') });
}

/** The config's presets; an unknown name is the lint's configuration error, none here. */
function presetNames(preset: string | undefined): string[] {
  try {
    return parsePresets(preset);
  } catch {
    return [];
  }
}

/**
 * The baseline text with `finding` accepted (the rest of the file as it was), or a message saying why not.
 * `current` is the baseline file's text, or undefined when the recipe has none.
 */
export function baselineWith(current: string | undefined, finding: Finding, reason?: string): { ok: true; text: string } | { ok: false; message: string } {
  let previous: Baseline | undefined;
  try {
    previous = current === undefined ? undefined : parseBaseline(current, BASELINE_FILE);
  } catch (err) {
    if (err instanceof BaselineError) return { ok: false, message: `${err.message}: fix or regenerate it with \`stacklint baseline\`` };
    throw err;
  }
  const entries = previous?.entries ?? [];
  if (entries.some((e) => e.fingerprint === finding.fingerprint && e.message === finding.message)) return { ok: false, message: 'already in the baseline' };
  const [entry] = buildBaseline([finding], undefined, reason).baseline.entries;
  // Only this entry is added (as `stacklint review` does): other reasons, entries of fixed findings stay.
  const all = [...entries, entry].sort(
    (a, b) => cmp(a.file, b.file) || cmp(a.rule, b.rule) || cmp(a.path, b.path) || cmp(a.fingerprint, b.fingerprint) || cmp(a.message, b.message),
  );
  return { ok: true, text: serializeBaseline({ version: BASELINE_VERSION, entries: all }) };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].slice(0, 300);
}

/** BaselineError messages start with the file's path; the diagnostic is on that file already. */
function stripPath(message: string): string {
  const at = message.indexOf(`${BASELINE_FILE}: `);
  return at >= 0 ? message.slice(at + BASELINE_FILE.length + 2) : message;
}
