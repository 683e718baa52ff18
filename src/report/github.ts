// GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.
import type { Finding, LintResult } from '../lint/types.js';
import { findingPath, partialViews, visible } from './common.js';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/**
 * Known (baselined) and fixed findings are left out: annotations are few (GitHub shows 10 of each kind
 * per step) and belong to what this change introduced.
 */
export function formatGithub(result: LintResult): string {
  return result.findings
    .filter((f) => f.state !== 'known' && f.state !== 'fixed')
    .map((f) => githubCommand(f, result))
    .map((line) => `${line}\n`)
    .join('');
}

function githubCommand(f: Finding, result: LintResult): string {
  const props: Array<[string, string | number]> = [
    ['file', findingPath(f)],
    ['line', f.line],
    ['col', f.column],
    ['endLine', f.endLine],
    ['endColumn', f.endColumn],
    ['title', f.name && f.name !== f.rule ? `${f.rule} ${f.name}` : f.rule],
  ];
  const lines = [f.message];
  const views = partialViews(f, result);
  if (views) lines.push(`views: ${views.join(', ')}`);
  if (f.fix) lines.push(`fix: ${f.fix}`);
  const propText = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${COMMAND[f.severity]} ${propText}::${escapeData(lines.join('\n'))}`;
}

/** The message part: '%' first, so the escapes it introduces are not escaped again; other controls made visible. */
export function escapeData(s: string): string {
  return visible(s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

/** Property values also delimit on ':' and ','. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
