import { cpSync, mkdtempSync, readdirSync, realpathSync, rmSync, utimesSync } from 'node:fs';
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
  // A recipe nobody is editing: review takes a file modified within 50 ms of its lint's start for one
  // changed during the lint (and refuses to suppress in it), and a fast start can come that close to the copy.
  ageFiles(dir, Date.now() / 1000 - 60);
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

/** Sets the modification time of every file below `dir` to `seconds` (since the epoch). */
function ageFiles(dir: string, seconds: number): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) ageFiles(path, seconds);
    else if (entry.isFile()) utimesSync(path, seconds, seconds);
  }
}
