// The Traefik services a repository runs (src/pipeline/repository-traefik.ts), and how traefik-labels uses them:
// a stack with no Traefik of its own is routed by the repository's, found in its other stack files (a sibling
// folder above the stack's own included), each loaded alone; files no stack deploys do not count.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recipeViews } from '../../src/pipeline/recipe.js';
import { lintRecipe } from '../../src/lint/engine.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { defaultConfig } from '../../src/config/index.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'stacklint-repo-traefik-'));
  made.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

const traefik = (command: string[], extra = '') =>
  ['version: "3.8"', 'services:', '  traefik:', '    image: traefik:v2.11', ...(command.length > 0 ? ['    command:'] : []), ...command.map((c) => `      - ${c}`), extra]
    .filter((l) => l !== '')
    .join('\n') + '\n';

const APP_CONTAINER_LABELS = [
  'version: "3.8"',
  'services:',
  '  app:',
  '    image: nginx:1.27',
  '    labels:',
  '      - traefik.enable=true',
  '      - traefik.http.routers.app.rule=Host(`app.example.org`)',
  '      - traefik.http.services.app.loadbalancer.server.port=80',
  '',
].join('\n');

function containerLabelErrors(dir: string, options: { root?: string; views?: string[][] } = {}) {
  const rule = ALL_RULES.find((r) => r.meta.id === 'traefik-labels')!;
  const result = lintRecipe(dir, { rules: [rule], config: defaultConfig(), only: ['traefik-labels'], online: false, git: false, ...options });
  return result.findings.filter((f) => /under `labels:`/.test(f.message));
}

describe('repository Traefik services', () => {
  it('finds a Traefik in a sibling folder above the stack, loads it alone, and reads its static file there', () => {
    const root = repository({
      'proxy/stack.yml': traefik([], '    volumes:\n      - ./traefik.yml:/etc/traefik/traefik.yml:ro'),
      'proxy/traefik.yml': 'providers:\n  docker:\n    exposedByDefault: false\n',
      'apps/web/docker-stack.yml': APP_CONTAINER_LABELS,
    });
    const dir = join(root, 'apps/web');
    const { recipe } = recipeViews(dir, { root });
    expect(recipe.repositoryTraefik?.().map((t) => [t.file, t.service])).toEqual([['../../proxy/stack.yml', 'traefik']]);
    // The docker provider outside swarm mode (said by the static file) reads the container labels.
    expect(containerLabelErrors(dir, { root })).toEqual([]);
  });

  it('counts no file outside the read boundary, and no file docker stack cannot load', () => {
    const outside = repository({ 'stack.yml': traefik(['--providers.docker']) });
    const root = repository({
      'docker-stack.yml': APP_CONTAINER_LABELS,
      'old/docker-compose.yml': "version: '2'\nservices:\n  proxy:\n    image: traefik:v1.7\n    command: --docker\n",
    });
    symlinkSync(join(outside, 'stack.yml'), join(root, 'linked.yml'));
    const { recipe } = recipeViews(root, { root });
    expect(recipe.repositoryTraefik?.()).toEqual([]);
    expect(containerLabelErrors(root, { root })).toHaveLength(1);
  });

  it('leaves out a development compose file beside the swarm file (it runs no Traefik of the swarm)', () => {
    const root = repository({
      'docker-stack.yml': APP_CONTAINER_LABELS,
      'docker-compose.yml': traefik(['--providers.docker']),
    });
    expect(recipeViews(root, { root }).recipe.repositoryTraefik?.()).toEqual([]);
    expect(containerLabelErrors(root, { root })).toHaveLength(1);
  });

  it("a stack's own Traefik decides, whatever the repository's other Traefik services read", () => {
    const root = repository({
      'docker-stack.yml': APP_CONTAINER_LABELS.replace('services:\n', `services:\n  proxy:\n    image: traefik:v2.11\n    command: ["--providers.docker.swarmMode=true"]\n`),
      'dev/traefik.yml': traefik(['--providers.docker']),
    });
    expect(containerLabelErrors(root, { root, views: [['docker-stack.yml']] })).toHaveLength(1);
  });

  it('reads a variable of the run (--env-file) in a sibling Traefik', () => {
    const root = repository({
      'traefik.yml': traefik(['${TRAEFIK_PROVIDER}']),
      'app.yml': APP_CONTAINER_LABELS,
    });
    const rule = ALL_RULES.find((r) => r.meta.id === 'traefik-labels')!;
    const lint = (value: string) =>
      lintRecipe(root, {
        rules: [rule],
        config: defaultConfig(),
        only: ['traefik-labels'],
        online: false,
        git: false,
        root,
        views: [['app.yml']],
        env: [{ name: 'TRAEFIK_PROVIDER', value, file: '.env', line: 1 }],
      }).findings.filter((f) => /under `labels:`/.test(f.message));
    expect(lint('--providers.docker')).toEqual([]);
    expect(lint('--providers.docker.swarmMode=true')).toHaveLength(1);
  });
});
