import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../src/rules/index.js';
import { UNUSED_SUPPRESSION } from '../../src/lint/meta-rules.js';
import { renderRulesMarkdown } from '../../src/rules/docs.js';

describe('docs/rules.md', () => {
  it('is generated from the current rule metadata (run `npm run docs` when this fails)', () => {
    const expected = renderRulesMarkdown([...ALL_RULES.map((r) => r.meta), UNUSED_SUPPRESSION]);
    expect(readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8')).toBe(expected);
  });

  it('documents every rule with an id, a level, a description and a fix', () => {
    for (const { meta } of ALL_RULES) {
      expect(meta.id, 'id').toMatch(/^[A-Za-z0-9-]+$/);
      expect(['off', 'info', 'warn', 'error']).toContain(meta.level);
      expect(meta.description.length, `${meta.id} description`).toBeGreaterThan(10);
      expect(meta.fix.length, `${meta.id} fix`).toBeGreaterThan(10);
    }
    const ids = ALL_RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
