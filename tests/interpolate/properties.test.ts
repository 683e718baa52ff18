import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findInterpolationPitfalls, interpolateConfig, interpolateString } from '../../src/interpolate/index.js';

const lookup = (name: string) => (name.length % 2 === 0 ? name.toLowerCase() : name === 'E' ? '' : undefined);
const templateChars = fc.constantFrom('$', '{', '}', ':', '-', '?', '+', 'A', 'E', 'b', '_', '1', ' ', '\u017f', '"', '😀');
const templates = fc.array(templateChars, { maxLength: 40 }).map((cs) => cs.join(''));

describe('properties', () => {
  it('a string without $ interpolates to itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }).filter((s) => !s.includes('$')), (s) => {
        expect(interpolateString(s, lookup)).toEqual({ value: s, uses: [] });
      }),
    );
  });

  it('never throws, and offsets stay inside the template', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), templates), (t) => {
        const r = interpolateString(t, lookup);
        for (const u of r.uses) expect(0 <= u.start && u.start < u.end && u.end <= t.length && t[u.start] === '$').toBe(true);
        for (const p of findInterpolationPitfalls(t)) expect(0 <= p.start && p.start < p.end && p.end <= t.length).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('escaping every $ gives the text back', () => {
    fc.assert(
      fc.property(templates, (t) => {
        expect(interpolateString(t.replace(/\$/g, '$$$$'), lookup).value).toBe(t);
      }),
    );
  });

  it('interpolateConfig never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (data) => {
        interpolateConfig(data as never, lookup);
      }),
    );
  });
});

describe('linear time', () => {
  it.each([
    ['100,000 references', '${A}'.repeat(100_000)],
    ['100,000 unclosed references', '${A-'.repeat(100_000)],
    ['200,000 dollars', '$'.repeat(200_000)],
    ['100,000 mixed', 'x${A:-y}$$ $B ${C?z}'.repeat(20_000)],
  ])('%s', (_name, t) => {
    const start = performance.now();
    interpolateString(t, lookup);
    findInterpolationPitfalls(t);
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
