// abra recipe lint's table, as printed through a PTY by different abra versions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAbraLint, rowFailed } from '../../src/ladder/abra-table.js';

const OUTPUT = join(__dirname, '../../fixtures/ladder/abra-output');
const read = (name: string) => readFileSync(join(OUTPUT, name), 'utf8');

describe('parseAbraLint', () => {
  it('reads a box-drawn table: every rule row, wrapped cells joined, verdicts from the marks', () => {
    const table = parseAbraLint(read('box.txt'));
    expect(table.rows.map((r) => r.ref)).toEqual(['R001', 'R002', 'R003', 'R004', 'R005', 'R006', 'R007', 'R015', 'R008', 'R009', 'R010', 'R011', 'R012', 'R013', 'R014', 'R016']);
    expect(table.rows.filter(rowFailed).map((r) => `${r.ref} ${r.severity}`)).toEqual(['R002 warn', 'R006 warn', 'R011 error', 'R013 error']);
    expect(table.rows.find((r) => r.ref === 'R014')!.rule).toBe('only annotated tags used for recipe version');
    expect(table.rows.find((r) => r.ref === 'R013')!.resolve).toBe('upload your recipe to git.coopcloud.tech/coop-cloud/...');
    expect(table.rows.find((r) => r.ref === 'R001')!.resolve).toBe('');
    expect(table.rows.find((r) => r.ref === 'R016')).toMatchObject({ skipped: true, satisfied: true });
    expect(table.criticalWarning).toBe(true);
    expect(table.fatal).toEqual([]);
  });

  it('reads an ASCII table with centred headers; a skipped rule is not a failure', () => {
    const table = parseAbraLint(read('ascii.txt'));
    expect(table.rows.map((r) => [r.ref, r.rule])).toEqual([
      ['R001', 'compose config has expected version'],
      ['R002', 'healthcheck enabled for all services'],
      ['R010', 'traefik routing enabled'],
      ['R011', 'all services have images'],
    ]);
    const r010 = table.rows.find((r) => r.ref === 'R010')!;
    expect(r010).toMatchObject({ satisfied: false, skipped: true, resolve: 'include "traefik.enable=true" deploy label' });
    expect(rowFailed(r010)).toBe(false);
    expect(table.criticalWarning).toBe(false);
  });

  it('strips what a PTY adds (CR LF, colours) and follows the header when columns move', () => {
    const tty = [
      '\u001b[1m| SEVERITY | REF  | SATISFIED | SKIPPED | RULE              | RESOLVE |\u001b[0m\r',
      '| error    | R009 | \u001b[31m❌\u001b[0m        | ❌      | one service named | name a servce "app" |\r',
    ].join('\n');
    const table = parseAbraLint(tty);
    expect(table.rows).toEqual([{ ref: 'R009', rule: 'one service named', severity: 'error', satisfied: false, skipped: false, resolve: 'name a servce "app"' }]);
  });

  it('collects FATA lines and finds no rows when abra failed before the table', () => {
    const table = parseAbraLint(read('fatal.txt'));
    expect(table.rows).toEqual([]);
    expect(table.fatal[0]).toMatch(/^FATA unable to validate recipe: \.env\.sample/);
  });

  it('ignores text that only looks like a table', () => {
    expect(parseAbraLint('a | b\nR001 | x\n| R0001 | too long | warn |\n').rows).toEqual([]);
  });
});
