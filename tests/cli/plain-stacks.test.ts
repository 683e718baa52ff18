// Plain swarm stacks (#23): files as `docker stack deploy -c` takes them, docker's and the community's file
// names, and no Co-op Cloud convention on a stack that is not a recipe.
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, stackDir } from './helpers.js';

const CLEAN = 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n';
const ON_EDGE = 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    networks: [edge]\n';
const EDGE_NETWORK = 'version: "3.8"\nnetworks:\n  edge:\n    driver: overlay\n';

const stack = (files: Record<string, string>) => stackDir(files, 'stacklint-plain-');

const json = (stdout: string) => JSON.parse(stdout) as { findings: Array<{ rule: string; file: string; views: string[] }>; summary: { views: number; files: number } };

describe('the three commands of #23 on a plain stack', () => {
  for (const args of [['.'], ['docker-stack.yml'], ['-c', 'docker-stack.yml']]) {
    it(`stacklint lint ${args.join(' ')}: exit 0 on the clean stack, says it took a plain stack`, () => {
      const dir = stack({ 'docker-stack.yml': CLEAN });
      const r = runCli(['lint', ...args], { cwd: dir });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('linted as a plain stack');
    });

    it(`stacklint lint ${args.join(' ')}: exit 1 on an undefined network, with no recipe rule`, () => {
      const dir = stack({ 'docker-stack.yml': ON_EDGE });
      const r = runCli(['lint', '--format', 'json', ...args], { cwd: dir });
      expect(r.status).toBe(1);
      const out = json(r.stdout);
      expect(out.findings.map((f) => f.rule)).toContain('dangling-reference');
      expect(out.findings.filter((f) => /^R0\d\d$|^version-label$|^secret-version-var$|^compose-file-list$/.test(f.rule))).toEqual([]);
      expect(out.findings.every((f) => !f.views.includes('abra'))).toBe(true);
    });
  }
});

describe('lint -c FILE… is the view docker stack deploy deploys', () => {
  it('merges the files in order: the overlay defines the network the base uses', () => {
    const dir = stack({ 'docker-stack.yml': ON_EDGE, 'docker-stack.net.yml': EDGE_NETWORK });
    const merged = runCli(['lint', '--format', 'json', '-c', 'docker-stack.yml', '-c', 'docker-stack.net.yml'], { cwd: dir });
    expect(merged.status).toBe(0);
    expect(json(merged.stdout).summary.views).toBe(1);
    // Named as targets, each file is a view of its own: the base alone lacks the network.
    const apart = runCli(['lint', '--format', 'json', 'docker-stack.yml', 'docker-stack.net.yml'], { cwd: dir });
    expect(apart.status).toBe(1);
    expect(json(apart.stdout).summary.views).toBe(2);
  });

  it('takes files relative to the cwd; the stack is the first file\'s directory', () => {
    const dir = stack({ 'deploy/stack.yml': ON_EDGE, 'deploy/net.yml': EDGE_NETWORK });
    const r = runCli(['lint', '-c', 'deploy/stack.yml', '-c', 'deploy/net.yml'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('refuses what docker could not deploy: one line, exit 2, no stack trace', () => {
    const dir = stack({ 'docker-stack.yml': CLEAN, 'sub/x.yml': CLEAN, 'other/y.yml': CLEAN });
    symlinkSync('/etc/hostname', join(dir, 'sub', 'out.yml'));
    const cases: Array<[string[], RegExp]> = [
      [['-c', 'missing.yml'], /-c missing\.yml: no such file/],
      [['-c', 'sub'], /-c sub: is a directory/],
      [['-c', 'sub/out.yml'], /-c sub\/out\.yml: a link to \/etc\/hostname, outside the stack's directory .*sub; not read/],
      [['-c', 'sub/x.yml', '-c', 'sub/out.yml'], /-c sub\/out\.yml: a link to \/etc\/hostname, outside the stack's directory/],
      [['-c', 'sub/x.yml', '-c', '/etc/hostname'], /-c \/etc\/hostname: no repository or directory short of \/ holds it and sub\/x\.yml; give --root DIR/],
      [['--root', 'sub', '-c', 'sub/x.yml', '-c', 'other/y.yml'], /-c other\/y\.yml: outside --root sub; not read/],
      [['-c', '-', '-c', '-'], /-c -: stdin is named more than once; it can be read once/],
      [['-c', '-', '--base', 'HEAD'], /-c - \(stdin\) has no revision to compare with/],
      [['-c', '-', '--fix'], /--fix cannot write back to stdin/],
      [['-c', 'docker-stack.yml', '.'], /either -c files or directories/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['lint', ...args], { cwd: dir, input: CLEAN });
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('a directory opens by docker\'s and the community\'s names', () => {
  for (const base of ['compose.yaml', 'docker-compose.yml', 'docker-compose.yaml', 'docker-stack.yaml', 'stack.yml']) {
    it(`${base} and an overlay named after it`, () => {
      const overlay = base.replace(/\.ya?ml$/, '.prod.yml');
      // compose.*.yml are overlays of compose.yml|yaml only: beside another base they are no view.
      const unrelated = base.startsWith('compose.') ? 'unrelated.yml' : 'compose.unrelated.yml';
      const dir = stack({ [base]: ON_EDGE, [overlay]: EDGE_NETWORK, [unrelated]: CLEAN });
      const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
      expect(r.status).toBe(1);
      const finding = json(r.stdout).findings.find((f) => f.rule === 'dangling-reference');
      // The base alone lacks the network; the base with its overlay has it.
      expect(finding?.views).toEqual([base]);
      expect(json(r.stdout).summary.views).toBe(2);
    });
  }

  it('a directory without any of them: one line, exit 2', () => {
    const dir = stack({ 'app.yml': CLEAN });
    const r = runCli(['lint', '.'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no stack here .*docker-stack\.yml/);
  });
});

describe('recipe or plain stack', () => {
  const marks: Array<[string, Record<string, string>]> = [
    ['.env.sample', { '.env.sample': 'TYPE=web\n' }],
    ['abra.sh', { 'abra.sh': 'export APP_VERSION=1\n' }],
    ['a coop-cloud.* label', { 'compose.yml': `${CLEAN}    deploy:\n      labels:\n        - coop-cloud.\${STACK_NAME}.version=1.0.0+1.27\n` }],
    ['a README metadata block', { 'README.md': '# web\n\n<!-- metadata -->\n* **Category**: Apps\n<!-- endmetadata -->\n' }],
  ];
  for (const [mark, files] of marks) {
    it(`${mark} makes a recipe: abra's conventions and view are on`, () => {
      const dir = stack({ 'compose.yml': CLEAN, ...files });
      const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
      const out = json(r.stdout);
      expect(out.findings.some((f) => /^R0\d\d$/.test(f.rule))).toBe(true);
      expect(out.findings.some((f) => f.views.includes('abra'))).toBe(true);
      expect(runCli(['lint', '.'], { cwd: dir }).stdout).toContain('linted as a recipe');
    });
  }

  it('--preset abra lints a plain directory as a recipe', () => {
    const dir = stack({ 'compose.yml': CLEAN });
    const r = runCli(['lint', '--format', 'json', '--preset', 'abra', '.'], { cwd: dir });
    expect(json(r.stdout).findings.some((f) => f.rule === 'R008')).toBe(true);
    expect(runCli(['lint', '.'], { cwd: dir }).stdout).toContain('linted as a plain stack');
  });
});

describe("a plain stack's read boundary is its repository", () => {
  const WITH_ENV_FILE = 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    env_file: ../configs/app.env\n';

  it('reads a file above the stack inside the git work tree (or --root), nothing outside it', () => {
    const repo = stack({ 'deploy/docker-stack.yml': WITH_ENV_FILE, 'configs/app.env': 'MODE=prod\n' });
    // Without a work tree the stack's directory is the boundary: the env_file is not read.
    const outside = runCli(['lint', '--format', 'json', '-c', 'deploy/docker-stack.yml'], { cwd: repo });
    expect(outside.status).toBe(1);
    expect(JSON.parse(outside.stdout).findings.map((f: { message: string }) => f.message).join('\n')).toMatch(/env_file `\.\.\/configs\/app\.env` is outside the stack's directory .*stacklint does not read it/);
    expect(runCli(['lint', '--root', '.', '-c', 'deploy/docker-stack.yml'], { cwd: repo }).status).toBe(0);
    mkdirSync(join(repo, '.git'));
    expect(runCli(['lint', '-c', 'deploy/docker-stack.yml'], { cwd: repo }).status).toBe(0);
    // A link out of the repository is refused, never read.
    const linked = stack({ 'deploy/docker-stack.yml': WITH_ENV_FILE, '.git/HEAD': 'ref: refs/heads/main\n' });
    mkdirSync(join(linked, 'configs'));
    symlinkSync('/etc/hostname', join(linked, 'configs', 'app.env'));
    const r = runCli(['lint', '--format', 'json', '-c', 'deploy/docker-stack.yml'], { cwd: linked });
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).findings.map((f: { message: string }) => f.message).join('\n')).toMatch(/app\.env is a symbolic link to \/etc\/hostname outside .*; not read/);
  });

  it('--root that is not a directory: one line, exit 2', () => {
    const dir = stack({ 'docker-stack.yml': CLEAN });
    const r = runCli(['lint', '--root', 'nope', '.'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--root nope: not a directory/);
  });
});

describe('a swarm file beside a docker compose file', () => {
  const COMPOSE_ONLY = 'services:\n  app:\n    image: nginx:1.27\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16\n';

  it('docker-stack.yml is the base; docker-compose.yml (for docker compose) is not linted, and the summary says so', () => {
    const dir = stack({ 'docker-compose.yml': COMPOSE_ONLY, 'docker-stack.yml': CLEAN, 'docker-stack.prod.yml': ON_EDGE });
    const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
    const out = json(r.stdout);
    expect(out.findings.filter((f) => f.file === 'docker-compose.yml')).toEqual([]);
    // The swarm file's overlay is judged in its view: the undefined network.
    expect(out.findings).toContainEqual(expect.objectContaining({ rule: 'dangling-reference', file: 'docker-stack.prod.yml', views: ['docker-stack.yml+docker-stack.prod.yml'] }));
    const stylish = runCli(['lint', '.'], { cwd: dir });
    expect(stylish.stdout).toContain('docker-compose.yml not linted (for docker compose, beside the swarm file');
    expect(runCli(['config', '.'], { cwd: dir }).stdout).not.toContain('depends_on');
  });

  it('without a swarm file, docker-compose.yml is the stack and docker refuses its depends_on mapping', () => {
    const dir = stack({ 'docker-compose.yml': COMPOSE_ONLY });
    const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(json(r.stdout).findings).toContainEqual(expect.objectContaining({ rule: 'schema', file: 'docker-compose.yml' }));
  });

  it('named with -c, docker-compose.yml is linted even beside docker-stack.yml', () => {
    const dir = stack({ 'docker-compose.yml': COMPOSE_ONLY, 'docker-stack.yml': CLEAN });
    const r = runCli(['lint', '--format', 'json', '-c', 'docker-compose.yml'], { cwd: dir });
    expect(json(r.stdout).findings).toContainEqual(expect.objectContaining({ rule: 'schema', file: 'docker-compose.yml' }));
  });
});

describe('a swarm file beside a docker compose file, with declared views', () => {
  it('a README that deploys docker-compose.yml wins: it is linted, and the summary does not call it skipped', () => {
    const readme = '# app\n\n```sh\ndocker stack deploy -c docker-compose.yml app\n```\n';
    const dir = stack({ 'docker-compose.yml': ON_EDGE, 'docker-stack.yml': CLEAN, 'README.md': readme });
    const r = runCli(['lint', '.'], { cwd: dir });
    expect(r.stdout).toContain('dangling-reference');
    expect(r.stdout).toContain('views as declared in README.md:4');
    expect(r.stdout).not.toContain('not linted');
  });
});
