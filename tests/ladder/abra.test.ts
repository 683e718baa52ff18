// The abra rung with a stand-in `abra` on PATH: what it is given (a private ABRA_DIR, a clean clone with
// the working tree's tracked changes and without untracked files, a terminal) and how its table is judged.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runLadder } from '../../src/ladder/ladder.js';

const FIXTURES = join(__dirname, '../../fixtures/ladder');
const temps: string[] = [];

afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

// Records what abra would see, then prints the table it is told to.
const FAKE_ABRA = `#!/bin/sh
r="$ABRA_DIR/recipes/$3"
if [ -t 1 ]; then tty=yes; else tty=no; fi
{
  echo "args=$*"
  echo "abra_dir=$ABRA_DIR"
  echo "tty=$tty"
  echo "files=$(cd "$r" && ls -A | tr '\\n' ' ')"
  echo "dirty=$(git -C "$r" status --porcelain | wc -l)"
  echo "origin=$(git -C "$r" remote get-url origin)"
  echo "tags=$(git -C "$r" tag | tr '\\n' ' ')"
  grep -c 'edited in the working tree' "$r/compose.yml" | sed 's/^/edited=/'
} > "$FAKE_ABRA_LOG"
cat "$FAKE_ABRA_TABLE"
exit "\${FAKE_ABRA_EXIT:-0}"
`;

function git(cwd: string, ...args: string[]) {
  const r = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
}

/** The healthy fixture as a git repository, with an uncommitted edit and an untracked overlay. */
function recipeRepo(): string {
  const dir = join(temp('stacklint-abra-recipe-'), 'ladder-healthy');
  cpSync(join(FIXTURES, 'healthy'), dir, { recursive: true });
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'init');
  git(dir, 'tag', '-a', '0.1.0+1.36.1', '-m', 'release');
  writeFileSync(join(dir, 'compose.yml'), `${readFileSync(join(dir, 'compose.yml'), 'utf8')}# edited in the working tree\n`);
  writeFileSync(join(dir, 'compose.untracked.yml'), 'version: "3.8"\nservices:\n  stray: {}\n');
  return dir;
}

function fakeAbra(table: string, exit = 0): { env: NodeJS.ProcessEnv; log: string; home: string } {
  const bin = temp('stacklint-abra-bin-');
  writeFileSync(join(bin, 'abra'), FAKE_ABRA);
  chmodSync(join(bin, 'abra'), 0o755);
  const tableFile = join(bin, 'table.txt');
  writeFileSync(tableFile, readFileSync(join(FIXTURES, 'abra-output', table), 'utf8'));
  const home = temp('stacklint-abra-home-');
  const log = join(bin, 'seen.txt');
  return {
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: home, FAKE_ABRA_LOG: log, FAKE_ABRA_TABLE: tableFile, FAKE_ABRA_EXIT: String(exit) },
    log,
    home,
  };
}

function seen(log: string): Record<string, string> {
  return Object.fromEntries(readFileSync(log, 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1).trim()]));
}

describe('the abra rung', () => {
  it('lints a clean clone in a private ABRA_DIR, under a terminal, and leaves ~/.abra and the recipe alone', async () => {
    const dir = recipeRepo();
    const fake = fakeAbra('box.txt');
    const notes: string[] = [];
    const results = await runLadder({ recipeDir: dir, rungs: ['abra'], env: fake.env }, { note: (_r, line) => notes.push(line) });
    const saw = seen(fake.log);
    expect(saw.args).toBe('recipe lint ladder-healthy');
    expect(saw.tty).toBe('yes');
    expect(saw.files.split(' ')).not.toContain('compose.untracked.yml');
    expect(saw.files.split(' ')).toContain('compose.yml');
    expect(saw.edited).toBe('1'); // the tracked file as it is in the working tree…
    expect(saw.dirty).toBe('0'); // …committed, so abra sees a clean clone
    expect(saw.origin).toBe(dir); // a local origin abra can fetch tags from
    expect(saw.tags).toBe('0.1.0+1.36.1');
    expect(notes).toContain('abra lints a clone with 1 uncommitted change to tracked files committed on top; untracked files left out');
    expect(existsSync(saw.abra_dir)).toBe(false); // the scratch ABRA_DIR is gone
    expect(readdirSync(fake.home)).toEqual([]);
    expect(existsSync(join(dir, 'compose.untracked.yml'))).toBe(true);
    spawnSync('git', ['diff', '--quiet'], { cwd: dir }).status === 1 || expect.fail('the recipe\'s uncommitted edit was touched');

    const abra = results[0];
    expect(abra.verdict).toBe('fail'); // R011 and R013 are error rows abra failed, though it exits 0
    expect(abra.reason).toBe('16 rules: 2 errors, 2 warnings; 2 disagreements with stacklint');
    expect(abra.report).toContain('R011 error all services have images — ensure "image: ..." set on all services');
    expect(abra.report).toContain('R002 healthcheck enabled for all services: abra fails, stacklint silent');
    expect(abra.report).toContain('R011 all services have images: abra fails, stacklint silent');
    expect(abra.report).toContain('not compared (stacklint did not run them: --online / --git): R006, R013, R014');
  });

  it("never runs what the recipe's git config names (fsmonitor, hooks)", async () => {
    const dir = recipeRepo();
    const marker = join(temp('stacklint-abra-marker-'), 'ran');
    git(dir, 'config', 'core.fsmonitor', `touch ${marker}`);
    mkdirSync(join(dir, '.git/hooks'), { recursive: true });
    writeFileSync(join(dir, '.git/hooks/post-checkout'), `#!/bin/sh\ntouch ${marker}\n`);
    chmodSync(join(dir, '.git/hooks/post-checkout'), 0o755);
    const fake = fakeAbra('ascii.txt');
    const results = await runLadder({ recipeDir: dir, rungs: ['abra'], env: fake.env });
    expect(results[0].verdict).toBe('pass');
    expect(existsSync(marker)).toBe(false);
  });

  it('passes when abra fails no error-level rule, and agrees with stacklint', async () => {
    const fake = fakeAbra('ascii.txt');
    const results = await runLadder({ recipeDir: recipeRepo(), rungs: ['abra'], env: fake.env });
    expect(results[0]).toMatchObject({ verdict: 'pass', reason: '4 rules: 0 errors, 0 warnings; agrees with stacklint' });
  });

  it('fails with abra\'s message when abra stops before printing a table', async () => {
    const fake = fakeAbra('fatal.txt', 1);
    const results = await runLadder({ recipeDir: recipeRepo(), rungs: ['abra'], env: fake.env });
    expect(results[0].verdict).toBe('fail');
    expect(results[0].reason).toMatch(/^abra recipe lint failed: FATA unable to validate recipe: \.env\.sample/);
  });

  it('lints a recipe inside a larger repository (or none) as a fresh repository of its files', async () => {
    const fake = fakeAbra('ascii.txt');
    const outer = temp('stacklint-abra-outer-');
    const dir = join(outer, 'recipes', 'ladder-healthy');
    mkdirSync(join(outer, 'recipes'));
    cpSync(join(FIXTURES, 'healthy'), dir, { recursive: true });
    git(outer, 'init', '-q');
    git(outer, 'add', '-A');
    git(outer, 'commit', '-qm', 'init');
    writeFileSync(join(dir, 'compose.untracked.yml'), 'version: "3.8"\n');
    const notes: string[] = [];
    await runLadder({ recipeDir: dir, rungs: ['abra'], env: fake.env }, { note: (_r, line) => notes.push(line) });
    const saw = seen(fake.log);
    expect(saw.files.split(' ')).not.toContain('compose.untracked.yml');
    expect(saw.files.split(' ')).toContain('index.html.tmpl');
    expect(saw.tags).toBe('');
    expect(notes[0]).toMatch(/not the root of its git repository/);
  });

  it('is skipped without abra, and fails then only when required', async () => {
    const env = { PATH: '/nonexistent' };
    const skipped = await runLadder({ recipeDir: join(FIXTURES, 'healthy'), rungs: ['abra'], env });
    expect(skipped[0]).toMatchObject({ verdict: 'skipped', reason: 'abra not found' });
    const required = await runLadder({ recipeDir: join(FIXTURES, 'healthy'), rungs: ['abra'], require: ['abra'], env });
    expect(required[0]).toMatchObject({ verdict: 'fail', reason: 'abra not found (required by --require abra)' });
  });
});
