// The server's pieces in-process: a rule that crashes becomes the CLI's internal-error finding (and a
// diagnostic without a stack), positions map to paths, and suppression edits are minimal.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintRecipeJob } from '../../src/lint/job.js';
import { defineRule } from '../../src/rules/rule.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { lintForEditor } from '../../src/lsp/engine-adapter.js';
import { diagnosticsByFile } from '../../src/lsp/diagnostics.js';
import { replacementOf } from '../../src/lsp/code-actions.js';
import { pathAt } from '../../src/lsp/yaml-paths.js';
import { loadYamlText } from '../../src/load/yaml.js';
import { copyRecipe, EXAMPLE_RECIPE, removeTempDirs, STACK_FRAME } from './recipes.js';
import { applyEdits } from './recipes.js';

afterEach(removeTempDirs);

const crashing = defineRule({
  meta: { id: 'crash-test', name: 'crash-test', level: 'error', description: 'crashes', fix: 'none' },
  check(ctx) {
    const services = (ctx.views[0].config as { services: Record<string, unknown> }).services;
    // A bug on purpose: reads through a service that has no `deploy`.
    (services.sidekiq as { deploy: { labels: unknown[] } }).deploy.labels.push(1);
  },
});

describe('lsp engine adapter', () => {
  it('a rule crash is the same internal-error finding the CLI reports, and its diagnostic has no stack', async () => {
    const dir = copyRecipe(EXAMPLE_RECIPE);
    const rules = [...ALL_RULES, crashing];
    const overlay = new Map([[join(dir, 'compose.yml'), 'version: "3.8"\nservices:\n  sidekiq:\n    image: x:1\n']]);
    const cli = await lintRecipeJob(dir, { overlay }, rules);
    const editor = await lintForEditor(dir, overlay, rules);
    const internal = editor.findings.filter((f) => f.rule === 'crash-test');
    expect(internal).toHaveLength(1);
    expect(internal[0].message).toMatch(/^internal error in rule crash-test: /);
    expect(editor.findings).toEqual(cli.findings);
    const diagnostics = [...diagnosticsByFile(dir, editor).values()].flat();
    const crash = diagnostics.find((d) => d.code === 'crash-test')!;
    expect(crash.message).not.toMatch(STACK_FRAME);
    expect(crash.severity).toBe(1);
  });

  it('pathAt finds the key or value under an offset', () => {
    const text = 'services:\n  app:\n    image: nginx:1.27\n    secrets:\n      - db_password\n';
    const doc = loadYamlText(text, 'compose.yml');
    expect(pathAt(doc, text.indexOf('app'))).toMatchObject({ path: ['services', 'app'], on: 'key' });
    expect(pathAt(doc, text.indexOf('nginx') + 2)).toMatchObject({ path: ['services', 'app', 'image'], on: 'value', value: 'nginx:1.27' });
    expect(pathAt(doc, text.indexOf('db_password') + 3)).toMatchObject({ path: ['services', 'app', 'secrets', 0], value: 'db_password' });
    expect(pathAt(loadYamlText('services: [', 'compose.yml'), 3)).toBeUndefined();
  });

  it('replacementOf turns one text into another with one minimal edit', () => {
    const before = 'a\nb\nc\n';
    const after = 'a\n# x\nb\nc\n';
    const edit = replacementOf(before, after);
    expect(edit.newText).toBe('# x\n');
    expect(applyEdits(before, [edit])).toBe(after);
    expect(applyEdits('same', [replacementOf('same', 'same')])).toBe('same');
  });
});
