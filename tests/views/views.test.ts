import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAbraSh } from '../../src/views/abra-sh.js';
import { parseEnvFile } from '../../src/views/env-file.js';
import type { RecipeViews } from '../../src/views/views.js';
import { composeOnlyVersion, computeViews } from '../../src/views/views.js';

const CORPUS = '/work/shared/corpus/recipes';
const FIXTURES = new URL('../../fixtures/views/', import.meta.url).pathname;

function viewsOfDir(dir: string, options = {}): RecipeViews {
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : undefined);
  const envText = read('.env.sample');
  const abraText = read('abra.sh');
  return computeViews(
    { files: readdirSync(dir), exists: (p) => existsSync(join(dir, p)) },
    envText === undefined ? undefined : parseEnvFile(envText),
    abraText === undefined ? undefined : parseAbraSh(abraText),
    options,
  );
}

const byKind = (v: RecipeViews, kind: string) => v.views.filter((x) => x.kind === kind);

describe('views of bonfire (real .env.sample, 18 overlays)', () => {
  const v = viewsOfDir(join(CORPUS, 'bonfire'));
  const overlays = readdirSync(join(CORPUS, 'bonfire')).filter((f) => /^compose\..+\.yml$/.test(f));

  it('abra view: every top-level compose*yml in byte order, compose.yml late', () => {
    const abra = v.views[0];
    expect(abra).toMatchObject({ name: 'abra', kind: 'abra', missingFiles: [] });
    expect(abra.files[0]).toBe('compose.akismet.yml');
    expect(abra.files.at(-1)).toBe('compose.yml');
    expect(abra.files).toHaveLength(overlays.length + 1);
    expect(abra.files).not.toContain('postgres/compose.postgres.tune.yml');
  });

  it('base view and one view per overlay', () => {
    expect(v.views[1]).toMatchObject({ name: 'compose.yml', kind: 'base', files: ['compose.yml'] });
    expect(byKind(v, 'overlay').map((x) => x.files)).toEqual(overlays.sort().map((o) => ['compose.yml', o]));
  });

  it('the COMPOSE_FILE views read from its .env.sample, in written order', () => {
    const base = 'compose.yml+compose.postgres.yml';
    expect(byKind(v, 'compose-file').map((x) => [x.source?.line, x.name])).toEqual([
      [50, `${base}+postgres/compose.postgres.tune.yml`],
      [56, `${base}+compose.basicauth.yml`],
      [62, `${base}+compose.sonic.yml`],
      [69, `${base}+compose.mail.yml`],
      [72, `${base}+compose.mail.yml+compose.mail.privatekey.yml`], // same paragraph as the mail line
      [101, `${base}+compose.s3.yml`],
      [112, `${base}+compose.s3.yml+compose.s3.tokenfile.yml`],
      [123, `${base}+compose.auth.openid.yml`],
      [134, `${base}+compose.auth.orcid.yml`],
      [139, `${base}+compose.auth.oauth.yml`],
      [149, `${base}+compose.auth.github.yml`],
      [163, `${base}+compose.ghost.yml`],
      [172, `${base}+compose.otel.yml`],
      [179, `${base}+compose.webpush.yml`],
      [184, `${base}+compose.github.yml`],
      [187, `${base}+compose.akismet.yml`],
      [190, `${base}+compose.mapbox.yml`],
    ]);
    expect(byKind(v, 'compose-file').every((x) => x.source?.commented)).toBe(true);
  });

  it('COMPOSE_FILE lines that repeat a base/overlay view are deduplicated onto it', () => {
    expect(v.views.filter((x) => x.name === 'compose.yml')).toHaveLength(1);
    expect(v.views.find((x) => x.name === 'compose.yml')?.source).toEqual({ line: 21, column: 1, commented: false });
    expect(v.views.find((x) => x.name === 'compose.yml+compose.postgres.yml')).toMatchObject({ kind: 'overlay', source: { line: 26 } });
    expect(v.composeFileLines).toHaveLength(19);
  });

  it('finds the nested tune overlay through the exists callback', () => {
    expect(v.views.every((x) => x.missingFiles.length === 0)).toBe(true);
  });

  it('environments: abra sees active values only; deploy views add commented values, abra.sh and STACK_NAME', () => {
    expect(v.abraEnv.lookup('DOMAIN')).toBe('bonfire.example.com');
    expect(v.abraEnv.lookup('APP_VERSION')).toBeUndefined();
    expect(v.abraEnv.lookup('APP_ENTRYPOINT_VERSION')).toBeUndefined();
    expect(v.abraEnv.lookup('STACK_NAME')).toBeUndefined();
    expect(v.abraEnv.lookup('COMPOSE_FILE')).toBe('compose.yml:compose.postgres.yml');

    const env = v.deployEnv;
    expect(env.lookup('APP_VERSION')).toBe('latest');
    expect(env.bindings.get('APP_VERSION')).toMatchObject({ origin: 'env-sample-commented', line: 8 });
    expect(env.lookup('APP_ENTRYPOINT_VERSION')).toBe('v4');
    expect(env.bindings.get('APP_ENTRYPOINT_VERSION')).toMatchObject({ origin: 'abra-sh', file: 'abra.sh', line: 1 });
    expect(env.lookup('STACK_NAME')).toBe('example_com');
    expect(env.lookup('OAUTH_ISSUER')).toBe('https://bonfire.example.com');
    expect(env.lookup('COMPOSE_FILE')).toBe('compose.yml:compose.postgres.yml'); // the active line wins
    expect(v.views[0].env).toBe(v.abraEnv);
    expect(v.views.slice(1).every((x) => x.env === env)).toBe(true);
  });
});

describe('views of the chain fixture', () => {
  const v = viewsOfDir(join(FIXTURES, 'chain-recipe'));

  it('abra globs compose*yml (compose-legacy.yml yes, .yaml no), byte order', () => {
    expect(v.views[0].files).toEqual(['compose-legacy.yml', 'compose.oidc.yml', 'compose.postgres.yml', 'compose.smtp.yml', 'compose.yml', 'compose.zulip.yml']);
  });

  it('overlays include .yaml files but not compose-legacy.yml', () => {
    expect(v.overlays).toEqual(['compose.extra.yaml', 'compose.oidc.yml', 'compose.postgres.yml', 'compose.smtp.yml', 'compose.zulip.yml']);
    expect(byKind(v, 'overlay').map((x) => x.name)).toContain('compose.yml+compose.extra.yaml');
  });

  it('expands the chain, a commented line, a paragraph of commented lines, and reports a missing file', () => {
    expect(byKind(v, 'compose-file').map((x) => [x.name, x.source?.line, x.missingFiles])).toEqual([
      ['compose.yml+compose.postgres.yml+compose.smtp.yml', 8, []],
      ['compose.yml+compose.postgres.yml+compose.smtp.yml+compose.oidc.yml', 13, []],
      ['compose.yml+compose.ldap.yml', 16, ['compose.ldap.yml']],
    ]);
    expect(v.composeFileLines.map((l) => [l.line, l.commented, l.missingFiles])).toEqual([
      [4, false, []],
      [5, false, []],
      [8, true, []],
      [12, true, []],
      [13, true, []],
      [16, true, ['compose.ldap.yml']],
    ]);
  });

  it('takes abra.sh top-level exports only', () => {
    expect(v.deployEnv.lookup('APP_ENTRYPOINT_VERSION')).toBe('v2');
    expect(v.deployEnv.lookup('NOT_TOP_LEVEL')).toBeUndefined();
  });

  it('uses the given STACK_NAME placeholder', () => {
    expect(viewsOfDir(join(FIXTURES, 'chain-recipe'), { stackName: 'chain_example_com' }).deployEnv.lookup('STACK_NAME')).toBe('chain_example_com');
  });
});

describe('computeViews edge cases', () => {
  const env = (text: string) => parseEnvFile(text);

  it('a recipe without .env.sample or abra.sh still has abra and base views', () => {
    const v = computeViews({ files: ['compose.yml'] }, undefined, undefined);
    expect(v.views.map((x) => x.name)).toEqual(['abra', 'compose.yml']);
    expect(v.composeFileLines).toEqual([]);
    expect(v.deployEnv.lookup('STACK_NAME')).toBe('example_com');
  });

  it('marks a missing compose.yml instead of failing', () => {
    const v = computeViews({ files: ['compose.smtp.yml'] }, undefined, undefined);
    expect(v.views.find((x) => x.kind === 'base')?.missingFiles).toEqual(['compose.yml']);
  });

  it('normalises ./ entries, counts empty segments, keeps written order and duplicates', () => {
    const v = computeViews(
      { files: ['compose.yml', 'compose.a.yml'] },
      env('COMPOSE_FILE="$COMPOSE_FILE:./compose.a.yml"\n#COMPOSE_FILE="compose.a.yml::compose.yml"\n'),
      undefined,
    );
    expect(v.composeFileLines.map((l) => [l.files, l.emptySegments])).toEqual([
      [['compose.a.yml'], 1],
      [['compose.a.yml', 'compose.yml'], 1],
    ]);
    expect(byKind(v, 'compose-file').map((x) => x.name)).toEqual(['compose.a.yml', 'compose.a.yml+compose.yml']);
  });

  it('does not look outside the recipe', () => {
    const v = computeViews({ files: ['compose.yml'], exists: () => true }, env('COMPOSE_FILE=compose.yml:../other/compose.yml\n'), undefined);
    expect(v.composeFileLines[0].missingFiles).toEqual(['../other/compose.yml']);
  });

  it('an empty COMPOSE_FILE makes no view', () => {
    const v = computeViews({ files: ['compose.yml'] }, env('COMPOSE_FILE=\n'), undefined);
    expect(byKind(v, 'compose-file')).toEqual([]);
    expect(v.composeFileLines[0].files).toEqual([]);
  });

  it('caps the number of views and says so', () => {
    const files = ['compose.yml', ...Array.from({ length: 300 }, (_, i) => `compose.o${i}.yml`)];
    const v = computeViews({ files }, undefined, undefined, { maxViews: 100 });
    expect(v.views).toHaveLength(100);
    expect(v.capped).toEqual({ limit: 100, dropped: 202 });
    expect(computeViews({ files: ['compose.yml'] }, undefined, undefined).capped).toBeUndefined();
  });

  it('stays bounded for a huge generated .env.sample', () => {
    const lines = ['COMPOSE_FILE=compose.yml'];
    for (let i = 0; i < 20_000; i++) lines.push(`#COMPOSE_FILE="$COMPOSE_FILE:compose.o${i}.yml"`, '');
    const started = Date.now();
    const v = computeViews({ files: ['compose.yml'] }, env(lines.join('\n')), undefined);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(v.views).toHaveLength(256);
    expect(v.capped?.dropped).toBe(20_000 - 254);
  });
});

describe('corpus recipes', () => {
  it('traefik: every commented COMPOSE_FILE names compose.yml plus one overlay', () => {
    const v = viewsOfDir(join(CORPUS, 'traefik'));
    expect(byKind(v, 'compose-file')).toEqual([]);
    expect(byKind(v, 'overlay').every((x) => x.source?.commented)).toBe(true);
  });

  it('llamenos: indented commented examples count, the multi-overlay one makes a view', () => {
    const v = viewsOfDir(join(CORPUS, 'llamenos'));
    expect(byKind(v, 'compose-file').map((x) => x.name)).toEqual(['compose.yml+compose.transcription.yml+compose.signal.yml']);
  });

  it('docs.coopcloud.tech: no .env.sample, no abra.sh', () => {
    const v = viewsOfDir(join(CORPUS, 'docs.coopcloud.tech'));
    expect(v.views.map((x) => x.name)).toEqual(['abra', 'compose.yml']);
    expect(v.abraEnv.bindings.size).toBe(0);
  });
});

describe('composeOnlyVersion: a version docker stack refuses', () => {
  it.each([
    ["version: '2'\n", '2'],
    ['version: "2.4"\nservices: {}\n', '2.4'],
    ['# dev\nversion: 2\n', '2'],
    ['version: 1.0 # old\n', '1.0'],
    ['services: {}\nversion: "2.1"\r\n', '2.1'],
  ])('%j declares %s', (text, version) => {
    expect(composeOnlyVersion(text)).toBe(version);
  });

  it.each([
    'version: "3.8"\n',
    'version: "3"\n',
    'services:\n  app:\n    image: x\n',
    'services:\n  app:\n    version: "2"\n',
    'x-version: "2"\n',
    'version: "20"\n',
    'version: ${V}\n',
  ])('%j declares none', (text) => {
    expect(composeOnlyVersion(text)).toBeUndefined();
  });
});
