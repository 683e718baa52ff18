// Rules that need I/O (R006, R013 over HTTP; R014 reads git tags) declare it as `gather`: the engine runs every
// gather before any rule's check, and check only reads the facts it is handed.
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/config/index.js';
import { lintRecipe } from '../../src/lint/engine.js';
import { recipeViews } from '../../src/pipeline/recipe.js';
import { defineRule } from '../../src/rules/rule.js';
import type { Rule, RuleContext, RuleReport } from '../../src/rules/rule.js';
import { createR006 } from '../../src/rules/abra/r006.js';
import { createR013 } from '../../src/rules/abra/r013.js';
import { createR014 } from '../../src/rules/abra/r014.js';
import type { HttpGet } from '../../src/rules/abra/http.js';

let root: string;
let dir: string;

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'stacklint-gather-')));
  dir = join(root, 'myrecipe');
  mkdirSync(dir);
  writeFileSync(join(dir, 'compose.yml'), 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.0\n');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs a rule's check alone with the facts given, collecting what it reports. */
function checkWith<F>(rule: Rule<F>, facts: F): RuleReport[] {
  const { recipe, views } = recipeViews(dir);
  const reports: RuleReport[] = [];
  const ctx: RuleContext<F> = {
    recipe,
    views,
    settings: { sharedNetworks: ['proxy'], online: true, git: true },
    options: {},
    facts,
    report: (r) => reports.push(r),
  };
  rule.check(ctx);
  return reports;
}

describe('gathering facts before the rules run', () => {
  it('runs every gather before the first check, and hands each check its own facts', () => {
    const events: string[] = [];
    const seen: unknown[] = [];
    const make = (id: string) =>
      defineRule<string>({
        meta: { id, name: id, level: 'warn', description: id, fix: '' },
        gather: ({ recipe, options }) => {
          events.push(`gather ${id}`);
          return `${id}:${recipe.name}:${String(options.tag)}`;
        },
        check: (ctx) => {
          events.push(`check ${id}`);
          seen.push(ctx.facts);
        },
      });
    const config = defaultConfig();
    config.rules.A = { level: 'warn', options: { tag: 'a' } };
    lintRecipe(dir, { rules: [make('A'), make('B')], config, only: ['A', 'B'] });
    expect(events).toEqual(['gather A', 'gather B', 'check A', 'check B']);
    expect(seen).toEqual(['A:myrecipe:a', 'B:myrecipe:undefined']);
  });

  it('turns a gather that throws into an internal-error finding of that rule only', () => {
    const broken = defineRule<undefined>({
      meta: { id: 'X', name: 'x', level: 'warn', description: 'x', fix: '' },
      gather: () => {
        throw new Error('no network here');
      },
      check: () => {
        throw new Error('check must not run without its facts');
      },
    });
    const result = lintRecipe(dir, { rules: [broken], config: defaultConfig(), only: ['X'] });
    expect(result.findings.map((f) => f.message)).toEqual(['internal error in rule X: no network here (its other findings may be missing)']);
  });

  it('R006 and R013 request over HTTP only in gather; their checks judge the facts alone', () => {
    const calls: string[] = [];
    const httpGet: HttpGet = (url) => {
      calls.push(url);
      return { ok: true, status: 404, body: '' };
    };
    const r006 = createR006({ httpGet });
    const r013 = createR013({ httpGet });
    const facts006 = r006.gather!({ recipe: recipeViews(dir).recipe, options: { catalogueUrl: 'http://catalogue.invalid/recipes.json' } });
    expect(calls).toEqual(['http://catalogue.invalid/recipes.json']);
    expect(facts006).toMatchObject({ url: 'http://catalogue.invalid/recipes.json', recipe: 'myrecipe' });
    calls.length = 0;
    const unpublished = checkWith(r006, { url: 'u', recipe: 'myrecipe', result: { ok: true, status: 200, body: '{"myrecipe":{"versions":[]}}' } });
    expect(unpublished.map((r) => r.message)).toEqual(['recipe `myrecipe` has no published version in the recipe catalogue']);
    const missing = checkWith(r013, { url: 'https://forge.invalid/myrecipe.git', recipe: 'myrecipe', result: { ok: true, status: 404, body: '' } });
    expect(missing.map((r) => r.message)).toEqual(['recipe `myrecipe` has no repository at https://forge.invalid/myrecipe.git (HTTP 404)']);
    expect(calls).toEqual([]);
  });

  it('R014 reads tags only in gather; its check judges the tags handed to it', () => {
    let reads = 0;
    const r014 = createR014(() => {
      reads++;
      return { ok: true, tags: [] };
    });
    const reports = checkWith(r014, { ok: true, tags: [{ name: '1.0.0', objectType: 'commit' }, { name: '1.1.0', objectType: 'tag' }] });
    expect(reports.map((r) => r.message)).toEqual(['git tag `1.0.0` is a lightweight tag, not an annotated one']);
    expect(reads).toBe(0);
    expect(r014.gather!({ recipe: recipeViews(dir).recipe, options: {} })).toEqual({ ok: true, tags: [] });
    expect(reads).toBe(1);
  });
});
