// One decision of what a directory is as a stack (src/pipeline/stack-layout.ts): `lint`, `config DIR`, catalogue
// discovery and the editor server agree on its base file, its views and whether it is a stack at all —
// including a swarm file beside a `docker compose` file, and a directory known only by the views it declares.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findRecipes, TargetError } from '../../src/catalogue/run.js';
import { lintRecipeJob } from '../../src/lint/job.js';
import { editorModel } from '../../src/lsp/engine-adapter.js';
import { baseFileOf, isStackDir, recipeDirOf, recipesIn } from '../../src/lsp/workspace.js';
import { directoryLayout } from '../../src/lint/stack-layout.js';
import { directorySource, stackLayout } from '../../src/pipeline/stack-layout.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { runCli } from '../cli/helpers.js';

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function write(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stacklint-layout-'));
  made.push(dir);
  return dir;
}

/** A compose file whose one service runs `image`: each file of a case says which one `config` printed. */
const service = (image: string) => `version: "3.8"\nservices:\n  web:\n    image: ${image}\n`;

interface StackCase {
  name: string;
  files: Record<string, string>;
  kind: 'recipe' | 'plain';
  /** What `config DIR` prints and what the lint deploys when nothing else is said. */
  defaultFiles: string[];
  /** The lint's views, in order. */
  views: string[];
}

const STACKS: StackCase[] = [
  {
    name: 'a swarm file beside a `docker compose` file: the swarm file is the base',
    files: { 'docker-compose.yml': service('dev:1'), 'docker-stack.yml': service('swarm:1'), 'docker-stack.prod.yml': service('swarm:2') },
    kind: 'plain',
    defaultFiles: ['docker-stack.yml'],
    views: ['docker-stack.yml', 'docker-stack.yml+docker-stack.prod.yml'],
  },
  {
    name: 'stack.yml beside compose.yaml',
    files: { 'compose.yaml': service('dev:1'), 'stack.yml': service('swarm:1') },
    kind: 'plain',
    defaultFiles: ['stack.yml'],
    views: ['stack.yml'],
  },
  {
    name: 'a recipe (coop-cloud label) with a docker-stack.yml beside: compose.yml stays the base',
    files: {
      'compose.yml': `${service('recipe:1')}    deploy:\n      labels:\n        - coop-cloud.\${STACK_NAME}.version=1.0.0+1.27\n`,
      'docker-stack.yml': service('swarm:1'),
    },
    kind: 'recipe',
    defaultFiles: ['compose.yml'],
    views: ['abra', 'compose.yml'],
  },
  {
    name: 'a recipe by its config (preset: abra): docker-compose.yml before stack.yml',
    files: { 'docker-compose.yml': service('recipe:1'), 'stack.yml': service('swarm:1'), '.stacklintrc.yml': 'preset: abra\n' },
    kind: 'recipe',
    defaultFiles: ['docker-compose.yml'],
    views: ['abra', 'docker-compose.yml'],
  },
  {
    name: 'no base file, only the config\'s views:',
    files: { 'app.yml': service('app:1'), 'app.prod.yml': service('app:2'), '.stacklintrc.yml': 'views:\n  - [app.yml, app.prod.yml]\n' },
    kind: 'plain',
    defaultFiles: ['app.yml', 'app.prod.yml'],
    views: ['app.yml+app.prod.yml'],
  },
  {
    name: 'no base file, only .env.example COMPOSE_FILE',
    files: { 'web.yml': service('web:1'), 'web.extra.yml': service('web:2'), '.env.example': 'COMPOSE_FILE=web.yml:web.extra.yml\n' },
    kind: 'plain',
    defaultFiles: ['web.yml', 'web.extra.yml'],
    views: ['web.yml+web.extra.yml'],
  },
  {
    name: 'no base file, only a Makefile deploy line',
    files: { 'app.yml': service('app:1'), Makefile: 'deploy:\n\tdocker stack deploy -c app.yml shop\n' },
    kind: 'plain',
    defaultFiles: ['app.yml'],
    views: ['app.yml'],
  },
  {
    name: 'no base file, only a README deploy line (and a script one folder down)',
    files: { 'site.yml': service('site:1'), 'site.tls.yml': service('site:2'), 'README.md': '# Site\n\n```sh\ndocker stack deploy -c site.yml site\n```\n', 'scripts/up.sh': 'docker stack deploy -c site.yml -c site.tls.yml site\n' },
    kind: 'plain',
    defaultFiles: ['site.yml'],
    views: ['site.yml', 'site.yml+site.tls.yml'],
  },
  {
    name: 'a base file and the config\'s views: the declared views only, the base deployed by default',
    files: { 'compose.yml': service('base:1'), 'compose.prod.yml': service('base:2'), 'compose.dev.yml': service('base:3'), '.stacklintrc.yml': 'views: ["compose.yml,compose.prod.yml"]\n' },
    kind: 'plain',
    defaultFiles: ['compose.yml'],
    views: ['compose.yml+compose.prod.yml'],
  },
];

const NOT_STACKS: Array<{ name: string; files: Record<string, string> }> = [
  { name: 'a recipe (abra.sh) without compose.yml: its scripts\' -c files make no stack', files: { 'abra.sh': 'export APP_VERSION=1\n', 'app.yml': service('app:1'), 'deploy.sh': 'docker stack deploy -c app.yml app\n' } },
  { name: 'a README deploying a file of a folder below (that folder\'s view, not this directory\'s)', files: { 'sub/app.yml': service('app:1'), 'README.md': 'docker stack deploy -c sub/app.yml app\n' } },
  { name: 'a config whose views: name a file the directory lacks', files: { 'other.yml': service('app:1'), '.stacklintrc.yml': 'views:\n  - [app.yml]\n' } },
  { name: 'a deploy line whose file is a variable', files: { 'app.yml': service('app:1'), 'deploy.sh': 'docker stack deploy -c "$FILE" app\n' } },
];

describe('stackLayout: lint, config DIR, discovery and the editor server agree', () => {
  for (const c of STACKS) {
    it(c.name, async () => {
      const root = tempDir();
      const dir = write(join(root, 'stack'), c.files);
      // The pipeline's decision, with the directory's config.
      const layout = directoryLayout(dir);
      expect(layout.isStack).toBe(true);
      expect(layout.kind).toBe(c.kind);
      expect(layout.defaultFiles).toEqual(c.defaultFiles);
      // lint: what it deploys by default, its kind and its views.
      const lint = await lintRecipeJob(dir, {}, ALL_RULES);
      expect(lint.kind).toBe(c.kind);
      expect(lint.views).toEqual(c.views);
      // The editor: the same stack for the directory, its catalogue and a file in it; the same base and views.
      const model = await editorModel(dir, new Map());
      expect(model.recipe.kind).toBe(c.kind);
      expect(model.recipe.defaultFiles).toEqual(c.defaultFiles);
      expect(model.views.map((v) => v.name)).toEqual(c.views);
      expect(isStackDir(dir)).toBe(true);
      expect(baseFileOf(dir)).toBe(c.defaultFiles[0]);
      expect(model.recipe.baseFile ?? c.defaultFiles[0]).toBe(c.defaultFiles[0]);
      expect(recipeDirOf(join(dir, c.defaultFiles[0]))).toBe(dir);
      expect(recipesIn(root)).toEqual([dir]);
      // Catalogue discovery: the directory, and the directory as one stack of its parent.
      expect(findRecipes(dir)).toEqual([dir]);
      expect(findRecipes(root)).toEqual([dir]);
      // The CLI lints it (no "no stack here", exit 2), in those views.
      const cli = runCli(['lint', '--format', 'json', dir]);
      expect(cli.stderr).toBe('');
      expect([0, 1]).toContain(cli.status);
      const linted = new Set((JSON.parse(cli.stdout) as { findings: Array<{ views: string[] }> }).findings.flatMap((f) => f.views));
      for (const view of linted) expect(c.views).toContain(view);
      // config DIR prints exactly what the lint deploys by default.
      const byDir = runCli(['config', dir]);
      const byFiles = runCli(['config', ...c.defaultFiles.flatMap((f) => ['-c', join(dir, f)])]);
      expect(byDir.stderr).toBe('');
      expect(byDir.status).toBe(0);
      expect(byDir.stdout).toBe(byFiles.stdout);
      const image = /image: (\S+)/.exec(c.files[c.defaultFiles.at(-1)!])![1];
      expect(byDir.stdout).toContain(`image: ${image}`);
    }, 60_000);
  }

  for (const c of NOT_STACKS) {
    it(`no stack: ${c.name}`, () => {
      const root = tempDir();
      const dir = write(join(root, 'stack'), c.files);
      expect(stackLayout(directorySource(dir)).isStack).toBe(false);
      expect(isStackDir(dir)).toBe(false);
      expect(baseFileOf(dir)).toBeUndefined();
      expect(recipesIn(root)).toEqual([]);
      expect(() => findRecipes(dir)).toThrow(TargetError);
      const config = runCli(['config', dir]);
      expect(config.status).toBe(2);
      expect(config.stderr).toMatch(/no stack here/);
      const lint = runCli(['lint', dir]);
      expect(lint.status).toBe(2);
      expect(lint.stderr).toMatch(/no stack here/);
    }, 60_000);
  }

  it('a catalogue: every stack below it however it is known, its own config\'s views: applying to each', () => {
    const root = tempDir();
    write(root, {
      'swarm/docker-compose.yml': service('dev:1'),
      'swarm/docker-stack.yml': service('swarm:1'),
      'declared/app.yml': service('app:1'),
      'declared/deploy.sh': 'docker stack deploy -c app.yml app\n',
      'configured/main.yml': service('main:1'),
      'notes/README.md': 'nothing deployed here\n',
      '.stacklintrc.yml': 'views:\n  - [main.yml]\n',
    });
    // The catalogue's config names main.yml for every directory below it: `configured` has it; its views:
    // replace a directory's own declarations, so `declared` (no main.yml) is no stack; `swarm` has a base file.
    const expected = ['configured', 'swarm'].map((name) => join(root, name));
    expect(findRecipes(root)).toEqual(expected);
    expect(recipesIn(root)).toEqual(expected);
    expect(isStackDir(root)).toBe(false);
    expect(baseFileOf(join(root, 'swarm'))).toBe('docker-stack.yml');
    expect(baseFileOf(join(root, 'configured'))).toBe('main.yml');
  });

  it('an unsaved buffer counts as a file of the directory: a typed .env.example declares a stack, its text read', () => {
    const dir = write(tempDir(), { 'app.yml': service('app:1') });
    expect(isStackDir(dir)).toBe(false);
    const typed = new Map([[join(dir, '.env.example'), 'COMPOSE_FILE=app.yml\n']]);
    expect(isStackDir(dir, typed)).toBe(true);
    expect(baseFileOf(dir, typed)).toBe('app.yml');
    expect(recipeDirOf(join(dir, 'app.yml'), typed)).toBe(dir);
    // A buffer of a base file whose text is not at hand: its name is enough.
    expect(baseFileOf(dir, new Set([join(dir, 'stack.yml')]))).toBe('stack.yml');
  });
});
