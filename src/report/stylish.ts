// Human output, after ESLint's "stylish": findings grouped by file, aligned rows, one summary line.
import { isAbsolute, join, relative } from 'node:path';
import type { Severity } from '../rules/types.js';
import type { Finding, LintResult } from '../lint/types.js';
import { paint, type Paint } from './ansi.js';
import { defuseCommands, findingPath, inline, partialViews, plural, tally, visible } from './common.js';
import { addTo, maxOf, pushAll } from '../load/collections.js';

export interface StylishOptions {
  color: boolean;
  /** Directory the findings' paths are relative to (the directory linted, as the CLI resolved it). */
  root?: string;
  /** Show paths relative to this directory (the user's working directory); needs an absolute `root`. */
  cwd?: string;
  /** Errors only, like `eslint --quiet`; the summary counts what is shown. */
  quiet?: boolean;
}

export function formatStylish(result: LintResult, options: StylishOptions): string {
  const pc = paint(options.color);
  const shown = options.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
  const groups = new Map<string, Finding[]>();
  for (const f of shown) {
    const path = displayPath(f, options);
    addTo(groups, path, f);
  }
  const out: string[] = [];
  for (const [path, findings] of groups) {
    out.push(pc.underline(inline(path)));
    pushAll(out, fileRows(findings, result, pc));
    out.push('');
  }
  out.push(summaryLine(shown, pc, options.quiet ?? false));
  if (!options.quiet && result.skipped.length > 0) {
    out.push(pc.dim(`skipped: ${result.skipped.map((s) => `${s.rule} (${visible(s.reason)})`).join(', ')}`));
  }
  return defuseCommands(`${out.join('\n')}\n`);
}

function displayPath(f: Finding, options: StylishOptions): string {
  const p = findingPath(f);
  if (!options.root || p === '-') return p;
  const abs = isAbsolute(p) ? p : join(options.root, p);
  if (options.cwd && isAbsolute(abs) && isAbsolute(options.cwd)) return relative(options.cwd, abs) || '.';
  return abs;
}

function fileRows(findings: Finding[], result: LintResult, pc: Paint): string[] {
  const lineW = maxOf(findings.map((f) => String(f.line).length));
  const colW = maxOf(findings.map((f) => String(f.column).length));
  const sevW = maxOf(findings.map((f) => f.severity.length));
  const messages = findings.map((f) => visible(f.message.replace(/\r\n/g, '\n')).split('\n'));
  const msgW = maxOf(messages.map((m) => m[0].length));
  // Detail lines start under the message column.
  const indent = ' '.repeat(2 + lineW + 1 + colW + 2 + sevW + 2);
  const rows: string[] = [];
  findings.forEach((f, i) => {
    const [first, ...rest] = messages[i];
    const sev = f.severity.padEnd(sevW);
    const rule = f.name && f.name !== f.rule ? `${f.rule} ${pc.dim(f.name)}` : f.rule;
    const marker = f.state === 'known' ? pc.dim(' (known)') : f.state === 'fixed' ? pc.green(' (fixed)') : '';
    rows.push(
      `  ${String(f.line).padStart(lineW)}:${String(f.column).padEnd(colW)}  ` +
        `${f.state === 'known' || f.state === 'fixed' ? pc.dim(sev) : severityColor(f.severity, pc)(sev)}  ${first.padEnd(msgW)}  ${rule}${marker}`,
    );
    for (const line of rest) rows.push(`${indent}${line}`);
    const views = partialViews(f, result);
    if (views) rows.push(pc.dim(`${indent}views: ${inline(views.join(', '))}`));
    if (f.fix) rows.push(pc.dim(`${indent}fix: ${visible(f.fix.replace(/\r\n/g, '\n')).replace(/\n/g, `\n${indent}     `)}${f.edits?.length ? ' (--fix applies it)' : ''}`));
    if (f.suggestion) rows.push(pc.dim(`${indent}suggestion: ${visible(f.suggestion)}`));
    if (f.state === 'known' && f.reason) rows.push(pc.dim(`${indent}known: ${visible(f.reason)}`));
  });
  return rows;
}

function severityColor(severity: Severity, pc: Paint): (s: string) => string {
  return severity === 'error' ? pc.red : severity === 'warning' ? pc.yellow : pc.cyan;
}

function summaryLine(findings: readonly Finding[], pc: Paint, quiet: boolean): string {
  const t = tally(findings);
  const notes = [t.known > 0 ? `${t.known} known` : '', t.fixed > 0 ? `${t.fixed} fixed` : ''].filter(Boolean);
  const note = notes.length > 0 ? ` (${notes.join(', ')})` : '';
  if (t.errors + t.warnings + t.infos === 0) return pc.green(`✔ no ${quiet ? 'errors' : 'problems'}${note}`);
  const counts = [plural(t.errors, 'error'), plural(t.warnings, 'warning')];
  if (t.infos > 0) counts.push(`${t.infos} info`);
  const text = `✖ ${counts.join(', ')}${note} in ${plural(t.files, 'file')}`;
  return pc.bold(t.errors > 0 ? pc.red(text) : t.warnings > 0 ? pc.yellow(text) : pc.cyan(text));
}
