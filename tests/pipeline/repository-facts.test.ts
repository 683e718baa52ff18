// A plain stack that its repository's documents deploy inside a clone of another repository: the missing files
// its compose file names are that clone's (src/pipeline/repository-facts.ts), read once with the stack.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recipeViews } from '../../src/pipeline/recipe.js';

const STACK = 'version: "3.8"\nservices:\n  prom:\n    image: prom/prometheus:v2.53.0\n    configs: [rules]\nconfigs:\n  rules:\n    file: ./rules/node.yml\n';
const URL = 'https://github.com/acme/monitoring.git';
const GUIDE = `Clone the monitoring project:\n\n    $ git clone ${URL}\n    $ cd monitoring\n\nand deploy our stack there:\n\n    $ docker stack deploy -c docker-stack.yml mon\n`;

let made: string | undefined;
afterEach(() => {
  if (made) rmSync(made, { recursive: true, force: true });
  made = undefined;
});

/** A repository in a fresh folder `name` with these files; returns its root. */
function repository(name: string, files: Record<string, string>): string {
  made = mkdtempSync(join(tmpdir(), 'stacklint-facts-'));
  const root = join(made, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

/** The reason load-failure gets for the missing `rules/node.yml` named by docker-stack.yml of `dir`. */
function reason(dir: string, root?: string) {
  return recipeViews(dir, root ? { root } : {}).recipe.absentReason('rules/node.yml', ['docker-stack.yml']);
}

describe('a stack deployed inside a clone of another repository', () => {
  it('is the reason a file its compose file names is missing, with the document and the line of its git clone', () => {
    const root = repository('infra', { 'docker-stack.yml': STACK, 'README.md': GUIDE, '.git/config': '[remote "origin"]\n\turl = git@github.com:acme/infra.git\n' });
    expect(reason(root)).toEqual({ kind: 'other-checkout', url: URL, file: 'README.md', line: 3 });
    // Only for the files the clone's deploy names, and only when every file naming the path is one.
    expect(recipeViews(root).recipe.absentReason('rules/node.yml', ['other.yml'])).toBeUndefined();
    expect(recipeViews(root).recipe.absentReason('rules/node.yml', ['docker-stack.yml', 'other.yml'])).toBeUndefined();
    expect(recipeViews(root).recipe.absentReason('rules/node.yml')).toBeUndefined();
  });

  it('is no reason when the clone is this repository: a remote of .git/config, or the folder it is checked out in', () => {
    expect(reason(repository('infra', { 'docker-stack.yml': STACK, 'README.md': GUIDE, '.git/config': `[remote "origin"]\n\turl = ${URL}\n` }))).toBeUndefined();
    expect(reason(repository('infra', { 'docker-stack.yml': STACK, 'README.md': GUIDE, '.git/config': '[remote "fork"]\n\turl = git@github.com:me/monitoring\n' }))).toBeUndefined();
    expect(reason(repository('monitoring-main', { 'docker-stack.yml': STACK, 'README.md': GUIDE }))).toBeUndefined();
    // A linked worktree's .git file names the repository it belongs to.
    expect(reason(repository('feature-x', { 'docker-stack.yml': STACK, 'README.md': GUIDE, '.git': 'gitdir: /src/monitoring/.git/worktrees/feature-x\n' }))).toBeUndefined();
    expect(reason(repository('feature-x', { 'docker-stack.yml': STACK, 'README.md': GUIDE, '.git': 'gitdir: /src/infra/.git/worktrees/feature-x\n' }))?.kind).toBe('other-checkout');
  });

  it('reads the README above the stack up to the repository root, and guides beside the stack', () => {
    const above = repository('infra', { 'deploy/docker-stack.yml': STACK, 'README.md': GUIDE.replace('-c docker-stack.yml', '-c deploy/docker-stack.yml'), '.git/config': '' });
    expect(reason(join(above, 'deploy'))).toEqual({ kind: 'other-checkout', url: URL, file: '../README.md', line: 3 });
    const beside = repository('infra', { 'docs/docker-stack.yml': STACK, 'docs/monitoring.md': GUIDE });
    expect(reason(join(beside, 'docs'), beside)).toEqual({ kind: 'other-checkout', url: URL, file: 'monitoring.md', line: 3 });
    const script = repository('infra', { 'docker-stack.yml': STACK, 'scripts/deploy.sh': `#!/bin/sh\nset -e\ngit clone ${URL} /tmp/mon && cd /tmp/mon\ngit clone ${URL} mon\ncd mon\ndocker stack deploy -c ../docker-stack.yml mon\n` });
    expect(reason(script, script)).toEqual({ kind: 'other-checkout', url: URL, file: 'scripts/deploy.sh', line: 4 });
  });

  it('is no reason when another document deploys the same file here, nor on a recipe (abra deploys it)', () => {
    const both = repository('infra', { 'docker-stack.yml': STACK, 'README.md': GUIDE, 'deploy.sh': 'docker stack deploy -c docker-stack.yml mon\n' });
    expect(reason(both, both)).toBeUndefined();
    const recipe = repository('infra', { 'docker-stack.yml': STACK, 'README.md': GUIDE, 'abra.sh': 'export X=1\n' });
    expect(recipeViews(recipe, { root: recipe, views: [['docker-stack.yml']] }).recipe.absentReason('rules/node.yml', ['docker-stack.yml'])).toBeUndefined();
  });

  it('loads the view with an env_file of that clone empty, so the view still merges', () => {
    const root = repository('infra', { 'docker-stack.yml': `${STACK.replace('configs: [rules]', 'configs: [rules]\n    env_file: alertmanager/slack.env')}`, 'README.md': GUIDE });
    const { views } = recipeViews(root, { root });
    expect(views.map((v) => [v.name, v.failure?.message])).toEqual([['docker-stack.yml', undefined]]);
  });
});
