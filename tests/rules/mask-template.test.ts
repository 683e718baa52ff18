// maskTemplate blanks comments line by line with two regular expressions; this checks it against the plain
// line-by-line definition it replaced, on generated config-file text.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskTemplate } from '../../src/swarm/host-text.js';
import { OPAQUE_MARK, STACK_MARK } from '../../src/swarm/raw-values.js';

function byLines(text: string): string {
  const actions = text.replace(/\{\{[\s\S]*?\}\}/g, (action) => {
    const mark = /^\{\{-?\s*env\s+"STACK_NAME"\s*-?\}\}$/.test(action) ? STACK_MARK : OPAQUE_MARK;
    return action.replace(/[^\n]/g, mark);
  });
  return actions
    .split('\n')
    .map((line) => {
      const trimmed = line.trimStart();
      if (trimmed.startsWith('#') || trimmed.startsWith('//') || trimmed.startsWith(';') || trimmed.startsWith('<!--')) return ' '.repeat(line.length);
      const cuts = [line.search(/\s#/), line.search(/\s\/\/(?!\S*:\/\/)/)].filter((i) => i >= 0);
      const cut = cuts.length > 0 ? Math.min(...cuts) : undefined;
      return cut === undefined ? line : line.slice(0, cut) + ' '.repeat(line.length - cut);
    })
    .join('\n');
}

describe('maskTemplate', () => {
  it('blanks comment lines and trailing comments, keeping offsets and URLs', () => {
    const text = '# top\nreverse_proxy app:3000 # to the app\n  // note\nproxy_pass http://db:5432; // c\n; ini\nkey = "{{ env "STACK_NAME" }}_db"\n';
    const masked = maskTemplate(text);
    expect(masked.length).toBe(text.length);
    expect(masked).toBe(byLines(text));
    expect(masked).toContain('proxy_pass http://db:5432;');
    expect(masked).not.toContain('to the app');
  });

  it('is the line-by-line definition on any text of config-file characters', () => {
    const piece = fc.constantFrom('#', '//', ';', '<!--', ' ', '\t', '\r', '\n', 'a', 'host', ':', 'http://x', '{{', '}}', '{{ env "STACK_NAME" }}', '\u00a0', '=');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join('');
        expect(maskTemplate(text)).toBe(byLines(text));
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});
