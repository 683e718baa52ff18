// What the deploy rung deploys for a view: the merged config, plus only the printed changes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildDeployPlan, defaultViewNames, deployViews, imageRepository, mapImage, parseImageMapping, readRecipe } from '../../src/ladder/plan.js';
import type { DeployPlan } from '../../src/ladder/plan.js';

const FIXTURES = join(__dirname, '../../fixtures/ladder');
const STACK = 'stacklint_ab12_4242_cd34';
const temps: string[] = [];

afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function recipe(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stacklint-plan-'));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function plan(dir: string, view: string, options = {}): DeployPlan {
  const result = buildDeployPlan(readRecipe(dir), view, STACK, options);
  if ('error' in result) throw new Error(result.error);
  return result;
}

/** docker's own reading of the file the ladder deploys (the CLI loads it exactly as stack deploy does). */
function dockerReads(yaml: string): string {
  const dir = recipe({ 'stack.yml': yaml });
  const r = spawnSync('docker', ['stack', 'config', '-c', join(dir, 'stack.yml')], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  expect(r.error, 'the docker CLI is needed (installed at /usr/local/bin on CI)').toBeUndefined();
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('deploy views', () => {
  it("defaults to .env.sample's COMPOSE_FILE lines, commented ones included", () => {
    expect(defaultViewNames(deployViews(readRecipe(join(FIXTURES, 'healthy'))))).toEqual(['compose.yml', 'compose.yml+compose.greeting.yml']);
  });

  it('defaults to compose.yml alone when .env.sample names no COMPOSE_FILE', () => {
    expect(defaultViewNames(deployViews(readRecipe(join(FIXTURES, 'alias-collision'))))).toEqual(['compose.yml']);
  });
});

describe('buildDeployPlan', () => {
  it("interpolates the view with .env.sample, abra.sh and the run's STACK_NAME", () => {
    const p = plan(join(FIXTURES, 'healthy'), 'compose.yml+compose.greeting.yml');
    const config = parse(p.yaml);
    expect(config.services.app.environment).toEqual({ STACK_NAME: STACK, GREETING: 'hello' });
    expect(config.secrets.db_password).toEqual({ name: `${STACK}_db_password_v1`, external: true });
    expect(config.configs.index_html).toEqual({ name: `${STACK}_index_html_v1`, file: join(FIXTURES, 'healthy/index.html.tmpl'), template_driver: 'golang' });
    expect(config.services.app.ports).toEqual([{ mode: 'ingress', target: 8080, published: 38180, protocol: 'tcp' }]);
    expect(config.services.app.deploy.endpoint_mode).toBeUndefined();
    expect(p.changes).toEqual([expect.stringMatching(/^STACK_NAME=stacklint_ab12_4242_cd34 /)]);
    expect(p.externals).toEqual({
      secrets: [{ key: 'db_password', name: `${STACK}_db_password_v1`, length: 32 }],
      configs: [],
      networks: [{ key: 'proxy', name: 'proxy' }],
      volumes: [],
    });
    expect(p.timeout).toEqual({ seconds: 60, source: 'label coop-cloud.${STACK_NAME}.timeout on app' });
    expect(p.services).toEqual([{ key: 'app', image: 'busybox:1.36.1' }, { key: 'db', image: 'busybox:1.36.1' }]);
  });

  it('without changes, docker reads the deployed file back as the merged config stacklint printed', () => {
    const p = plan(join(FIXTURES, 'healthy'), 'compose.yml+compose.greeting.yml');
    expect(dockerReads(p.yaml)).toBe(p.yaml);
  });

  it('--image-map and --engine-compat change only what they say, and say it', () => {
    const p = plan(join(FIXTURES, 'healthy'), 'compose.yml+compose.greeting.yml', {
      imageMap: [{ from: 'busybox', to: 'local/busybox:1' }],
      engineCompat: true,
      timeoutSeconds: 5,
    });
    const config = parse(p.yaml);
    expect(config.services.app.image).toBe('local/busybox:1');
    expect(config.services.app.deploy.endpoint_mode).toBe('dnsrr');
    expect(config.services.db.deploy.endpoint_mode).toBe('dnsrr');
    expect(config.services.app.ports).toEqual([{ mode: 'host', target: 8080, published: 38180, protocol: 'tcp' }]);
    expect(p.changes.slice(1)).toEqual([
      'services.app.image: busybox:1.36.1 → local/busybox:1 (--image-map)',
      'services.db.image: busybox:1.36.1 → local/busybox:1 (--image-map)',
      'services.app.deploy.endpoint_mode: vip → dnsrr (--engine-compat)',
      'services.app.ports[0] (38180:8080) mode: ingress → host (--engine-compat)',
      'services.db.deploy.endpoint_mode: vip → dnsrr (--engine-compat)',
    ]);
    expect(p.timeout).toEqual({ seconds: 5, source: '--timeout' });
    const unchanged = plan(join(FIXTURES, 'healthy'), 'compose.yml+compose.greeting.yml');
    // Undo exactly the listed changes: what remains is the unchanged plan.
    for (const service of Object.values(config.services) as Array<Record<string, any>>) {
      service.image = 'busybox:1.36.1';
      delete service.deploy.endpoint_mode;
      if (Object.keys(service.deploy).length === 0) delete service.deploy;
      for (const port of service.ports ?? []) port.mode = 'ingress';
    }
    expect(config).toEqual(parse(unchanged.yaml));
  });

  it("escapes `$` so docker's second interpolation leaves the linted values as they were", () => {
    const dir = recipe({
      'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: x:1\n    command: ["sh", "-c", "echo $$HOME"]\n    environment:\n      PRICE: "$$5 and ${CURRENCY}"\n',
      '.env.sample': 'CURRENCY=EUR\n',
    });
    const p = plan(dir, 'compose.yml');
    expect(p.changes[1]).toBe("`$` written as `$$` in 2 values, so docker's second interpolation of the file leaves them as linted");
    expect(parse(dockerReads(p.yaml)).services.app).toEqual({ command: ['sh', '-c', 'echo $HOME'], environment: { PRICE: '$5 and EUR' }, image: 'x:1' });
  });

  it('--engine-compat raises versions below 3.2, which have no endpoint_mode', () => {
    const dir = recipe({ 'compose.yml': 'version: "3.1"\nservices:\n  app:\n    image: x:1\n' });
    const p = plan(dir, 'compose.yml', { engineCompat: true });
    expect(p.changes).toContain('version: 3.1 → 3.2 (--engine-compat: endpoint_mode and long-syntax port modes need 3.2)');
    expect(parse(dockerReads(p.yaml)).services.app.deploy).toEqual({ endpoint_mode: 'dnsrr' });
  });

  it('a secret gets the length its `# length=N` modifier asks for; external configs and volumes are listed', () => {
    const dir = recipe({
      'compose.yml': [
        'version: "3.8"',
        'services:',
        '  app:',
        '    image: x:1',
        'secrets:',
        '  api_key: {external: true, name: "${STACK_NAME}_api_key_${SECRET_API_KEY_VERSION}"}',
        '  other: {external: true}',
        'configs:',
        '  shared: {external: true, name: shared_conf}',
        'volumes:',
        '  data: {external: true}',
        '',
      ].join('\n'),
      '.env.sample': 'SECRET_API_KEY_VERSION=v2 # length=64 charset=hex\n',
    });
    expect(plan(dir, 'compose.yml').externals).toEqual({
      secrets: [{ key: 'api_key', name: `${STACK}_api_key_v2`, length: 64 }, { key: 'other', name: 'other', length: 32 }],
      configs: [{ key: 'shared', name: 'shared_conf' }],
      networks: [],
      volumes: [{ key: 'data', name: 'data' }],
    });
  });

  it('refuses a view with an image-less service (docker would), and an unknown view', () => {
    const r011 = buildDeployPlan(readRecipe(join(FIXTURES, 'r011-overlay')), 'compose.yml+compose.worker.yml', STACK);
    expect(r011).toEqual({ error: 'service worker has no image: docker stack deploy refuses the view (R011)' });
    expect(buildDeployPlan(readRecipe(join(FIXTURES, 'healthy')), 'compose.yml+nope.yml', STACK)).toEqual({ error: 'no view named compose.yml+nope.yml' });
  });
});

describe('image mapping', () => {
  it('parses FROM=TO', () => {
    expect(parseImageMapping('nginx:1.25=local/nginx:1')).toEqual({ from: 'nginx:1.25', to: 'local/nginx:1' });
    for (const bad of ['nginx', '=x', 'x=', 'a b=c']) expect(parseImageMapping(bad)).toBeUndefined();
  });

  it('matches an exact reference, a repository with any tag or digest, or everything', () => {
    const maps = [{ from: 'postgres:16', to: 'A' }, { from: 'localhost:5000/app', to: 'B' }];
    expect(mapImage('postgres:16', maps)).toBe('A');
    expect(mapImage('postgres:15', maps)).toBeUndefined();
    expect(mapImage('localhost:5000/app:2.1', maps)).toBe('B');
    expect(mapImage('localhost:5000/app@sha256:abc', maps)).toBe('B');
    expect(mapImage('localhost:5000/application:1', maps)).toBeUndefined();
    expect(mapImage('anything:1', [{ from: '*', to: 'C' }])).toBe('C');
    expect(imageRepository('localhost:5000/app:1')).toBe('localhost:5000/app');
  });
});
