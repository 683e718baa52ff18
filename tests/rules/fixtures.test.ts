// Runs every rule fixture: fixtures/rules/<rule-id>/<case>/ is a recipe; its expected.json lists the
// findings that rule must report there (file, line, column, views) — an empty list means it stays silent.
// A case with a views.json is linted as exactly those views (`lint -c …`), not the ones the directory implies.
// A case with a root.json is linted with that read boundary (`--root`, relative to the case; "." makes the case a
// repository of its own, so that the repository's other stack files are the case's, not the project's).
// An upgrade rule's case is a pair of recipe trees, <case>/base/ and <case>/head/: the head is linted with the
// base as the revision it upgrades from (tests/gate/upgrade.test.ts runs the same through git and --base).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintRecipe } from '../../src/lint/engine.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { defaultConfig } from '../../src/config/index.js';

interface ExpectedFinding {
  file: string;
  line: number;
  column: number;
  views?: string[];
  severity?: 'error' | 'warning' | 'info';
  message?: string; // a substring the message must contain
  fix?: string; // a substring the fix advice must contain
}

const root = join(__dirname, '../../fixtures/rules');
const ruleDirs = existsSync(root) ? readdirSync(root).filter((d) => statSync(join(root, d)).isDirectory()) : [];

// Rules that need the network or git are exercised by their own tests (tests/rules/<id>.test.ts).
const fixtureRules = ALL_RULES.filter((r) => !r.meta.requires || r.meta.requires === 'base');

describe('every rule has fixtures that fire and fixtures that stay silent', () => {
  it.each(fixtureRules.map((r) => [r.meta.id]))('%s', (id) => {
    const dir = join(root, id);
    expect(existsSync(dir), `fixtures/rules/${id}/ is missing`).toBe(true);
    const cases = readdirSync(dir).map((c) => JSON.parse(readFileSync(join(dir, c, 'expected.json'), 'utf8')).findings.length);
    expect(cases.some((n: number) => n > 0), 'no fixture that fires').toBe(true);
    expect(cases.some((n: number) => n === 0), 'no fixture that stays silent').toBe(true);
  });
});

for (const ruleId of ruleDirs) {
  describe(`rule ${ruleId}`, () => {
    for (const name of readdirSync(join(root, ruleId))) {
      const caseDir = join(root, ruleId, name);
      it(name, () => {
        const expected: ExpectedFinding[] = JSON.parse(readFileSync(join(caseDir, 'expected.json'), 'utf8')).findings;
        const rule = ALL_RULES.find((r) => r.meta.id === ruleId);
        expect(rule, `no rule with id ${ruleId}`).toBeDefined();
        const pair = existsSync(join(caseDir, 'base')) && existsSync(join(caseDir, 'head'));
        if (rule!.meta.requires === 'base') expect(pair, 'an upgrade rule case needs base/ and head/').toBe(true);
        const target = pair ? join(caseDir, 'head') : caseDir;
        const base = pair ? join(caseDir, 'base') : undefined;
        // views.json: the exact views to lint (as `lint -c a.yml -c b.yml` takes them), e.g. [["a.yml", "b.yml"]].
        const viewsFile = join(caseDir, 'views.json');
        const views = existsSync(viewsFile) ? (JSON.parse(readFileSync(viewsFile, 'utf8')) as string[][]) : undefined;
        const rootFile = join(caseDir, 'root.json');
        const root = existsSync(rootFile) ? resolve(target, JSON.parse(readFileSync(rootFile, 'utf8')) as string) : undefined;
        const result = lintRecipe(target, { rules: [rule!], config: defaultConfig(), only: [ruleId], online: false, git: false, base, ...(views ? { views } : {}), ...(root ? { root } : {}) });
        const actual = result.findings.map((f) => ({
          file: f.file,
          line: f.line,
          column: f.column,
          views: [...f.views].sort(),
          severity: f.severity,
          message: f.message,
          ...(expected.some((e) => e.fix !== undefined) ? { fix: f.fix } : {}),
        }));
        const want = expected.map((e) => ({
          file: e.file,
          line: e.line,
          column: e.column,
          views: e.views ? [...e.views].sort() : expect.any(Array),
          severity: e.severity ?? expect.any(String),
          message: e.message ? expect.stringContaining(e.message) : expect.any(String),
          ...(expected.some((x) => x.fix !== undefined) ? { fix: e.fix ? expect.stringContaining(e.fix) : expect.anything() } : {}),
        }));
        expect(actual).toEqual(want);
      });
    }
  });
}
