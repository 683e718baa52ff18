// The base file and overlays of a plain swarm stack, and views given exactly (`lint -c`, `lint FILE`).
import { describe, expect, it } from 'vitest';
import { computeViews, findBaseFile, overlaysOf } from '../../src/views/views.js';

describe('findBaseFile', () => {
  it('prefers compose.yml, then docker\'s and the community\'s names in order', () => {
    expect(findBaseFile(['stack.yml', 'compose.yml', 'docker-compose.yml'])).toBe('compose.yml');
    expect(findBaseFile(['stack.yml', 'docker-compose.yaml', 'docker-stack.yml'])).toBe('docker-compose.yaml');
    expect(findBaseFile(['stack.yml', 'docker-stack.yml'])).toBe('docker-stack.yml');
    expect(findBaseFile(['stack.yaml'])).toBe('stack.yaml');
  });
  it('finds none among other names', () => {
    expect(findBaseFile(['app.yml', 'docker-compose.prod.yml', 'compose.override.yml'])).toBeUndefined();
  });
});

describe('overlaysOf', () => {
  it('takes files named after the base, .yml or .yaml', () => {
    const names = ['docker-compose.yml', 'docker-compose.prod.yml', 'docker-compose.swarm.yaml', 'docker-compose.yml.bak', 'compose.x.yml', 'docker-compose-dev.yml', 'docker-compose..yml'];
    expect(overlaysOf('docker-compose.yml', names)).toEqual(['docker-compose.prod.yml', 'docker-compose.swarm.yaml']);
  });
});

describe('computeViews for plain stacks and exact views', () => {
  const listing = { files: ['docker-stack.yml', 'docker-stack.prod.yml', 'compose.other.yml'] };
  it('a plain stack: no abra view; the base alone and with each overlay named after it', () => {
    const v = computeViews(listing, undefined, undefined, { baseFile: 'docker-stack.yml', plain: true });
    expect(v.views.map((x) => x.name)).toEqual(['docker-stack.yml', 'docker-stack.yml+docker-stack.prod.yml']);
  });
  it('a recipe keeps its abra view', () => {
    const v = computeViews({ files: ['compose.yml', 'compose.x.yml'] }, undefined, undefined, {});
    expect(v.views.map((x) => x.name)).toEqual(['abra', 'compose.yml', 'compose.yml+compose.x.yml']);
  });
  it('exact views: only those, in the order given, missing files noted', () => {
    const v = computeViews(listing, undefined, undefined, { explicit: [['docker-stack.prod.yml', 'docker-stack.yml'], ['nope.yml']] });
    expect(v.views.map((x) => [x.name, x.missingFiles])).toEqual([
      ['docker-stack.prod.yml+docker-stack.yml', []],
      ['nope.yml', ['nope.yml']],
    ]);
  });
});
