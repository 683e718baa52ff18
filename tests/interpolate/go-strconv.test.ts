// Go's strconv behaviour; expected values checked against docker CLI 28.2.2 casts.
import { describe, expect, it } from 'vitest';
import { goAtoi, goParseFloat, goQuote } from '../../src/interpolate/index.js';

describe('goQuote (strconv.Quote)', () => {
  it.each([
    ['plain', '"plain"'],
    ['a"b\\c', '"a\\"b\\\\c"'],
    ['\n\t\r\u0007\u0008\u000c\u000b', '"\\n\\t\\r\\a\\b\\f\\v"'],
    ['\u0001\u007f', '"\\x01\\x7f"'],
    ['\u00a0\u200b', '"\\u00a0\\u200b"'],
    ['héllo 日本 😀', '"héllo 日本 😀"'],
    ['\u{e0001}', '"\\U000e0001"'],
    ['\ud800', '"\\xed\\xa0\\x80"'],
  ])('%j', (input, expected) => expect(goQuote(input)).toBe(expected));
});

describe('goAtoi', () => {
  it.each([
    ['0', 0],
    ['+5', 5],
    ['-0', 0],
    ['007', 7],
    ['-42', -42],
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
    ['0000000000000000000001', 1],
  ])('%s -> %s', (input, expected) => expect(goAtoi(input)).toEqual({ ok: true, value: expected }));

  it.each([
    ['', 'invalid syntax'],
    ['+', 'invalid syntax'],
    ['1_000', 'invalid syntax'],
    ['１', 'invalid syntax'],
    ['9223372036854775808', 'value out of range'],
    ['-9223372036854775809', 'value out of range'],
    ['x99999999999999999999', 'invalid syntax'],
    ['99999999999999999999x', 'value out of range'],
  ])('%j fails: %s', (input, why) => {
    expect(goAtoi(input)).toEqual({ ok: false, error: `strconv.Atoi: parsing ${goQuote(input)}: ${why}` });
  });
});

describe('goParseFloat', () => {
  it.each([
    ['0.5', 0.5],
    ['.5', 0.5],
    ['1.', 1],
    ['-1e3', -1000],
    ['1_000.5', 1000.5],
    ['0x1p-2', 0.25],
    ['0x1.8p1', 3],
    ['1e-400', 0],
    ['inf', Infinity],
    ['-Infinity', -Infinity],
    ['+INF', Infinity],
  ])('%s -> %s', (input, expected) => expect(goParseFloat(input)).toEqual({ ok: true, value: expected }));

  it('accepts nan', () => {
    const r = goParseFloat('NaN');
    expect(r.ok && Number.isNaN(r.value)).toBe(true);
  });

  it.each([
    ['', 'invalid syntax'],
    ['1e', 'invalid syntax'],
    ['1__0', 'invalid syntax'],
    ['_1', 'invalid syntax'],
    ['-nan', 'invalid syntax'],
    ['infinit', 'invalid syntax'],
    ['0x10', 'invalid syntax'],
    ['1e400', 'value out of range'],
    ['-1e400', 'value out of range'],
  ])('%j fails: %s', (input, why) => {
    expect(goParseFloat(input)).toEqual({ ok: false, error: `strconv.ParseFloat: parsing ${goQuote(input)}: ${why}` });
  });
});
