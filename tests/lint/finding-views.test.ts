// Every finding about a compose file lists the views it occurs in: a consumer that filters findings by view
// must not drop the ones a rule reported about one file (yaml errors, interpolation, unsupported keys, …).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintRecipe } from '../../src/lint/engine.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { defaultConfig } from '../../src/config/index.js';

const root = join(__dirname, '../../fixtures/rules');
const cases = readdirSync(root).flatMap((rule) =>
  readdirSync(join(root, rule)).map((name) => join(root, rule, name)).filter((dir) => statSync(dir).isDirectory() && existsSync(join(dir, 'compose.yml'))),
);
const rules = ALL_RULES.filter((rule) => !rule.meta.requires);

describe('findings about a compose file list their views', () => {
  it.each(cases.map((dir) => [dir.slice(root.length + 1)]))('%s', (name) => {
    const result = lintRecipe(join(root, name), { rules, config: defaultConfig(), online: false, git: false });
    const viewless = result.findings.filter((f) => /^compose[^/]*\.ya?ml$/.test(f.file) && f.views.length === 0);
    expect(viewless.map((f) => `${f.rule} ${f.file}:${f.line} ${f.message}`)).toEqual([]);
    for (const finding of result.findings) for (const view of finding.views) expect(result.views).toContain(view);
  });
});
