import { cpSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { applyBaselines } from '../../src/gate/index.js';
import { runLint } from '../../src/catalogue/run.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Finding } from '../../src/lint/types.js';

export const EXAMPLE_RECIPE = resolve(__dirname, '../../fixtures/example-recipe');

/** A private copy of the example recipe (R011 in compose.smtpauth.yml, proxy-alias-collision in Caddyfile.tmpl, …). */
export function tempRecipe(): { dir: string; dispose: () => void } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'stacklint-review-')));
  const dir = join(root, 'discourse');
  cpSync(EXAMPLE_RECIPE, dir, { recursive: true });
  return { dir, dispose: () => rmSync(root, { recursive: true, force: true }) };
}

/** As `stacklint lint` sees the recipe: its baseline applied. */
export async function lintFindings(dir: string): Promise<Finding[]> {
  const result = await runLint([dir], { rules: ALL_RULES });
  applyBaselines(result);
  return result.findings;
}

/** Polls until `check` passes (ink paints asynchronously); fails with the last error after `timeout` ms. */
export async function eventually<T>(check: () => T, timeout = 5_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 15));
    }
  }
}

/** A finding for reducer tests. */
export function finding(over: Partial<Finding> & Pick<Finding, 'rule' | 'file' | 'line'>): Finding {
  return {
    name: over.rule,
    severity: 'error',
    message: `${over.rule} at ${over.file}:${over.line}`,
    column: 1,
    endLine: over.line,
    endColumn: 2,
    views: [],
    fingerprint: `${over.rule}-${over.file}-${over.line}`,
    fix: 'fix it',
    logicalPath: 'services.app',
    ...over,
  };
}
