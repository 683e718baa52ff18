// One guarded read path: every file read from a recipe is a regular file inside it, opened without following
// a link out and without waiting on a pipe, size-checked first. Links to secrets, to /dev/zero, FIFOs,
// directories and link loops are refused with a message that says what they are.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTextInside } from '../../src/load/read.js';
import { cleanup, RECIPE, runCli, scratch, write } from './helpers.js';

afterAll(cleanup);

const SECRET = 'stacklint-test-secret-3f9a1c';

function mkfifo(path: string): void {
  execFileSync('mkfifo', [path]);
}

/** A recipe with an error finding (an image-less overlay service), so that a baseline could hide it. */
function failingRecipe(): string {
  const dir = scratch('recipe');
  write(dir, {
    ...RECIPE,
    'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.25\n',
    'compose.extra.yml': 'version: "3.8"\nservices:\n  worker:\n    command: run\n',
    '.env.sample': 'TYPE=app\nCOMPOSE_FILE="compose.yml:compose.extra.yml"\n',
  });
  return dir;
}

describe('readTextInside', () => {
  const root = scratch('guard');
  const outside = scratch('guard-outside');
  write(outside, { 'secret.txt': SECRET });
  write(root, { 'a.yml': 'a: 1\n', 'sub/b.yml': 'b: 2\n' });
  symlinkSync('a.yml', join(root, 'to-a.yml'));
  symlinkSync('sub', join(root, 'subdir-link'));
  symlinkSync(join(outside, 'secret.txt'), join(root, 'secret.yml'));
  symlinkSync('../' + outside.split('/').pop() + '/secret.txt', join(root, 'relative-out.yml'));
  symlinkSync(outside, join(root, 'outdir'));
  symlinkSync('/dev/zero', join(root, 'zero.yml'));
  symlinkSync('/proc/self/environ', join(root, 'environ.yml'));
  symlinkSync('loop.yml', join(root, 'loop.yml'));
  symlinkSync('nothing.yml', join(root, 'dangling.yml'));
  mkfifo(join(root, 'fifo.yml'));
  mkdirSync(join(root, 'dir.yml'));
  const read = (rel: string) => readTextInside(root, rel, { maxBytes: 1024 });

  it('reads regular files and links that stay inside', () => {
    expect(read('a.yml')).toEqual({ ok: true, text: 'a: 1\n' });
    expect(read('to-a.yml')).toEqual({ ok: true, text: 'a: 1\n' });
    expect(read('subdir-link/b.yml')).toEqual({ ok: true, text: 'b: 2\n' });
  });

  it.each([
    ['secret.yml', 'outside', /is a symbolic link to .*secret\.txt outside the recipe; not read/],
    ['relative-out.yml', 'outside', /symbolic link to \.\.\/.*outside the recipe/],
    ['outdir/secret.txt', 'outside', /leads through a linked directory .*outside the recipe/],
    ['zero.yml', 'outside', /symbolic link to \/dev\/zero outside/],
    ['environ.yml', 'outside', /symbolic link to \/proc\/self\/environ outside/],
    ['../' + outside.split('/').pop() + '/secret.txt', 'outside', /outside the recipe/],
    ['loop.yml', 'loop', /is a symbolic link loop/],
    ['dangling.yml', 'dangling', /is a symbolic link to nothing \(dangling: nothing\.yml does not exist\)/],
    ['fifo.yml', 'special', /is a FIFO \(named pipe\), not a regular file/],
    ['dir.yml', 'directory', /is a directory, not a regular file/],
    ['missing.yml', 'missing', /does not exist/],
  ])('refuses %s (%s) and says what it is', (rel, kind, message) => {
    const r = read(rel);
    expect(r).toMatchObject({ ok: false, kind });
    if (!r.ok) {
      expect(r.message).toMatch(message);
      expect(r.message).not.toContain(SECRET);
    }
  });

  it('refuses a file over the budget from its size, before reading', () => {
    write(root, { 'big.yml': 'x'.repeat(2000) });
    expect(read('big.yml')).toMatchObject({ ok: false, kind: 'too-large' });
  });
});

describe('baseline and config read through links, FIFOs, devices', () => {
  it('a baseline linked to /proc/self/environ is refused: exit 2, no byte of the environment printed', () => {
    const dir = failingRecipe();
    symlinkSync('/proc/self/environ', join(dir, '.stacklint-baseline.json'));
    for (const format of ['stylish', 'json', 'github']) {
      const run = runCli(['lint', '--format', format, '.'], { cwd: dir, env: { CI_TOKEN: SECRET } });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/\.stacklint-baseline\.json is a symbolic link to \/proc\/self\/environ,? (which leads )?outside the recipe/);
      expect(run.stdout + run.stderr).not.toContain(SECRET);
    }
  });

  it('a baseline linked to a file outside cannot silently accept the recipe\'s errors', () => {
    const dir = failingRecipe();
    expect(runCli(['lint', '.'], { cwd: dir }).status).toBe(1);
    expect(runCli(['baseline', '.'], { cwd: dir }).status).toBe(0);
    expect(runCli(['lint', '.'], { cwd: dir }).status).toBe(0); // an honest baseline does accept them
    const elsewhere = scratch('elsewhere');
    execFileSync('mv', [join(dir, '.stacklint-baseline.json'), join(elsewhere, 'accept-all.json')]);
    symlinkSync(join(elsewhere, 'accept-all.json'), join(dir, '.stacklint-baseline.json'));
    const run = runCli(['lint', '.'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/symbolic link to .*accept-all\.json,? (which leads )?outside the recipe/);
    // `stacklint baseline` does not replace (write through) it either.
    const rebuilt = runCli(['baseline', '.'], { cwd: dir });
    expect(rebuilt.status).toBe(2);
  });

  it('a config linked outside its repository is a configuration error, not a silent "rules: off"', () => {
    const dir = failingRecipe();
    mkdirSync(join(dir, '.git')); // the repository root: links may not leave it
    const elsewhere = scratch('config-elsewhere');
    write(elsewhere, { 'off.yml': 'rules:\n  R011: off\n  image-present: off\n' });
    symlinkSync(join(elsewhere, 'off.yml'), join(dir, '.stacklintrc.yml'));
    const run = runCli(['lint', '.'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/\.stacklintrc\.yml is a symbolic link to .*off\.yml outside its repository/);

    const environ = failingRecipe();
    symlinkSync('/proc/self/environ', join(environ, '.stacklintrc.json'));
    const leaked = runCli(['lint', '.'], { cwd: environ, env: { CI_TOKEN: SECRET } });
    expect(leaked.status).toBe(2);
    expect(leaked.stdout + leaked.stderr).not.toContain(SECRET);
  });

  it('a config link that stays inside the repository is followed', () => {
    const repo = scratch('config-inside');
    mkdirSync(join(repo, '.git'));
    write(repo, { 'shared/stacklint.yml': 'rules:\n  R011: off\n' });
    const dir = join(repo, 'recipe');
    mkdirSync(dir);
    write(dir, { 'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.25\n' });
    symlinkSync('../shared/stacklint.yml', join(dir, '.stacklintrc.yml'));
    const run = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
    expect(run.stderr).toBe('');
    expect([0, 1]).toContain(run.status);
  });

  it.each([
    ['FIFO', (p: string) => mkfifo(p), /FIFO \(named pipe\)/],
    ['link to /dev/zero', (p: string) => symlinkSync('/dev/zero', p), /symbolic link to \/dev\/zero,? (which leads )?outside/],
    ['directory', (p: string) => mkdirSync(p), /is a directory/],
    ['link loop', (p: string) => symlinkSync(p, p), /symbolic link loop|a loop of links/],
  ])('a baseline that is a %s: a prompt clear error (exit 2), no hang', (_what, make, message) => {
    const dir = failingRecipe();
    make(join(dir, '.stacklint-baseline.json'));
    const run = runCli(['lint', '.'], { cwd: dir, timeoutMs: 10_000 });
    expect(run.signal).toBeNull(); // not killed by the time limit
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it.each([
    ['FIFO', (p: string) => mkfifo(p), /FIFO \(named pipe\)/],
    ['directory', (p: string) => mkdirSync(p), /is a directory/],
    ['link loop', (p: string) => symlinkSync(p, p), /symbolic link loop/],
    ['link to /dev/zero', (p: string) => symlinkSync('/dev/zero', p), /symbolic link to \/dev\/zero outside/],
  ])('a .stacklintrc.yml that is a %s is a configuration error (exit 2), not skipped', (_what, make, message) => {
    const dir = failingRecipe();
    make(join(dir, '.stacklintrc.yml'));
    const run = runCli(['lint', '.'], { cwd: dir, timeoutMs: 10_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('an overlay, a config file: and a secret file: that are FIFOs, directories or link loops are findings', () => {
    const dir = scratch('odd-files');
    write(dir, {
      ...RECIPE,
      'compose.yml': [
        'version: "3.8"',
        'services:',
        '  app:',
        '    image: nginx:1.25',
        '    secrets: [s, t]',
        '    configs: [c]',
        'secrets:',
        '  s:',
        '    file: ./secret.txt',
        '  t:',
        '    file: ./loop.txt',
        'configs:',
        '  c:',
        '    file: ./conf.d',
        '',
      ].join('\n'),
    });
    mkfifo(join(dir, 'secret.txt'));
    symlinkSync('loop.txt', join(dir, 'loop.txt'));
    mkdirSync(join(dir, 'conf.d'));
    mkfifo(join(dir, 'compose.fifo.yml'));
    mkdirSync(join(dir, 'compose.dir.yml'));
    symlinkSync('compose.loop.yml', join(dir, 'compose.loop.yml'));
    symlinkSync('/dev/zero', join(dir, 'compose.zero.yml'));
    const run = runCli(['lint', '--format', 'json', '.'], { cwd: dir, timeoutMs: 10_000 });
    expect(run.signal).toBeNull();
    expect(run.status).toBe(1);
    const messages = (JSON.parse(run.stdout).findings as Array<{ file: string; message: string }>).map((f) => `${f.file}: ${f.message}`).join('\n');
    expect(messages).toMatch(/compose\.fifo\.yml: .*FIFO \(named pipe\)/);
    expect(messages).toMatch(/compose\.dir\.yml: .*is a directory/);
    expect(messages).toMatch(/compose\.loop\.yml: .*symbolic link loop/);
    expect(messages).toMatch(/compose\.zero\.yml: .*symbolic link to \/dev\/zero outside the recipe/);
    expect(messages).toMatch(/secrets\.s\.file names `secret\.txt`: .*FIFO/);
    expect(messages).toMatch(/secrets\.t\.file names `loop\.txt`: .*symbolic link loop/);
    expect(messages).toMatch(/configs\.c\.file names `conf\.d`: .*is a directory/);
  });

  it('a baseline that is not JSON is quoted only as a short escaped excerpt', () => {
    const dir = failingRecipe();
    writeFileSync(join(dir, '.stacklint-baseline.json'), `{"version": 1, "findings": [] ${'\u001b]0;x\u0007'}${SECRET.repeat(20)}}`);
    const run = runCli(['lint', '.'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/\.stacklint-baseline\.json:1:\d+: not valid JSON/);
    expect(run.stderr).not.toContain('\u001b');
    expect(run.stderr).not.toContain(SECRET.repeat(2));
    expect(run.stderr.length).toBeLessThan(400);
  });
});
