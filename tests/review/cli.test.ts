// `stacklint review` without a terminal, its usage errors, and the bundle keeping the TUI out of the
// start-up path of every other command.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from '../cli/helpers.js';
import { EXAMPLE_RECIPE } from './helpers.js';

describe('stacklint review without a terminal', () => {
  it('prints the lint report, says once that review needs a terminal, and exits as lint does', () => {
    const review = runCli(['review', EXAMPLE_RECIPE]);
    const lint = runCli(['lint', EXAMPLE_RECIPE]);
    expect(review.status).toBe(1);
    expect(review.status).toBe(lint.status);
    expect(review.stdout).toBe(lint.stdout);
    expect(review.stdout).toContain('R011');
    expect(review.stderr).toBe('stacklint review: needs an interactive terminal; printing the lint report instead\n');
  });

  it('exits 0 when the recipe has no error-level finding, as lint does', () => {
    const review = runCli(['review', '--rule', 'R011=off', '--rule', 'backupbot-labels=off', '--rule', 'proxy-alias-collision=off', EXAMPLE_RECIPE]);
    expect(review.status).toBe(0);
    expect(review.stdout).toContain('warning');
  });

  it('reports usage errors with exit 2', () => {
    const two = runCli(['review', EXAMPLE_RECIPE, EXAMPLE_RECIPE]);
    expect(two.status).toBe(2);
    expect(two.stderr).toContain('review takes one recipe directory');
    const missing = runCli(['review', join(REPO, 'no-such-dir')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no such directory');
  });

  it('documents its keys in --help', () => {
    const help = runCli(['review', '--help']);
    expect(help.status).toBe(0);
    for (const key of ['j/k', '/ ', 'g ', 's ', 'b ', 'o ', 'r ', 'q ']) expect(help.stdout).toContain(key);
    expect(help.stdout).toContain('# stacklint-disable-next-line RULE -- reason');
  });
});

describe('the bundle', () => {
  it('loads ink and react only from review.mjs, which only the review command imports', () => {
    const dist = join(REPO, 'dist');
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(join(dist, file), 'utf8');
      for (const m of text.matchAll(/^import\s[^;]*?from\s*"\.\/([^"]+)"/gms)) visit(m[1]);
    };
    // What every command loads: the launcher (and its static imports) and the CLI bundle.
    visit('launch.mjs');
    visit('stacklint.cjs');
    const startup = [...seen].map((f) => readFileSync(join(dist, f), 'utf8')).join('\n');
    // Markers of ink's and react's code: their renderer and reconciler.
    expect(startup).not.toMatch(/react-reconciler|createReconciler|useInput/);
    expect(readFileSync(join(dist, 'stacklint.cjs'), 'utf8')).toContain("importBundled(\"review.mjs\"");
    expect(readFileSync(join(dist, 'review.mjs'), 'utf8')).toMatch(/useInput/);
  });
});
