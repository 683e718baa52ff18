import { describe, expect, it } from 'vitest';
import type { RuleMeta } from '../../src/rules/types.js';
import type { Finding, LintResult } from '../../src/lint/types.js';
import {
  escapeData,
  escapeProperty,
  FORMATS,
  formatFinding,
  formatGithub,
  formatJson,
  formatJunit,
  formatSarif,
  formatStylish,
  isFormatName,
  stripAnsi,
} from '../../src/report/index.js';
import { xml } from '../../src/report/junit.js';

function finding(over: Partial<Finding> = {}): Finding {
  return {
    rule: 'R011',
    name: 'proxy-alias-collision',
    severity: 'error',
    message: 'alias "app" collides with service web',
    file: 'compose.yml',
    line: 12,
    column: 7,
    endLine: 12,
    endColumn: 10,
    views: ['compose.yml', 'compose.yml+compose.smtp.yml', 'abra'],
    fingerprint: 'abc123',
    fix: 'rename the alias',
    logicalPath: 'services.app.networks.proxy.aliases',
    ...over,
  };
}

function result(findings: Finding[], views = 3): LintResult {
  return {
    findings,
    skipped: [{ rule: 'R006', reason: 'needs --online' }],
    summary: {
      errors: findings.filter((f) => f.severity === 'error').length,
      warnings: findings.filter((f) => f.severity === 'warning').length,
      infos: findings.filter((f) => f.severity === 'info').length,
      recipes: 1,
      files: new Set(findings.map((f) => f.file)).size,
      views,
    },
  };
}

const sample = result([
  finding(),
  finding({
    rule: 'R020',
    name: 'healthcheck-missing',
    severity: 'warning',
    message: 'no healthcheck',
    line: 3,
    column: 3,
    views: ['compose.yml+compose.smtp.yml'],
    fingerprint: 'def456',
    fix: 'add a healthcheck',
  }),
  finding({ file: 'compose.smtp.yml', severity: 'warning', line: 100, column: 12, state: 'known', reason: 'upstream', fingerprint: 'ghi' }),
]);

const rules: RuleMeta[] = [
  { id: 'R020', name: 'healthcheck-missing', level: 'warn', description: 'Services have healthchecks', fix: 'add one' },
  { id: 'R011', name: 'proxy-alias-collision', level: 'error', description: 'Aliases are unique', details: 'Longer **text**.', fix: 'rename' },
  { id: 'R099', name: 'disabled', level: 'off', description: 'Off by default', fix: '-' },
];

describe('stylish', () => {
  it('groups by file, aligns rows, names partial views, marks known findings', () => {
    const out = formatStylish(sample, { color: false });
    expect(out).not.toContain('\u001b[');
    const lines = out.split('\n');
    expect(lines[0]).toBe('compose.yml');
    // The warning at 3:3 was passed second but rows keep the given order; columns line up.
    expect(lines[1]).toBe('  12:7  error    alias "app" collides with service web  R011 proxy-alias-collision');
    expect(lines[2]).toBe('                 fix: rename the alias');
    expect(lines[3]).toBe('   3:3  warning  no healthcheck                         R020 healthcheck-missing');
    expect(lines[4]).toBe('                 views: compose.yml+compose.smtp.yml');
    expect(lines[5]).toBe('                 fix: add a healthcheck');
    expect(lines[6]).toBe('');
    expect(lines[7]).toBe('compose.smtp.yml');
    expect(lines[8]).toMatch(/^ {2}100:12 {2}warning {2}alias .* {2}R011 proxy-alias-collision \(known\)$/);
    expect(out).toContain('known: upstream');
    expect(out).toContain('✖ 1 error, 2 warnings (1 known) in 2 files\n');
    expect(out).toContain('skipped: R006 (needs --online)');
    expect(out.endsWith('\n')).toBe(true);
  });

  it('colours only when asked, with the same text underneath', () => {
    const plain = formatStylish(sample, { color: false });
    const coloured = formatStylish(sample, { color: true });
    expect(coloured).toContain('\u001b[31merror'); // red severity
    expect(coloured).toContain('\u001b[2m'); // dim detail lines
    expect(stripAnsi(coloured)).toBe(plain);
  });

  it('says so when clean, and honours quiet', () => {
    expect(formatStylish(result([]), { color: false })).toBe('✔ no problems\nskipped: R006 (needs --online)\n');
    const quiet = formatStylish(sample, { color: false, quiet: true });
    expect(quiet).not.toMatch(/ warning /);
    expect(quiet).not.toContain('skipped');
    expect(quiet).toContain('✖ 1 error, 0 warnings in 1 file');
  });

  it('shows paths relative to cwd and neutralises terminal escapes in messages', () => {
    const f = finding({ recipe: 'recipes/foo', message: 'bad \u001b]8;;evil\u0007 link' });
    const out = formatStylish(result([f]), { color: false, root: '/repo', cwd: '/repo/recipes' });
    expect(out.split('\n')[0]).toBe('foo/compose.yml');
    expect(out).not.toContain('\u001b');
    expect(out).toContain('\\u001b]8;;evil\\u0007');
  });
});

describe('json', () => {
  it('writes the contract with stable key order', () => {
    const out = formatJson(sample, { fixed: [finding({ state: 'fixed', fingerprint: 'old' })], recipes: 1 });
    expect(out.endsWith('}\n')).toBe(true);
    expect(out).toContain('\n  "version": 1,');
    const doc = JSON.parse(out);
    expect(Object.keys(doc)).toEqual(['version', 'findings', 'skipped', 'summary', 'fixed', 'recipes']);
    expect(Object.keys(doc.findings[0])).toEqual([
      'rule', 'name', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'views', 'fingerprint', 'fix',
    ]);
    expect(doc.findings[2]).toMatchObject({ state: 'known', reason: 'upstream', severity: 'warning' });
    expect(doc.findings[0]).not.toHaveProperty('logicalPath');
    expect(doc.skipped).toEqual([{ rule: 'R006', reason: 'needs --online' }]);
    expect(doc.summary).toEqual({ errors: 1, warnings: 2, infos: 0, recipes: 1, files: 2, views: 3 });
    expect(doc.fixed[0].state).toBe('fixed');
    expect(Object.keys(doc.fixed[0])).not.toContain('logicalPath');
  });

  it('refuses extra keys that would replace the contract', () => {
    expect(() => formatJson(sample, { findings: [] })).toThrow(/findings/);
  });
});

describe('sarif', () => {
  const opts = { toolVersion: '1.2.3', helpUriBase: 'https://example.org/rules/' };

  it('marks fixable rules (meta.fixable) and findings that carry edits, adding nothing to the others', () => {
    const fixableRules: RuleMeta[] = [{ ...rules[0], fixable: true }, rules[1]];
    const edit = { file: 'compose.yml', start: 0, end: 0, text: 'x' };
    const log = JSON.parse(formatSarif(result([finding({ edits: [edit] }), finding({ line: 9 })]), fixableRules, opts));
    const [fixableRule, plainRule] = log.runs[0].tool.driver.rules;
    expect(fixableRule.properties).toEqual({ fixable: true });
    expect(plainRule.properties).toBeUndefined();
    const [withEdits, without] = log.runs[0].results;
    expect(withEdits.properties.fixable).toBe(true);
    expect(without.properties).not.toHaveProperty('fixable');
  });

  it('describes rules and results as SARIF 2.1.0', () => {
    const withRecipe = result([...sample.findings, finding({ rule: 'R777', name: 'unlisted', recipe: 'my recipe', file: 'a#b.yml', severity: 'info' })]);
    const log = JSON.parse(formatSarif(withRecipe, rules, opts));
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    const run = log.runs[0];
    const driver = run.tool.driver;
    expect(driver).toMatchObject({ name: 'stacklint', version: '1.2.3', informationUri: 'https://example.org/rules/' });
    expect(driver.rules[1]).toEqual({
      id: 'R011',
      name: 'proxy-alias-collision',
      shortDescription: { text: 'Aliases are unique' },
      fullDescription: { text: 'Longer **text**.' },
      help: { text: 'Aliases are unique\n\nHow to fix: rename', markdown: 'Longer **text**.\n\n**How to fix:** rename' },
      helpUri: 'https://example.org/rules/R011',
      defaultConfiguration: { level: 'error' },
    });
    expect(driver.rules[2].defaultConfiguration).toEqual({ enabled: false, level: 'none' });
    expect(driver.rules[3].id).toBe('R777'); // unlisted rule gets a descriptor so ruleIndex is valid

    const [first, second, known, info] = run.results;
    expect(first).toMatchObject({
      ruleId: 'R011',
      ruleIndex: 1,
      level: 'error',
      message: { text: 'alias "app" collides with service web' },
      partialFingerprints: { 'stacklint/v1': 'abc123' },
      properties: { views: ['compose.yml', 'compose.yml+compose.smtp.yml', 'abra'] },
    });
    expect(first.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'compose.yml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12, startColumn: 7, endLine: 12, endColumn: 10 },
    });
    expect(second).toMatchObject({ ruleIndex: 0, level: 'warning' });
    expect(known.baselineState).toBe('unchanged');
    expect(info).toMatchObject({ ruleIndex: 3, level: 'note' });
    expect(info.locations[0].physicalLocation.artifactLocation.uri).toBe('my%20recipe/a%23b.yml');
    for (const r of run.results) expect(driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(run.invocations[0].toolConfigurationNotifications[0]).toMatchObject({
      level: 'note',
      associatedRule: { id: 'R006' },
    });
  });

  it('supports an {id} placeholder in the help URI and drops an inverted end', () => {
    const bad = result([finding({ endLine: 11 })]);
    const log = JSON.parse(formatSarif(bad, rules, { toolVersion: 'dev', helpUriBase: 'https://x.test/{id}.html' }));
    expect(log.runs[0].tool.driver.rules[0].helpUri).toBe('https://x.test/R020.html');
    expect(log.runs[0].tool.driver.informationUri).toBe('https://x.test/');
    expect(log.runs[0].results[0].locations[0].physicalLocation.region).toEqual({ startLine: 12, startColumn: 7 });
  });
});

describe('junit', () => {
  const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;

  it('one suite per file, a failure per error/warning, known findings skipped', () => {
    const out = formatJunit(sample);
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')).toBe(true);
    expect(out).toMatch(/<testsuites name="stacklint" tests="4" failures="2" errors="0" skipped="2">/);
    expect(count(out, /<testsuite /g)).toBe(3); // two files + skipped rules
    expect(count(out, /<testcase /g)).toBe(4);
    expect(count(out, /<failure /g)).toBe(2);
    expect(out).toMatch(/<testsuite name="compose.yml" tests="2" failures="2" errors="0" skipped="0">/);
    expect(out).toContain('<skipped message="known: upstream"/>');
    expect(out).toContain('<testcase classname="stacklint" name="R006"><skipped message="needs --online"/></testcase>');
    expect(out).toContain('message="alias &quot;app&quot; collides with service web"');
    expect(count(out, /<\/testsuite>/g)).toBe(3);
  });

  it('has a passing testcase when clean', () => {
    const out = formatJunit({ ...result([]), skipped: [] });
    expect(out).toContain('<testsuite name="stacklint" tests="1" failures="0" errors="0" skipped="0">');
    expect(out).toContain('<testcase classname="stacklint" name="no problems"/>');
  });

  it('escapes markup and characters XML 1.0 cannot hold', () => {
    const nasty = 'a<b>&"c\'\u0001\u001b\ud800 ok\n\ttab';
    expect(xml(nasty)).toBe('a&lt;b&gt;&amp;&quot;c&apos;\\u0001\\u001b\\ud800 ok\n\ttab');
    expect(xml(nasty, true)).toBe('a&lt;b&gt;&amp;&quot;c&apos;\\u0001\\u001b\\ud800 ok&#10;&#9;tab');
    expect(xml('😀')).toBe('😀'); // a valid surrogate pair stays
    const out = formatJunit(result([finding({ message: 'x]]>\u0000y', file: 'a&b.yml' })]));
    expect(out).toContain('message="x]]&gt;\\u0000y"');
    expect(out).toContain('name="a&amp;b.yml"');
    // No raw control characters other than newline remain anywhere.
    expect(out).not.toMatch(/[\u0000-\u0009\u000B-\u001F]/);
  });
});

describe('github', () => {
  it('escapes data and properties as workflow commands require', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%')).toBe('a%3Ab%2Cc%25');
    const f = finding({ message: 'line one, 50%\nline two: ::set-output', file: 'dir,x/compose:1.yml', views: ['compose.yml'] });
    const out = formatGithub(result([f]));
    expect(out).toBe(
      '::error file=dir%2Cx/compose%3A1.yml,line=12,col=7,endLine=12,endColumn=10,title=R011 proxy-alias-collision' +
        '::line one, 50%25%0Aline two: ::set-output%0Aviews: compose.yml%0Afix: rename the alias\n',
    );
    expect(out.split('\n')).toHaveLength(2); // one command, one trailing newline
  });

  it('maps severities and leaves known findings out', () => {
    const out = formatGithub(result([finding({ severity: 'info' }), ...sample.findings]));
    expect(out.split('\n').filter(Boolean).map((l) => l.slice(0, l.indexOf(' ')))).toEqual(['::notice', '::error', '::warning']);
  });
});

describe('formatFinding and FORMATS', () => {
  it('prints one line per finding', () => {
    expect(formatFinding(finding({ recipe: 'foo', message: 'first\n  second' }))).toBe(
      'foo/compose.yml:12:7: error R011: first second',
    );
  });

  it('lists every format and runs each', () => {
    expect(Object.keys(FORMATS)).toEqual(['stylish', 'json', 'sarif', 'junit', 'github', 'compact']);
    expect(isFormatName('sarif')).toBe(true);
    expect(isFormatName('toString')).toBe(false);
    const ctx = { color: false, rules, toolVersion: '1', helpUriBase: 'https://x/' };
    for (const name of Object.keys(FORMATS)) {
      if (!isFormatName(name)) throw new Error(name);
      expect(FORMATS[name](sample, ctx).endsWith('\n')).toBe(true);
    }
  });
});

describe('line endings', () => {
  it('treats CRLF in messages as a line break, a lone CR as a control', () => {
    const out = formatStylish(result([finding({ message: 'one\r\ntwo\rthree', fix: 'a\r\nb' })]), { color: false });
    expect(out).toContain('error  one  R011');
    expect(out).toContain('\n               two\\u000dthree\n');
    expect(out).toContain('fix: a\n                    b\n');
    expect(formatFinding(finding({ message: 'one\r\ntwo' }))).toMatch(/: one two$/);
  });
});
