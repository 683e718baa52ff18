// The --base plumbing with the rules taken out of the picture: the engine is replaced by one that reports
// a finding for each `#! RULE logical.path [message]` marker line in a recipe's compose files, so the
// matching, the classification, catalogue naming, output shapes and exit codes are tested on their own
// (gate.test.ts runs the same through the real rules).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { git, runCommand, TempRepo } from './helpers.js';

vi.mock('../../src/lint/engine.js', async () => {
  const { fingerprintOf } = await import('../../src/lint/findings.js');
  type F = import('../../src/lint/types.js').Finding;
  const summarise = (findings: F[], recipes: number, files: number, views: number) => {
    const current = findings.filter((f) => f.state !== 'known' && f.state !== 'fixed');
    return {
      errors: current.filter((f) => f.severity === 'error').length,
      warnings: current.filter((f) => f.severity === 'warning').length,
      infos: current.filter((f) => f.severity === 'info').length,
      recipes,
      files,
      views,
    };
  };
  const lintRecipe = (dir: string, options: { git?: boolean; base?: string; config: { rules: Record<string, { level: string }> } }) => {
    const findings: F[] = [];
    // The upgrade rules' run (the head with a base): tested through the real rules in upgrade.test.ts.
    if (options.base !== undefined) return { recipeDir: dir, views: [], findings, skipped: [], summary: summarise(findings, 1, 0, 1) };
    const files = readdirSync(dir).filter((f) => /^compose.*\.yml$/.test(f)).sort();
    for (const file of files) {
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .forEach((text, i) => {
          const m = /#! (\S+) (\S+)(?: (.*))?$/.exec(text);
          if (!m) return;
          const [, rule, logicalPath, message] = m;
          if (rule === 'GIT' && !options.git) return;
          if (options.config.rules[rule]?.level === 'off') return;
          const f: F = {
            rule,
            name: rule.toLowerCase(),
            severity: rule.startsWith('W') ? 'warning' : 'error',
            message: message ?? `${rule} at ${logicalPath}`,
            file,
            line: i + 1,
            column: text.indexOf('#!') + 1,
            endLine: i + 1,
            endColumn: text.length + 1,
            views: [],
            fingerprint: '',
            fix: '',
            logicalPath,
          };
          f.fingerprint = fingerprintOf(f);
          findings.push(f);
        });
    }
    return { recipeDir: dir, views: [], findings, skipped: [], summary: summarise(findings, 1, files.length, 1) };
  };
  return { lintRecipe, summarise };
});

vi.mock('../../src/rules/index.js', () => {
  const meta = (id: string, requires?: 'git') => ({ meta: { id, name: id.toLowerCase(), level: 'error', description: id, fix: '', requires }, check: () => {} });
  const ALL_RULES = [meta('E1'), meta('E2'), meta('W1'), meta('GIT', 'git')];
  return { ALL_RULES, findRule: (id: string) => ALL_RULES.find((r) => r.meta.id === id) };
});

const { lintCommand } = await import('../../cli/commands/lint.js');

const repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) r.dispose();
});
function repo(): TempRepo {
  const r = new TempRepo();
  repos.push(r);
  return r;
}

const lint = (...argv: string[]) => runCommand(lintCommand, argv);

describe('--base with a stand-in engine', () => {
  it('classifies new / fixed / unchanged by fingerprint, not line; fails only on new errors', async () => {
    const r = repo().write({ 'compose.yml': 'a: 1 #! E1 services.app\nb: 2 #! W1 services.b\nc: 3 #! E2 services.c\n' });
    r.commit('base');
    r.write({ 'compose.yml': '# inserted\n\na: 1 #! E1 services.app\nb: 2 #! W1 services.b\nd: 4 #! E1 services.d\n' });
    const run = await lint('--base', 'HEAD', '--format', 'json', r.dir);
    expect(run.code).toBe(1);
    const doc = JSON.parse(run.stdout);
    expect(doc.findings.map((f: { logicalPath?: string; rule: string; line: number }) => [f.rule, f.line])).toEqual([['E1', 5]]);
    expect(doc.unchanged.map((f: { rule: string; line: number; state: string }) => [f.rule, f.line, f.state])).toEqual([
      ['E1', 3, 'known'],
      ['W1', 4, 'known'],
    ]);
    expect(doc.fixed.map((f: { rule: string; line: number; state: string }) => [f.rule, f.line, f.state])).toEqual([['E2', 3, 'fixed']]);
    expect(doc.summary).toMatchObject({ errors: 1, warnings: 0 });
    expect(run.stderr).toContain('1 new, 1 fixed, 2 unchanged — compared with HEAD (');
    expect(run.stderr).toMatch(/new: compose\.yml:5:\d+: error E1: E1 at services\.d/);
  });

  it('a new warning fails only with --max-warnings; a reworded message still matches', async () => {
    const r = repo().write({ 'compose.yml': 'a #! E1 services.app old words\n' });
    r.commit('base');
    r.write({ 'compose.yml': 'a #! E1 services.app new words\nb #! W1 services.b\n' });
    const run = await lint('--base', 'HEAD', r.dir);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^1 new, 0 fixed, 1 unchanged/m);
    expect((await lint('--base', 'HEAD', '--max-warnings', '0', r.dir)).code).toBe(1);
  });

  it('every format shows the new findings only (SARIF: plus the unchanged, with baselineState)', async () => {
    const r = repo().write({ 'compose.yml': 'a #! E1 services.old\n' });
    r.commit('base');
    r.write({ 'compose.yml': 'a #! E1 services.old\nb #! E2 services.new\n' });
    const compact = await lint('--base', 'HEAD', '--format', 'compact', r.dir);
    expect(compact.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^compose\.yml:2:\d+: error E2/)]);
    const github = await lint('--base', 'HEAD', '--format', 'github', r.dir);
    expect(github.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^::error file=compose\.yml,line=2,.*title=E2/)]);
    const junit = await lint('--base', 'HEAD', '--format', 'junit', r.dir);
    expect(junit.stdout).toContain('failures="1"');
    expect(junit.stdout).not.toContain('services.old');
    const sarif = JSON.parse((await lint('--base', 'HEAD', '--format', 'sarif', r.dir)).stdout);
    expect(sarif.runs[0].results.map((x: { ruleId: string; baselineState: string }) => [x.ruleId, x.baselineState])).toEqual([
      ['E1', 'unchanged'],
      ['E2', 'new'],
    ]);
    const stylish = await lint('--base', 'HEAD', r.dir);
    expect(stylish.stdout).toContain('E2');
    expect(stylish.stdout).not.toMatch(/^\s+1:\d+\s+error.*E1/m);
    expect(stylish.stdout).toMatch(/^1 new, 0 fixed, 1 unchanged — compared with HEAD \([0-9a-f]{12}\)\nintroduced by this change:\n {2}new: compose\.yml:2:\d+: error E2/m);
  });

  it('duplicates count: a second finding with the same fingerprint is new', async () => {
    const r = repo().write({ 'compose.yml': 'a #! E1 services.app one\n' });
    r.commit('base');
    r.write({ 'compose.yml': 'a #! E1 services.app one\nb #! E1 services.app two\n' });
    const doc = JSON.parse((await lint('--base', 'HEAD', '--format', 'json', r.dir)).stdout);
    expect(doc.findings.map((f: { message: string }) => f.message)).toEqual(['two']);
  });

  it('catalogues: recipes added, changed and deleted; findings matched within their own recipe', async () => {
    const r = repo().write({
      'cat/one/compose.yml': 'x #! E1 services.app\n',
      'cat/gone/compose.yml': 'x #! E1 services.app\n',
    });
    r.commit('base');
    r.remove('cat/gone');
    r.write({ 'cat/two/compose.yml': 'x #! E1 services.app\n', 'cat/one/compose.yml': '\n\nx #! E1 services.app\n' });
    const doc = JSON.parse((await lint('--base', 'HEAD', '--format', 'json', r.path('cat'))).stdout);
    expect(doc.findings.map((f: { recipe: string }) => f.recipe)).toEqual(['two']);
    expect(doc.unchanged.map((f: { recipe: string }) => f.recipe)).toEqual(['one']);
    expect(doc.fixed.map((f: { recipe: string }) => f.recipe)).toEqual(['gone']);
  });

  it('a catalogue holding one recipe: findings carry its name on both sides, and still match', async () => {
    const r = repo().write({ 'cat/only/compose.yml': 'x #! E1 services.app\n' });
    r.commit('base');
    r.write({ 'cat/only/compose.yml': '\nx #! E1 services.app\ny #! E2 services.y\n' });
    const doc = JSON.parse((await lint('--base', 'HEAD', '--format', 'json', r.path('cat'))).stdout);
    expect(doc.findings.map((f: { recipe: string; rule: string }) => [f.recipe, f.rule])).toEqual([['only', 'E2']]);
    expect(doc.unchanged.map((f: { recipe: string; rule: string }) => [f.recipe, f.rule])).toEqual([['only', 'E1']]);
  });

  it("a catalogue that is no repository, of recipes that each are one (abra's ~/.abra/recipes)", async () => {
    const catalogue = realpathSync(mkdtempSync(join(tmpdir(), 'stacklint-test-abra-')));
    try {
      for (const name of ['one', 'two']) {
        const dir = join(catalogue, name);
        mkdirSync(dir);
        git(dir, 'init', '-q', '-b', 'main');
        writeFileSync(join(dir, 'compose.yml'), 'x #! E1 services.app\n');
        git(dir, 'add', '-A');
        git(dir, '-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
      }
      writeFileSync(join(catalogue, 'two', 'compose.yml'), 'x #! E1 services.app\ny #! E2 services.y\n');
      const doc = JSON.parse((await lint('--base', 'HEAD', '--format', 'json', catalogue)).stdout);
      expect(doc.findings.map((f: { recipe: string; rule: string }) => [f.recipe, f.rule])).toEqual([['two', 'E2']]);
      expect(doc.unchanged.map((f: { recipe: string }) => f.recipe)).toEqual(['one', 'two']);
    } finally {
      rmSync(catalogue, { recursive: true, force: true });
    }
  });

  it('rules that read git tags are not compared (one repository on both sides): unchanged', async () => {
    const r = repo().write({ 'compose.yml': 'a #! GIT services.app\n' });
    r.commit('base');
    const run = await lint('--base', 'HEAD', '--git', '--format', 'json', r.dir);
    const doc = JSON.parse(run.stdout);
    expect(doc.findings).toEqual([]);
    expect(doc.unchanged.map((f: { rule: string }) => f.rule)).toEqual(['GIT']);
    expect(run.code).toBe(0);
  });

  it("both sides use the working tree's configuration", async () => {
    const r = repo().write({ 'compose.yml': 'a #! E1 services.app\n', '.stacklintrc.yml': 'rules:\n  E1: error\n' });
    r.commit('base');
    // The change turns E1 off: nothing is fixed by that, nothing new.
    r.write({ '.stacklintrc.yml': 'rules:\n  E1: "off"\n', 'compose.yml': 'a #! E1 services.app\nb #! E2 services.b\n' });
    const doc = JSON.parse((await lint('--base', 'HEAD', '--format', 'json', r.dir)).stdout);
    expect(doc.findings.map((f: { rule: string }) => f.rule)).toEqual(['E2']);
    expect(doc.fixed).toEqual([]);
  });

  it('a baseline entry accepts a finding that is new since REF (known, with its reason, not failing)', async () => {
    const r = repo().write({ 'compose.yml': 'a #! E1 services.app\n' });
    r.commit('base');
    r.write({ 'compose.yml': 'a #! E1 services.app\nb #! E2 services.b\n' });
    const { baselineCommand } = await import('../../cli/commands/baseline.js');
    expect((await runCommand(baselineCommand, ['--reason', 'accepted in review', r.dir])).code).toBe(0);
    const run = await lint('--base', 'HEAD', r.dir);
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^1 new \(1 accepted by the baseline\), 0 fixed, 1 unchanged/m);
    expect(run.stdout).toContain('known: accepted in review');
    expect((await lint('--base', 'HEAD', '--no-baseline', r.dir)).code).toBe(1);
  });

  it('leaves the repository as it was: status, stash, HEAD, index', async () => {
    const r = repo().write({ 'compose.yml': 'a #! E1 services.app\n' });
    r.commit('base');
    r.write({ 'compose.yml': 'a #! E1 services.app\nb #! E2 services.b\n', 'untracked.yml': 'x\n' });
    git(r.dir, 'add', 'untracked.yml');
    const before = [r.status(), git(r.dir, 'stash', 'list'), git(r.dir, 'rev-parse', 'HEAD'), git(r.dir, 'diff', '--cached')];
    await lint('--base', 'HEAD', r.dir);
    expect([r.status(), git(r.dir, 'stash', 'list'), git(r.dir, 'rev-parse', 'HEAD'), git(r.dir, 'diff', '--cached')]).toEqual(before);
  });
});
