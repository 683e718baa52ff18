import { describe, expect, it } from 'vitest';
import {
  formatGoDuration,
  goClean,
  goFormatFloat,
  goJoin,
  goSprint,
  parseGoDuration,
  ramInBytes,
  shlexSplit,
} from '../../src/merge/go.js';

describe("Go's float formatting (%v, strconv 'g' shortest)", () => {
  it.each([
    [2.5, '2.5'],
    [1000, '1000'],
    [100000, '100000'],
    [1e6, '1e+06'],
    [1.5e-7, '1.5e-07'],
    [0.000012345, '1.2345e-05'],
    [0.1, '0.1'],
    [123456789, '1.23456789e+08'],
    [12345678.9, '1.23456789e+07'],
    [1e21, '1e+21'],
    [-0, '-0'],
  ])('%d -> %s', (value, text) => {
    expect(goFormatFloat(value)).toBe(text);
  });

  it('formats float32 values with their own shortest digits', () => {
    expect(goFormatFloat(0.1, 32)).toBe('0.1');
    expect(goFormatFloat(Math.fround(0.3), 32)).toBe('0.3');
  });

  it('prints integers as ints unless the YAML spelled a float', () => {
    expect(goSprint(1000000)).toBe('1000000');
    expect(goSprint(1000000, true)).toBe('1e+06');
    expect(goSprint(12345678901234567890n)).toBe('12345678901234567890');
    expect(goSprint(1e20)).toBe('1e+20'); // beyond 2^53 only a float can be a JS number
    expect(goSprint(null)).toBe('<nil>');
  });
});

describe('time.Duration', () => {
  it.each([
    ['10s', '10s'],
    ['1m', '1m0s'],
    ['90m', '1h30m0s'],
    ['1.5h', '1h30m0s'],
    ['500ms', '500ms'],
    ['0.5s', '500ms'],
    ['1us', '1µs'],
    ['100ns', '100ns'],
    ['1h1m1.5s', '1h1m1.5s'],
    ['0', '0s'],
    ['-1.5s', '-1.5s'],
  ])('%s prints as %s', (text, printed) => {
    const parsed = parseGoDuration(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(formatGoDuration(parsed.value)).toBe(printed);
  });

  it("rejects what Go rejects, with Go's message", () => {
    expect(parseGoDuration('1d')).toEqual({ ok: false, error: 'time: unknown unit "d" in duration "1d"' });
    expect(parseGoDuration('10')).toEqual({ ok: false, error: 'time: missing unit in duration "10"' });
    expect(parseGoDuration('')).toEqual({ ok: false, error: 'time: invalid duration ""' });
  });
});

describe('paths', () => {
  it('cleans and joins like Go', () => {
    expect(goClean('/a/b/../c/./')).toBe('/a/c');
    expect(goClean('../x/..')).toBe('..');
    expect(goJoin('/stack', './conf')).toBe('/stack/conf');
    expect(goJoin('/stack/sub', '../up/')).toBe('/stack/up');
    expect(goJoin('/stack', '')).toBe('/stack');
  });
});

describe('go-units RAMInBytes', () => {
  it.each([
    ['256M', 268435456],
    ['1g', 1073741824],
    ['1.5G', 1610612736],
    ['512', 512],
    ['1kb', 1024],
    ['2KiB', 2048],
  ])('%s = %d bytes', (text, bytes) => {
    expect(ramInBytes(text)).toEqual({ ok: true, value: bytes });
  });

  it('rejects unknown suffixes in lower case', () => {
    expect(ramInBytes('12Q')).toEqual({ ok: false, error: "invalid suffix: 'q'" });
  });
});

describe('google/shlex', () => {
  it.each([
    ['nginx -g "daemon off;"', ['nginx', '-g', 'daemon off;']],
    ["sh -c 'echo $HOME'", ['sh', '-c', 'echo $HOME']],
    ['a\\ b c', ['a b', 'c']],
    ['x #comment\ny', ['x', 'y']],
    ['a#b', ['a#b']],
    ["''", ['']],
    ['', []],
  ])('%j', (input, words) => {
    expect(shlexSplit(input)).toEqual({ ok: true, value: words });
  });

  it('fails on an open quote', () => {
    expect(shlexSplit('echo "x')).toEqual({ ok: false, error: 'EOF found when expecting closing quote' });
  });
});
