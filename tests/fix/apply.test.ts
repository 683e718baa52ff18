// applyEditGroups: groups apply whole or wait for the next pass; bytes outside the edits never change.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEditGroups } from '../../src/fix/apply.js';
import type { EditGroup } from '../../src/fix/apply.js';

const texts = (entries: Record<string, string | undefined>) => new Map(Object.entries(entries));

describe('applyEditGroups', () => {
  it('applies non-overlapping groups and defers a group that overlaps one already taken', () => {
    const groups: EditGroup[] = [
      { id: 'a', edits: [{ file: 'f', start: 0, end: 3, text: 'ABC' }] },
      { id: 'b', edits: [{ file: 'f', start: 2, end: 5, text: 'x' }, { file: 'g', start: 0, end: 0, text: '!' }] },
      { id: 'c', edits: [{ file: 'f', start: 6, end: 6, text: '+' }] },
    ];
    const r = applyEditGroups(texts({ f: 'abcdefgh', g: 'g' }), groups);
    expect(r.applied).toEqual(['a', 'c']);
    expect(r.deferred).toEqual(['b']);
    // b is all or nothing: its edit of g is not applied either.
    expect([...r.texts]).toEqual([['f', 'ABCdef+gh']]);
  });

  it('keeps insertions at one offset in the order the groups came', () => {
    const r = applyEditGroups(texts({ f: 'xy' }), [
      { id: '1', edits: [{ file: 'f', start: 1, end: 1, text: 'A' }] },
      { id: '2', edits: [{ file: 'f', start: 1, end: 1, text: 'B' }] },
    ]);
    expect(r.texts.get('f')).toBe('xABy');
  });

  it('treats the same edit from two findings as one', () => {
    const edit = { file: 'f', start: 0, end: 0, text: 'v\n' };
    const r = applyEditGroups(texts({ f: 'a\n' }), [{ id: '1', edits: [edit] }, { id: '2', edits: [{ ...edit }] }]);
    expect(r.applied).toEqual(['1', '2']);
    expect(r.texts.get('f')).toBe('v\na\n');
  });

  it('refuses a group outside its file or naming an unreadable file, and applies the rest', () => {
    const r = applyEditGroups(texts({ f: 'abc', g: undefined }), [
      { id: 'out', edits: [{ file: 'f', start: 2, end: 9, text: '' }] },
      { id: 'unreadable', edits: [{ file: 'g', start: 0, end: 0, text: 'x' }] },
      { id: 'ok', edits: [{ file: 'f', start: 3, end: 3, text: 'd' }] },
    ]);
    expect(r.invalid).toEqual(['out', 'unreadable']);
    expect(r.texts.get('f')).toBe('abcd');
  });

  it('an insertion at the edge of a replacement from another group waits', () => {
    const r = applyEditGroups(texts({ f: 'abcdef' }), [
      { id: 'del', edits: [{ file: 'f', start: 1, end: 4, text: '' }] },
      { id: 'ins', edits: [{ file: 'f', start: 4, end: 4, text: 'X' }] },
    ]);
    expect(r.deferred).toEqual(['ins']);
    expect(r.texts.get('f')).toBe('aef');
  });

  it('property: the text outside the taken edits is kept, in order, byte for byte', () => {
    const edit = fc.record({ start: fc.nat(40), len: fc.nat(5), text: fc.string({ maxLength: 4 }) });
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { maxLength: 6 }), (text, raw) => {
        const groups: EditGroup[] = raw.map((edits, i) => ({
          id: String(i),
          edits: edits.map((e) => {
            const start = Math.min(e.start, text.length);
            return { file: 'f', start, end: Math.min(text.length, start + e.len), text: e.text };
          }),
        }));
        const r = applyEditGroups(texts({ f: text }), groups);
        const taken = groups.filter((g) => r.applied.includes(g.id)).flatMap((g) => g.edits);
        // Rebuild independently: walk the text, splicing each taken edit once (duplicates collapse).
        const unique = taken.filter((e, i) => taken.findIndex((o) => o.start === e.start && o.end === e.end && o.text === e.text) === i);
        for (const a of unique) {
          for (const b of unique) {
            if (a === b) continue;
            const overlap = a.start < b.end && b.start < a.end;
            expect(overlap, 'taken edits never overlap').toBe(false);
          }
        }
        const sorted = unique.map((e, i) => ({ ...e, i })).sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
        let expected = '';
        let at = 0;
        for (const e of sorted) {
          expected += text.slice(at, e.start) + e.text;
          at = Math.max(at, e.end);
        }
        expected += text.slice(at);
        expect(r.texts.get('f') ?? text).toBe(expected);
      }),
    );
  });
});
