import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abraShExports, parseAbraSh } from '../../src/views/abra-sh.js';

const CORPUS = '/work/shared/corpus/recipes';
const values = (text: string) => Object.fromEntries([...abraShExports(parseAbraSh(text))].map(([k, a]) => [k, a.value]));

describe('parseAbraSh', () => {
  it("reads bonfire's exports with positions", () => {
    const file = parseAbraSh(readFileSync(`${CORPUS}/bonfire/abra.sh`, 'utf8'));
    expect(file.notUnderstood).toEqual([]);
    expect(file.assignments[0]).toMatchObject({ name: 'APP_ENTRYPOINT_VERSION', value: 'v4', exported: true, line: 1, column: 8, valueColumn: 31 });
    expect(Object.fromEntries(file.assignments.map((a) => [a.name, a.value]))).toEqual({
      APP_ENTRYPOINT_VERSION: 'v4',
      PG_BACKUP_VERSION: 'v6',
      MEILI_BACKUP_VERSION: 'v4',
      SONIC_CFG_VERSION: 'v1',
      SONIC_ENTRYPOINT_VERSION: 'v1',
    });
  });

  it('ignores exports inside comments (nodex-next documents examples that way)', () => {
    const file = parseAbraSh(readFileSync(`${CORPUS}/nodex-next/abra.sh`, 'utf8'));
    expect(file).toEqual({ assignments: [], notUnderstood: [] });
  });

  it('decodes quoting and accepts several assignments per line', () => {
    expect(values(`export A='x y' B="q\\"r" C=a\\ b D=a#b; export E=1 # comment\nF=2\nexport F\n`)).toEqual({
      A: 'x y',
      B: 'q"r',
      C: 'a b',
      D: 'a#b',
      E: '1',
      F: '2',
    });
  });

  it('keeps plain assignments that are never exported out of the exports', () => {
    const file = parseAbraSh('LOCAL=1\nexport SHARED=2\n');
    expect(file.assignments.map((a) => [a.name, a.exported])).toEqual([['LOCAL', false], ['SHARED', true]]);
    expect([...abraShExports(file).keys()]).toEqual(['SHARED']);
  });

  it('skips and reports everything that would need evaluation', () => {
    const text = [
      '#!/usr/bin/env bash', // 1
      'export OK=v1', // 2
      'export FROM_VAR="${OK}"', // 3
      'export NOW=$(date)', // 4
      'export WHO=`id -u`', // 5
      'export HOME_DIR=~/x', // 6
      'set -e', // 7
      'backup() {', // 8
      '  export INSIDE=1', // 9
      '  echo "}"', // 10
      '}', // 11
      'function restore {', // 12
      '  case "$1" in', // 13
      '    a) echo a;;', // 14
      '  esac', // 15
      '}', // 16
      'if [ -n "$X" ]; then', // 17
      '  export COND=1', // 18
      'fi', // 19
      'cat <<EOF', // 20
      'export IN_HEREDOC=1', // 21
      'EOF', // 22
      'A=1 some_command', // 23
      'export LAST=v9', // 24
    ].join('\n');
    const file = parseAbraSh(text);
    expect(file.assignments.map((a) => [a.name, a.line])).toEqual([['OK', 2], ['LAST', 24]]);
    expect(file.notUnderstood.map((n) => [n.line, n.endLine, n.reason])).toEqual([
      [3, 3, 'expansion'],
      [4, 4, 'expansion'],
      [5, 5, 'expansion'],
      [6, 6, 'expansion'],
      [7, 7, 'command'],
      [8, 11, 'function'],
      [12, 16, 'function'],
      [17, 19, 'compound'],
      [20, 22, 'multi-line'],
      [23, 23, 'command'],
    ]);
  });

  it('reports an unterminated construct once and stops there', () => {
    const file = parseAbraSh('export A=1\nf() {\n  echo "x\n');
    expect(file.assignments.map((a) => a.name)).toEqual(['A']);
    expect(file.notUnderstood).toHaveLength(1);
    expect(file.notUnderstood[0]).toMatchObject({ line: 2, reason: 'unterminated' });
  });

  it('never throws on arbitrary text', () => {
    const token = fc.constantFrom('export ', 'A=', 'x', ' ', '\n', '"', "'", '`', '$(', '${', ')', '}', '{', '(', 'if ', 'fi', 'case ', 'esac', 'do ', 'done', ';', '#', '\\', '<<EOF\n', 'EOF\n', 'function ');
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.array(token, { maxLength: 150 }).map((t) => t.join(''))), (text) => {
        const file = parseAbraSh(text);
        for (const n of file.notUnderstood) expect(n.endLine).toBeGreaterThanOrEqual(n.line);
      }),
      { numRuns: 2000 },
    );
  });

  it('stays bounded on deep nesting and large files', () => {
    const started = Date.now();
    const deep = parseAbraSh('$('.repeat(100_000));
    expect(deep.notUnderstood[0]?.reason).toBe('too-deep');
    const big = parseAbraSh('export A=1\n'.repeat(100_000));
    expect(big.assignments).toHaveLength(100_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
