// A bug in one rule must not abort the run or hide the other rules' findings.
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { lintRecipe } from '../../src/lint/engine.js';
import { defineRule } from '../../src/rules/rule.js';
import { findRule } from '../../src/rules/index.js';
import { defaultConfig } from '../../src/config/index.js';

const recipe = join(__dirname, '../../fixtures/rules/R011/fires-overlay-defines-service');
/** A base revision whose views cannot be built (a bug in the pipeline, simulated). */
const UNBUILDABLE_BASE = '/unbuildable-base';

vi.mock('../../src/pipeline/recipe.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/pipeline/recipe.js')>();
  return {
    ...real,
    recipeViews: (dir: string, options?: Parameters<typeof real.recipeViews>[1]) => {
      if (dir === UNBUILDABLE_BASE) throw new TypeError('simulated bug building the base');
      return real.recipeViews(dir, options);
    },
  };
});

const broken = defineRule({
  meta: { id: 'broken', name: 'broken', level: 'warn', description: 'throws halfway', fix: 'none' },
  check(ctx) {
    ctx.report({ message: 'before the crash', file: 'compose.yml', line: 1, column: 1 });
    const services = (ctx.views[0].config as unknown as { nothing: { here: string } }).nothing;
    void services.here; // TypeError
  },
});

describe('engine guard', () => {
  it('turns a crash inside a rule into an error finding of that rule; the other rules still report', () => {
    const r011 = findRule('R011')!;
    const result = lintRecipe(recipe, { rules: [broken, r011], config: defaultConfig() });
    const internal = result.findings.filter((f) => f.logicalPath === 'internal-error');
    expect(internal).toEqual([
      expect.objectContaining({ rule: 'broken', severity: 'error', file: 'compose.yml', line: 1, message: expect.stringMatching(/^internal error in rule broken: Cannot read properties of undefined/) }),
    ]);
    expect(result.findings.some((f) => f.rule === 'broken' && f.message === 'before the crash')).toBe(true);
    expect(result.findings.some((f) => f.rule === 'R011')).toBe(true);
    expect(result.summary.errors).toBeGreaterThan(0);
  });

  it('a crash building the base revision is each upgrade rule\'s internal error; the other rules still report', () => {
    const upgrade = findRule('immutable-config-changed')!;
    const r011 = findRule('R011')!;
    const result = lintRecipe(recipe, { rules: [upgrade, r011], config: defaultConfig(), base: UNBUILDABLE_BASE });
    expect(result.findings.filter((f) => f.logicalPath === 'internal-error')).toEqual([
      expect.objectContaining({ rule: 'immutable-config-changed', severity: 'error', message: expect.stringMatching(/simulated bug building the base/) }),
    ]);
    expect(result.findings.some((f) => f.rule === 'R011')).toBe(true);
  });
});
