// Properties of the merge over random files: an empty overlay changes nothing but docker's documented
// normalisations, every merged value has an origin that exists in its raw file, inputs stay untouched.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Path, YamlValue } from '../../src/load/types.js';
import { mergeNormalised, normaliseFile } from '../../src/merge/index.js';
import type { ConfigObject, ConfigValue, NormalisedFile } from '../../src/merge/index.js';
import { context, deepFreeze } from './helpers.js';

const word = fc.constantFrom('a', 'b', 'web', 'x y', '', '1', 'yes');
const key = fc.constantFrom('A', 'B', 'C', 'a.b');
const duration = fc.constantFrom('0s', '10s', '90s', '500ms');
const keyValues = fc.oneof(
  fc.dictionary(key, fc.oneof(word, fc.integer({ min: 0, max: 9 }), fc.constant(null)), { maxKeys: 3 }),
  fc.uniqueArray(fc.tuple(key, fc.option(word)).map(([k, v]) => (v === null ? k : `${k}=${v}`)), { maxLength: 3 }),
);
const port = fc.oneof(
  fc.constantFrom('80', '8080:80', '53:53/udp', '53:53/tcp', '8000-8001:8000-8001', '443', 9090),
  fc.record({ target: fc.constantFrom(80, 443), published: fc.constantFrom(0, 80, 8080) }, { requiredKeys: ['target'] }),
);
const volume = fc.oneof(
  fc.constantFrom('data:/data', './conf:/etc/conf:ro', '/srv:/srv', '/anon', 'other:/data'),
  fc.record({ type: fc.constant('volume'), source: fc.constantFrom('data', 'other'), target: fc.constantFrom('/data', '/x') }),
);
const ref = fc.oneof(fc.constantFrom('s1', 's2'), fc.record({ source: fc.constantFrom('s1', 's2'), target: fc.constantFrom('t1', 't2') }, { requiredKeys: ['source'] }));

const service: fc.Arbitrary<Record<string, YamlValue>> = fc.record(
  {
    image: word,
    user: word,
    read_only: fc.boolean(),
    init: fc.boolean(),
    stop_grace_period: duration,
    command: fc.oneof(word, fc.array(word, { maxLength: 3 })),
    environment: keyValues,
    labels: keyValues,
    ports: fc.uniqueArray(port, { maxLength: 4, selector: (p) => JSON.stringify(p) }),
    volumes: fc.uniqueArray(volume, { maxLength: 3, selector: (v) => JSON.stringify(v) }),
    secrets: fc.uniqueArray(ref, { maxLength: 3, selector: (v) => JSON.stringify(v) }),
    dns: fc.oneof(word, fc.array(word, { maxLength: 2 })),
    networks: fc.oneof(
      fc.uniqueArray(fc.constantFrom('front', 'back'), { maxLength: 2 }),
      fc.dictionary(fc.constantFrom('front', 'back'), fc.option(fc.record({ aliases: fc.array(word, { maxLength: 2 }) }))),
    ),
    deploy: fc.record({ replicas: fc.nat(3), labels: keyValues, restart_policy: fc.record({ delay: duration }) }, { requiredKeys: [] }),
    healthcheck: fc.record({ test: fc.oneof(word, fc.array(word, { maxLength: 2 })), interval: duration, retries: fc.nat(3) }, { requiredKeys: [] }),
    logging: fc.record({ driver: fc.constantFrom('json-file', 'syslog'), options: fc.dictionary(key, word, { maxKeys: 2 }) }, { requiredKeys: [] }),
    ulimits: fc.dictionary(fc.constantFrom('nofile', 'nproc'), fc.oneof(fc.nat(9), fc.record({ soft: fc.nat(9), hard: fc.nat(9) }))),
    'x-meta': fc.oneof(word, fc.dictionary(key, word, { maxKeys: 2 })),
  },
  { requiredKeys: [] },
) as fc.Arbitrary<Record<string, YamlValue>>;

const definitions = fc.dictionary(
  fc.constantFrom('front', 'back', 'data'),
  fc.option(fc.oneof(fc.record({ external: fc.constant(true) }), fc.record({ driver: fc.constantFrom('overlay', 'local') }))),
  { maxKeys: 2 },
);

const composeFile = fc.record(
  {
    version: fc.constant('3.8'),
    services: fc.dictionary(fc.constantFrom('web', 'api', 'db'), service, { maxKeys: 3 }),
    networks: definitions,
    volumes: definitions,
    'x-top': word,
  },
  { requiredKeys: ['version', 'services'] },
) as fc.Arbitrary<{ [key: string]: YamlValue }>;

function load(data: YamlValue, file: string): NormalisedFile {
  return normaliseFile(data, file, context({ A: 'from-cli' }));
}

/** docker's transformers on a service a later file mentions: keyed lists collapse (last wins) and sort. */
function collapseKeyedLists(service: ConfigObject): ConfigObject {
  const out: ConfigObject = { ...service };
  const keys: Record<string, (e: ConfigObject) => string | number> = {
    ports: (e) => Number(e.published ?? 0),
    volumes: (e) => String(e.target ?? ''),
    secrets: (e) => String(e.source ?? ''),
    configs: (e) => String(e.source ?? ''),
  };
  for (const [field, keyOf] of Object.entries(keys)) {
    const list = service[field] as ConfigObject[] | undefined;
    if (!list) continue;
    const byKey = new Map(list.map((e) => [keyOf(e), e]));
    out[field] = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  }
  return out;
}

function rawValueAt(data: YamlValue, path: Path): YamlValue | undefined {
  let v: YamlValue | undefined = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = Array.isArray(v) ? v[seg as number] : (v as Record<string, YamlValue>)[seg as string];
  }
  return v;
}

function leafPaths(value: ConfigValue, path: Path = []): Path[] {
  if (value === null || typeof value !== 'object') return [path];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  if (entries.length === 0) return [path];
  return entries.flatMap(([k, v]) => leafPaths(v as ConfigValue, [...path, k]));
}

describe('merge properties', () => {
  it('an overlay without services changes nothing', () => {
    fc.assert(
      fc.property(composeFile, (data) => {
        const base = load(data, 'a.yml');
        fc.pre(!base.error);
        const merged = mergeNormalised([base, load({ version: '3.8', services: {} }, 'b.yml')]);
        expect(merged.config).toEqual(base.config);
      }),
      { numRuns: 150 },
    );
  });

  it('an overlay naming every service with {} only collapses and sorts the keyed lists', () => {
    fc.assert(
      fc.property(composeFile, (data) => {
        const base = load(data, 'a.yml');
        fc.pre(!base.error);
        const names = Object.keys(base.config.services);
        const overlay = load({ version: '3.8', services: Object.fromEntries(names.map((n) => [n, {}])) }, 'b.yml');
        const merged = mergeNormalised([base, overlay]);
        const expected = Object.fromEntries(names.map((n) => [n, collapseKeyedLists(base.config.services[n])]));
        expect(merged.config.services).toEqual(expected);
        expect(merged.dropped.filter((d) => d.what === 'empty-not-cleared')).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('every merged value has an origin that exists in its raw file, and inputs stay untouched', () => {
    fc.assert(
      fc.property(fc.array(composeFile, { minLength: 1, maxLength: 3 }), (datas) => {
        const raws = new Map(datas.map((d, i) => [`f${i}.yml`, d]));
        const files = [...raws].map(([name, d]) => deepFreeze(load(d, name)));
        fc.pre(files.every((f) => !f.error));
        const merged = mergeNormalised(files);
        fc.pre(!merged.error);
        for (const path of leafPaths(merged.config as unknown as ConfigValue)) {
          if (path[0] === 'version') continue; // defaulted when a file has none
          const origin = merged.origin(path);
          expect(origin, path.join('.')).toBeDefined();
          expect(rawValueAt(raws.get(origin!.file)!, origin!.path), `${path.join('.')} -> ${origin!.file}:${origin!.path.join('.')}`).not.toBeUndefined();
        }
      }),
      { numRuns: 150 },
    );
  });
});
