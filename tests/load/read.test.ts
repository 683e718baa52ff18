import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { READ_LIMITS, readTextFile, readTextInside } from '../../src/load/read.js';

const limit = { maxBytes: READ_LIMITS.maxFileBytes };
const readListedTextFile = (abs: string, name: string) => readTextInside(dir, name, { ...limit, listedAsFile: true }, name);
const readCarefully = (name: string) => readTextInside(dir, name, limit, name);

const dir = mkdtempSync(join(tmpdir(), 'stacklint-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('reading a file a listing showed as a regular file', () => {
  it('gives the same text and errors as the careful read', () => {
    const cases: Array<[string, string | Buffer]> = [
      ['plain.yml', 'services:\n  app:\n    image: nginx\n'],
      ['utf8.yml', 'x-note: "café ✓"\n'],
      ['empty.yml', ''],
      ['latin1.yml', Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a])],
      ['nul.yml', 'a: 1\n\0\n'],
    ];
    for (const [name, content] of cases) {
      writeFileSync(join(dir, name), content);
      const careful = readCarefully(name);
      expect(readListedTextFile(join(dir, name), name), name).toEqual(careful);
      const plain = readTextFile(join(dir, name), name);
      expect(careful.ok ? careful.text : careful.message, name).toBe(plain.ok ? plain.text : plain.message);
    }
  });

  it('refuses a file over the size limit without reading it', () => {
    const big = join(dir, 'big.yml');
    writeFileSync(big, Buffer.alloc(READ_LIMITS.maxFileBytes + 10, 0x61));
    const read = readListedTextFile(big, 'big.yml');
    expect(read).toMatchObject({ ok: false, kind: 'too-large' });
  });

  it('falls back to the careful read for what is no longer a regular file', () => {
    const sub = join(dir, 'now-a-directory');
    mkdirSync(sub);
    expect(readListedTextFile(sub, 'now-a-directory')).toMatchObject({ ok: false, kind: 'directory' });
    expect(readListedTextFile(join(dir, 'gone.yml'), 'gone.yml')).toMatchObject({ ok: false, kind: 'missing' });
  });
});
