// Helpers shared by the formatters. Everything here is pure: strings in, strings out.
import type { Finding, LintResult } from '../lint/types.js';
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

// Characters that can act on a terminal or a log viewer, or hide what is around them: C0 controls but tab and
// line feed (ESC above all: colours, titles, hyperlinks, screen clears), DEL, C1 controls (a lone U+009B is
// CSI to some terminals), line and paragraph separators, and the bidirectional overrides and isolates that
// can show text in another order than it is.
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/**
 * Makes text from a repository safe to print to a terminal or CI log: every unsafe character becomes a
 * visible `\uXXXX` escape. Newlines and tabs are kept (see `inline` for one-line fields).
 */
export function visible(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `visible`, with line feeds shown as `\n` too: for a field printed on one line (a path, a name). */
export function inline(s: string): string {
  return visible(s).replace(/\n/g, '\\n');
}

/**
 * CI runners read a line that starts (after blanks, or colour codes) with `::` as a workflow command:
 * `::error file=…::`. Text made of a repository's bytes never starts one; its first colon becomes `\u003a`.
 * Applied to a formatter's or an error's whole output (linear: one anchored match per line).
 */
export function defuseCommands(text: string): string {
  return text.replace(/^((?:\u001b\[[0-9;]*m)*[ \t]*):(?=:)/gm, '$1\\u003a');
}

/** Text for a plain error or note line on stderr: visible escapes, no workflow command. */
export function safeLines(text: string): string {
  return defuseCommands(visible(text));
}

/**
 * JSON text (JSON.stringify's output) with the characters JSON leaves raw but terminals and viewers act on
 * (DEL, C1 controls, line separators, bidirectional controls) as `\uXXXX` escapes: they only occur inside
 * strings, where the escape means the same character, so the document is unchanged for a parser.
 */
export function jsonForTerminals(json: string): string {
  return json.replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
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
