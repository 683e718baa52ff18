// Properties of --fix over every recipe we have (the shared corpus, every rule fixture, the fix fixtures):
// it reaches a fixpoint, never adds an error, never makes a file fail to parse or validate, keeps every view
// loading, and changes docker's merged config only where a fixed rule means to.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixTargets, unifiedDiff } from '../../src/fix/index.js';
import { recipeViews } from '../../src/pipeline/recipe.js';
import { runLint } from '../../src/catalogue/run.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { copyRecipe, REPO } from './helpers.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/recipes/', import.meta.url));
const options = { rules: ALL_RULES, jobs: 1 };

function recipesUnder(dir: string, depth: number): string[] {
  if (!existsSync(dir)) return [];
  if (existsSync(join(dir, 'compose.yml'))) return [dir];
  if (depth === 0) return [];
  return readdirSync(dir)
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isDirectory() && !p.endsWith('/after'))
    .flatMap((p) => recipesUnder(p, depth - 1));
}

const recipes = [...recipesUnder(CORPUS, 1), ...recipesUnder(join(REPO, 'fixtures/rules'), 2), ...recipesUnder(join(REPO, 'fixtures/fix'), 2)];

type Leaves = Map<string, unknown>;

function leaves(value: unknown, path: string[] = [], out: Leaves = new Map()): Leaves {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) leaves(v, [...path, k], out);
  } else {
    out.set(path.join('\u0000'), value);
  }
  return out;
}

const VALIDITY = new Set(['yaml-syntax', 'schema', 'interpolation']);

/** Whether a change of one merged leaf is what a fixed rule intends. */
function intended(path: string[], before: unknown, after: unknown, fixedRules: Set<string>, stackName: string, written: { before?: string; after?: string }): boolean {
  const dollars = (v: unknown) => (typeof v === 'string' ? v.split('$').length - 1 : 0);
  if (fixedRules.has('R001') && path.join('.') === 'version') return true;
  if (fixedRules.has('secret-version-var') && path[0] === 'secrets' && path[2] === 'name') return true;
  if (fixedRules.has('traefik-labels') && path[0] === 'services') {
    if (path[2] === 'labels' && path[3]?.startsWith('traefik.') && after === undefined) return true;
    if (path[2] === 'deploy' && path[3] === 'labels' && path[4]?.startsWith('traefik.') && before === undefined) return true;
  }
  // `$` → `$$`: the text written in the file only gained `$` next to a `$`.
  if (fixedRules.has('interpolation') && dollars(after) > dollars(before) && written.before !== undefined && written.after !== undefined && onlyEscapedDollars(written.before, written.after)) return true;
  if (fixedRules.has('proxy-alias-collision') && typeof after === 'string' && typeof before === 'string' && after.includes(`${stackName}_`) && !before.includes(`${stackName}_`)) return true;
  return false;
}

/** The uninterpolated text a merged string value was written as (the value part of a `KEY=value` entry). */
function writtenText(recipe: ReturnType<typeof recipeViews>, view: ReturnType<typeof recipeViews>['views'][number], path: string[]): string | undefined {
  const origin = view.origin(path);
  if (!origin) return undefined;
  let node: unknown = recipe.recipe.composeFile(origin.file)?.doc.data;
  for (const seg of origin.path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  if (typeof node !== 'string') return undefined;
  return typeof origin.path[origin.path.length - 1] === 'number' && node.includes('=') ? node.slice(node.indexOf('=') + 1) : node;
}

/** True when `after` is `before` with some `$` doubled (and nothing else changed). */
function onlyEscapedDollars(before: string, after: string): boolean {
  let i = 0;
  for (let j = 0; j < after.length; j++) {
    if (before[i] === after[j]) i++;
    else if (after[j] !== '$' || !(after[j + 1] === '$' || after[j - 1] === '$')) return false;
  }
  return i === before.length && after.length > before.length;
}

describe('--fix over every recipe', () => {
  it('has recipes to check', () => {
    expect(recipes.length).toBeGreaterThan(50);
  });

  it.each(recipes.map((r) => [relative(join(REPO, '..'), r), r]))('%s', async (_name, source) => {
    const dir = copyRecipe(source);
    const before = await runLint([dir], options);
    const recipeBefore = recipeViews(dir);
    const viewsBefore = recipeBefore.views;
    const fixedRules = new Set(before.findings.filter((f) => f.edits?.length).map((f) => f.rule));

    const outcome = await fixTargets([dir], options, { write: true });
    expect(outcome.problems).toEqual([]);
    const after = await runLint([dir], options);

    expect(after.findings.filter((f) => f.edits?.length).map((f) => f.rule), 'fixpoint').toEqual([]);
    expect(after.summary.errors, 'no new errors').toBeLessThanOrEqual(before.summary.errors);
    const validity = (r: typeof before) => new Set(r.findings.filter((f) => VALIDITY.has(f.rule) && f.severity === 'error').map((f) => `${f.rule} ${f.file} ${f.logicalPath}`));
    const had = validity(before);
    expect([...validity(after)].filter((k) => !had.has(k)), 'no file stops parsing or validating').toEqual([]);

    const recipeAfter = recipeViews(dir);
    const viewsAfter = new Map(recipeAfter.views.map((v) => [v.name, v]));
    for (const view of viewsBefore) {
      const now = viewsAfter.get(view.name);
      if (!view.config) continue;
      expect(now?.config, `${view.name} still loads`).toBeDefined();
      const a = leaves(view.config);
      const b = leaves(now!.config);
      const stackName = view.env('STACK_NAME') ?? '';
      for (const key of new Set([...a.keys(), ...b.keys()])) {
        if (a.get(key) === b.get(key)) continue;
        const path = key.split('\u0000');
        expect(intended(path, a.get(key), b.get(key), fixedRules, stackName, { before: writtenText(recipeBefore, view, path), after: writtenText(recipeAfter, now!, path) }), `${view.name}: ${path.join('.')} changed (${JSON.stringify(a.get(key))} → ${JSON.stringify(b.get(key))})`).toBe(true);
      }
    }
  });

  it('on the shared corpus, changes only what is fixable: one missing version line', async () => {
    const copy = copyRecipe(CORPUS, 'recipes');
    const outcome = await fixTargets([copy], options, { write: true });
    const diff = outcome.changes.map((c) => unifiedDiff(c.before, c.after, relative(copy, c.path))).join('');
    expect(diff).toBe(
      ['--- a/bore/compose.yml', '+++ b/bore/compose.yml', '@@ -1,4 +1,5 @@', ' ---', '+version: "3.8"', ' services:', '   app:', '     image: ekzhang/bore:0.6.0', ''].join('\n'),
    );
    const after = await runLint([copy], options);
    expect(after.findings.filter((f) => f.edits?.length)).toEqual([]);
  });
});
