import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from './helpers.js';

const EXAMPLE = join(REPO, 'fixtures/example-recipe');

function copyExample(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'stacklint-cli-')), 'recipe');
  cpSync(EXAMPLE, dir, { recursive: true });
  return dir;
}

describe('stacklint lint', () => {
  it('reports the three incidents of the example recipe and exits 1', () => {
    const r = runCli(['lint', EXAMPLE, '--format', 'json']);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.version).toBe(1);
    const r011 = out.findings.find((f: any) => f.rule === 'R011');
    expect(r011).toMatchObject({ file: 'compose.smtpauth.yml', line: 15, column: 3, severity: 'error' });
    expect(r011.views.sort()).toEqual(['abra', 'compose.yml+compose.smtpauth.yml']);
    expect(out.findings.some((f: any) => f.rule === 'proxy-alias-collision' && f.file === 'Caddyfile.tmpl' && f.line === 4)).toBe(true);
    expect(out.findings.filter((f: any) => f.rule === 'backupbot-labels').length).toBeGreaterThanOrEqual(2);
    for (const f of out.findings) {
      expect(Object.keys(f)).toEqual(expect.arrayContaining(['rule', 'name', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn', 'views', 'fingerprint', 'fix']));
    }
    expect(out.skipped.map((s: any) => s.rule)).toEqual(expect.arrayContaining(['R006', 'R013', 'R014']));
    expect(out.summary.errors).toBeGreaterThan(0);
  });

  it('prints a stylish report with positions, a summary line and the skipped rules', () => {
    const r = runCli(['lint', EXAMPLE]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/compose\.smtpauth\.yml\n/);
    expect(r.stdout).toMatch(/^\s+15:3\s+error\s+.*R011 image-present$/m);
    expect(r.stdout).toMatch(/✖ \d+ errors?, \d+ warnings?/);
    expect(r.stdout).toContain('skipped: R006');
  });

  it('exits 0 when error-level rules are turned off, and honours --max-warnings', () => {
    const off = ['R011', 'proxy-alias-collision', 'backupbot-labels'].flatMap((id) => ['--rule', `${id}=off`]);
    expect(runCli(['lint', EXAMPLE, ...off]).status).toBe(0);
    expect(runCli(['lint', EXAMPLE, ...off, '--max-warnings', '0']).status).toBe(1);
    expect(runCli(['lint', EXAMPLE, ...off, '--quiet', '--format', 'json']).stdout).not.toContain('"warning"');
  });

  it('suppresses a finding with a comment above its line, and reports an unused suppression', () => {
    const dir = copyExample();
    const overlay = join(dir, 'compose.smtpauth.yml');
    const text = readFileSync(overlay, 'utf8').replace('  sidekiq:\n', '  # stacklint-disable-next-line R011, R002 -- removed upstream, overlay kept for old installs\n  sidekiq:\n');
    writeFileSync(overlay, text.replace('services:\n', 'services:\n  # stacklint-disable-next-line R009\n'));
    const out = JSON.parse(runCli(['lint', dir, '--format', 'json']).stdout);
    expect(out.findings.filter((f: any) => f.rule === 'R011')).toEqual([]);
    const unused = out.findings.filter((f: any) => f.rule === 'unused-suppression');
    expect(unused).toHaveLength(1);
    expect(unused[0]).toMatchObject({ file: 'compose.smtpauth.yml', severity: 'warning' });
  });

  it('suppresses a finding inside a config template', () => {
    const dir = copyExample();
    const caddy = join(dir, 'Caddyfile.tmpl');
    writeFileSync(caddy, readFileSync(caddy, 'utf8').replace('\treverse_proxy app:3000', '\t# stacklint-disable-next-line proxy-alias-collision -- demo\n\treverse_proxy app:3000'));
    const out = JSON.parse(runCli(['lint', dir, '--format', 'json']).stdout);
    expect(out.findings.filter((f: any) => f.rule === 'proxy-alias-collision')).toEqual([]);
  });

  it('reads rule levels from .stacklintrc.yml', () => {
    const dir = copyExample();
    writeFileSync(join(dir, '.stacklintrc.yml'), 'rules:\n  R011: warn\n');
    const out = JSON.parse(runCli(['lint', dir, '--format', 'json']).stdout);
    expect(out.findings.find((f: any) => f.rule === 'R011').severity).toBe('warning');
  });

  it('refuses a config file with code, with its position, exit 2, and runs nothing', () => {
    const dir = copyExample();
    const marker = join(dir, 'executed');
    writeFileSync(join(dir, 'stacklint.config.ts'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(marker)}, 'x');\nexport default { rules: {} };\n`);
    const r = runCli(['lint', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/stacklint\.config\.ts:\d+:\d+/);
    expect(() => readFileSync(marker)).toThrow();
  });

  it.each([
    [['lint', '/nonexistent/dir'], /\/nonexistent\/dir: no such file or directory/],
    [['lint', '/nonexistent/stack.yml'], /\/nonexistent\/stack\.yml: no such file or directory/],
    [['lint', '--format', 'xml', EXAMPLE], /unknown format 'xml'/],
    [['lint', '--bogus'], /unknown option --bogus/],
    [['lint', '--rule', 'R999=off', EXAMPLE], /unknown rule 'R999'/],
  ])('usage errors exit 2 without a stack trace: %j', (args, message) => {
    const r = runCli(args as string[]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('lints a catalogue directory, naming the recipe of each finding', () => {
    const root = mkdtempSync(join(tmpdir(), 'stacklint-cat-'));
    cpSync(EXAMPLE, join(root, 'discourse'), { recursive: true });
    cpSync(join(REPO, 'fixtures/rules/R011'), join(root, 'unused'), { recursive: true });
    const out = JSON.parse(runCli(['lint', root, '--format', 'json']).stdout);
    expect(out.summary.recipes).toBe(1);
    expect(out.findings.every((f: any) => f.recipe === 'discourse')).toBe(true);
  });
});

describe('stacklint rules / explain / --help / --version', () => {
  it('lists every rule with its level', () => {
    const r = runCli(['rules']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^R011\s+image-present\s+error/m);
    expect(r.stdout).toMatch(/^proxy-alias-collision\s/m);
  });

  it('explains a rule with a failing and a passing example from its fixtures', () => {
    const r = runCli(['explain', 'image-present']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('R011 — image-present');
    expect(r.stdout).toMatch(/Fails \(fixtures\/rules\/.*\):/);
    expect(r.stdout).toMatch(/Passes \(fixtures\/rules\/.*\):/);
    expect(r.stdout).toMatch(/^>\s+\d+ \|/m);
  });

  it('prints help and version', () => {
    expect(runCli(['--help']).stdout).toContain('Usage: stacklint <command>');
    expect(runCli(['lint', '--help']).stdout).toContain('Exit codes');
    expect(runCli(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(runCli(['frobnicate']).status).toBe(2);
  });
});

describe('ignore globs', () => {
  it('drops findings in ignored files', async () => {
    const { ignoreMatcher } = await import('../../src/lint/engine.js');
    const match = ignoreMatcher(['legacy/**', 'compose.old*.yml', 'Caddyfile.tmpl']);
    expect(match('legacy/compose.yml')).toBe(true);
    expect(match('legacy/a/b.tmpl')).toBe(true);
    expect(match('compose.old-mail.yml')).toBe(true);
    expect(match('Caddyfile.tmpl')).toBe(true);
    expect(match('compose.yml')).toBe(false);
    expect(match('notlegacy/x')).toBe(false);
  });

  it('applies `ignore` from the config file', () => {
    const dir = copyExample();
    writeFileSync(join(dir, '.stacklintrc.yml'), 'ignore: [Caddyfile.tmpl]\n');
    const out = JSON.parse(runCli(['lint', dir, '--format', 'json']).stdout);
    expect(out.findings.filter((f: any) => f.file === 'Caddyfile.tmpl')).toEqual([]);
    expect(out.findings.some((f: any) => f.rule === 'R011')).toBe(true);
  });
});
