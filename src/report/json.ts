// The JSON contract (version 1). Keys are written in a fixed order so output diffs cleanly.
import type { Finding, LintResult } from '../lint/types.js';
import { jsonForTerminals } from './common.js';

export const JSON_FORMAT_VERSION = 1;

const RESERVED = new Set(['version', 'findings', 'skipped', 'summary']);

/** One finding as the contract spells it; `recipe`, `state`, `reason` only when set. */
export function jsonFinding(f: Finding): Record<string, unknown> {
  const out: Record<string, unknown> = {
    rule: f.rule,
    name: f.name,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    views: [...f.views],
    fingerprint: f.fingerprint,
    fix: f.fix,
  };
  if (f.recipe !== undefined) out.recipe = f.recipe;
  if (f.state !== undefined) out.state = f.state;
  if (f.reason !== undefined) out.reason = f.reason;
  if (f.edits && f.edits.length > 0) out.fixable = true;
  if (f.suggestion !== undefined) out.suggestion = f.suggestion;
  return out;
}

/**
 * `extra` adds top-level keys after the contract's own (e.g. `fixed`, `unchanged`, `recipes`), in the
 * caller's order; arrays of findings in it are written like `findings`. The contract's keys can't be
 * overridden.
 */
export function formatJson(result: LintResult, extra: Record<string, unknown> = {}): string {
  const s = result.summary;
  const doc: Record<string, unknown> = {
    version: JSON_FORMAT_VERSION,
    findings: result.findings.map(jsonFinding),
    skipped: result.skipped.map((k) => ({ rule: k.rule, reason: k.reason })),
    summary: { errors: s.errors, warnings: s.warnings, infos: s.infos, recipes: s.recipes, files: s.files, views: s.views },
  };
  for (const [key, value] of Object.entries(extra)) {
    if (RESERVED.has(key)) throw new Error(`formatJson: extra key '${key}' would replace the contract's own`);
    if (value === undefined) continue;
    doc[key] = Array.isArray(value) && value.length > 0 && value.every(isFinding) ? value.map(jsonFinding) : value;
  }
  return `${jsonForTerminals(JSON.stringify(doc, null, 2))}\n`;
}

function isFinding(v: unknown): v is Finding {
  return typeof v === 'object' && v !== null && typeof (v as Finding).rule === 'string' && typeof (v as Finding).fingerprint === 'string';
}
