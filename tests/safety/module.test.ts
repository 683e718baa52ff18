// src/write in-process, for what the process-level tests reach only by chance or not at all: .bak names
// that are taken, a linked directory on the way, the content-hash condition, the temporary-file registry.
import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pendingPaths } from '../../src/write/cleanup.js';
import { ABSENT, moveAside, readForWrite, writeInside, WriteError } from '../../src/write/index.js';
import { REPO, TSX, worldsPerTest } from './write-helpers.js';

const world = worldsPerTest();

describe('moveAside', () => {
  it('never replaces a .bak: the next free .bak.N is used', () => {
    const w = world({ 'x.json': 'first' });
    expect(moveAside(w.recipe, 'x.json')).toBe(w.path('x.json.bak'));
    writeFileSync(w.path('x.json'), 'second');
    symlinkSync('../outside/victim.txt', w.path('x.json.bak.1'));
    expect(moveAside(w.recipe, 'x.json')).toBe(w.path('x.json.bak.2'));
    expect(readFileSync(w.path('x.json.bak'), 'utf8')).toBe('first');
    expect(readFileSync(w.path('x.json.bak.2'), 'utf8')).toBe('second');
    expect(lstatSync(w.path('x.json.bak.1')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(w.outside, 'victim.txt'), 'utf8')).toBe('SECRET=keep\n');
  });
});

describe('writeInside', () => {
  it('refuses a path leaving the root, and a directory on the way that is a link', () => {
    const w = world({ 'a.txt': 'a' });
    expect(() => writeInside(w.recipe, '../outside/victim.txt', 'x')).toThrow(/is outside .*; stacklint writes only inside the recipe/);
    expect(() => writeInside(w.recipe, join(w.outside, 'victim.txt'), 'x')).toThrow(WriteError);
    symlinkSync('../outside', w.path('sub'));
    expect(() => writeInside(w.recipe, 'sub/victim.txt', 'x')).toThrow(/the directory .*sub on its path is a symbolic link to \.\.\/outside, which leads outside the recipe/);
    expect(() => writeInside(w.recipe, 'nodir/new.txt', 'x')).toThrow(/its directory .*nodir does not exist/);
    expect(readFileSync(join(w.outside, 'victim.txt'), 'utf8')).toBe('SECRET=keep\n');
  });

  it('expect: writes only while the file holds what was read; ABSENT for a file that must not exist', () => {
    const w = world({ 'a.txt': 'one' });
    const read = readForWrite(w.recipe, 'a.txt');
    writeFileSync(w.path('a.txt'), 'an editor saved this');
    expect(() => writeInside(w.recipe, 'a.txt', 'two', { expect: read.hash })).toThrow(/a\.txt changed on disk since stacklint read it/);
    expect(readFileSync(w.path('a.txt'), 'utf8')).toBe('an editor saved this');
    expect(() => writeInside(w.recipe, 'a.txt', 'two', { expect: ABSENT })).toThrow(/changed on disk/);
    writeInside(w.recipe, 'new.txt', 'fresh', { expect: ABSENT });
    expect(readFileSync(w.path('new.txt'), 'utf8')).toBe('fresh');
  });

  it('a read-only directory on the way is refused even for root; no temporary file is left by a failure', () => {
    const w = world({ 'd/a.txt': 'a' });
    chmodSync(w.path('d'), 0o555);
    expect(() => writeInside(w.recipe, 'd/a.txt', 'b')).toThrow(/its directory .*d is read-only \(mode 0555\)/);
    chmodSync(w.path('d'), 0o755);
    mkdirSync(w.path('d/sub'));
    expect(() => writeInside(w.recipe, 'd/sub', 'b')).toThrow(/is a directory, not a regular file/);
    expect(readdirSync(w.path('d')).sort()).toEqual(['a.txt', 'sub']);
    expect(pendingPaths()).toEqual([]);
  });
});

describe('the signal handlers', () => {
  it("step aside for ink's signal-exit: SIGTERM after a write still ends the process, by that signal", () => {
    const w = world({ 'a.txt': 'a' });
    const script = `
      import signalExit from 'signal-exit';
      import { writeInside } from ${JSON.stringify(join(__dirname, '../../src/write/index.ts'))};
      signalExit(() => {});
      writeInside(${JSON.stringify(w.recipe)}, 'a.txt', 'b');
      process.kill(process.pid, 'SIGTERM');
      // Only reached when no handler ended the process.
      setTimeout(() => { process.stdout.write('survived'); process.exit(3); }, 5000);
    `;
    const r = spawnSync(process.execPath, ['--import', TSX, '--input-type=module', '-e', script], { encoding: 'utf8', cwd: REPO, timeout: 30_000 });
    expect(r.stdout).toBe('');
    expect(r.signal).toBe('SIGTERM');
    expect(readFileSync(w.path('a.txt'), 'utf8')).toBe('b');
  });
});
