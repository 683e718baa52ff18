// `stacklint lint --base REF` and `.stacklint-baseline.json`, end to end, each scenario in its own
// temporary git repository: a base commit with one pre-existing finding (an undefined secret), and a
// head that (a) adds abra's R011 regression, (b) only inserts comments and blank lines, or re-indents,
// (c) fixes the old finding.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { baselineCommand } from '../../cli/commands/baseline.js';
import { lintCommand } from '../../cli/commands/lint.js';
import { BASELINE_FILE } from '../../src/gate/baseline.js';
import { git, runCommand, TempRepo } from './helpers.js';
import { COMMENTED, COMPOSE, FIXED, OVERLAY, RECIPE, REINDENTED, WITHOUT_SIDEKIQ } from './recipes.js';

let tmp: string;
const previousTmp = process.env.TMPDIR;
beforeAll(() => {
  // The gate's temporary directories go here, so the tests can see that none is left behind.
  tmp = mkdtempSync(join(tmpdir(), 'stacklint-test-gate-'));
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
  // No materialised base is left in the temporary directory.
  expect(readdirSync(tmp).filter((n) => n.startsWith('stacklint-base-'))).toEqual([]);
});

/** A repository whose base commit (tagged `base`) holds the recipe, under `under` when given. */
function scenario(under = ''): TempRepo {
  const r = new TempRepo();
  repos.push(r);
  r.write(RECIPE, under);
  r.commit('base: recipe with one known finding');
  git(r.dir, 'tag', 'base');
  return r;
}

async function lint(...argv: string[]) {
  return runCommand(lintCommand, argv);
}

describe('the base itself', () => {
  it('has exactly the one pre-existing finding at error level, so the gate cases below mean something', async () => {
    const r = scenario();
    const run = await lint('--format', 'json', r.dir);
    const doc = JSON.parse(run.stdout);
    const errors = doc.findings.filter((f: { severity: string }) => f.severity === 'error');
    expect(errors.map((f: { rule: string; file: string }) => [f.rule, f.file])).toEqual([['dangling-reference', 'compose.yml']]);
    expect(run.code).toBe(1);
  });
});

describe('stacklint lint --base', () => {
  it('(a) the R011 regression: exit 1, exactly one new finding, named with file:line', async () => {
    const r = scenario();
    r.write({ 'compose.yml': WITHOUT_SIDEKIQ });
    r.commit('move sidekiq out of compose.yml');
    const before = r.status();
    const run = await lint('--base', 'base', r.dir);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stdout).toMatch(/^1 new, 0 fixed, [1-9]\d* unchanged — compared with base \([0-9a-f]{12}\)$/m);
    const line = OVERLAY.split('\n').indexOf('  sidekiq:') + 1;
    expect(run.stdout).toContain(`new: compose.smtpauth.yml:${line}:3: error R011`);
    // The old finding is not reported: only what the change introduced.
    expect(run.stdout).not.toContain('db_password');
    // Nothing in the user's repository changed.
    expect(r.status()).toBe(before);

    const json = await lint('--base', 'base', '--format', 'json', r.dir);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout);
    expect(doc.findings.map((f: { rule: string }) => f.rule)).toEqual(['R011']);
    expect(doc.findings[0]).toMatchObject({ file: 'compose.smtpauth.yml', line, state: 'new' });
    expect(doc.fixed).toEqual([]);
    expect(doc.unchanged.map((f: { rule: string }) => f.rule)).toContain('dangling-reference');
    expect(doc.unchanged.every((f: { state: string }) => f.state === 'known')).toBe(true);
    expect(doc.base).toMatchObject({ ref: 'base', new: 1, fixed: 0, unchanged: doc.unchanged.length });
    expect(doc.summary.errors).toBe(1);
    expect(json.stderr).toMatch(/^1 new, 0 fixed, \d+ unchanged/m);
  });

  it('(b) comments and blank lines inserted above the existing findings: exit 0, zero new', async () => {
    const r = scenario();
    r.write({ 'compose.yml': COMMENTED, 'compose.smtpauth.yml': `# overlay comment\n\n${OVERLAY}` });
    r.commit('comments only');
    const run = await lint('--base', 'base', r.dir);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^0 new, 0 fixed, [1-9]\d* unchanged/m);
  });

  it('(b) a re-indented file keeps its fingerprints: exit 0, zero new', async () => {
    const r = scenario();
    r.write({ 'compose.yml': REINDENTED });
    r.commit('re-indent');
    const run = await lint('--base', 'base', r.dir);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^0 new, 0 fixed, [1-9]\d* unchanged/m);
  });

  it('(c) the old finding fixed: exit 0, "1 fixed"', async () => {
    const r = scenario();
    r.write({ 'compose.yml': FIXED });
    r.commit('define the secret');
    const run = await lint('--base', 'base', r.dir);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^0 new, 1 fixed, \d+ unchanged/m);
    const doc = JSON.parse((await lint('--base', 'base', '--format', 'json', r.dir)).stdout);
    expect(doc.fixed.map((f: { rule: string; state: string }) => [f.rule, f.state])).toEqual([['dangling-reference', 'fixed']]);
  });

  it('both sides get the same presets: --preset strict and `preset:` in the config add nothing new to a comments-only change', async () => {
    const r = scenario();
    r.write({ 'compose.yml': COMMENTED });
    r.commit('comments only');
    const strict = JSON.parse((await lint('--base', 'base', '--preset', 'strict', '--format', 'json', r.dir)).stdout);
    const plain = JSON.parse((await lint('--base', 'base', '--format', 'json', r.dir)).stdout);
    // strict switches on opt-in rules that fire here: unchanged, not new.
    expect(strict.unchanged.length).toBeGreaterThan(plain.unchanged.length);
    expect(strict.findings).toEqual([]);
    r.write({ '.stacklintrc.yml': 'preset: strict\n' });
    const configured = JSON.parse((await lint('--base', 'base', '--format', 'json', r.dir)).stdout);
    expect(configured.findings).toEqual([]);
    expect(configured.unchanged.length).toBe(strict.unchanged.length);
  });

  it('lints the working tree, uncommitted changes included', async () => {
    const r = scenario();
    r.write({ 'compose.yml': WITHOUT_SIDEKIQ }); // not committed
    const run = await lint('--base', 'HEAD', r.dir);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^1 new, 0 fixed/m);
  });

  it('a recipe that did not exist at REF: all its findings are new', async () => {
    const r = new TempRepo();
    repos.push(r);
    r.write({ 'README.md': 'catalogue\n' });
    const first = r.commit('empty');
    r.write(RECIPE, 'recipes/example');
    r.commit('add recipe');
    const run = await lint('--base', first, '--format', 'json', r.path('recipes/example'));
    const doc = JSON.parse(run.stdout);
    expect(run.code).toBe(1);
    expect(doc.unchanged).toEqual([]);
    expect(doc.findings.length).toBeGreaterThan(0);
    expect(doc.base.missing).toHaveLength(1);
    expect(run.stderr).toMatch(/did not exist at [0-9a-f]{40}: all its findings are new/);
  });

  it('a recipe in a subdirectory, and a catalogue of recipes', async () => {
    const r = scenario('recipes/discourse');
    r.write(RECIPE, 'recipes/other');
    r.commit('second recipe');
    r.write({ 'compose.yml': WITHOUT_SIDEKIQ }, 'recipes/discourse');
    r.commit('regression in one recipe');
    const one = await lint('--base', 'HEAD~1', r.path('recipes/discourse'));
    expect(one.stdout).toMatch(/^1 new, 0 fixed/m);
    const all = await lint('--base', 'HEAD~1', '--format', 'json', r.path('recipes'));
    const doc = JSON.parse(all.stdout);
    expect(all.code).toBe(1);
    expect(doc.findings.map((f: { rule: string; recipe: string }) => [f.rule, f.recipe])).toEqual([['R011', 'discourse']]);
    // Both recipes' old findings are unchanged, each matched within its own recipe.
    expect(doc.unchanged.filter((f: { rule: string }) => f.rule === 'dangling-reference').map((f: { recipe: string }) => f.recipe).sort()).toEqual([
      'discourse',
      'other',
    ]);
  });

  it('SARIF carries new and unchanged results with baselineState and the fingerprints', async () => {
    const r = scenario();
    r.write({ 'compose.yml': WITHOUT_SIDEKIQ });
    r.commit('regression');
    const run = await lint('--base', 'base', '--format', 'sarif', r.dir);
    const results = JSON.parse(run.stdout).runs[0].results as Array<{ ruleId: string; baselineState: string; partialFingerprints: Record<string, string> }>;
    expect(results.filter((x) => x.baselineState === 'new').map((x) => x.ruleId)).toEqual(['R011']);
    expect(results.some((x) => x.baselineState === 'unchanged' && x.ruleId === 'dangling-reference')).toBe(true);
    expect(results.every((x) => /^[0-9a-f]{20}$/.test(x.partialFingerprints['stacklint/v1']))).toBe(true);
    expect(run.stderr).toMatch(/^1 new/m);
  });

  it('usage problems exit 2 with a message: unknown revision, not a repository', async () => {
    const r = scenario();
    const bad = await lint('--base', 'origin/does-not-exist', r.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--base origin\/does-not-exist: no such commit/);
    const outside = mkdtempSync(join(tmp, 'norepo-'));
    mkdirSync(join(outside, 'r'));
    writeFileSync(join(outside, 'r', 'compose.yml'), COMPOSE);
    const norepo = await lint('--base', 'main', join(outside, 'r'));
    expect(norepo.code).toBe(2);
    expect(norepo.stderr).toMatch(/not inside a git repository/);
  });
});

describe('stacklint baseline', () => {
  it('writes the baseline; lint then shows those findings as known and exits 0; --no-baseline ignores it', async () => {
    const r = scenario();
    const wrote = await runCommand(baselineCommand, ['--reason', 'secret is created by the operator', r.dir]);
    expect(wrote.code).toBe(0);
    expect(wrote.stdout).toMatch(new RegExp(`wrote .*${BASELINE_FILE.replace('.', '\\.')}: \\d+ findings?`));
    const file = JSON.parse(readFileSync(r.path(BASELINE_FILE), 'utf8'));
    expect(file.version).toBe(1);
    expect(file.findings.find((e: { rule: string }) => e.rule === 'dangling-reference')).toMatchObject({ reason: 'secret is created by the operator' });

    const known = await lint(r.dir);
    expect(known.code, known.stdout).toBe(0);
    expect(known.stdout).toContain('(known)');
    expect(known.stdout).toContain('known: secret is created by the operator');
    const json = JSON.parse((await lint('--format', 'json', r.dir)).stdout);
    expect(json.summary.errors).toBe(0);
    expect(json.findings.every((f: { state: string }) => f.state === 'known')).toBe(true);
    expect(json.baseline).toMatchObject({ stale: 0 });

    const ignored = await lint('--no-baseline', r.dir);
    expect(ignored.code).toBe(1);
    expect(ignored.stdout).not.toContain('(known)');

    // A new finding still fails, and is the only one that counts.
    r.write({ 'compose.yml': WITHOUT_SIDEKIQ });
    const regressed = await lint('--format', 'json', r.dir);
    expect(regressed.code).toBe(1);
    const doc = JSON.parse(regressed.stdout);
    expect(doc.findings.filter((f: { state: string; severity: string }) => f.state === 'new' && f.severity === 'error').map((f: { rule: string }) => f.rule)).toEqual(['R011']);
  });

  it('keeps reasons on regeneration and reports stale entries', async () => {
    const r = scenario();
    await runCommand(baselineCommand, ['--reason', 'first', r.dir]);
    r.write({ 'compose.yml': FIXED });
    const stale = await lint(r.dir);
    expect(stale.code).toBe(0);
    expect(stale.stdout).toMatch(/baseline: 1 entry matches no finding any more.*stacklint baseline/);
    const again = await runCommand(baselineCommand, [r.dir]);
    expect(again.stdout).toMatch(/\(0 added, 1 removed, \d+ kept\)/);
    const file = JSON.parse(readFileSync(r.path(BASELINE_FILE), 'utf8'));
    expect(file.findings.every((e: { reason?: string }) => e.reason === 'first')).toBe(true);
  });

  it('an unreadable baseline is a usage error for lint (exit 2), and baseline moves it aside to .bak', async () => {
    const r = scenario();
    writeFileSync(r.path(BASELINE_FILE), '{"version": 1, "findings": [{"rule": "R011"}]}');
    const run = await lint(r.dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/\.stacklint-baseline\.json: findings\[0\]: "fingerprint" must be a non-empty string/);
    const fixed = await runCommand(baselineCommand, [r.dir]);
    expect(fixed.code).toBe(0);
    expect(fixed.stderr).toMatch(/"fingerprint" must be a non-empty string; moved it to .*\.stacklint-baseline\.json\.bak and wrote a new one\n$/);
    expect(readFileSync(r.path(`${BASELINE_FILE}.bak`), 'utf8')).toBe('{"version": 1, "findings": [{"rule": "R011"}]}');
    expect((await lint(r.dir)).code).toBe(0);
  });
});
