// Turns rule reports into findings: one per (rule, file, place, message), listing every view it
// occurs in, with a fingerprint that survives unrelated edits (no line numbers in it).
import { sha256Hex } from './sha256.js';
import type { Finding } from './types.js';

/** A rule's report placed in a file: a finding before views are gathered and it is fingerprinted. */
export type PositionedReport = Omit<Finding, 'views' | 'fingerprint' | 'recipe' | 'state' | 'reason'> & { view?: string };

export class FindingCollector {
  private readonly byKey = new Map<string, Finding>();

  add(report: PositionedReport): void {
    const key = [report.rule, report.file, report.logicalPath, report.line, report.column, report.message].join('\u0000');
    const existing = this.byKey.get(key);
    if (existing) {
      if (report.view && !existing.views.includes(report.view)) existing.views.push(report.view);
      return;
    }
    const { view, ...rest } = report;
    this.byKey.set(key, { ...rest, views: view ? [view] : [], fingerprint: '' });
  }

  /** Findings sorted by file, line, column, rule; fingerprints computed once views are complete. */
  finish(): Finding[] {
    const findings = [...this.byKey.values()];
    for (const f of findings) f.fingerprint = fingerprintOf(f);
    return findings.sort(compareFindings);
  }
}

export function fingerprintOf(f: Pick<Finding, 'rule' | 'file' | 'logicalPath' | 'views' | 'recipe'>): string {
  const material = [f.recipe ?? '', f.rule, f.file, f.logicalPath, viewSignature(f.views)].join('\u0000');
  return sha256Hex(material).slice(0, 20);
}

/**
 * The overlay combination a finding belongs to, stable when unrelated overlays or COMPOSE_FILE lines
 * are added: 'base' when the base file alone shows it; else the overlays whose base+overlay view shows
 * it; else the other views' names; 'abra' when only abra's all-files merge shows it.
 */
export function viewSignature(views: readonly string[]): string {
  if (views.length === 0) return '';
  if (views.some((v) => v !== 'abra' && !v.includes('+'))) return 'base';
  const single = views.map((v) => v.split('+')).filter((parts) => parts.length === 2).map((parts) => parts[1]);
  if (single.length > 0) return [...new Set(single)].sort().join(',');
  const others = views.filter((v) => v !== 'abra');
  return others.length > 0 ? [...others].sort().join(',') : 'abra';
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.recipe ?? '', b.recipe ?? '') ||
    cmp(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    cmp(a.rule, b.rule) ||
    cmp(a.message, b.message)
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
