// The CI gate: baselines (accepted findings) and --base comparisons (what a change introduced), and
// how their results are shaped for each output format.
import { relative } from 'node:path';
import { summarise } from '../lint/engine.js';
import { compareFindings } from '../lint/findings.js';
import type { RunResult } from '../catalogue/run.js';
import { formatFinding } from '../report/compact.js';
import type { Finding, LintResult } from '../lint/types.js';
import { applyBaseline, BASELINE_FILE, readBaseline } from './baseline.js';
import type { BaselineEntry } from './baseline.js';
import type { BaseComparison, UpgradeComparison } from './compare.js';
import { pushAll } from '../load/collections.js';

export * from './baseline.js';
export { compareWithBase, GateError, upgradeFrom } from './compare.js';
export type { BaseComparison, UpgradeComparison } from './compare.js';
export { matchFindings } from './match.js';

export interface BaselineRun {
  /** Baseline files read (absolute paths). */
  files: string[];
  known: number;
  stale: BaselineEntry[];
}

/**
 * Reads each recipe's `.stacklint-baseline.json` and marks its findings known (or new); recomputes the
 * summary so known findings don't count. Undefined when no recipe has a baseline.
 */
export function applyBaselines(result: RunResult): BaselineRun | undefined {
  const run: BaselineRun = { files: [], known: 0, stale: [] };
  for (const recipe of result.recipes) {
    const baseline = readBaseline(recipe.recipeDir);
    if (!baseline) continue;
    run.files.push(`${recipe.recipeDir}/${BASELINE_FILE}`);
    const m = applyBaseline(recipe.findings, baseline);
    run.known += m.known.length;
    pushAll(run.stale, m.stale);
  }
  if (run.files.length === 0) return undefined;
  result.summary = resummarise(result.findings, result);
  return run;
}

function resummarise(findings: Finding[], of: LintResult): LintResult['summary'] {
  const s = of.summary;
  return summarise(findings, s.recipes, s.files, s.views);
}

export interface GateOutput {
  /** What the formatter is given. */
  result: LintResult;
  /** Extra top-level keys for the JSON format. */
  extra?: Record<string, unknown>;
  /** Lines for people (counts, each new finding's file:line, stale baseline entries). */
  notes: string[];
}

/**
 * Shapes a run for output. With a comparison, formats report the new findings only (`findings`), and JSON
 * carries `fixed` and `unchanged` beside them; SARIF also carries the unchanged ones, marked
 * `baselineState: unchanged`, since code scanning tracks results across runs by their fingerprints.
 */
export function gateOutput(format: string, head: RunResult, comparison?: BaseComparison, baseline?: BaselineRun, cwd = process.cwd()): GateOutput {
  const notes: string[] = [];
  const extra: Record<string, unknown> = {};
  if (baseline) {
    extra.baseline = {
      files: baseline.files.map((f) => relative(cwd, f) || f),
      known: baseline.known,
      stale: baseline.stale.length,
    };
    if (baseline.stale.length > 0) {
      notes.push(
        `baseline: ${baseline.stale.length} ${baseline.stale.length === 1 ? 'entry matches' : 'entries match'} no finding any more ` +
          `(fixed, or moved to another file): run \`stacklint baseline\` to drop ${baseline.stale.length === 1 ? 'it' : 'them'}`,
      );
    }
  }
  if (!comparison) return { result: head, extra: Object.keys(extra).length > 0 ? extra : undefined, notes };

  // Upgrade findings are new by nature (they exist only in the comparison): reported and counted beside the new ones.
  const reported = [...comparison.added, ...comparison.upgrade].sort(compareFindings);
  const shown = format === 'sarif' ? [...reported, ...comparison.unchanged].sort(compareFindings) : reported;
  const result: LintResult = {
    findings: shown,
    skipped: head.skipped,
    summary: summarise(reported, head.summary.recipes, head.summary.files, head.summary.views),
  };
  const accepted = comparison.added.filter((f) => f.state === 'known').length;
  const counts =
    `${comparison.added.length} new${accepted > 0 ? ` (${accepted} accepted by the baseline)` : ''}, ${comparison.fixed.length} fixed, ${comparison.unchanged.length} unchanged` +
    (comparison.upgrade.length > 0 ? `, ${comparison.upgrade.length} breaking upgrades` : '');
  notes.unshift(`${counts} — compared with ${comparedWith(comparison)}`);
  for (const missing of comparison.missingAtBase) notes.push(`${missing} did not exist at ${comparison.ref}: all its findings are new`);
  if (comparison.added.length > 0) notes.push('introduced by this change:');
  for (const f of comparison.added) notes.push(`  new: ${formatFinding(f)}${f.state === 'known' ? ' (known: in the baseline)' : ''}`);
  pushAll(notes, upgradeNotes(comparison.upgrade));
  extra.base = {
    ref: comparison.ref,
    commit: comparison.commit,
    new: comparison.added.length,
    fixed: comparison.fixed.length,
    unchanged: comparison.unchanged.length,
    upgrade: comparison.upgrade.length,
    missing: comparison.missingAtBase,
  };
  extra.upgrade = comparison.upgrade;
  extra.fixed = comparison.fixed;
  extra.unchanged = comparison.unchanged;
  return { result, extra, notes };
}

function comparedWith(c: { ref: string; commit: string }): string {
  const short = c.commit.slice(0, 12);
  return `${c.ref}${short && !c.ref.startsWith(short) ? ` (${short})` : ''}`;
}

function upgradeNotes(upgrade: readonly Finding[]): string[] {
  if (upgrade.length === 0) return [];
  return ['breaks upgrades of deployed apps:', ...upgrade.map((f) => `  upgrade: ${formatFinding(f)}`)];
}

/**
 * `--upgrade-from REF` without `--base`: every finding of the working tree as usual, plus the upgrade rules'
 * findings (reported, counted and failing like the others), listed apart for people.
 */
export function upgradeOutput(shaped: GateOutput, upgrade: UpgradeComparison): GateOutput {
  const findings = [...shaped.result.findings, ...upgrade.upgrade].sort(compareFindings);
  const s = shaped.result.summary;
  const result: LintResult = { ...shaped.result, findings, summary: summarise(findings, s.recipes, s.files, s.views) };
  const notes = [...shaped.notes, `${upgrade.upgrade.length} breaking upgrades — compared with ${comparedWith(upgrade)}`];
  for (const missing of upgrade.missingAtBase) notes.push(`${missing} did not exist at ${upgrade.ref}: nothing to upgrade from`);
  pushAll(notes, upgradeNotes(upgrade.upgrade));
  const extra = { ...shaped.extra, upgradeFrom: { ref: upgrade.ref, commit: upgrade.commit, upgrade: upgrade.upgrade.length, missing: upgrade.missingAtBase }, upgrade: upgrade.upgrade };
  return { result, extra, notes };
}
