// ajv decides whether a file is valid; the gojsonschema replay decides docker's wording. They
// must agree on validity, or a file could pass one and fail the other.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ajvValidator } from '../../src/schema/ajv.js';
import { DOCKER_FORMATS } from '../../src/schema/formats.js';
import { GoJsonSchema } from '../../src/schema/gojsonschema.js';
import type { JsonLike } from '../../src/schema/gojsonschema.js';
import { loadSchema } from '../../src/schema/schemas.js';
import { SUPPORTED_VERSIONS, validateFile } from '../../src/schema/index.js';

const BASE: JsonLike = {
  version: '3.8',
  services: {
    web: {
      image: 'nginx',
      command: ['a', 'b'],
      environment: { A: '1', B: null },
      labels: ['a=b'],
      ports: ['80:80', 8080, { target: 80, published: 8080, protocol: 'tcp', mode: 'host' }],
      volumes: ['/a:/b', { type: 'bind', source: '/x', target: '/y', read_only: true, bind: { propagation: 'rprivate' } }],
      deploy: {
        replicas: 2,
        labels: { x: 'y' },
        resources: { limits: { cpus: '0.5', memory: '50M' } },
        update_config: { parallelism: 1, delay: '10s', order: 'start-first', max_failure_ratio: 0.5 },
        restart_policy: { condition: 'on-failure', max_attempts: 3, window: '1m' },
        placement: { constraints: ['node.role==manager'], preferences: [{ spread: 'node.id' }] },
      },
      healthcheck: { test: ['CMD', 'true'], interval: '30s', retries: 3 },
      networks: { front: { aliases: ['w'] }, back: null },
      secrets: ['s1', { source: 's2', target: 't', mode: 256 }],
      ulimits: { nofile: { soft: 1, hard: 2 }, nproc: 10 },
      logging: { driver: 'json-file', options: { 'max-size': '10m' } },
      build: { context: '.', args: { X: 1 } },
      stop_grace_period: '5s',
      cap_add: ['NET_ADMIN'],
    },
    db: { image: 'postgres', environment: ['A=1'], depends_on: ['web'] },
  },
  networks: { front: { driver: 'overlay', attachable: true, ipam: { config: [{ subnet: '10.0.0.0/24' }] } }, back: { external: true } },
  volumes: { data: { driver: 'local', driver_opts: { o: 'bind' } } },
  secrets: { s1: { file: './s' }, s2: { external: true } },
  configs: { c1: { file: './c' } },
};

const JUNK: JsonLike[] = [null, 1, 1.5, -1, 0, 70000, 'str', '10x', '80:80', '1m', 'start-first', true, [], ['x'], ['a', 'a'], [1], [null], {}, { zz: 1 }, { 'bad key': 1 }, { type: 'bind' }];

function paths(v: JsonLike, p: Array<string | number> = []): Array<Array<string | number>> {
  const out = [p];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...p, i])));
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) out.push(...paths(v[k], [...p, k]));
  return out;
}

function mutate(doc: JsonLike, at: Array<string | number>, junk: JsonLike, addKey: boolean): JsonLike {
  const copy = structuredClone(doc) as Record<string | number, JsonLike>;
  if (at.length === 0) return copy;
  let parent: Record<string | number, JsonLike> = copy;
  for (const seg of at.slice(0, -1)) parent = parent[seg] as Record<string | number, JsonLike>;
  const last = at[at.length - 1];
  if (addKey && !Array.isArray(parent)) parent[`zz_${String(last)}`] = junk;
  else parent[last] = junk;
  return copy;
}

const allPaths = paths(BASE).filter((p) => p.length > 0 && p[0] !== 'version');

describe('ajv and the gojsonschema replay agree', () => {
  it('on the base document for every version', () => {
    for (const version of SUPPORTED_VERSIONS) {
      const doc = { ...(BASE as object), version } as JsonLike;
      const ajvValid = ajvValidator(version)(doc);
      const goValid = new GoJsonSchema(loadSchema(version), DOCKER_FORMATS).validate(doc).length === 0;
      expect([version, ajvValid]).toEqual([version, goValid]);
    }
  });

  it('on random mutations', () => {
    const versions = ['3.0', '3.3', '3.4', '3.7', '3.8', '3.13'];
    fc.assert(
      fc.property(
        fc.constantFrom(...versions),
        fc.array(fc.tuple(fc.constantFrom(...allPaths), fc.constantFrom(...JUNK), fc.boolean()), { minLength: 1, maxLength: 3 }),
        (version, edits) => {
          let doc = { ...(BASE as object), version } as JsonLike;
          for (const [at, junk, addKey] of edits) {
            try {
              doc = mutate(doc, at, junk, addKey);
            } catch {
              // the path vanished under an earlier edit
            }
          }
          const ajvValid = ajvValidator(version)(doc);
          const goErrors = new GoJsonSchema(loadSchema(version), DOCKER_FORMATS).validate(doc);
          expect(ajvValid).toBe(goErrors.length === 0);
          const r = validateFile(doc as never, version);
          expect(r.violations.length === 0).toBe(ajvValid);
          expect(r.dockerMessage === undefined).toBe(ajvValid);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('compiles each validator once', () => {
    expect(ajvValidator('3.8')).toBe(ajvValidator('3.8'));
  });
});
