// Helpers shared by the formatters. Everything here is pure: strings in, strings out.
import type { Finding, LintResult } from '../rules/types.js';
import { trimTrailing } from '../load/text-scan.js';

/** The path a user opens: the recipe directory (catalogue runs) joined with the recipe-relative file. */
export function findingPath(f: Pick<Finding, 'file' | 'recipe'>): string {
  const recipe = trimTrailing(f.recipe ?? '', '/');
  if (!recipe || recipe === '.' || f.file.startsWith('/')) return f.file;
  return `${recipe}/${f.file}`;
}

/** Findings that exist now; 'fixed' ones (from a --base comparison) are gone from the tree. */
export function isCurrent(f: Finding): boolean {
  return f.state !== 'fixed';
}

/** Views worth naming: the finding is missing from at least one view of the run. */
export function partialViews(f: Finding, result: LintResult): string[] | undefined {
  return f.views.length > 0 && f.views.length < result.summary.views ? f.views : undefined;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/**
 * Makes text from compose files safe to print to a terminal or CI log: C0/C1 controls (ESC above all,
 * which could forge colours or hyperlinks) become visible escapes. Newlines and tabs are kept.
 */
export function visible(s: string): string {
  return s.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Counts over current findings, for summary lines. */
export function tally(findings: readonly Finding[]) {
  const current = findings.filter(isCurrent);
  return {
    errors: current.filter((f) => f.severity === 'error').length,
    warnings: current.filter((f) => f.severity === 'warning').length,
    infos: current.filter((f) => f.severity === 'info').length,
    known: current.filter((f) => f.state === 'known').length,
    fixed: findings.length - current.length,
    files: new Set(current.map(findingPath)).size,
  };
}
