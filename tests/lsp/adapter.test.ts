// The server's pieces in-process: a rule that crashes becomes the CLI's internal-error finding (and a
// diagnostic without a stack), positions map to paths, and suppression edits are minimal.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lintRecipeJob } from '../../src/lint/job.js';
import { defineRule } from '../../src/rules/rule.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { lintForEditor, recipeModel } from '../../src/lsp/engine-adapter.js';
import { definitionsOf, referencesOf, symbolAt } from '../../src/lsp/navigation.js';
import { hoverText } from '../../src/lsp/hover.js';
import { diagnosticsByFile } from '../../src/lsp/diagnostics.js';
import { replacementOf } from '../../src/lsp/code-actions.js';
import { pathAt } from '../../src/lsp/yaml-paths.js';
import { loadYamlText } from '../../src/load/yaml.js';
import { applyEdits, copyRecipe, EXAMPLE_RECIPE, removeTempDirs, STACK_FRAME, tempDir, writeRecipe } from './recipes.js';

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

describe('lsp navigation and hover in-process', () => {
  const files = {
    'compose.yml': [
      'version: "3.8"',
      'services:',
      '  app:',
      '    image: nginx:1.27',
      '    environment:',
      '      - MODE=base',
      '    volumes:',
      '      - data:/var/lib/app:ro',
      '      - type: volume',
      '        source: cache',
      '        target: /cache',
      '      - ./local:/local',
      '    depends_on:',
      '      db:',
      '        condition: service_started',
      '  db:',
      '    image: postgres:16.2',
      'volumes:',
      '  data:',
      '  cache:',
      '',
    ].join('\n'),
    'compose.extra.yml': ['version: "3.8"', 'services:', '  app:', '    environment:', '      - MODE=extra', 'volumes:', '  data:', '    driver: local', ''].join('\n'),
    '.env.sample': 'TYPE=x\n',
  };

  it('finds volume definitions from short and long syntax, depends_on in map form, and skips bind mounts', () => {
    const dir = writeRecipe(join(tempDir(), 'r'), files);
    const { recipe } = recipeModel(dir, new Map());
    const text = files['compose.yml'];
    const at = (needle: string, shift = 1) => symbolAt(recipe, 'compose.yml', text, text.indexOf(needle) + shift);
    expect(at('data:/var')).toEqual({ kind: 'volumes', name: 'data' });
    expect(definitionsOf(recipe, at('data:/var')!).map((p) => `${p.file}:${p.line}`)).toEqual(['compose.extra.yml:7', 'compose.yml:19']);
    expect(at('source: cache', 9)).toEqual({ kind: 'volumes', name: 'cache' });
    expect(at('./local')).toBeUndefined();
    expect(at('db:\n        condition')).toEqual({ kind: 'service', name: 'db' });
    expect(referencesOf(recipe, { kind: 'service', name: 'db' }, false).map((p) => `${p.file}:${p.line}`)).toEqual(['compose.yml:14']);
    expect(referencesOf(recipe, { kind: 'volumes', name: 'data' }, false).map((p) => `${p.file}:${p.line}`)).toEqual(['compose.yml:8']);
  });

  it('hover on a list-form environment item shows the merged variable and which file won', () => {
    // depends_on with conditions is not in docker's v3 schemas (the views would not merge): the list form here.
    const dir = writeRecipe(join(tempDir(), 'r'), { ...files, 'compose.yml': files['compose.yml'].replace('      db:\n        condition: service_started', '      - db') });
    const model = recipeModel(dir, new Map());
    const text = files['compose.extra.yml'];
    const hover = hoverText(model, 'compose.extra.yml', text.indexOf('MODE=extra') + 2)!;
    expect(hover).toContain('"extra"');
    expect(hover).toMatch(/from `compose\.yml:6`, replaced by `compose\.extra\.yml:5`/);
    // Unsaved text wins over the disk.
    const unsaved = recipeModel(dir, new Map([[join(dir, 'compose.extra.yml'), text.replace('MODE=extra', 'MODE=typed')]]));
    expect(hoverText(unsaved, 'compose.extra.yml', text.indexOf('MODE=extra') + 2)).toContain('"typed"');
  });
});

describe('unsaved files that are not on disk', () => {
  it('an overlay text for a file the disk lacks is a file of the stack; one outside the stack or under node_modules is not', () => {
    const dir = writeRecipe(join(tempDir(), 'shop'), { 'docker-compose.yml': 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n' });
    const outside = join(dir, '..', 'docker-compose.other.yml');
    const vendored = join(dir, 'node_modules', 'x', 'docker-compose.yml');
    const overlay = new Map([
      [join(dir, 'docker-compose.prod.yml'), 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.28\n'],
      [outside, 'services: {}\n'],
      [vendored, 'services: {}\n'],
    ]);
    const { recipe, views } = recipeModel(dir, overlay);
    expect(recipe.kind).toBe('plain');
    expect([...recipe.listFiles()].sort()).toEqual(['docker-compose.prod.yml', 'docker-compose.yml']);
    expect(views.map((v) => v.name)).toEqual(['docker-compose.yml', 'docker-compose.yml+docker-compose.prod.yml']);
    expect(views[1].config?.services.web.image).toBe('nginx:1.28');
    // Without the overlay, the disk's stack only.
    expect(recipeModel(dir, new Map()).views.map((v) => v.name)).toEqual(['docker-compose.yml']);
  });
});
