// JUnit XML for CI test views. One testsuite per file (where the fix goes, as ESLint's junit does);
// one testcase per finding. Errors and warnings fail; known (baselined) findings are skipped, so CI shows
// them without failing; info findings pass. A run with nothing to report still yields a passing case.
import type { Finding, LintResult } from '../lint/types.js';
import { findingPath, isCurrent } from './common.js';
import { addTo } from '../load/collections.js';

interface Case {
  xml: string;
  failed: boolean;
  skipped: boolean;
}

export function formatJunit(result: LintResult): string {
  const suites = new Map<string, Case[]>();
  for (const f of result.findings.filter(isCurrent)) {
    const path = findingPath(f);
    addTo(suites, path, findingCase(f, path));
  }
  if (result.skipped.length > 0) {
    suites.set(
      'stacklint: skipped rules',
      result.skipped.map((s) => ({
        xml: `<testcase classname="stacklint" name="${xml(s.rule, true)}"><skipped message="${xml(s.reason, true)}"/></testcase>`,
        failed: false,
        skipped: true,
      })),
    );
  }
  if (!result.findings.some(isCurrent)) {
    suites.set('stacklint', [{ xml: '<testcase classname="stacklint" name="no problems"/>', failed: false, skipped: false }]);
  }
  const body: string[] = [];
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const [name, cases] of suites) {
    const n = counts(cases);
    tests += cases.length;
    failures += n.failures;
    skipped += n.skipped;
    body.push(`  <testsuite name="${xml(name, true)}" tests="${cases.length}" failures="${n.failures}" errors="0" skipped="${n.skipped}">`);
    for (const c of cases) body.push(`    ${c.xml}`);
    body.push('  </testsuite>');
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="stacklint" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...body,
    '</testsuites>',
    '',
  ].join('\n');
}

function counts(cases: Case[]) {
  return { failures: cases.filter((c) => c.failed).length, skipped: cases.filter((c) => c.skipped).length };
}

function findingCase(f: Finding, path: string): Case {
  const name = `${f.rule}${f.name && f.name !== f.rule ? ` ${f.name}` : ''} at ${f.line}:${f.column}`;
  const open = `<testcase classname="${xml(path, true)}" name="${xml(name, true)}" file="${xml(path, true)}" line="${f.line}">`;
  const details = [`${path}:${f.line}:${f.column}: ${f.severity} ${f.rule}: ${f.message}`];
  if (f.views.length > 0) details.push(`views: ${f.views.join(', ')}`);
  if (f.fix) details.push(`fix: ${f.fix}`);
  if (f.state === 'known') {
    const why = f.reason ? `known: ${f.reason}` : 'known (baselined)';
    return { xml: `${open}<skipped message="${xml(why, true)}"/></testcase>`, failed: false, skipped: true };
  }
  if (f.severity === 'info') {
    return { xml: `${open}<system-out>${xml(details.join('\n'))}</system-out></testcase>`, failed: false, skipped: false };
  }
  const failure = `<failure type="${f.severity}" message="${xml(f.message, true)}">${xml(details.join('\n'))}</failure>`;
  return { xml: `${open}${failure}</testcase>`, failed: true, skipped: false };
}

/**
 * Escapes text for XML 1.0. Characters XML 1.0 cannot carry at all (most C0 controls, U+FFFE/U+FFFF,
 * lone surrogates), not even as character references, become visible `\uXXXX` text. In attributes,
 * tab/CR/LF are written as references so parsers' attribute normalisation doesn't turn them into spaces.
 */
export function xml(s: string, attribute = false): string {
  const legal = s.replace(
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  // DEL, C1 and bidirectional controls as references: the same text to a parser, inert on a terminal.
  const escaped = legal
    .replace(/[&<>"']/g, (c) => ENTITIES[c])
    // A line of text content that would start with '::' (a CI workflow command) starts with a reference instead.
    .replace(/(^|\n)([ \t]*):(?=:)/g, '$1$2&#58;')
    .replace(/\r/g, '&#13;')
    .replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `&#x${c.charCodeAt(0).toString(16)};`);
  return attribute ? escaped.replace(/\n/g, '&#10;').replace(/\t/g, '&#9;') : escaped;
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
