import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadYamlText, resolvePlainScalar } from '../../src/load/yaml.js';
import { NonStringKeyMap } from '../../src/load/types.js';

describe('plain scalars resolve like yaml.v3 into interface{}', () => {
  it.each([
    ['yes', 'yes'], ['on', 'on'], ['No', 'No'], ['true', true], ['FALSE', false],
    ['~', null], ['null', null], ['', null],
    ['010', 8], ['0o10', 8], ['0x1F', 31], ['0b101', 5], ['1_000', 1000], ['-12', -12],
    ['1e3', 1000], ['2.50', 2.5], ['.5', 0.5], ['.inf', Infinity],
    ['2001-12-14', '2001-12-14'], ['1.2.3', '1.2.3'], ['089', 89], ['3.8', 3.8],
    ['1e400', '1e400'], ['-1e400', '-1e400'], ['.5_0', 0.5], // beyond float64 ParseFloat fails: a string
  ])('%j → %j', (text, expected) => {
    expect(resolvePlainScalar(text)).toEqual(expected);
  });

  it('keeps integers beyond 2^53 exact as bigint, up to uint64', () => {
    expect(resolvePlainScalar('12345678901234567890')).toBe(12345678901234567890n);
    expect(resolvePlainScalar('99999999999999999999')).toBe(1e20); // beyond uint64: a float
  });
});

describe('loadYamlText', () => {
  it('decodes quoted scalars as strings and keeps positions of keys and values', () => {
    const doc = loadYamlText('version: "3.8"\nservices:\n  web:\n    image: nginx\n    user: "1000"\n', 'a.yml');
    expect(doc.errors).toEqual([]);
    expect(doc.data).toEqual({ version: '3.8', services: { web: { image: 'nginx', user: '1000' } } });
    expect(doc.locateKey(['services', 'web'])?.start).toMatchObject({ line: 3, column: 3 });
    expect(doc.locate(['services', 'web', 'image'])?.start).toMatchObject({ line: 4, column: 12 });
  });

  it('applies merge keys: explicit keys win, the first merged map wins over later ones', () => {
    const doc = loadYamlText('a: &a {x: 1, y: 1}\nb: &b {x: 2, z: 2}\nc:\n  <<: [*a, *b]\n  y: 3\n', 'f.yml');
    expect((doc.data as any).c).toEqual({ x: 1, y: 3, z: 2 });
    expect(doc.locate(['c', 'x'])?.start.line).toBe(1);
  });

  it('reports every duplicate key with both lines, worded as docker does', () => {
    const doc = loadYamlText('services:\n  web:\n    image: a\n    image: b\n  api:\n    image: a\n    image: b\n    image: c\n', 'f.yml');
    expect(doc.data).toBeUndefined();
    expect(doc.errors[0].kind).toBe('duplicate-key');
    expect(doc.errors[0].dockerMessage).toBe(
      'yaml: unmarshal errors:\n  line 4: mapping key "image" already defined at line 3\n' +
        '  line 7: mapping key "image" already defined at line 6\n  line 8: mapping key "image" already defined at line 6\n' +
        '  line 8: mapping key "image" already defined at line 7',
    );
    expect(doc.errors[0].range?.start.line).toBe(4);
  });

  it('does not look inside a mapping whose own keys repeat (yaml.v3 stops there)', () => {
    const doc = loadYamlText('services:\n  web:\n    image: a\n    image: b\n  web: {}\n', 'f.yml');
    expect(doc.errors[0].dockerMessage).toBe('yaml: unmarshal errors:\n  line 5: mapping key "web" already defined at line 2');
  });

  it('refuses an alias to an anchor that is not in this file', () => {
    const doc = loadYamlText('services:\n  web:\n    <<: *defaults\n', 'b.yml');
    expect(doc.errors[0]).toMatchObject({ kind: 'unknown-anchor', dockerMessage: "yaml: unknown anchor 'defaults' referenced" });
    expect(doc.errors[0].range?.start.line).toBe(3);
  });

  it('keeps a mapping with a non-string key for the schema stage to refuse', () => {
    const doc = loadYamlText('services:\n  web:\n    environment:\n      1: x\n', 'f.yml');
    expect((doc.data as any).services.web.environment).toBeInstanceOf(NonStringKeyMap);
  });

  it.each([
    ['', 'empty file'], ['# only a comment\n', 'comments only'], ['- a\n- b\n', 'a list'], ['just text\n', 'a scalar'],
  ])('refuses a top level that is not a mapping (%s)', (text) => {
    const doc = loadYamlText(text, 'f.yml');
    expect(doc.errors[0]).toMatchObject({ kind: 'not-a-mapping', dockerMessage: 'top-level object must be a mapping' });
  });

  it('stops an alias bomb by its expansion budget, quickly', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const started = Date.now();
    const doc = loadYamlText(lines.join('\n') + '\n', 'bomb.yml');
    expect(doc.errors[0]).toMatchObject({ kind: 'limit', dockerMessage: 'yaml: document contains excessive aliasing' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses very deep nesting with a limit error instead of overflowing the stack', () => {
    const depth = 5000;
    const doc = loadYamlText('a: ' + '['.repeat(depth) + ']'.repeat(depth) + '\n', 'deep.yml');
    expect(doc.errors[0].kind).toBe('limit');
  });

  it('reports a syntax error with its line', () => {
    const doc = loadYamlText('services:\n  web:\n\timage: x\n', 'f.yml');
    expect(doc.errors[0].kind).toBe('yaml-syntax');
    expect(doc.errors[0].range?.start.line).toBe(3);
  });

  it('reads only the first document of a stream, like docker', () => {
    const doc = loadYamlText('a: 1\n---\nb: 2\n', 'f.yml');
    expect(doc.data).toEqual({ a: 1 });
  });

  it('handles CRLF line ends and a BOM', () => {
    const doc = loadYamlText('\ufeffversion: "3.8"\r\nservices: {}\r\n', 'f.yml');
    expect(doc.data).toEqual({ version: '3.8', services: {} });
  });

  it('collects comments with their lines, not # inside quotes', () => {
    const doc = loadYamlText('# top\na: "x # not"\nb: 1 # trailing\n', 'f.yml');
    expect(doc.comments().map((c) => [c.line, c.text])).toEqual([[1, ' top'], [3, ' trailing']]);
  });

  it('a key __proto__ is data, not a prototype', () => {
    const doc = loadYamlText('__proto__: {polluted: true}\n', 'f.yml');
    expect(Object.keys(doc.data as object)).toEqual(['__proto__']);
    expect(({} as any).polluted).toBeUndefined();
  });

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => {
      const doc = loadYamlText(text, 'f.yml');
      return doc.data !== undefined || doc.errors.length > 0;
    }), { numRuns: 500 });
  });
});
