// docker CLI 28.2.2 template semantics. Expected values come from the golden cases
// (../shared/golden/stack-config/cases/NN-*) and from running the CLI on the same input.
import { describe, expect, it } from 'vitest';
import { interpolateString } from '../../src/interpolate/index.js';

const ENV: Record<string, string> = { SET: 'value', EMPTY: '', REG: 'registry.local', INNER: 'inner', OUTER: 'outer', B: 'b', VAR: 'value' };
const lookup = (name: string) => (Object.hasOwn(ENV, name) ? ENV[name] : undefined);
const value = (t: string) => interpolateString(t, lookup).value;
const error = (t: string, dockerPath = 'services.web.environment.X') => interpolateString(t, lookup, { dockerPath }).error?.dockerMessage;

describe('plain lookups [50]', () => {
  it.each([
    ['${SET}', 'value'],
    ['$SET', 'value'],
    ['$SET.suffix', 'value.suffix'],
    ['${UNSET}', ''],
    ['pre-$UNSET-post', 'pre-post'], // `$UNSET-post` is `${UNSET-post}`: the default "post"
    ['x${EMPTY}x', 'xx'],
    ['${set}', ''], // lookup is case-sensitive
    ['${_lower_1}', ''],
  ])('%s -> %s', (t, expected) => expect(value(t)).toBe(expected));

  it('never reports unset variables as errors', () => {
    expect(interpolateString('${NOPE} $NOPE', lookup).error).toBeUndefined();
  });

  it('leaves text without $ alone', () => {
    expect(interpolateString('plain {text} with } and {', lookup)).toEqual({ value: 'plain {text} with } and {', uses: [] });
  });
});

describe('defaults [51]', () => {
  it.each([
    ['${UNSET:-dflt}', 'dflt'],
    ['${EMPTY:-dflt}', 'dflt'],
    ['${SET:-dflt}', 'value'],
    ['${UNSET-dflt}', 'dflt'],
    ['${EMPTY-dflt}', ''],
    ['${SET-dflt}', 'value'],
    ['${UNSET:-a b c}', 'a b c'],
    ['${UNSET:-host:8080}', 'host:8080'],
    ['${UNSET:-}', ''],
    ['${UNSET:-$$5}', '$$5'], // the default is literal: `$$` is not unescaped
  ])('%s -> %s', (t, expected) => expect(value(t)).toBe(expected));
});

describe('required [52]', () => {
  it('reports an unset :? variable with its message', () => {
    expect(error('${REGISTRY:?REGISTRY must be set}/app', 'services.web.image')).toBe(
      'invalid interpolation format for services.web.image: "required variable REGISTRY is missing a value: REGISTRY must be set"; you may need to escape any $ with another $',
    );
  });
  it('accepts an empty variable for ? [52b]', () => {
    expect(value('[${EMPTY?must exist}]')).toBe('[]');
  });
  it('reports an unset ? variable with an empty message [52c]', () => {
    expect(error('${NOPE?}')).toBe(
      'invalid interpolation format for services.web.environment.X: "required variable NOPE is missing a value: "; you may need to escape any $ with another $',
    );
  });
  it('rejects an empty :? variable [52e]', () => {
    expect(interpolateString('${EMPTY:?must be nonempty}', lookup).error?.template).toBe(
      'required variable EMPTY is missing a value: must be nonempty',
    );
  });
  it('reads a "-" in the message as a hard default, checked before "?" [52d]', () => {
    expect(value('${MISSING:?must be set - see README}')).toBe(' see README');
    expect(value('${EMPTY:?non-empty required}')).toBe('empty required');
    expect(value('${SET:?non-empty required}')).toBe('empty required');
    expect(value('${MISSING?use a:-b}')).toBe('b');
    const use = interpolateString('${SET:?non-empty required}', lookup).uses[0];
    expect(use).toMatchObject({ variable: 'SET:?non', operator: '-', argument: 'empty required', set: false });
  });
  it('passes a set variable through', () => {
    expect(value('${SET:?x}')).toBe('value');
    expect(value('${SET?x}')).toBe('value');
  });
});

describe('escapes [53]', () => {
  it('turns $$ into $ and does not look further', () => {
    expect(value("sh -c 'echo $$HOME and $${VAR} and $$$$ and $$$VAR'")).toBe("sh -c 'echo $HOME and ${VAR} and $$ and $value'");
    expect(value('admin:$$apr1$$xyz$$abc')).toBe('admin:$apr1$xyz$abc');
  });
});

describe('no nesting [54], no :+ [57b]', () => {
  it('cuts a default at the first }', () => {
    expect(value('${NOPE:-${INNER}}')).toBe('${INNER}');
    expect(value('${OUTER:-${INNER}}')).toBe('outer}');
    expect(value('${NOPE:-${NOPE2:-deep}}')).toBe('${NOPE2:-deep}');
  });
  it('rejects ${X:+alt} quoting the whole value', () => {
    expect(error('${SET:+alt}', 'services.web.environment.ALT')).toBe(
      'invalid interpolation format for services.web.environment.ALT: "${SET:+alt}"; you may need to escape any $ with another $',
    );
  });
});

describe('unbraced form swallows the rest [55]', () => {
  it.each([
    ['$REG-suffix/app:1', 'registry.local'],
    ['$NOPE-fallback/app:1', 'fallback/app:1'],
    ['$NOPE:-fallback', 'fallback'],
    ['$REG?x', 'registry.local'],
    ['${REG}-suffix/app:1', 'registry.local-suffix/app:1'],
    ['$NOPE-a}b', 'a}b'], // stops before the first }, which stays literal
    ['$NOPE:x', ':x'], // `:` not followed by - or ? ends the name
  ])('%s -> %s', (t, expected) => expect(value(t)).toBe(expected));

  it('records the swallowed text as the argument', () => {
    expect(interpolateString('$REG-suffix/app', lookup).uses[0]).toEqual({
      variable: 'REG',
      start: 0,
      end: 15,
      form: 'unbraced',
      operator: '-',
      argument: 'suffix/app',
      set: true,
    });
  });
});

describe('error state follows the last substitution [56, 57d]', () => {
  it('a later success hides an earlier required error', () => {
    const r = interpolateString('${MUST:?missing} then ${OTHER}', lookup);
    expect(r.error).toBeUndefined();
    expect(r.value).toBe(' then ');
    expect(value('${MUST:?missing}${OTHER:-x}')).toBe('x');
  });
  it('an error in the last substitution is kept [56b]', () => {
    expect(error('${OTHER} then ${MUST:?missing}', 'services.web.environment.FAILS')).toBe(
      'invalid interpolation format for services.web.environment.FAILS: "required variable MUST is missing a value: missing"; you may need to escape any $ with another $',
    );
  });
  it('an invalid $ vanishes when a later reference succeeds', () => {
    const r = interpolateString('$1 ${B}', lookup);
    expect(r.value).toBe('1 b');
    expect(r.error).toBeUndefined();
    expect(value('${} $B')).toBe('{} b');
  });
  it('a later $$ does not clear the error', () => {
    expect(interpolateString('$1 $$', lookup).error?.kind).toBe('invalid-format');
  });
});

describe('invalid $ [57]', () => {
  it.each([
    ['echo $1', 'services.web.command', '"echo $1"'],
    ['5$', 'services.web.environment.PRICE', '"5$"'],
    ['${FOO', 'services.web.environment.A', '"${FOO"'],
    ['${FOO bar}', 'x', '"${FOO bar}"'],
    ['a "quoted" \\ value\t$', 'x', '"a \\"quoted\\" \\\\ value\\t$"'],
  ])('%j at %s', (t, path, quoted) => {
    expect(error(t, path)).toBe(`invalid interpolation format for ${path}: ${quoted}; you may need to escape any $ with another $`);
  });
});

describe('names', () => {
  it('matches names case-insensitively like Go (?i), including ſ and K', () => {
    const r = interpolateString('$\u017f-$\u212a', (n) => (n === '\u017f' ? 'long' : undefined));
    expect(r.value).toBe('long');
  });
  it('gives offsets of every reference', () => {
    const r = interpolateString('a${SET}b$B', lookup);
    expect(r.uses.map((u) => [u.variable, u.start, u.end, u.form])).toEqual([
      ['SET', 1, 7, 'braced'],
      ['B', 8, 10, 'unbraced'],
    ]);
  });
});
