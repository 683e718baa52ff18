// The catalogue run on several threads gives exactly what the sequential loop gives: the same result, the
// same callbacks in the same order, the same first error.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/index.js';
import type { RecipeLint } from '../../src/lint/engine.js';
import { lintRecipeJob } from '../../src/lint/job.js';
import { workerStart } from '../../src/catalogue/pool.js';
import type { WorkerData, WorkerMessage } from '../../src/catalogue/pool.js';
import { PARALLEL_MIN_RECIPES, recipeSummaries, runLint } from '../../src/catalogue/run.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { tempCatalogue } from '../lint/catalogue-helpers.js';
import type { TempCatalogue } from '../lint/catalogue-helpers.js';

let cat: TempCatalogue;
beforeEach(() => {
  cat = tempCatalogue();
  // A recipe-local config: each recipe's own configuration must apply on every thread.
  cat.write('blog/.stacklintrc.yml', 'rules:\n  unknown-host: off\n');
});
afterEach(() => cat.cleanup());

describe('runLint on several threads', () => {
  it('gives the same result, byte for byte, for 1, 2 and 3 threads', async () => {
    const one = await runLint([cat.dir], { rules: ALL_RULES, jobs: 1 });
    const two = await runLint([cat.dir], { rules: ALL_RULES, jobs: 2 });
    const three = await runLint([cat.dir], { rules: ALL_RULES, jobs: 3 });
    expect(one.recipes.map((r) => r.recipeDir.split('/').pop())).toEqual(['blog', 'discourse', 'discourse-copy', 'healthy', 'shop', 'wiki']);
    expect(one.recipes.length).toBeGreaterThanOrEqual(PARALLEL_MIN_RECIPES);
    expect(one.findings.length).toBeGreaterThan(0);
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(JSON.stringify(three)).toBe(JSON.stringify(one));
    // The blog's own config turned unknown-host off there, and only there.
    expect(one.findings.some((f) => f.recipe === 'blog' && f.rule === 'unknown-host')).toBe(false);
  });

  it('reports each recipe in order, and progress once per recipe', async () => {
    const order: number[] = [];
    const progress: number[] = [];
    await runLint([cat.dir], {
      rules: ALL_RULES,
      jobs: 2,
      onRecipeDone: (_r, i, total) => {
        expect(total).toBe(6);
        order.push(i);
      },
      onProgress: (_r, done) => progress.push(done),
    });
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('throws the error the sequential run throws first (the first failing recipe in order)', async () => {
    cat.write('healthy/.stacklintrc.yml', 'rules: [not, a, mapping]\n');
    cat.write('wiki/.stacklintrc.yml', 'sharedNetworks: 3\n');
    const errors: Error[] = [];
    for (const jobs of [1, 2]) {
      const seen: number[] = [];
      const err = await runLint([cat.dir], { rules: ALL_RULES, jobs, onRecipeDone: (_r, i) => seen.push(i) }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err).toBeInstanceOf(ConfigError);
      expect(seen).toEqual([0, 1, 2]); // blog, discourse, discourse-copy; then healthy fails
      errors.push(err!);
    }
    expect(errors[1].message).toBe(errors[0].message);
    expect(errors[0].message).toContain('healthy');
  });

  it('summarises each recipe for the table and the JSON report', async () => {
    const result = await runLint([cat.dir], { rules: ALL_RULES, jobs: 2 });
    const rows = recipeSummaries(result);
    expect(rows.map((r) => r.recipe)).toEqual(['blog', 'discourse', 'discourse-copy', 'healthy', 'shop', 'wiki']);
    for (const [i, row] of rows.entries()) {
      const own = result.findings.filter((f) => f.recipe === row.recipe);
      expect(row.errors).toBe(own.filter((f) => f.severity === 'error').length);
      expect(row.warnings).toBe(own.filter((f) => f.severity === 'warning').length);
      expect(row.views).toBe(result.recipes[i].views.length);
    }
    // A finding a baseline marks known no longer counts in its recipe's row.
    const blogFinding = result.findings.find((f) => f.recipe === rows[0].recipe && f.severity !== 'info')!;
    const before = rows[0].errors + rows[0].warnings;
    blogFinding.state = 'known';
    const after = recipeSummaries(result)[0];
    expect(after.errors + after.warnings).toBe(before - 1);
  });
});

describe('the worker thread', () => {
  it('lints the recipes it claims exactly as the main thread does', async () => {
    const dirs = ['blog', 'shop', 'wiki'].map((n) => join(cat.dir, n));
    const job = { namingRoot: cat.dir };
    const data: WorkerData = {
      dirs,
      order: [2, 0, 1],
      claims: new SharedArrayBuffer(4),
      task: { kind: 'lint', job, ruleIds: ALL_RULES.map((r) => r.meta.id) },
    };
    const start = workerStart();
    expect(start.eval).toBe(true); // from sources: the .ts worker behind tsx
    const worker = new Worker(start.script, { eval: start.eval, workerData: data });
    const messages: WorkerMessage[] = [];
    worker.on('message', (m: WorkerMessage) => messages.push(m));
    await new Promise((resolve, reject) => {
      worker.on('exit', resolve);
      worker.on('error', reject);
    });
    expect(messages.map((m) => m.index)).toEqual([2, 0, 1]);
    for (const m of messages) {
      expect('result' in m).toBe(true);
      const here = await lintRecipeJob(dirs[m.index], job, ALL_RULES);
      expect(JSON.stringify((m as { result: RecipeLint }).result)).toBe(JSON.stringify(here));
    }
  });
});
