// Printing like `docker stack config` (yaml.v3, indent 2), and the --provenance comments.
import { describe, expect, it } from 'vitest';
import { loadYamlText } from '../../src/load/yaml.js';
import { mergeNormalised, normaliseFile } from '../../src/merge/index.js';
import type { ComposeConfig } from '../../src/merge/index.js';
import { printDockerYaml } from '../../src/report/docker-yaml.js';
import { compareYamlKeys, scalarStyle } from '../../src/report/docker-yaml-scalar.js';
import { context } from '../merge/helpers.js';

const print = (config: Partial<ComposeConfig>) => printDockerYaml({ config: { version: '3.8', services: {}, ...config } as ComposeConfig });

describe('scalar styles (yaml.v3)', () => {
  it.each([
    ['nginx', 'plain'],
    ['1000', 'double'], // would read back as an int
    ['3.8', 'double'],
    ['yes', 'double'], // YAML 1.1 booleans stay quoted
    ['n', 'double'],
    ['', 'double'],
    ['~', 'double'],
    ['null', 'double'],
    ['nULL', 'plain'],
    ['2024-01-01', 'double'], // a timestamp
    ['2024-13-01', 'plain'], // not a date
    ['10:30', 'double'], // base-60 float
    ['8080:80', 'plain'],
    ['[]', 'single'],
    ['{} b', 'single'],
    [' lead', 'single'],
    ['trail ', 'single'],
    ['a: b', 'single'],
    ['a #b', 'single'],
    ['a#b', 'plain'],
    ['-dash', 'plain'],
    ['- dash', 'single'],
    ['@at', 'single'],
    ['tab\tx', 'double'],
    ['emoji😀', 'double'],
    ['é', 'plain'],
    ['multi\nline', 'literal'],
    ['trailing space \nx', 'double'],
    ['<<', 'plain'],
    ['.5', 'double'],
    ['.', 'plain'],
  ])('%j is %s', (s, style) => {
    expect(scalarStyle(s, false)).toBe(style);
  });
});

describe('map key order (yaml.v3 keyList)', () => {
  it('compares runs of digits as numbers and puts letters after other runes', () => {
    const keys = ['web10', 'web9', 'Web', 'a_b', 'ab', 'x', '_x', '~', '0x1F', '1e3', '1_000', 'F10', 'F2'];
    expect([...keys].sort(compareYamlKeys)).toEqual(['_x', '~', '0x1F', '1e3', '1_000', 'F2', 'F10', 'Web', 'a_b', 'ab', 'web9', 'web10', 'x']);
  });
});

describe('layout', () => {
  it('prints docker struct order, sorted services, omitted zeros and quoted numbers', () => {
    expect(
      print({
        services: {
          web: { image: 'nginx', user: '1000', deploy: { replicas: 0, resources: { limits: { memory: 268435456 } } }, command: ['a', '80'] },
          api: {},
        },
      }),
    ).toBe(
      [
        'version: "3.8"',
        'services:',
        '  api: {}',
        '  web:',
        '    command:',
        '      - a',
        '      - "80"',
        '    deploy:',
        '      replicas: 0',
        '      resources:',
        '        limits:',
        '          memory: "268435456"',
        '    image: nginx',
        '    user: "1000"',
        '',
      ].join('\n'),
    );
  });

  it('prints null top-level definitions as {}, null service networks as null, and ulimits as docker does', () => {
    expect(
      print({
        services: { web: { networks: { n: null }, ulimits: { core: 0, nofile: { soft: 0, hard: 2 }, nproc: 5 } } },
        networks: { n: {} },
      }),
    ).toBe(
      [
        'version: "3.8"',
        'services:',
        '  web:',
        '    networks:',
        '      "n": null',
        '    ulimits:',
        '      core: {}',
        '      nofile:',
        '        hard: 2',
        '      nproc: 5',
        'networks:',
        '  "n": {}',
        '',
      ].join('\n'),
    );
  });

  it('prints literal blocks, nested sequences and x- values', () => {
    expect(
      print({
        services: { web: { environment: { LEAD: ' a\nb', KEEP: 'a\n\n', S: 'x\ny\n' } } },
        'x-a': [[1, 2], [], {}, { b: [1.5, 1e20, -0, true, null] }],
      }),
    ).toBe(
      [
        'version: "3.8"',
        'services:',
        '  web:',
        '    environment:',
        '      KEEP: |+',
        '        a',
        '',
        '      LEAD: |2-',
        '         a',
        '        b',
        '      S: |',
        '        x',
        '        y',
        'x-a:',
        '  - - 1',
        '    - 2',
        '  - []',
        '  - {}',
        '  - b:',
        '      - 1.5',
        '      - 1e+20',
        '      - -0',
        '      - true',
        '      - null',
        '',
      ].join('\n'),
    );
  });

  it('writes long or multi-line keys as complex keys', () => {
    const long = 'k'.repeat(130);
    expect(print({ services: { web: { labels: { [long]: 'v', 'a\nb': 'v' } } } })).toContain(`      ? |-\n        a\n        b\n      : v\n      ? ${long}\n      : v\n`);
  });

  it('prints float32 fields with float32 digits', () => {
    expect(print({ services: { web: { deploy: { update_config: { max_failure_ratio: Math.fround(0.1) } } } } })).toContain('max_failure_ratio: 0.1\n');
  });
});

describe('--provenance', () => {
  it('appends the origin file:line of each line, and what it replaced', () => {
    const texts = ['version: "3.8"\nservices:\n  web:\n    image: nginx:1\n    user: app\n', 'version: "3.8"\nservices:\n  web:\n    image: nginx:2\n'];
    const docs = new Map(texts.map((t, i) => [`f${i}.yml`, loadYamlText(t, `f${i}.yml`)]));
    const merged = mergeNormalised([...docs.values()].map((d) => normaliseFile(d.data!, d.file, context(), d)));
    expect(printDockerYaml(merged, { provenance: true, docs })).toBe(
      [
        'version: "3.8"  # f0.yml:1',
        'services:  # f1.yml:2',
        '  web:  # f1.yml:3',
        '    image: nginx:2  # f1.yml:4  # replaced f0.yml:4',
        '    user: app  # f0.yml:5',
        '',
      ].join('\n'),
    );
  });
});
