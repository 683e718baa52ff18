// A recipe's lint, as the editor's diagnostics: one list per file of the recipe, each finding on the range
// the CLI reports (1-based line:column → 0-based LSP positions, UTF-16 columns both), with its rule id, a
// link to the rule's docs, its severity and the views it occurs in. Baselined findings are shown as the CLI
// shows them — known, never failing — so as hints.
import { join, resolve } from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver';
import type { Diagnostic } from 'vscode-languageserver';
import type { EditorLint, Finding } from './engine-adapter.js';

/** Where each rule is documented: the generated catalogue, one heading per rule id. */
export const RULE_DOCS_URL = 'https://git.coopcloud.tech/toolshed/stacklint/src/branch/main/docs/rules.md';
export const SOURCE = 'stacklint';

/** What a code action needs to find the finding again. */
export interface DiagnosticData {
  recipe: string;
  fingerprint: string;
  message: string;
}

export function ruleDocsHref(rule: string): string {
  return `${RULE_DOCS_URL}#${encodeURIComponent(rule.toLowerCase())}`;
}

function severityOf(f: Finding): DiagnosticSeverity {
  if (f.state === 'known') return DiagnosticSeverity.Hint;
  return f.severity === 'error' ? DiagnosticSeverity.Error : f.severity === 'warning' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Information;
}

function rangeOf(line: number, column: number, endLine: number, endColumn: number) {
  const start = { line: Math.max(0, line - 1), character: Math.max(0, column - 1) };
  let end = { line: Math.max(0, endLine - 1), character: Math.max(0, endColumn - 1) };
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = start;
  return { start, end };
}

export function findingDiagnostic(recipe: string, f: Finding): Diagnostic {
  let message = f.message;
  if (f.views.length > 0) message += `\nviews: ${f.views.join(', ')}`;
  if (f.state === 'known') message += `\nknown: accepted in .stacklint-baseline.json${f.reason ? ` (${f.reason})` : ''}`;
  const data: DiagnosticData = { recipe, fingerprint: f.fingerprint, message: f.message };
  return {
    range: rangeOf(f.line, f.column, f.endLine, f.endColumn),
    severity: severityOf(f),
    code: f.rule,
    codeDescription: { href: ruleDocsHref(f.rule) },
    source: SOURCE,
    message,
    data,
  };
}

/** Every file's diagnostics for one stack's lint, keyed by absolute path; a failure with no file of its own is on `baseFile`. */
export function diagnosticsByFile(recipe: string, lint: EditorLint, baseFile = 'compose.yml'): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  const add = (path: string, d: Diagnostic) => {
    const list = out.get(path) ?? [];
    list.push(d);
    out.set(path, list);
  };
  for (const f of lint.findings) add(join(recipe, f.file), findingDiagnostic(recipe, f));
  if (lint.failure) {
    const file = lint.failure.file ? resolve(recipe, lint.failure.file) : join(recipe, baseFile);
    const unchecked = lint.findings.length === 0 ? '\n(nothing else of this recipe is checked until this is fixed)' : '';
    for (const p of lint.failure.problems) {
      const line = p.line ?? 1;
      const column = p.column ?? 1;
      add(file, {
        range: rangeOf(line, column, line, column + 1),
        severity: DiagnosticSeverity.Error,
        code: 'config',
        source: SOURCE,
        message: p.message + unchecked,
      });
    }
  }
  return out;
}
