// The port of yaml.v3's scanner and parser (src/load/go-yaml-syntax.ts): the message docker prints for a file
// it cannot parse (each expectation below is docker CLI 28.2.2's answer to that file), where `lint` points,
// and the files docker reads although they look broken.
import { describe, expect, it } from 'vitest';
import { findGoYamlSyntaxError, scanGoYaml } from '../../src/load/go-yaml-syntax.js';
import { loadYamlText } from '../../src/load/yaml.js';

const HEAD = 'version: "3.8"\nservices:\n  app:\n';
const DASH_TAB = 'yaml: line 6: found character that cannot start any token';

describe('yaml.v3 syntax errors, worded and placed as docker prints them', () => {
  it.each([
    ['a tab as indentation', `${HEAD}\timage: x\n`, 'yaml: line 4: found character that cannot start any token'],
    ['an unclosed double quote', `${HEAD}    image: "x\n`, 'yaml: line 4: found unexpected end of stream'],
    ['an unclosed flow sequence', `${HEAD}    image: x\n    labels: [a, b\n`, "yaml: line 4: did not find expected ',' or ']'"],
    ['an unknown escape', `${HEAD}    image: "\\q"\n`, 'yaml: line 4: found unknown escape character'],
    ['a key indented less than its siblings (the line of the mapping before)', `${HEAD}    image: x\n   ports: []\n`, 'yaml: line 2: did not find expected key'],
    ['": " inside a plain value', `${HEAD}    image: x: y\n`, 'yaml: line 4: mapping values are not allowed in this context'],
    ['a key among sequence entries', `${HEAD}    image: x\n    environment:\n      - A=1\n      B: 2\n`, "yaml: line 5: did not find expected '-' indicator"],
    ['an alias without its anchor', `${HEAD}    image: *nope\n`, "yaml: unknown anchor 'nope' referenced"],
    ['a key starting with @', `${HEAD}    image: x\n  @bad: 1\n`, 'yaml: line 5: found character that cannot start any token'],
    ['a less indented key after a block scalar', `${HEAD}    image: |\n      a\n    b: 1\n   c: 2\n`, 'yaml: line 2: did not find expected key'],
    ['a sequence entry after a top-level key (problem line 0-based)', 'key: value\n- item\n', 'yaml: line 1: did not find expected key'],
    ['a document marker inside a quoted scalar', `${HEAD}    image: 'x\n---\n`, 'yaml: line 4: found unexpected document indicator'],
    ['a flow sequence left open before the next key', `${HEAD}    image: x\n    command: ["a", "b"\n    ports: []\n`, "yaml: line 4: did not find expected ',' or ']'"],
    ['an unclosed flow mapping on line 2', 'version: "3.8"\nservices: {app: {image: x}, app2: {image: y}\n', "yaml: line 1: did not find expected ',' or '}'"],
    ['a sequence entry indented one less', `${HEAD}    image: x\n    labels:\n      - a\n     - b\n`, 'yaml: line 3: did not find expected key'],
    ['an unquoted {placeholder} image', `${HEAD}    image: {user}/{repo}:{tag}\n`, 'yaml: line 3: did not find expected key'],
    ['a NUL byte', `${HEAD}    image: x\u0000\n`, 'yaml: control characters are not allowed'],
  ])('%s', (_, text, docker) => {
    expect(findGoYamlSyntaxError(text)?.dockerMessage).toBe(docker);
    const loaded = loadYamlText(text, 'compose.yml');
    expect(loaded.data).toBeUndefined();
    expect(loaded.errors[0].dockerMessage).toBe(docker);
  });

  it('lint points at the offending token, and quotes docker\'s line', () => {
    const loaded = loadYamlText(`${HEAD}    image: x\n   ports: []\n`, 'compose.yml');
    expect(loaded.errors[0].range?.start.line).toBe(5);
    expect(loaded.errors[0].message).toContain('(docker: "yaml: line 2: did not find expected key")');
  });

  it('a tab after a value or before a line comment is no error, a tab after `- ` at a line start is', () => {
    expect(findGoYamlSyntaxError(`${HEAD}    image: x\t# pinned\n`)).toBeUndefined();
    expect(findGoYamlSyntaxError(`${HEAD}    image:\t\n`)).toBeUndefined(); // docker: services.app.image must be a string
    expect(findGoYamlSyntaxError(`${HEAD}    image: x\n    command:\n      -\tsh\n`)?.dockerMessage).toBe(DASH_TAB);
  });
});

describe('files docker reads although they look broken', () => {
  it('reads only the first document when a less indented line ends it (docker: services {})', () => {
    const text = ' version: "3.8"\nservices:\n  app:\n    image: alpine\n';
    expect(scanGoYaml(text)).toEqual({ firstDocumentEnd: text.indexOf('services') });
    const loaded = loadYamlText(text, 'compose.yml');
    expect(loaded.errors).toEqual([]);
    expect(loaded.data).toEqual({ version: '3.8' });
  });

  it('a %TAG line after content ends the first document', () => {
    const loaded = loadYamlText('version: "3.8"\n%TAG ! tag:x\n', 'compose.yml');
    expect(loaded.errors).toEqual([]);
    expect(loaded.data).toEqual({ version: '3.8' });
  });

  it('an unknown !!tag and a flow mapping key without a value', () => {
    const loaded = loadYamlText(`${HEAD}    image: !!foo x\n    labels: {a: 1, b}\n`, 'compose.yml');
    expect(loaded.errors).toEqual([]);
    expect(loaded.data).toEqual({ version: '3.8', services: { app: { image: 'x', labels: { a: 1, b: null } } } });
  });
});
