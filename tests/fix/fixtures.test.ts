// Every fix has a before/after pair in fixtures/fix/<case>/: `lint --fix` on a copy of before/ must give
// after/ byte for byte (so comments, blank lines, quoting and order outside the edits are untouched), the
// dry run must predict the same texts without writing, and a second lint must find nothing left to fix.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixTargets } from '../../src/fix/index.js';
import { runLint } from '../../src/catalogue/run.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { copyRecipe, readTree, REPO } from './helpers.js';

const ROOT = join(REPO, 'fixtures/fix');
const cases = readdirSync(ROOT).filter((c) => existsSync(join(ROOT, c, 'before')));
const options = { rules: ALL_RULES, jobs: 1 };

describe('fixes: before/after fixture pairs', () => {
  it('has a pair for every fix the rules offer', () => {
    expect(cases).toEqual(
      expect.arrayContaining(['dollar-escapes', 'short-names', 'missing-version-crlf', 'traefik-labels-list', 'traefik-labels-map-no-deploy', 'secret-versions', 'quote-ports-style', 'renamed-service-suggestion', 'compose-only-tag-noop', 'traefik-deploy-labels-list', 'traefik-deploy-labels-map-append']),
    );
  });

  it('marks exactly the rules whose findings carry edits as fixable (meta.fixable), each with a pair', async () => {
    const withEdits = new Set<string>();
    for (const name of cases) {
      const result = await runLint([copyRecipe(join(ROOT, name, 'before'))], options);
      for (const f of result.findings) if (f.edits && f.edits.length > 0) withEdits.add(f.rule);
    }
    const declared = ALL_RULES.filter((r) => r.meta.fixable).map((r) => r.meta.id);
    expect([...withEdits].sort()).toEqual([...declared].sort());
  });

  it.each(cases)('%s', async (name) => {
    const before = join(ROOT, name, 'before');
    const after = join(ROOT, name, 'after');
    const dir = copyRecipe(before);

    const dry = await fixTargets([dir], options, { write: false });
    expect(readTree(dir), 'the dry run writes nothing').toEqual(readTree(before));
    const predicted = Object.fromEntries(dry.changes.map((c) => [relative(dir, c.path), Buffer.from(c.after)]));

    const done = await fixTargets([dir], options, { write: true });
    expect(done.problems).toEqual([]);
    const want = readTree(after);
    expect(readTree(dir)).toEqual(want);
    for (const [file, bytes] of Object.entries(predicted)) expect(bytes.equals(want[file]), `${file}: dry run = --fix`).toBe(true);
    expect(done.fixed).toBe(dry.fixed);

    const again = await runLint([dir], options);
    expect(again.findings.filter((f) => f.edits && f.edits.length > 0).map((f) => `${f.rule} ${f.file}:${f.line}`)).toEqual([]);
  });

  it('offers the renamed-service fix as a suggestion, never an edit', async () => {
    const dir = copyRecipe(join(ROOT, 'renamed-service-suggestion', 'before'));
    const result = await runLint([dir], options);
    const r011 = result.findings.find((f) => f.rule === 'R011' && f.file === 'compose.smtp.yml');
    expect(r011?.suggestion).toMatch(/rename `sidekiq:` there to `app-sidekiq:`/);
    expect(r011?.edits).toBeUndefined();
  });
});
