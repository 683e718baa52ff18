import { describe, expect, it } from 'vitest';
import { compareBytes, compileGoPattern, goGlob, goMatch } from '../../src/views/go-glob.js';

describe('Go filepath.Match semantics', () => {
  it('matches compose*yml the way abra globs it', () => {
    expect(goMatch('compose*yml', 'compose.yml')).toBe(true);
    expect(goMatch('compose**yml', 'compose.smtp.yml')).toBe(true); // ** is just *
    expect(goMatch('compose*yml', 'compose-foo.yml')).toBe(true);
    expect(goMatch('compose*yml', 'composeyml')).toBe(true);
    expect(goMatch('compose*yml', 'compose.yaml')).toBe(false);
    expect(goMatch('compose*yml', 'Compose.yml')).toBe(false);
    expect(goMatch('compose*yml', 'postgres/compose.postgres.tune.yml')).toBe(false);
    expect(goMatch('compose*yml', 'compose/x.yml')).toBe(false); // * does not cross '/'
  });

  it('supports ?, classes, negation and escapes; malformed patterns match nothing', () => {
    expect(goMatch('a?c', 'abc')).toBe(true);
    expect(goMatch('a?c', 'a/c')).toBe(false);
    expect(goMatch('[a-c]x', 'bx')).toBe(true);
    expect(goMatch('[^a-c]x', 'dx')).toBe(true);
    expect(goMatch('[^a-c]x', '/x')).toBe(false);
    expect(goMatch('\\*', '*')).toBe(true);
    expect(compileGoPattern('[')).toBeUndefined();
    expect(compileGoPattern('[]a]')).toBeUndefined();
    expect(compileGoPattern('a\\')).toBeUndefined();
    expect(goGlob('[', ['['])).toEqual([]);
  });

  it('returns byte-ordered results, so compose.yml comes after most overlays', () => {
    const listing = ['compose.zulip.yml', 'compose.yml', 'compose.akismet.yml', 'compose-legacy.yml', 'compose.extra.yaml', 'README.md'];
    expect(goGlob('compose*yml', listing)).toEqual(['compose-legacy.yml', 'compose.akismet.yml', 'compose.yml', 'compose.zulip.yml']);
  });

  it('orders by UTF-8 bytes, not UTF-16 code units', () => {
    // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (F0 9F 98 80) in bytes, after it in UTF-16.
    const a = 'compose.\uFF5E.yml';
    const b = 'compose.\u{1F600}.yml';
    expect(compareBytes(a, b)).toBeLessThan(0);
    expect(a < b).toBe(false);
    expect(goGlob('compose*yml', [b, a])).toEqual([a, b]);
  });
});
