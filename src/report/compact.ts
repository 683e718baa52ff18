// One line per finding, for plain logs and editors' "file:line:col" matchers.
import type { Finding, LintResult } from '../lint/types.js';
import { defuseCommands, findingPath, inline, visible } from './common.js';
import { foldLineBreaks } from '../load/text-scan.js';

/** `file:line:col: severity rule: message`, the message folded onto one line. */
export function formatFinding(f: Finding): string {
  const message = visible(foldLineBreaks(f.message));
  return defuseCommands(`${inline(findingPath(f))}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${message}`);
}

export function formatCompact(result: LintResult): string {
  return result.findings.map((f) => `${formatFinding(f)}\n`).join('');
}
