import { describe, expect, it } from 'vitest';
import type { DirectiveProblem, SourceComment } from '../../src/config/suppressions.js';
import { collectSuppressions, parseDirective, Suppressions } from '../../src/config/suppressions.js';

/** A comment as the loader reports it: column of '#', text after it. */
const c = (line: number, text: string, column = 1): SourceComment => ({ line, column, text });

describe('parseDirective', () => {
  it('reads disable-next-line with several rules and a reason', () => {
    const d = parseDirective('compose.yml', c(4, ' stacklint-disable-next-line R011, proxy-alias-collision -- app is internal', 5));
    expect(d).toMatchObject({ kind: 'disable-next-line', line: 4, column: 5, targetLine: 5, reason: 'app is internal' });
    expect(d?.rules.map((r) => [r.rule, r.line, r.column])).toEqual([
      ['R011', 4, 35],
      ['proxy-alias-collision', 4, 41],
    ]);
  });

  it('accepts blanks or commas between rules, no reason, and drops repeats', () => {
    expect(parseDirective('f', c(1, 'stacklint-disable-file R001 R002,R003 ,R001'))?.rules.map((r) => r.rule)).toEqual(['R001', 'R002', 'R003']);
    expect(parseDirective('f', c(1, 'stacklint-disable-file R001'))?.reason).toBeUndefined();
    expect(parseDirective('f', c(1, 'stacklint-disable-file R001 --'))?.reason).toBeUndefined();
  });

  it('keeps `--` inside a rule list token out of the reason split', () => {
    const d = parseDirective('f', c(1, 'stacklint-disable-next-line R011 -- see --help for more'));
    expect(d?.reason).toBe('see --help for more');
  });

  it('ignores ordinary comments, including ones that mention stacklint later', () => {
    expect(parseDirective('f', c(1, ' image for the app'))).toBeUndefined();
    expect(parseDirective('f', c(1, ' see stacklint-disable-next-line in the docs'))).toBeUndefined();
    expect(parseDirective('f', c(1, ' stacklint config lives in .stacklintrc.yml'))).toBeUndefined();
  });

  it('reports malformed directives instead of ignoring them', () => {
    const problems: DirectiveProblem[] = [];
    expect(parseDirective('f', c(3, ' stacklint-disable R011', 7), {}, problems)).toBeUndefined();
    expect(parseDirective('f', c(4, 'stacklint-disable-next-line'), {}, problems)).toBeUndefined();
    expect(parseDirective('f', c(5, 'stacklint-disable-next-line -- only a reason'), {}, problems)).toBeUndefined();
    expect(parseDirective('f', c(6, 'stacklint-disable-next-line: R011'), {}, problems)).toBeUndefined();
    expect(parseDirective('f', c(7, 'stacklint-disable-line R011 ${X}'), {}, problems)?.rules.map((r) => r.rule)).toEqual(['R011']);
    expect(problems.map((p) => [p.line, p.column, p.message.split(' (')[0].split(',')[0]])).toEqual([
      [3, 9, "unknown directive 'stacklint-disable'"],
      [4, 2, 'stacklint-disable-next-line needs the rule(s) to disable'],
      [5, 2, 'stacklint-disable-next-line needs the rule(s) to disable'],
      [6, 2, "unknown directive 'stacklint-disable-next-line:'"],
      [7, 30, "'${X}' is not a rule id"],
    ]);
  });

  it('maps names to ids through the resolver and reports unknown rules', () => {
    const resolveRule = (w: string) => ({ 'image-present': 'R011', R011: 'R011' })[w];
    const problems: DirectiveProblem[] = [];
    const d = parseDirective('f', c(1, 'stacklint-disable-next-line image-present, R011, nope'), { resolveRule }, problems);
    expect(d?.rules.map((r) => [r.written, r.rule])).toEqual([['image-present', 'R011']]);
    expect(problems.map((p) => p.message)).toEqual(["unknown rule 'nope'"]);
  });
});

describe('Suppressions', () => {
  function build(): Suppressions {
    return collectSuppressions([
      [
        'compose.yml',
        [
          c(3, ' stacklint-disable-next-line R011, R002 -- overlay adds the image', 5),
          c(9, ' stacklint-disable-line traefik-labels', 30),
          c(12, ' stacklint-disable-next-line R009'),
        ],
      ],
      ['compose.smtp.yml', [c(1, ' stacklint-disable-file R001 -- legacy'), c(2, ' stacklint-disable-nextline R001')]],
    ]);
  }

  it('suppresses the next line only, per file and rule', () => {
    const s = build();
    expect(s.isSuppressed('R011', 'compose.yml', 4)).toBe(true);
    expect(s.isSuppressed('R011', 'compose.yml', 3)).toBe(false);
    expect(s.isSuppressed('R011', 'compose.yml', 5)).toBe(false);
    expect(s.isSuppressed('R011', 'compose.smtp.yml', 4)).toBe(false);
    expect(s.isSuppressed('R003', 'compose.yml', 4)).toBe(false);
  });

  it('suppresses on the same line for disable-line and anywhere in the file for disable-file', () => {
    const s = build();
    expect(s.isSuppressed('traefik-labels', 'compose.yml', 9)).toBe(true);
    expect(s.isSuppressed('traefik-labels', 'compose.yml', 10)).toBe(false);
    expect(s.isSuppressed('R001', 'compose.smtp.yml', 1)).toBe(true);
    expect(s.isSuppressed('R001', 'compose.smtp.yml', 400)).toBe(true);
    expect(s.isSuppressed('R001', 'compose.yml', 1)).toBe(false);
  });

  it('lists the rules of directives that suppressed nothing, with positions', () => {
    const s = build();
    s.isSuppressed('R011', 'compose.yml', 4);
    s.isSuppressed('R001', 'compose.smtp.yml', 8);
    expect(s.unused()).toEqual([
      { kind: 'disable-next-line', file: 'compose.yml', rule: 'R002', written: 'R002', line: 3, column: 41 },
      { kind: 'disable-line', file: 'compose.yml', rule: 'traefik-labels', written: 'traefik-labels', line: 9, column: 55 },
      { kind: 'disable-next-line', file: 'compose.yml', rule: 'R009', written: 'R009', line: 12, column: 31 },
    ]);
  });

  it('keeps malformed directives as problems', () => {
    expect(build().problems).toEqual([
      { file: 'compose.smtp.yml', line: 2, column: 3, message: expect.stringMatching(/unknown directive 'stacklint-disable-nextline'/) },
    ]);
  });

  it('two directives for the same line both count as used', () => {
    const s = new Suppressions().addFile('f', [c(1, 'stacklint-disable-next-line R1'), c(2, 'stacklint-disable-line R1')]);
    expect(s.isSuppressed('R1', 'f', 2)).toBe(true);
    expect(s.unused()).toEqual([]);
  });
});
