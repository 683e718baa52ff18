import { describe, expect, it } from 'vitest';
import { NonStringKeyMap } from '../../src/load/types.js';
import {
  SUPPORTED_VERSIONS,
  dockerVersion,
  goFormatValue,
  isSupportedVersion,
  unsupportedVersionMessage,
  versionMismatchMessage,
} from '../../src/schema/index.js';

describe('dockerVersion', () => {
  it.each([
    [{}, '3.13'], // missing [30]
    [{ version: '' }, '3.13'],
    [{ version: '3' }, '3.13'], // [31]
    [{ version: '3.8' }, '3.8'],
    [{ version: 3.1 }, '3.1'], // unquoted 3.10 is the float 3.1 [32]
    [{ version: 3 }, '3.13'], // %v of an int 3 is "3"
    [{ version: 3.0 }, '3.13'],
    [{ version: null }, '<nil>'],
    [{ version: true }, 'true'],
    [{ version: '${V}' }, '${V}'], // read before interpolation [61]
    [{ version: 1.5e-7 }, '1.5e-07'],
    [{ version: 1234567.5 }, '1.2345675e+06'],
    [{ version: ['3.8'] }, '[3.8]'],
    [null, '3.13'],
  ])('%j -> %s', (data, expected) => expect(dockerVersion(data as never)).toBe(expected));
});

describe('supported versions', () => {
  it('are 3.0 to 3.13', () => {
    expect(SUPPORTED_VERSIONS).toEqual(['3.0', '3.1', '3.2', '3.3', '3.4', '3.5', '3.6', '3.7', '3.8', '3.9', '3.10', '3.11', '3.12', '3.13']);
    expect(isSupportedVersion('3')).toBe(true);
    expect(isSupportedVersion('3.14')).toBe(false);
    expect(isSupportedVersion('3.08')).toBe(false);
  });

  it('word errors like docker', () => {
    expect(unsupportedVersionMessage('2.4')).toBe('unsupported Compose file version: 2.4'); // [32b]
    expect(versionMismatchMessage('3.8', '3.13')).toBe('version mismatched between two composefiles : 3.8 and 3.13'); // [30]
  });
});

describe('goFormatValue (%v)', () => {
  it('formats like Go', () => {
    expect(goFormatValue({ b: 1, a: [true, null] })).toBe('map[a:[true <nil>] b:1]');
    expect(goFormatValue(new NonStringKeyMap([[2, 'x'], [1, 'y']]))).toBe('map[1:y 2:x]');
    expect(goFormatValue(12345678901234567890n)).toBe('12345678901234567890');
    expect(goFormatValue(NaN)).toBe('NaN');
    expect(goFormatValue(-Infinity)).toBe('-Inf');
    expect(goFormatValue(0.0001)).toBe('0.0001');
    expect(goFormatValue(0.00001)).toBe('1e-05');
  });
});
