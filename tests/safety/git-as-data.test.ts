// Attacks through git: a repository's own .git/config naming programs, a crafted tree that would make the
// base's materialisation write outside its directory, huge blobs, a `.git` file leading to another
// repository, and Ctrl-C in the middle of `lint --base`.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_LIMITS, GateError, materialise, repoLocation, TempDir } from '../../src/gate/git.js';
import { checkGitDirectory, driverOverrides, parseConfigNames, safeGitEnv } from '../../src/load/git.js';
import { READ_LIMITS, readTextInside } from '../../src/load/read.js';
import { CLI, cleanup, commitAll, git, initRepo, listAll, processesInGroup, RECIPE, runCli, scratch, write } from './helpers.js';

afterAll(cleanup);

/** A .git/config and attributes that make git run `touch MARKER-<what>` wherever it can. */
function armRepository(repo: string, markers: string): void {
  const touch = (what: string) => `touch ${join(markers, what)}`;
  const config = [
    '[core]',
    `\tfsmonitor = ${touch('fsmonitor')}`,
    `\tpager = ${touch('pager')}`,
    `\tsshCommand = ${touch('ssh')}`,
    `\talternateRefsCommand = ${touch('alternate-refs')}`,
    `\thooksPath = ${join(repo, 'hooks')}`,
    '[filter "evil"]',
    `\tsmudge = ${touch('smudge')}; cat`,
    `\tclean = ${touch('clean')}; cat`,
    '\trequired = true',
    '[filter "proc"]',
    `\tprocess = ${touch('process')}`,
    '[diff]',
    `\texternal = ${touch('diff-external')}`,
    '[diff "evil"]',
    `\ttextconv = ${touch('textconv')}; cat`,
    `\tcommand = ${touch('diff-command')}`,
    '[uploadpack]',
    `\tpackObjectsHook = ${touch('pack-objects-hook')}`,
    '[gpg]',
    `\tprogram = ${touch('gpg')}`,
    '[credential]',
    `\thelper = !${touch('credential')}`,
    '',
  ].join('\n');
  writeFileSync(join(repo, '.git', 'config'), readFileSync(join(repo, '.git', 'config'), 'utf8') + config);
  mkdirSync(join(repo, 'hooks'), { recursive: true });
  for (const hook of ['post-checkout', 'pre-commit', 'post-index-change', 'reference-transaction']) {
    writeFileSync(join(repo, 'hooks', hook), `#!/bin/sh\n${touch(`hook-${hook}`)}\n`);
    chmodSync(join(repo, 'hooks', hook), 0o755);
  }
}

describe('git as data, not as a program', () => {
  it('runs none of the programs a repository config names (filters, drivers, hooks, fsmonitor, pager, …)', () => {
    const repo = scratch('armed');
    const markers = scratch('markers');
    initRepo(repo);
    write(repo, { ...RECIPE, '.gitattributes': '* filter=evil diff=evil\n*.yml filter=proc\n' });
    commitAll(repo, 'base');
    git(repo, ['tag', 'light']);
    write(repo, { 'compose.yml': `${RECIPE['compose.yml']}  db:\n    image: postgres\n` });
    commitAll(repo, 'head');
    armRepository(repo, markers);
    // The attack is live: plain git runs the smudge filter (git archive) and the hooks path.
    git(repo, ['archive', '--format=tar', '-o', join(markers, 'probe.tar'), 'HEAD~1', '--', 'README.md']);
    expect(existsSync(join(markers, 'smudge'))).toBe(true);
    for (const m of readdirSync(markers)) rmSync(join(markers, m));

    const run = runCli(['lint', '--base', 'HEAD~1', '--git', '--format', 'json', '.'], { cwd: repo, env: { GIT_EXTERNAL_DIFF: `touch ${join(markers, 'env-external')}` } });
    expect(run.stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(run.status);
    const report = JSON.parse(run.stdout);
    expect(report.base.new).toBeGreaterThan(0); // the comparison happened
    expect([...report.findings, ...report.unchanged].some((f: { rule: string; message: string }) => f.rule === 'R014' && /light/.test(f.message))).toBe(true); // tags were read
    expect(readdirSync(markers)).toEqual([]);
  });

  it('overrides every driver command the repository configures, and strips GIT_* from the environment', () => {
    const names = parseConfigNames('core.bare\0filter.evil.smudge\0filter.evil.process\0diff.x.textconv\0merge.m.driver\0remote.o.uploadpack\0user.name\0');
    const args = driverOverrides(names);
    for (const n of ['filter.evil.smudge', 'filter.evil.process', 'diff.x.textconv', 'merge.m.driver', 'remote.o.uploadpack']) expect(args).toContain(`${n}=`);
    expect(args).toContain('filter.evil.required=false');
    expect(args.join(' ')).not.toMatch(/user\.name|core\.bare/);
    const env = safeGitEnv({ PATH: '/bin', GIT_DIR: '/elsewhere', GIT_CONFIG_PARAMETERS: "'core.fsmonitor'='x'", GIT_SSH_COMMAND: 'x', GIT_CONFIG_COUNT: '1' });
    expect(Object.keys(env).filter((k) => k.startsWith('GIT_')).sort()).toEqual(
      ['GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GIT_NO_LAZY_FETCH', 'GIT_NO_REPLACE_OBJECTS', 'GIT_OPTIONAL_LOCKS', 'GIT_TERMINAL_PROMPT'].sort(),
    );
    expect(env.GIT_CONFIG_GLOBAL).toBe('/dev/null');
  });

  it('never writes through a link the base tree holds (link `evil -> DIR` beside a blob `evil/pwned.txt`)', async () => {
    const repo = scratch('crafted');
    const outside = scratch('outside');
    initRepo(repo);
    write(repo, RECIPE);
    commitAll(repo, 'head');
    const blob = git(repo, ['hash-object', '-w', '--stdin'], 'owned\n').trim();
    const link = git(repo, ['hash-object', '-w', '--stdin'], outside).trim();
    const relLink = git(repo, ['hash-object', '-w', '--stdin'], '../../../../../../../..' + outside).trim();
    const sub = git(repo, ['mktree'], `100644 blob ${blob}\tpwned.txt\n`).trim();
    const compose = git(repo, ['hash-object', '-w', '--stdin'], RECIPE['compose.yml']).trim();
    const dotdot = git(repo, ['mktree'], `100644 blob ${blob}\tpwned-dotdot.txt\n`).trim();
    const tree = git(
      repo,
      ['mktree', '--missing'],
      [
        `100644 blob ${compose}\tcompose.yml`,
        `120000 blob ${link}\tevil`,
        `040000 tree ${sub}\tevil`,
        `120000 blob ${relLink}\tup`,
        `040000 tree ${sub}\tup`,
        `040000 tree ${dotdot}\t..`,
        `040000 tree ${sub}\t.git`,
        '',
      ].join('\n'),
    ).trim();
    const commit = git(repo, ['commit-tree', tree, '-m', 'crafted']).trim();

    const run = runCli(['lint', '--base', commit, '--format', 'json', '.'], { cwd: repo });
    expect(run.stderr).not.toMatch(/internal error/);
    expect([0, 1]).toContain(run.status);
    expect(listAll(outside)).toEqual([]);

    // The same, directly: what the writer made is only what it may make.
    const temp = new TempDir('stacklint-test-crafted-');
    try {
      await materialise(repo, commit, '', temp.path);
      expect(listAll(outside)).toEqual([]);
      const written = listAll(temp.path);
      expect(written).toContain('compose.yml');
      expect(written.filter((p) => p.includes('pwned'))).toEqual([]);
      expect(written).not.toContain('.git');
    } finally {
      temp.dispose();
    }
  });

  it('does not fetch or write a blob over the read limit, and refuses a base over the byte budget', async () => {
    const repo = scratch('big');
    initRepo(repo);
    write(repo, RECIPE);
    commitAll(repo, 'head');
    // 64 MiB of zeros: ~64 KiB in .git.
    const bigSize = 64 * 1024 * 1024;
    const big = git(repo, ['hash-object', '-w', '--stdin'], Buffer.alloc(bigSize)).trim();
    const compose = git(repo, ['hash-object', '-w', '--stdin'], RECIPE['compose.yml']).trim();
    const tree = git(repo, ['mktree'], `100644 blob ${big}\tcompose.yml\n100644 blob ${compose}\tcompose.ok.yml\n`).trim();
    const commit = git(repo, ['commit-tree', tree, '-m', 'big']).trim();
    const temp = new TempDir('stacklint-test-big-');
    try {
      await materialise(repo, commit, '', temp.path);
      const st = statSync(join(temp.path, 'compose.yml'));
      expect(st.size).toBe(bigSize); // same size, so the base lint reports it as too large like the working tree would
      expect(st.blocks * 512).toBeLessThan(1024 * 1024); // but nothing written
      expect(readTextInside(temp.path, 'compose.yml', { maxBytes: READ_LIMITS.maxFileBytes })).toMatchObject({ ok: false, kind: 'too-large' });
    } finally {
      temp.dispose();
    }
    const run = runCli(['lint', '--base', commit, '--format', 'json', '.'], { cwd: repo });
    expect([0, 1]).toContain(run.status);
    const fixed = JSON.parse(run.stdout).fixed as Array<{ rule: string; message: string }>;
    expect(fixed.some((f) => f.rule === 'yaml-syntax' && /64(\.0)? MiB/.test(f.message))).toBe(true);

    // Many files under the read limit, over the budget in total (one blob, so .git stays small).
    const medium = git(repo, ['hash-object', '-w', '--stdin'], Buffer.alloc(4 * 1024 * 1024, 0x61)).trim();
    const count = Math.ceil(BASE_LIMITS.maxBytes / (4 * 1024 * 1024)) + 1;
    const lines = Array.from({ length: count }, (_, i) => `100644 blob ${medium}\tf${i}.txt`).join('\n');
    const wide = git(repo, ['commit-tree', git(repo, ['mktree'], `${lines}\n`).trim(), '-m', 'wide']).trim();
    const temp2 = new TempDir('stacklint-test-wide-');
    try {
      await expect(materialise(repo, wide, '', temp2.path)).rejects.toThrow(GateError);
      await expect(materialise(repo, wide, '', temp2.path)).rejects.toThrow(/over the limit for --base/);
      expect(readdirSync(temp2.path)).toEqual([]);
    } finally {
      temp2.dispose();
    }
    const refused = runCli(['lint', '--base', wide, '.'], { cwd: repo });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/over the limit for --base/);
  });

  it('leaves no temporary tree and no git process behind when interrupted (SIGINT during lint --base)', async () => {
    const repo = scratch('interrupt');
    const fake = scratch('fake-git');
    const tmp = scratch('tmpdir');
    initRepo(repo);
    write(repo, RECIPE);
    commitAll(repo, 'base');
    write(repo, { 'compose.yml': `${RECIPE['compose.yml']}  db:\n    image: postgres\n` });
    commitAll(repo, 'head');
    const realGit = git(repo, ['--exec-path']).trim() + '/git';
    const pidFile = join(fake, 'cat-file.pid');
    // A git whose cat-file hangs (after saying so): the child stacklint must stop when interrupted.
    writeFileSync(
      join(fake, 'git'),
      `#!/bin/sh\ncase " $* " in *" cat-file "*) echo $$ > ${pidFile}.tmp; mv ${pidFile}.tmp ${pidFile}; sleep 300 & wait ;; esac\nexec ${realGit} "$@"\n`,
    );
    chmodSync(join(fake, 'git'), 0o755);
    const child = spawn(process.execPath, [CLI, 'lint', '--base', 'HEAD~1', '.'], {
      cwd: repo,
      env: { PATH: `${fake}:${process.env.PATH}`, HOME: process.env.HOME ?? '/root', TMPDIR: tmp, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => child.on('exit', (code, signal) => resolveExit({ code, signal })));
    // Wait (polling the condition) until git cat-file is running.
    const deadline = Date.now() + 20_000;
    while (!existsSync(pidFile) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(existsSync(pidFile), stderr).toBe(true);
    const gitPid = Number(readFileSync(pidFile, 'utf8'));
    expect(readdirSync(tmp).some((n) => n.startsWith('stacklint-base-'))).toBe(true);
    expect(processesInGroup(gitPid).length).toBeGreaterThan(0);
    child.kill('SIGINT');
    const result = await Promise.race([exited, new Promise<'hung'>((r) => setTimeout(() => r('hung'), 10_000))]);
    if (result === 'hung') child.kill('SIGKILL');
    expect(result).toEqual({ code: null, signal: 'SIGINT' });
    expect(readdirSync(tmp)).toEqual([]);
    // The group (the fake git and its sleep) is gone; allow the kernel a moment to reap them.
    const gone = Date.now() + 10_000;
    while (processesInGroup(gitPid).length > 0 && Date.now() < gone) await new Promise((r) => setTimeout(r, 20));
    expect(processesInGroup(gitPid)).toEqual([]);
  }, 60_000);
});

describe('a .git that leads to another repository', () => {
  function otherRepositoryWithTag(): string {
    const other = scratch('other');
    initRepo(other);
    write(other, { 'x.txt': 'x\n' });
    commitAll(other, 'other');
    git(other, ['tag', 'secret-tag-of-another-repository']);
    return other;
  }

  it('--git refuses a `.git` file naming another repository, and prints none of its tags', () => {
    const other = otherRepositoryWithTag();
    const recipe = scratch('gitfile');
    write(recipe, { ...RECIPE, '.git': `gitdir: ${join(other, '.git')}\n` });
    const run = runCli(['lint', '--git', '--format', 'json', '.'], { cwd: recipe });
    expect(run.stdout).not.toContain('secret-tag-of-another-repository');
    const r014 = JSON.parse(run.stdout).findings.filter((f: { rule: string }) => f.rule === 'R014');
    expect(r014).toHaveLength(1);
    expect(r014[0].message).toMatch(/another repository/);
    expect(r014[0].severity).toBe('info');
  });

  it('--git refuses a `.git` link to another repository too; --base refuses it with exit 2', async () => {
    const other = otherRepositoryWithTag();
    const recipe = scratch('gitlink');
    write(recipe, RECIPE);
    symlinkSync(join(other, '.git'), join(recipe, '.git'));
    const run = runCli(['lint', '--git', '--format', 'json', '.'], { cwd: recipe });
    expect(run.stdout).not.toContain('secret-tag-of-another-repository');
    expect(run.stdout).toMatch(/another repository/);
    await expect(repoLocation(recipe)).rejects.toThrow(/another repository/);
    const base = runCli(['lint', '--base', 'HEAD', '.'], { cwd: recipe });
    expect(base.status).toBe(2);
    expect(base.stderr).toMatch(/another repository/);
  });

  it('accepts a linked worktree and a submodule (their .git files are legitimate)', () => {
    const main = scratch('main');
    initRepo(main);
    write(main, RECIPE);
    commitAll(main, 'recipe');
    git(main, ['tag', 'lightweight-in-main']);
    const worktrees = scratch('worktrees');
    const wt = join(worktrees, 'wt');
    git(main, ['worktree', 'add', '-q', wt]);
    const inWorktree = runCli(['lint', '--git', '--format', 'json', '.'], { cwd: wt });
    const r014 = JSON.parse(inWorktree.stdout).findings.filter((f: { rule: string }) => f.rule === 'R014');
    expect(r014.map((f: { message: string }) => f.message).join('\n')).toMatch(/lightweight-in-main.*lightweight tag/);

    const superproject = scratch('super');
    initRepo(superproject);
    git(superproject, ['-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', main, 'recipe']);
    commitAll(superproject, 'with submodule');
    expect(readFileSync(join(superproject, 'recipe', '.git'), 'utf8')).toMatch(/gitdir: \.\.\/\.git\/modules\/recipe/);
    const inSubmodule = runCli(['lint', '--git', '--format', 'json', '.'], { cwd: join(superproject, 'recipe') });
    const sub = JSON.parse(inSubmodule.stdout).findings.filter((f: { rule: string }) => f.rule === 'R014');
    expect(sub.map((f: { message: string }) => f.message).join('\n')).toMatch(/lightweight-in-main.*lightweight tag/);
  });

  it('checkGitDirectory: a worktree administrative directory that does not name this .git back is refused', () => {
    const main = scratch('main2');
    initRepo(main);
    write(main, RECIPE);
    commitAll(main, 'recipe');
    const wt = join(scratch('wt2'), 'wt');
    git(main, ['worktree', 'add', '-q', wt]);
    const admin = join(main, '.git', 'worktrees', 'wt');
    expect(checkGitDirectory(wt, admin, join(main, '.git'))).toEqual({ ok: true });
    // A stranger's directory claiming the same worktree: its .git is not the one the admin dir names.
    const stranger = scratch('stranger');
    write(stranger, { '.git': `gitdir: ${admin}\n` });
    expect(checkGitDirectory(stranger, admin, join(main, '.git'))).toMatchObject({ ok: false });
  });
});
