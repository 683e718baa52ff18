import { describe, expect, it } from 'vitest';
import { findInterpolationPitfalls } from '../../src/interpolate/index.js';

const kinds = (t: string) => findInterpolationPitfalls(t).map((p) => [p.kind, p.start, p.end]);

describe('findInterpolationPitfalls', () => {
  it('finds nothing in ordinary references', () => {
    for (const t of ['${A}', '$A', '$A.suffix', '${A:-x}', '${A-x}', '${A:?need A}', '${A?}', '$$', '$${A}', 'plain', '$A:x']) {
      expect(findInterpolationPitfalls(t)).toEqual([]);
    }
  });

  it('flags a - in a :? or ? message (it becomes a default) [52d]', () => {
    expect(kinds('${MISSING:?must be set - see README}')).toEqual([['dash-in-required-message', 0, 36]]);
    expect(kinds('x ${EMPTY:?non-empty required}')).toEqual([['dash-in-required-message', 2, 30]]);
    expect(kinds('${MISSING?use a:-b}')).toEqual([['dash-in-required-message', 0, 19]]);
    expect(findInterpolationPitfalls('${X:?a-b}')[0].explanation).toContain('"X:?a"');
  });

  it('flags an unbraced operator that swallows the rest [55]', () => {
    expect(kinds('$REG-suffix/app:1')).toEqual([['unbraced-operator-swallows', 0, 17]]);
    expect(kinds('img:$TAG?x}rest')).toEqual([['unbraced-operator-swallows', 4, 10]]);
    expect(kinds('$NOPE:-fallback')).toEqual([['unbraced-operator-swallows', 0, 15]]);
  });

  it('flags invalid $ and says whether docker fails or drops it [57]', () => {
    expect(kinds('echo $1')).toEqual([['invalid-dollar', 5, 6]]);
    expect(kinds('5$')).toEqual([['invalid-dollar', 1, 2]]);
    expect(kinds('${}')).toEqual([['invalid-dollar', 0, 1]]);
    expect(kinds('${A:+b}')).toEqual([['invalid-dollar', 0, 1]]);
    expect(kinds('a $ b')).toEqual([['invalid-dollar', 2, 3]]);
    expect(findInterpolationPitfalls('$1 ${B}')[0].explanation).toContain('silently drops');
    expect(findInterpolationPitfalls('${B} $1')[0].explanation).toContain('rejects');
    expect(findInterpolationPitfalls('5$')[0].explanation).toContain('trailing');
  });

  it('flags nested references [54]', () => {
    expect(kinds('${NOPE:-${INNER}}')).toEqual([['nested-reference', 0, 16]]);
  });

  it('reports several pitfalls in order', () => {
    // $REG-x swallows the following ${…} up to its }, which is a nested reference too.
    expect(kinds('$1 $REG-x ${A:?b-c}').map(([k]) => k)).toEqual(['invalid-dollar', 'unbraced-operator-swallows', 'nested-reference']);
    expect(kinds('$1 ${A:?b-c}').map(([k]) => k)).toEqual(['invalid-dollar', 'dash-in-required-message']);
  });
});
