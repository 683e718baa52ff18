// The compose-subset fast path must be invisible: for every text it accepts, the data, the positions of every
// key and value and the comments are what the full loader gives. Checked on every YAML file in the repository
// and on many mutations of them (which mostly leave the subset, or become errors the fast path must refuse).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LOAD_LIMITS, loadYamlText, loadYamlTextFully } from '../../src/load/yaml.js';
import { parseYamlSubset } from '../../src/load/yaml-subset.js';
import { scanGoYaml } from '../../src/load/go-yaml-syntax.js';
import { corpusComposeFiles, mutationsOf } from './syntax-mutations.js';
import { NonStringKeyMap } from '../../src/load/types.js';
import type { FileDoc, Path, YamlValue } from '../../src/load/types.js';

const REPO = resolve(__dirname, '../..');

function yamlFilesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFilesUnder(path, out);
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

const FILES = [...yamlFilesUnder(join(REPO, 'fixtures')), ...yamlFilesUnder(join(REPO, 'tests'))].sort();
const TEXTS = FILES.map((f) => readFileSync(f, 'utf8'));

/** Data as a string that tells apart what toEqual does not: key order, bigint, -0, NaN, non-string keys. */
function canonical(value: YamlValue | undefined): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') return `bigint:${v}`;
    if (typeof v === 'number' && !Number.isFinite(v)) return `number:${v}`;
    if (Object.is(v, -0)) return 'number:-0';
    if (v instanceof NonStringKeyMap) return { nonStringKeyMap: v.entries };
    return v;
  });
}

/** Every path into the data (keys of mappings, indexes of sequences), at most `limit` of them. */
function pathsOf(value: YamlValue, limit = 4000): Path[] {
  const out: Path[] = [[]];
  const walk = (v: YamlValue, path: Path) => {
    if (out.length >= limit || v === null || typeof v !== 'object' || v instanceof NonStringKeyMap) return;
    const entries: Array<[string | number, YamlValue]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    for (const [k, child] of entries) {
      const p = [...path, k];
      out.push(p);
      walk(child, p);
    }
  };
  walk(value, []);
  // Paths that lead nowhere must agree too.
  out.push(['services', 'no-such-service'], ['services', 0], ['x-missing', 'a', 'b']);
  return out;
}

/**
 * The fast path's document against the full loader's: same data, same ranges everywhere, same comments; and
 * text yaml.v3 reads as one document (the loader skips the syntax scan for it).
 */
function expectSameDocument(text: string): boolean {
  const subset = parseYamlSubset(text, LOAD_LIMITS);
  const full = loadYamlTextFully(text, 'f.yml');
  if (!subset) return false;
  expect(scanGoYaml(text), text).toEqual({});
  expect(full.errors, text).toEqual([]);
  expect(canonical(subset.data), text).toBe(canonical(full.data));
  const fast: FileDoc = loadYamlText(text, 'f.yml');
  for (const path of pathsOf(full.data!)) {
    expect(fast.locate(path), `${JSON.stringify(path)} in\n${text}`).toEqual(full.locate(path));
    expect(fast.locateKey(path), `key ${JSON.stringify(path)} in\n${text}`).toEqual(full.locateKey(path));
  }
  expect(fast.comments()).toEqual(full.comments());
  return true;
}

describe('the compose-subset fast path of the YAML loader', () => {
  it('gives what the full loader gives for every YAML file in the repository', () => {
    let fast = 0;
    for (const text of TEXTS) if (expectSameDocument(text)) fast++;
    // Most real compose files are in the subset; if this drops, the fast path has stopped being used.
    expect(FILES.length).toBeGreaterThan(150);
    expect(fast / FILES.length).toBeGreaterThan(0.8);
  });

  it('takes the fast path for the example recipe', () => {
    const dir = join(REPO, 'fixtures/example-recipe');
    for (const name of readdirSync(dir).filter((n) => /^compose.*\.yml$/.test(n))) {
      expect(parseYamlSubset(readFileSync(join(dir, name), 'utf8'), LOAD_LIMITS), name).toBeDefined();
    }
  });

  it.each([
    ['plain, quoted and empty values', 'a: 1\nb: "x\\ty"\nc: \'it\'\'s\'\nd:\ne:   # note\nf: ~\n'],
    ['anchors, aliases and merge keys', 'x: &base\n  image: a\n  deploy: &d {}\ny:\n  <<: *base\n  image: b\nz:\n  <<:\n    - *base\n  d: *d\n'],
    ['sequences at the key indentation and compact mappings', 'a:\n- 1\n- k: v\n  k2:\n    - x\nb: [p, "q", r,]\nc: []\n'],
    ['block scalars', 'a: |\n  one\n   two\n\n  three\nb: >-\n  folded\n  line\n\n  para\nc: |+\n  kept\n\nd: x\n'],
    ['block scalars after empty lines', 'a: |\n\n  after one\nb: >\n\n\n  after two\n  folded\n'],
    ['a document start and comments everywhere', '# top\n---\n# before\nservices:  # trailing\n  # inside\n  web:\n    image: nginx # image\n'],
    ['keys with colons, dollars and dots', 'labels:\n  traefik.http.routers.${STACK_NAME}.rule: Host(`${DOMAIN}`)\n  a:b: c\n  "quoted key": 1\n'],
  ])('agrees with the full loader on %s', (_name, text) => {
    expect(expectSameDocument(text)).toBe(true);
  });

  it.each([
    ['a tab', 'a:\tb\n'],
    ['a carriage return', 'a: b\r\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a multi-line plain scalar', 'a: one\n  two\n'],
    ['a multi-line quoted scalar', 'a: "one\n  two"\n'],
    ['a flow mapping', 'a: {b: c}\n'],
    ['a second document', 'a: 1\n---\nb: 2\n'],
    ['a top-level sequence', '- a\n'],
    ['a key that is not a string', '1: a\n'],
    ['an unknown alias', 'a: *nope\n'],
    ['a nested value on the key line', 'a: b: c\n'],
    ['bad indentation', 'a:\n    b: 1\n  c: 2\n'],
    ['an explicit key', '? a\n: b\n'],
    ['an alias inside its own anchor', 'a: &x\n  b: *x\n'],
  ])('leaves %s to the full loader', (_name, text) => {
    expect(parseYamlSubset(text, LOAD_LIMITS)).toBeUndefined();
  });

  // The `yaml` package reads these; yaml.v3 (docker) does not, so they must take the syntax scan.
  it.each([
    ['an anchor name with a dot', 'a: &x.y 1\nb: *x.y\n', 'did not find expected alphabetic or numeric character'],
    ['an anchor name with a letter outside ASCII', 'a: &\u00e9 1\nb: *\u00e9\n', 'did not find expected alphabetic or numeric character'],
    ['an anchor name with a slash', 'a: &x/y 1\n', 'did not find expected alphabetic or numeric character'],
    ['a double-quoted key of 1,100 characters', `"${'k'.repeat(1100)}": 1\n`, 'mapping values are not allowed in this context'],
    ['a single-quoted key of 1,100 characters', `'${'k'.repeat(1100)}': 1\n`, 'mapping values are not allowed in this context'],
    ['a lone surrogate in a quoted value', 'a: "\ud800"\n', 'control characters are not allowed'],
    ['a lone surrogate in a plain value', 'a: x\udc00\n', 'control characters are not allowed'],
  ])('leaves %s to the syntax scan', (_name, text, goError) => {
    expect(parseYamlSubset(text, LOAD_LIMITS)).toBeUndefined();
    expect(scanGoYaml(text).error?.dockerMessage).toContain(goError);
    expect(loadYamlText(text, 'compose.yml').errors[0]?.dockerMessage).toContain(goError);
  });

  it('reads nothing docker refuses: every corpus file and mutation it takes, docker read as YAML', () => {
    interface Recording {
      messages: string[];
      files: Array<{ name: string; answers: Array<[string, number, number]> }>;
    }
    const recording = JSON.parse(gunzipSync(readFileSync(new URL('./docker-syntax.recording.json.gz', import.meta.url))).toString('utf8')) as Recording;
    const corpus = corpusComposeFiles();
    let accepted = 0;
    corpus.forEach((file, f) => {
      const mutations = mutationsOf(file.text);
      expect(recording.files[f].name).toBe(file.name);
      recording.files[f].answers.forEach(([id, , messageIndex], i) => {
        const text = mutations[i].text;
        if (!parseYamlSubset(text, LOAD_LIMITS)) return;
        accepted++;
        expect(recording.messages[messageIndex].startsWith('yaml:'), `${file.name} ${id}`).toBe(false);
        expect(scanGoYaml(text), `${file.name} ${id}`).toEqual({});
      });
    });
    // Most mutations leave the subset or break the file, but many do not: the check above really ran.
    expect(accepted).toBeGreaterThan(5000);
  }, 120_000);

  it('refuses nesting beyond the depth limit instead of overflowing', () => {
    let text = '';
    for (let i = 0; i < 400; i++) text += `${' '.repeat(i)}k:\n`;
    expect(parseYamlSubset(text + `${' '.repeat(400)}v: 1\n`, LOAD_LIMITS)).toBeUndefined();
  });

  it('stays linear on long lines without a colon', () => {
    const text = `a:\n${'  - item\n'.repeat(50_000)}`;
    const doc = parseYamlSubset(text, LOAD_LIMITS);
    expect((doc?.data.a as unknown[]).length).toBe(50_000);
  });

  it('agrees with the full loader on mutated files, or leaves them to it', () => {
    const significant = [' ', '  ', '\n', ':', ': ', '- ', '#', ' #', '"', "'", '&a ', '*a', '|', '>', '[', ']', '{', '}', ',', '<<: ', '---\n', '\\', '\t', '~', '0x1', '!'];
    const sources = TEXTS.filter((t) => t.length < 4000);
    const mutation = fc.record({
      source: fc.nat(sources.length - 1),
      edits: fc.array(
        fc.record({ at: fc.nat(), kind: fc.constantFrom('insert', 'delete', 'indent', 'dedent', 'duplicate-line'), piece: fc.constantFrom(...significant) }),
        { minLength: 1, maxLength: 3 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ source, edits }) => {
        let text = sources[source];
        for (const edit of edits) {
          const at = edit.at % (text.length + 1);
          const lineStart = text.lastIndexOf('\n', at - 1) + 1;
          const lineEnd = text.indexOf('\n', at) < 0 ? text.length : text.indexOf('\n', at) + 1;
          if (edit.kind === 'insert') text = text.slice(0, at) + edit.piece + text.slice(at);
          else if (edit.kind === 'delete') text = text.slice(0, at) + text.slice(at + edit.piece.length);
          else if (edit.kind === 'indent') text = text.slice(0, lineStart) + ' ' + text.slice(lineStart);
          else if (edit.kind === 'dedent') text = text[lineStart] === ' ' ? text.slice(0, lineStart) + text.slice(lineStart + 1) : text;
          else text = text.slice(0, lineEnd) + text.slice(lineStart, lineEnd) + text.slice(lineEnd);
        }
        expectSameDocument(text);
      }),
      { numRuns: 3000, seed: 8 },
    );
  });

  it('agrees with the full loader on generated compose-like documents', () => {
    const word = fc.constantFrom('app', 'db', 'image', 'traefik.http.routers.${STACK_NAME}.rule', 'a:b', 'x-env', 'KEY', '__proto__', 'on', 'yes', '3.8', 'ports');
    const plain = fc.constantFrom('nginx:1.27', 'true', 'False', '~', 'null', '0x1F', '010', '1_000', '-12', '.5', '.inf', '1e3', '2001-12-14', 'http://app:3000/x', '${DOMAIN}', 'Host(`${DOMAIN}`)', 'a#b', 'it is', '-c max', '"inner" quotes', '12345678901234567890', '[]', '{}');
    const quoted = fc.constantFrom('"a\\tb"', '"x: y"', "'it''s'", '"#not comment"', '"\\u00e9\\x41"', "''", '""', '"3000:3000"');
    const comment = fc.constantFrom('', ' # note', '  #c');
    const indentUnit = fc.constantFrom(2, 4);
    type Gen = (indent: number, depth: number) => fc.Arbitrary<string[]>;
    const scalarLine: fc.Arbitrary<string> = fc.oneof(plain, quoted, fc.constantFrom('[a, "b", c]', '[]', '{}', '*base'));
    const block: fc.Arbitrary<string> = fc.tuple(fc.constantFrom('|', '>', '|-', '>-', '|+'), fc.array(fc.constantFrom('line one', '  more', '', 'two words'), { minLength: 1, maxLength: 4 })).map(
      ([h, lines]) => [h, ...lines.map((l) => (l === '' ? '' : `@@${l}`))].join('\n'),
    );
    const mapping: Gen = (indent, depth) =>
      fc.array(
        fc.tuple(word, fc.oneof({ weight: 4, arbitrary: scalarLine.map((v) => ({ kind: 'inline' as const, v })) }, { weight: depth < 3 ? 2 : 0, arbitrary: fc.constant({ kind: 'nested' as const, v: '' }) }, { weight: 1, arbitrary: block.map((v) => ({ kind: 'block' as const, v })) }), comment, indentUnit, fc.boolean()),
        { minLength: 1, maxLength: 4 },
      ).chain((entries) => {
        const unique = entries.filter((e, i) => entries.findIndex((f) => f[0] === e[0]) === i);
        return fc.tuple(...unique.map(([key, value, c, unit, seq]) => {
          const pad = ' '.repeat(indent);
          if (value.kind === 'inline') return fc.constant([`${pad}${key}: ${value.v}${c}`]);
          if (value.kind === 'block') return fc.constant([`${pad}${key}: ${value.v.split('\n')[0]}`, ...value.v.split('\n').slice(1).map((l) => (l === '' ? '' : l.replace('@@', ' '.repeat(indent + unit))))]);
          const inner = indent + unit;
          if (seq) {
            const dash = ' '.repeat(indent + (unit === 4 ? 2 : 0));
            const item = fc.oneof(scalarLine.map((it) => [`${dash}- ${it}`]), fc.tuple(word, scalarLine, word, scalarLine).map(([k1, v1, k2, v2]) => (k1 === k2 ? [`${dash}- ${k1}: ${v1}`] : [`${dash}- ${k1}: ${v1}`, `${dash}  ${k2}: ${v2}`])));
            return fc.array(item, { minLength: 1, maxLength: 3 }).map((items) => [`${pad}${key}:${c}`, ...items.flat()]);
          }
          return mapping(inner, depth + 1).map((lines) => [`${pad}${key}:${c}`, ...lines]);
        }));
      }).map((groups) => groups.flat());
    const documents = fc.tuple(fc.boolean(), mapping(0, 0), fc.boolean(), fc.array(fc.tuple(fc.nat(), fc.nat(6)), { maxLength: 3 }), fc.boolean()).map(([start, lines, anchor, comments, finalBreak]) => {
      const head = anchor ? ['x-base: &base', '  image: a', '  deploy: {}', 'x-merged:', '  <<: *base', '  image: b'] : ['x-base: &base 1'];
      const body = [...head, ...lines];
      // Comment lines at any indentation between any two lines.
      for (const [at, indent] of comments) body.splice(at % (body.length + 1), 0, `${' '.repeat(indent)}# between`);
      return [...(start ? ['# header', '---'] : []), ...body].join('\n') + (finalBreak ? '\n' : '');
    });
    let accepted = 0;
    fc.assert(
      fc.property(documents, (text) => {
        if (expectSameDocument(text)) accepted++;
      }),
      { numRuns: 1500, seed: 5 },
    );
    // Generated documents are mostly in the subset: the comparison above really ran.
    expect(accepted).toBeGreaterThan(700);
  });
});
