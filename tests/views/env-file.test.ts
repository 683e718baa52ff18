import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activeEnvValues, ENV_LIMITS, expandVariables, parseEnvFile } from '../../src/views/env-file.js';

const entry = (text: string, key: string) => parseEnvFile(text).entries.find((e) => e.key === key);

describe('parseEnvFile: active lines', () => {
  it('reads KEY=value and export KEY=value with positions', () => {
    const f = parseEnvFile('A=1\n  export B=two\n');
    expect(f.entries.map((e) => [e.key, e.value, e.exported, e.line, e.column, e.valueColumn])).toEqual([
      ['A', '1', false, 1, 1, 3],
      ['B', 'two', true, 2, 10, 12],
    ]);
    expect(f.notUnderstood).toEqual([]);
  });

  it('removes quotes; double quotes take \\n, \\" and \\\\ escapes, single quotes none', () => {
    expect(entry('A="x\\ny \\"q\\" \\\\ z"', 'A')?.value).toBe('x\ny "q" \\ z');
    // godotenv takes any quote after a backslash as escaped, even `\\"`: the value is unterminated.
    expect(entry('A="x\\\\"', 'A')).toBeUndefined();
    expect(entry("A='x\\ny $B'", 'A')?.value).toBe('x\\ny $B');
    expect(entry('A="x"', 'A')?.quote).toBe('"');
  });

  it('keeps spaces inside unquoted values and cuts inline comments at blank + #', () => {
    const e = entry('MOUNTS=/ /var/lib/docker   # watched paths', 'MOUNTS');
    expect(e?.value).toBe('/ /var/lib/docker');
    expect(e?.comment).toBe('watched paths');
    expect(entry('A=foo#bar', 'A')?.value).toBe('foo#bar');
    expect(entry('A=   # only a comment', 'A')?.value).toBe('');
  });

  it('reads comments after quoted values and abra modifiers', () => {
    const e = entry('SECRET_X_VERSION=v1       # length=64 charset=hex', 'SECRET_X_VERSION');
    expect(e?.modifiers).toEqual({ length: '64', charset: 'hex' });
    expect(entry('A="v # not a comment" # but this is', 'A')).toMatchObject({ value: 'v # not a comment', comment: 'but this is' });
  });

  it('expands $VAR and ${VAR} from earlier lines like godotenv, not in single quotes', () => {
    const f = parseEnvFile('D=example.com\nA=https://${D}/x\nB="$D"\nC=\'$D\'\nE=\\$D\nF=$UNSET.\n');
    expect(Object.fromEntries(activeEnvValues(f))).toMatchObject({ A: 'https://example.com/x', B: 'example.com', C: '$D', E: '$D', F: '.' });
    // godotenv does not know `${X:-default}`: the rest stays in the value.
    expect(entry('X=1\nA=${X:-d}', 'A')?.value).toBe('1:-d}');
  });

  it('expands COMPOSE_FILE chains in written order', () => {
    const f = parseEnvFile('COMPOSE_FILE="compose.yml"\nCOMPOSE_FILE="$COMPOSE_FILE:compose.a.yml"\nCOMPOSE_FILE="$COMPOSE_FILE:compose.b.yml"\n');
    expect(f.entries.map((e) => e.value)).toEqual(['compose.yml', 'compose.yml:compose.a.yml', 'compose.yml:compose.a.yml:compose.b.yml']);
  });

  it('reads multi-line double-quoted values', () => {
    const f = parseEnvFile('KEY="line1\nline2"\nNEXT=1\n');
    expect(f.entries[0]).toMatchObject({ key: 'KEY', value: 'line1\nline2', line: 1, endLine: 2 });
    expect(f.entries[1]).toMatchObject({ key: 'NEXT', line: 3 });
  });

  it('handles CRLF and a BOM', () => {
    const f = parseEnvFile('\uFEFFA=1\r\nB="2"\r\n');
    expect(f.entries.map((e) => [e.key, e.value, e.column])).toEqual([['A', '1', 1], ['B', '2', 1]]);
  });
});

describe('parseEnvFile: commented lines', () => {
  it('counts #KEY=value and # KEY=value as documented values', () => {
    const f = parseEnvFile('#APP_FLAVOUR=social\n# MAIL_FROM=admin@example.com\n#   WHISPER_DEVICE=cpu\n');
    expect(f.entries.map((e) => [e.key, e.value, e.commented, e.column])).toEqual([
      ['APP_FLAVOUR', 'social', true, 2],
      ['MAIL_FROM', 'admin@example.com', true, 3],
      ['WHISPER_DEVICE', 'cpu', true, 5],
    ]);
    expect(activeEnvValues(f).size).toBe(0);
  });

  it('treats ## lines and prose as comments, not values', () => {
    const f = parseEnvFile('## Domain aliases\n##   https://x/#y\n#=== Email ===\n# choose one, default: social\n# a = b\n');
    expect(f.entries).toEqual([]);
    expect(f.notUnderstood).toEqual([]);
  });

  it('keeps quotes and inline comments of commented lines', () => {
    const f = parseEnvFile("#EXTRA_DOMAINS=', `www.example.com`'\n# ADMIN_PUBKEY=          # set after first login\n");
    expect(f.entries[0]).toMatchObject({ value: ', `www.example.com`', quote: "'" });
    expect(f.entries[1]).toMatchObject({ value: '', comment: 'set after first login' });
  });

  it('expands a commented chain against the active value at that point', () => {
    const f = parseEnvFile('COMPOSE_FILE="compose.yml"\n\n#COMPOSE_FILE="$COMPOSE_FILE:compose.smtp.yml"\n\nCOMPOSE_FILE="$COMPOSE_FILE:compose.db.yml"\n');
    expect(f.entries.map((e) => e.value)).toEqual(['compose.yml', 'compose.yml:compose.smtp.yml', 'compose.yml:compose.db.yml']);
  });

  it('chains commented lines of one paragraph onto each other, and not across paragraphs', () => {
    const text = [
      'COMPOSE_FILE=compose.yml',
      '',
      '#COMPOSE_FILE="$COMPOSE_FILE:compose.s3.yml"',
      '#S3_BUCKET=',
      '#COMPOSE_FILE="$COMPOSE_FILE:compose.s3.tokenfile.yml"',
      '',
      '#COMPOSE_FILE="$COMPOSE_FILE:compose.mail.yml"',
    ].join('\n');
    expect(parseEnvFile(text).entries.filter((e) => e.key === 'COMPOSE_FILE').map((e) => e.value)).toEqual([
      'compose.yml',
      'compose.yml:compose.s3.yml',
      'compose.yml:compose.s3.yml:compose.s3.tokenfile.yml',
      'compose.yml:compose.mail.yml',
    ]);
  });
});

describe('parseEnvFile: lines it does not understand', () => {
  it('collects them with line, column and text, and goes on', () => {
    const f = parseEnvFile('A=1\nthis is not an assignment\nD="x" trailing\nB="unterminated\nC=3\n');
    expect(f.notUnderstood.map((n) => [n.line, n.column, n.text])).toEqual([
      [2, 1, 'this is not an assignment'],
      [3, 6, 'D="x" trailing'],
      [4, 3, 'B="unterminated'],
    ]);
    expect(f.entries.map((e) => e.key)).toEqual(['A', 'D', 'C']);
  });

  it('lets an open double quote run to the next quote, as godotenv does (endLine shows it)', () => {
    const f = parseEnvFile('A="oops\nB=1\nC="2"\n');
    expect(f.entries[0]).toMatchObject({ key: 'A', value: 'oops\nB=1\nC=', line: 1, endLine: 3 });
  });

  it('reports a commented assignment with an unterminated quote', () => {
    const f = parseEnvFile('#A="oops\n');
    expect(f.entries).toEqual([]);
    expect(f.notUnderstood[0]).toMatchObject({ line: 1, column: 4 });
  });

  it('reads a quoted value that spans commented lines as it reads once uncommented', () => {
    const f = parseEnvFile('#EXTRA="\\\n#\tdefine(1);\\\n#  FAKE=inside"\nB=2\n');
    expect(f.entries.map((e) => [e.key, e.commented, e.line, e.endLine])).toEqual([
      ['EXTRA', true, 1, 3],
      ['B', false, 4, 4],
    ]);
    expect(f.entries[0].value).toContain('FAKE=inside');
    expect(f.notUnderstood).toEqual([]);
  });

  it('a commented value whose quote the commented block never closes is still reported', () => {
    const f = parseEnvFile('#A="open\n#more text\nB=1\n');
    expect(f.entries.map((e) => e.key)).toEqual(['B']);
    expect(f.notUnderstood[0]).toMatchObject({ line: 1, column: 4 });
  });

  it('stays linear on many unterminated commented values', () => {
    const text = '#A="open\n'.repeat(50_000);
    const started = Date.now();
    const f = parseEnvFile(text);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(f.notUnderstood.length).toBeGreaterThan(0);
  });

  it('cuts long texts', () => {
    const f = parseEnvFile('x'.repeat(10_000));
    expect(f.notUnderstood[0].text.length).toBeLessThanOrEqual(ENV_LIMITS.maxReportedTextLength + 1);
  });
});

describe('parseEnvFile: robustness', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        const f = parseEnvFile(text);
        for (const e of f.entries) expect(e.line).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on env-like text', () => {
    const token = fc.constantFrom('A', 'COMPOSE_FILE', '=', '"', "'", '#', ' ', '\n', '\r\n', '$', '${', '}', '\\', 'export ', ':', 'x', '$COMPOSE_FILE');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 200 }), (tokens) => {
        const f = parseEnvFile(tokens.join(''));
        for (const e of f.entries) expect(typeof e.value).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('stays bounded when every line doubles a value', () => {
    const text = 'A=x\n' + 'A="$A$A"\n'.repeat(5_000);
    const started = Date.now();
    const f = parseEnvFile(text);
    expect(Date.now() - started).toBeLessThan(5_000);
    const total = f.entries.reduce((n, e) => n + e.value.length, 0);
    expect(total).toBeLessThanOrEqual(ENV_LIMITS.maxExpandedTotal + text.length);
    expect(f.notUnderstood.length).toBeGreaterThan(0);
  });

  it('stays linear on many multi-line values', () => {
    const text = 'A="open\n'.repeat(50_000);
    const started = Date.now();
    const f = parseEnvFile(text);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(f.entries).toHaveLength(25_000);
  });
});

describe('expandVariables', () => {
  it('follows godotenv: uppercase names only, $( left alone', () => {
    const lookup = (n: string) => ({ A: '1', lower: 'no' })[n];
    expect(expandVariables('$A ${A} $lower $(cmd) \\$A $', lookup)).toBe('1 1 $lower $(cmd) $A $');
  });
});
