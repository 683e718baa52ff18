// unifiedDiff: hunks that a patch tool applies back to exactly the new text.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/fix/diff.js';

/** Applies a unified diff of one file to `text` (what `patch` does), for checking the writer. */
function applyPatch(text: string, patch: string): string {
  const old = text.split(/(?<=\n)/).filter((l) => l !== ''); // lines with their '\n' (the last may lack it)
  const body = patch.split('\n').slice(2, -1);
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < body.length; i++) {
    const line = body[i];
    const m = /^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@$/.exec(line);
    if (m) {
      const start = Number(m[1]) - (m[2] === '0' ? 0 : 1);
      while (at < start) out.push(old[at++]);
      continue;
    }
    const noNewline = body[i + 1] === '\\ No newline at end of file';
    const content = line.slice(1) + (noNewline ? '' : '\n');
    if (line[0] === ' ') {
      expect(old[at]).toBe(content);
      out.push(old[at++]);
    } else if (line[0] === '-') {
      expect(old[at]).toBe(content);
      at++;
    } else if (line[0] === '+') {
      out.push(content);
    }
    if (noNewline) i++;
  }
  while (at < old.length) out.push(old[at++]);
  return out.join('');
}

describe('unifiedDiff', () => {
  it('writes git-style headers, 3 lines of context and line counts', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nd\nE\nf\ng\nh\n';
    expect(unifiedDiff(before, after, 'r/compose.yml')).toBe(
      ['--- a/r/compose.yml', '+++ b/r/compose.yml', '@@ -2,7 +2,7 @@', ' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h', ''].join('\n'),
    );
  });

  it('is empty for equal texts and marks a missing final newline', () => {
    expect(unifiedDiff('x\n', 'x\n', 'f')).toBe('');
    expect(unifiedDiff('x', 'x\n', 'f')).toBe(['--- a/f', '+++ b/f', '@@ -1 +1 @@', '-x', '\\ No newline at end of file', '+x', ''].join('\n'));
  });

  it('property: applying the diff to the old text gives the new text', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'version: "3.8"', '  - x', '', '# c');
    const text = fc.tuple(fc.array(line, { maxLength: 25 }), fc.boolean()).map(([ls, nl]) => (ls.length === 0 ? '' : ls.join('\n') + (nl ? '\n' : '')));
    fc.assert(
      fc.property(text, text, (before, after) => {
        const patch = unifiedDiff(before, after, 'f');
        expect(patch === '').toBe(before === after);
        if (patch !== '') expect(applyPatch(before, patch)).toBe(after);
      }),
      { numRuns: 500 },
    );
  });
});
