// The scanners that replaced backtracking regular expressions answer exactly as those expressions did
// (checked against them on generated text: the old patterns are fine on short input, only slow on long).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { namesAssignedInText, namesSetInShell } from '../../src/views/abra-sh.js';

const NAMES = ['A', 'B_1', 'export', 'declare', 'x', 'APP_VERSION'];
const PIECES = [...NAMES, ' ', '\t', '\n', '=', ';', '&', '|', '(', ')', '-x', '1', '$', '"', '#', 'export ', 'declare -x '];
const shellText = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(''));

function oldSetInShell(text: string, name: string): boolean {
  return (
    new RegExp(`(^|[\\s;&|(])(export[ \\t]+|declare[ \\t]+-x[ \\t]+)?${name}=`, 'm').test(text) ||
    new RegExp(`(^|[\\s;&|(])export[ \\t]+([A-Za-z_][A-Za-z0-9_]*[ \\t]+)*${name}\\b`, 'm').test(text)
  );
}

describe('abra.sh name scanners', () => {
  it('namesSetInShell finds the names the per-name expressions found', () => {
    fc.assert(
      fc.property(shellText, (text) => {
        const found = namesSetInShell(text);
        for (const name of NAMES) expect(found.has(name), `${JSON.stringify(text)} ${name}`).toBe(oldSetInShell(text, name));
      }),
      { numRuns: 3000 },
    );
  });

  it('namesAssignedInText finds the names /\\bNAME=/ found', () => {
    fc.assert(
      fc.property(shellText, (text) => {
        const found = namesAssignedInText(text);
        for (const name of NAMES) expect(found.has(name), `${JSON.stringify(text)} ${name}`).toBe(new RegExp(`\\b${name}=`).test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads `export` lists of any length in one pass', () => {
    const text = `${'export '.repeat(200_000)}A\n`;
    const started = performance.now();
    expect(namesSetInShell(text).has('A')).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
