// Plain-text tables for the ladder's output: the per-service deploy report and the final summary.
import type { ServiceReport } from './deploy.js';
import type { RungResult } from './ladder.js';

/** Left-aligned columns separated by two spaces; the last column is not padded. */
export function table(rows: readonly (readonly string[])[], indent = ''): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length))).join('  ').trimEnd())
    .join('\n');
}

export function serviceTable(reports: readonly ServiceReport[], indent = ''): string {
  const rows = [['service', 'image', 'replicas', 'health', 'last error']];
  for (const r of reports) {
    const error = r.lastHealthOutput ? `health: ${r.lastHealthOutput}` : (r.lastTaskError ?? '');
    rows.push([r.service, r.image, r.replicas, r.health, error]);
  }
  return table(rows, indent);
}

export function verdictText(result: RungResult): string {
  return result.verdict === 'skipped' ? `skipped: ${result.reason}` : result.verdict;
}

export function summaryTable(results: readonly RungResult[]): string {
  const rows = [['rung', 'verdict', 'time', 'detail']];
  for (const r of results) {
    const verdict = r.verdict === 'skipped' ? 'skipped' : r.verdict;
    rows.push([r.rung, verdict, r.verdict === 'skipped' && r.seconds === 0 ? '-' : formatSeconds(r.seconds), r.reason]);
  }
  return table(rows);
}

export function formatSeconds(seconds: number): string {
  return seconds < 10 ? `${seconds.toFixed(2)} s` : `${seconds.toFixed(1)} s`;
}
