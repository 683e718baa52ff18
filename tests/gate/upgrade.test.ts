// The upgrade rules through the real gate: a git repository whose base commit holds a fixture's base/ tree
// and whose head commit holds its head/ tree, linted with `lint --base` and `lint --upgrade-from` (the rule
// fixture harness feeds the same pairs to the engine directly).
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lintCommand } from '../../cli/commands/lint.js';
import { git, runCommand, TempRepo } from './helpers.js';

const FIXTURES = join(__dirname, '../../fixtures/rules');

let tmp: string;
const previousTmp = process.env.TMPDIR;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'stacklint-test-upgrade-'));
  process.env.TMPDIR = tmp;
});
afterAll(() => {
  if (previousTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmp;
  rmSync(tmp, { recursive: true, force: true });
});

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.dispose();
  expect(readdirSync(tmp).filter((n) => n.startsWith('stacklint-base-'))).toEqual([]);
});

/** A repository with two commits: the case's base/ (tagged `base`), then its head/. */
function history(rule: string, name: string): TempRepo {
  const r = new TempRepo();
  repos.push(r);
  const replace = (side: string) => {
    for (const entry of readdirSync(r.dir)) if (entry !== '.git') rmSync(join(r.dir, entry), { recursive: true, force: true });
    cpSync(join(FIXTURES, rule, name, side), r.dir, { recursive: true });
  };
  replace('base');
  r.commit('base');
  git(r.dir, 'tag', 'base');
  replace('head');
  r.commit('head');
  return r;
}

const lint = (...argv: string[]) => runCommand(lintCommand, argv);

describe('upgrade rules through lint --base', () => {
  it('a template edited without its version bump: exit 1, listed under "breaks upgrades of deployed apps" with both sides', async () => {
    const r = history('immutable-config-changed', 'fires-template-edited-without-bump');
    const run = await lint('--base', 'base', r.dir);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const notes = run.stdout.slice(run.stdout.indexOf('compared with base'));
    expect(notes).toMatch(/\nbreaks upgrades of deployed apps:\n {2}upgrade: compose\.yml:25:11: error immutable-config-changed: config `nginx_conf`: its file `nginx\.conf\.tmpl` changed since the base \(compose\.yml:25\)/);
    expect(run.stdout).toContain('fix: Bump `NGINX_CONF_VERSION` (abra.sh:1)');
    expect(r.status()).toBe('');
  });

  it('the same edit with the bump, and a bump alone: nothing breaks upgrades', async () => {
    for (const name of ['silent-template-edited-with-bump', 'silent-bump-without-content-change']) {
      const r = history('immutable-config-changed', name);
      const run = await lint('--base', 'base', '--format', 'json', r.dir);
      const doc = JSON.parse(run.stdout);
      expect(doc.upgrade, name).toEqual([]);
      expect(doc.base.upgrade, name).toBe(0);
    }
  });

  it('JSON carries the upgrade findings among `findings` and apart in `upgrade`', async () => {
    const r = history('volume-replaced', 'fires-volume-key-renamed');
    const run = await lint('--base', 'base', '--format', 'json', r.dir);
    const doc = JSON.parse(run.stdout);
    expect(doc.upgrade.map((f: { rule: string; line: number }) => [f.rule, f.line])).toEqual([['volume-replaced', 18]]);
    expect(doc.findings.some((f: { rule: string }) => f.rule === 'volume-replaced')).toBe(true);
    expect(run.code).toBe(1);
  });

  it('an acknowledged volume move is silent on both runs (no unused-suppression in the plain lint either)', async () => {
    const r = history('volume-replaced', 'silent-acknowledged-with-reason');
    const gate = JSON.parse((await lint('--base', 'base', '--format', 'json', r.dir)).stdout);
    expect(gate.upgrade).toEqual([]);
    const plain = JSON.parse((await lint('--format', 'json', r.dir)).stdout);
    expect(plain.findings.filter((f: { rule: string }) => f.rule === 'unused-suppression')).toEqual([]);
  });
});

describe('lint --upgrade-from REF', () => {
  it('reports every finding of the working tree plus the upgrade findings, listed apart', async () => {
    const r = history('secret-renamed', 'fires-version-bumped');
    const run = await lint('--upgrade-from', 'base', r.dir);
    expect(run.stdout).toMatch(/1 breaking upgrades — compared with base \([0-9a-f]{12}\)\nbreaks upgrades of deployed apps:\n {2}upgrade: compose\.yml:31:11: warning secret-renamed/);
    const plain = await lint(r.dir);
    expect(plain.stdout).not.toContain('secret-renamed');
  });

  it('refuses --base together with --upgrade-from, and a missing revision', async () => {
    const r = history('image-downgrade', 'fires-postgres-down');
    await expect(lint('--base', 'base', '--upgrade-from', 'base', r.dir)).rejects.toThrow(/exclude each other/);
    const missing = await lint('--upgrade-from', 'no-such-ref', r.dir);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--upgrade-from no-such-ref: no such commit');
  });
});
