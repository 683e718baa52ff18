import { describe, expect, it } from 'vitest';
import { describeFinding, snippetOf } from '../../cli/review/detail.js';
import { recipeViews } from '../../src/pipeline/recipe.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { EXAMPLE_RECIPE, lintFindings } from './helpers.js';

const RULES = ALL_RULES.map((r) => r.meta);

describe('finding detail', async () => {
  const findings = await lintFindings(EXAMPLE_RECIPE);
  const { recipe, views } = recipeViews(EXAMPLE_RECIPE);
  const r011 = findings.find((f) => f.rule === 'R011')!;

  it('traces an image-less service to the one overlay that defines it, per overlay combination', () => {
    const d = describeFinding(r011, recipe, views, RULES);
    expect(d.provenance).toEqual([
      'services.sidekiq: defined only by compose.smtpauth.yml:15; image: set by no file in abra, compose.yml+compose.smtpauth.yml',
    ]);
    expect(d.absentFrom).toEqual(['compose.yml']);
    expect(d.rule?.id).toBe('R011');
    expect(d.snippet.find((l) => l.hit)).toEqual({ line: 15, text: '  sidekiq:', hit: true });
    expect(d.snippet.map((l) => l.line)).toEqual([13, 14, 15, 16, 17]);
  });

  it('lists every file a merged value comes from, in merge order, separately for views that differ', () => {
    const d = describeFinding({ ...r011, logicalPath: 'services.app.secrets', views: ['compose.yml+compose.smtpauth.yml', 'compose.yml'] }, recipe, views, RULES);
    expect(d.provenance).toEqual([
      'services.app.secrets: defined by compose.yml:13, then compose.smtpauth.yml:10 in compose.yml+compose.smtpauth.yml',
      'services.app.secrets: defined only by compose.yml:13 in compose.yml',
    ]);
  });

  it('shows label keys (which hold dots) as the finding names them', () => {
    const label = findings.find((f) => f.rule === 'backupbot-labels')!;
    expect(describeFinding(label, recipe, views, RULES).provenance[0]).toMatch(
      /^services\.app\.deploy\.labels\[backupbot\.backup\.[a-z.-]+\]: defined only by compose\.yml:3\d in abra, compose\.yml, compose\.yml\+compose\.smtpauth\.yml$/,
    );
  });

  it('says when a finding is about one file, not the merge', () => {
    expect(describeFinding({ ...r011, views: [] }, recipe, views, RULES).provenance).toEqual(['found in compose.smtpauth.yml itself (not a result of the merge)']);
  });

  it('cuts the snippet at the file edges and keeps multi-line hits bounded', () => {
    const text = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    expect(snippetOf(text, 1).map((l) => `${l.line}${l.hit ? '*' : ''}`)).toEqual(['1*', '2', '3']);
    expect(snippetOf(text, 8).map((l) => l.line)).toEqual([6, 7, 8]);
    expect(snippetOf(text, 2, 8).filter((l) => l.hit).map((l) => l.line)).toEqual([2, 3, 4, 5]);
  });
});
