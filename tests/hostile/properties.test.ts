// Arbitrary input through load, interpolate, validate, normalise and merge: nothing throws (every stage
// returns its problems as data), an empty overlay merges to the file itself, and text without `$` does
// not change under interpolation.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadYamlText } from '../../src/load/yaml.js';
import { NonStringKeyMap } from '../../src/load/types.js';
import type { YamlValue } from '../../src/load/types.js';
import { interpolateConfig, interpolateString } from '../../src/interpolate/index.js';
import { mergeNormalised, normaliseFile } from '../../src/merge/index.js';
import { loadStack } from '../../src/pipeline/stack.js';
import { context } from '../merge/helpers.js';

const LOAD_ERROR_KINDS = ['yaml-syntax', 'duplicate-key', 'unknown-anchor', 'not-a-mapping', 'read-error', 'limit'];

const key = fc.oneof(
  fc.constantFrom('version', 'services', 'app', 'db', 'image', 'ports', 'environment', 'deploy', 'labels', 'volumes', 'networks', 'configs', 'secrets', 'file', 'env_file', 'healthcheck', 'command', 'replicas', 'resources', 'limits', 'memory', 'x-a', '<<', ''),
  fc.string({ maxLength: 6 }),
);
const scalar: fc.Arbitrary<YamlValue> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('${A}', '$$', '${A:-x}', '${A:?}', '$', '${', '8080:80', '3.8', '10s', '128M', 'nginx:1.25', './x.env', '../../etc/passwd', 'true', '~'),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.boolean(),
  fc.constant(null),
);
const { value: yamlValue } = fc.letrec<{ value: YamlValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }) as fc.Arbitrary<YamlValue>,
    fc.array(fc.tuple(fc.oneof(fc.integer(), fc.boolean(), fc.constant(null)), tie('value')), { minLength: 1, maxLength: 2 }).map((entries) => new NonStringKeyMap(entries) as unknown as YamlValue),
  ),
}));
/** Compose-shaped: a mapping with services of arbitrary content. */
const composeLike = fc.record({
  version: fc.constantFrom('3.8', '3', '3.13', '2', 3.8),
  services: fc.dictionary(fc.constantFrom('app', 'db', 'web'), yamlValue, { maxKeys: 3 }),
  networks: yamlValue,
  volumes: yamlValue,
  configs: yamlValue,
  secrets: yamlValue,
}, { requiredKeys: ['services'] }) as fc.Arbitrary<{ [key: string]: YamlValue }>;

const yamlChars = fc.constantFrom(...'abc: -[]{},&*!|>\'"#%@`?\n\n  \t\r\u00a0\ufeff$0.~<='.split(''));
const yamlishText = fc.array(yamlChars, { maxLength: 120 }).map((cs) => cs.join(''));
const lookup = (name: string) => (name === 'A' ? 'a' : undefined);

function plainText(v: YamlValue): string {
  // stringify has no NonStringKeyMap or bigint: write those as the text a user would.
  return stringify(v, (_k, x) => (x instanceof NonStringKeyMap ? Object.fromEntries(x.entries.map(([k, val]) => [String(k), val])) : typeof x === 'bigint' ? Number(x) : x));
}

describe('load', () => {
  it('never throws on arbitrary text, and reports problems as typed errors', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), yamlishText), (text) => {
        const doc = loadYamlText(text, 'compose.yml');
        for (const e of doc.errors) expect(LOAD_ERROR_KINDS).toContain(e.kind);
        expect(doc.data === undefined).toBe(doc.errors.length > 0);
        doc.locate(['services', 'app']);
        doc.locateKey(['services', 'app', 0]);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads back any YAML-shaped value it is given as text', () => {
    fc.assert(
      fc.property(composeLike, (data) => {
        const doc = loadYamlText(plainText(data), 'compose.yml');
        for (const e of doc.errors) expect(LOAD_ERROR_KINDS).toContain(e.kind);
      }),
      { numRuns: 500 },
    );
  });
});

describe('interpolate', () => {
  it('a string without $ is the identity', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('$')), (s) => {
        expect(interpolateString(s, lookup).value).toBe(s);
      }),
    );
  });

  it('never throws on arbitrary YAML-shaped values, and leaves $-free data as it was', () => {
    fc.assert(
      fc.property(yamlValue, (data) => {
        const r = interpolateConfig(data, lookup);
        if (!plainText(data).includes('$') && r.errors.length === 0) expect(r.data).toEqual(data);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('normalise and merge', () => {
  it('never throw on arbitrary compose-shaped data; merge(x, empty) = normalise(x)', () => {
    fc.assert(
      fc.property(composeLike, (data) => {
        const x = normaliseFile(data, 'a.yml', context());
        if (x.error !== undefined) {
          expect(typeof x.error).toBe('string');
          return;
        }
        const empty = normaliseFile({ version: '3.8', services: {} }, 'b.yml', context());
        const merged = mergeNormalised([x, empty]);
        if (merged.error === undefined) expect(merged.config).toEqual(x.config);
      }),
      { numRuns: 500 },
    );
  });

  it('a mapping without a prototype (as the YAML loader decodes one) where a number or size belongs is an error, not a throw', () => {
    const mapping = () => Object.create(null) as { [key: string]: YamlValue };
    // Found by the property above (seed 1649819104): `replicas: {}` decoded without a prototype.
    const cases: YamlValue[] = [{ replicas: mapping() }, { resources: { limits: { memory: mapping() } } }];
    for (const deploy of cases) {
      const r = normaliseFile({ version: '3.8', services: { app: { image: 'nginx', deploy } } }, 'a.yml', context());
      expect(typeof r.error === 'string' || r.config !== undefined).toBe(true);
    }
  });

  it('the whole per-file pipeline never throws', () => {
    fc.assert(
      fc.property(fc.array(composeLike, { minLength: 1, maxLength: 3 }), (datas) => {
        const docs = datas.map((d, i) => loadYamlText(plainText(d), `f${i}.yml`, { absPath: `/recipe/f${i}.yml` }));
        const r = loadStack(docs, { lookup, workingDir: '/recipe', readEnvFile: () => ({ ok: false, message: 'open x: no such file or directory' }) });
        if (r.failure) expect(typeof r.failure.message).toBe('string');
      }),
      { numRuns: 300 },
    );
  });
});
