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
    expect(missing.stderr).toContain('no-such-dir: no such file or directory');
  });

  it('documents its keys in --help', () => {
    const help = runCli(['review', '--help']);
    expect(help.status).toBe(0);
    for (const key of ['j/k', '/ ', 'g ', 's ', 'b ', 'o ', 'r ', 'q ']) expect(help.stdout).toContain(key);
    expect(help.stdout).toContain('# stacklint-disable-next-line RULE -- reason');
  });
});

describe('the bundle', () => {
  it('loads ink and react only from a chunk of their own, which only the review command imports', () => {
    const dist = join(REPO, 'dist');
    const read = (file: string) => readFileSync(join(dist, file), 'utf8');
    const staticImports = (file: string) => [...read(file).matchAll(/^import\s[^;]*?from\s*"\.\/([^"]+)"|^import\s*"\.\/([^"]+)"/gms)].map((m) => m[1] ?? m[2]);
    const dynamicImports = (file: string) => [...read(file).matchAll(/\bimport\("\.\/([^"]+)"\)/g)].map((m) => m[1]);
    /** The files `file` loads before it runs: its static imports, and theirs. */
    const staticGraph = (file: string, seen = new Set<string>()) => {
      if (seen.has(file)) return seen;
      seen.add(file);
      for (const f of staticImports(file)) staticGraph(f, seen);
      return seen;
    };
    // What every command loads: the entry and what it imports before it runs (the commands among them).
    const everyCommand = staticGraph('stacklint.mjs');
    // Markers of ink's and react's code: their renderer and reconciler.
    for (const file of everyCommand) expect(read(file), file).not.toMatch(/react-reconciler|createReconciler|useInput/);
    // The TUI: one chunk, imported lazily from there.
    const lazy = [...everyCommand].flatMap(dynamicImports).filter((f) => !everyCommand.has(f));
    const tui = [...new Set(lazy)].filter((f) => /useInput/.test(read(f)));
    expect(tui).toHaveLength(1);
  });
});
