// docs/ci.md shows each example of docs/ci-examples/ verbatim (the files are what the tests exercise),
// and shows every one of them.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const doc = readFileSync(join(ROOT, 'docs/ci.md'), 'utf8');
const examples = readdirSync(join(ROOT, 'docs/ci-examples')).sort();

describe('docs/ci.md', () => {
  it.each(examples)('shows docs/ci-examples/%s verbatim', (name) => {
    const marker = `<!-- example: ${name} -->\n\`\`\`yaml\n`;
    const at = doc.indexOf(marker);
    expect(at, `docs/ci.md has no "<!-- example: ${name} -->" block`).toBeGreaterThanOrEqual(0);
    const start = at + marker.length;
    const shown = doc.slice(start, doc.indexOf('```', start));
    expect(shown).toBe(readFileSync(join(ROOT, 'docs/ci-examples', name), 'utf8'));
  });

  it('names no example that does not exist', () => {
    const named = [...doc.matchAll(/<!-- example: ([\w.-]+) -->/g)].map((m) => m[1]).sort();
    expect(named).toEqual(examples);
  });
});
