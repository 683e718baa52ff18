// Files named on the command line are the user's choice (held-out set 3): a `-c` overlay in a sibling folder of
// the same repository is read like the stack's own files, on every command that takes -c; `-c -` reads stdin as
// docker does. What makes a directory a stack: `.env.sample` alone is no recipe, declared views always make a
// stack, and a version 1/2.x base file is a docker-compose file, not a stack, in folder mode.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, stackDir } from './helpers.js';
import { git, TempRepo } from '../gate/helpers.js';

const CLEAN = 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n';
const ON_EDGE = 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    networks: [edge]\n';
const EDGE_NETWORK = 'version: "3.8"\nnetworks:\n  edge:\n    driver: overlay\n';
/** An overlay that puts the service on a network nobody defines. */
const FAULT = 'version: "3.8"\nservices:\n  web:\n    environment:\n      FAIL: "true"\n    networks: [edge]\n';
/** A docker-compose development file: docker stack refuses its version. */
const COMPOSE_V2 = "version: '2'\nservices:\n  python-app:\n    build: .\n    links:\n      - redis\n  redis:\n    image: redis\n";

interface JsonReport {
  findings: Array<{ rule: string; recipe?: string; file: string; views: string[]; message: string; severity: string }>;
  summary: { views: number; files: number; errors: number };
  recipes?: Array<{ recipe: string }>;
}
const json = (stdout: string) => JSON.parse(stdout) as JsonReport;
const dockerConfig = (args: string[], cwd: string, input?: string) =>
  spawnSync('/usr/local/bin/docker', ['stack', 'config', ...args], { cwd, encoding: 'utf8', input, env: { PATH: process.env.PATH ?? '' } });

/** A repository with the stack in base/ and its overlay in overrides/ (both committed). */
function siblingRepo(overlay = FAULT): string {
  const dir = stackDir({ 'base/stack.yml': CLEAN, 'overrides/fault.yml': overlay }, 'stacklint-named-');
  mkdirSync(join(dir, '.git'));
  return dir;
}

describe('-c files in sibling folders of one repository', () => {
  it('lint -c base/x.yml -c overrides/y.yml lints that view: the overlay is read, its finding placed in it', () => {
    const dir = siblingRepo();
    const r = runCli(['lint', '--format', 'json', '-c', 'base/stack.yml', '-c', 'overrides/fault.yml'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const report = json(r.stdout);
    expect(report.findings.filter((f) => f.rule === 'dangling-reference').map((f) => [f.file, f.views])).toEqual([['../overrides/fault.yml', ['stack.yml+../overrides/fault.yml']]]);
    // The same view from the overlay's folder, and as --view; stylish shows the path from the current directory.
    const fromOverlay = runCli(['lint', '-c', '../base/stack.yml', '-c', 'fault.yml'], { cwd: join(dir, 'overrides') });
    expect(fromOverlay.status).toBe(1);
    expect(fromOverlay.stdout).toMatch(/^fault\.yml\n/);
    expect(runCli(['lint', '--view', 'base/stack.yml,overrides/fault.yml'], { cwd: dir }).status).toBe(1);
    expect(runCli(['lint', '--root', '.', '-c', 'base/stack.yml', '-c', 'overrides/fault.yml'], { cwd: dir }).status).toBe(1);
  });

  it('an overlay that completes the base: exit 0 on lint, baseline, review and graph; config prints what docker prints', () => {
    const dir = siblingRepo(EDGE_NETWORK);
    writeFileSync(join(dir, 'base/stack.yml'), ON_EDGE);
    const args = ['-c', 'base/stack.yml', '-c', 'overrides/fault.yml'];
    // The base alone lacks the network: the overlay was read.
    expect(runCli(['lint', '-c', 'base/stack.yml'], { cwd: dir }).status).toBe(1);
    for (const command of ['lint', 'review', 'baseline', 'graph']) {
      const r = runCli([command, ...args], { cwd: dir });
      expect(r.stderr.replace(/^stacklint review: needs an interactive terminal.*\n/, ''), command).toBe('');
      expect(r.status, command).toBe(0);
    }
    const docker = dockerConfig(args, dir);
    expect(docker.status, docker.stderr).toBe(0);
    expect(runCli(['config', ...args], { cwd: dir }).stdout).toBe(docker.stdout);
  });

  it('without a repository the boundary is the files\' common directory: an env_file there is read too', () => {
    const stack = 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    env_file: ../b/app.env\n';
    const dir = stackDir({ 'a/stack.yml': stack, 'b/app.env': 'MODE=prod\n', 'b/o.yml': 'version: "3.8"\nservices:\n  web:\n    environment: [A=1]\n' }, 'stacklint-named-');
    expect(runCli(['lint', '-c', 'a/stack.yml'], { cwd: dir }).status).toBe(1);
    const both = runCli(['lint', '-c', 'a/stack.yml', '-c', 'b/o.yml'], { cwd: dir });
    expect(both.stderr).toBe('');
    expect(both.status).toBe(0);
  });

  it('a link to a file of the repository is read; a link out of it is refused, never read', () => {
    const dir = siblingRepo();
    symlinkSync('../overrides/fault.yml', join(dir, 'base', 'link.yml'));
    symlinkSync('/etc/hostname', join(dir, 'overrides', 'out.yml'));
    const inside = runCli(['lint', '--format', 'json', '-c', 'base/stack.yml', '-c', 'base/link.yml'], { cwd: dir });
    expect(inside.stderr).toBe('');
    expect(json(inside.stdout).findings.map((f) => f.rule)).toContain('dangling-reference');
    const out = runCli(['lint', '-c', 'base/stack.yml', '-c', 'overrides/out.yml'], { cwd: dir });
    expect(out.status).toBe(2);
    expect(out.stderr).toMatch(/^stacklint lint: -c overrides\/out\.yml: a link to \/etc\/hostname, outside the repository .*; not read\n$/);
  });

  it('a recipe with an overlay in another folder: read as named', () => {
    const dir = stackDir({ 'recipe/compose.yml': CLEAN, 'recipe/abra.sh': 'export X=1\n', 'extra/compose.fault.yml': FAULT }, 'stacklint-named-');
    mkdirSync(join(dir, '.git'));
    const r = runCli(['lint', '--format', 'json', '-c', 'recipe/compose.yml', '-c', 'extra/compose.fault.yml'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(json(r.stdout).findings.filter((f) => f.rule === 'dangling-reference').map((f) => f.file)).toEqual(['../extra/compose.fault.yml']);
  });

  it('--fix writes the fix into the sibling overlay, and nothing outside the repository', () => {
    const dir = siblingRepo('version: "3.8"\nservices:\n  web:\n    environment:\n      - REWRITE=^/old/(.*) /new/$1\n');
    const args = ['-c', 'base/stack.yml', '-c', 'overrides/fault.yml'];
    expect(runCli(['lint', ...args], { cwd: dir }).stdout).toContain('interpolation');
    const fixed = runCli(['lint', '--fix', ...args], { cwd: dir });
    expect(fixed.stderr).toBe('');
    expect(fixed.status).toBe(0);
    expect(readFileSync(join(dir, 'overrides/fault.yml'), 'utf8')).toContain('/new/$$1');
  });

  it('--base REF reads the sibling overlay at REF too', () => {
    const repo = new TempRepo();
    try {
      repo.write({ 'base/stack.yml': ON_EDGE, 'overrides/net.yml': EDGE_NETWORK });
      git(repo.dir, 'add', '-A');
      git(repo.dir, 'commit', '-q', '-m', 'base');
      const args = ['-c', 'base/stack.yml', '-c', 'overrides/net.yml'];
      const same = runCli(['lint', ...args, '--base', 'HEAD'], { cwd: repo.dir });
      expect(same.stderr).toBe('');
      expect(same.stdout).toContain('0 new, 0 fixed, 0 unchanged');
      repo.write({ 'overrides/net.yml': 'version: "3.8"\n' });
      const worse = runCli(['lint', '--format', 'json', ...args, '--base', 'HEAD'], { cwd: repo.dir });
      expect(worse.status).toBe(1);
      expect(json(worse.stdout).findings.map((f) => [f.rule, f.file])).toEqual([['dangling-reference', 'stack.yml']]);
      expect(runCli(['lint', ...args, '--upgrade-from', 'HEAD'], { cwd: repo.dir }).stderr).toBe('');
    } finally {
      repo.dispose();
    }
  });
});

describe('-c - reads the compose file from stdin, as docker does', () => {
  it('lints it as `-`, from the current directory (its env_file is read there)', () => {
    const dir = stackDir({ 'app.env': 'MODE=prod\n', 'docker-stack.yml': ON_EDGE }, 'stacklint-stdin-');
    const bad = runCli(['lint', '--format', 'json', '-c', '-'], { cwd: dir, input: ON_EDGE });
    expect(bad.status).toBe(1);
    expect(json(bad.stdout).findings.filter((f) => f.rule === 'dangling-reference').map((f) => [f.file, f.views])).toEqual([['-', ['-']]]);
    const withEnv = `${CLEAN}    env_file: app.env\n`;
    const good = runCli(['lint', '-c', '-'], { cwd: dir, input: withEnv });
    expect(good.stderr).toBe('');
    expect(good.status).toBe(0);
    const missingEnv = runCli(['lint', '-c', '-'], { cwd: dir, input: `${CLEAN}    env_file: nope.env\n` });
    expect(missingEnv.status).toBe(1);
    // After a named file: merged in order, the named file's directory is the stack's.
    expect(runCli(['lint', '-c', 'docker-stack.yml', '-c', '-'], { cwd: dir, input: EDGE_NETWORK }).status).toBe(0);
    expect(runCli(['graph', '-c', '-'], { cwd: dir, input: ON_EDGE }).stdout).toContain('web');
    expect(runCli(['config', '-c', '-'], { cwd: dir, input: withEnv }).stdout).toBe(dockerConfig(['-c', '-'], dir, withEnv).stdout);
  });
});

describe('what makes a directory a stack', () => {
  it('.env.sample beside no compose.yml is a plain stack, and its deploy script\'s views are linted', () => {
    const dir = stackDir({
      '.env.sample': 'DOMAIN_NAME=localhost\n',
      'main.compose.yml': ON_EDGE,
      '0-agents.compose.yml': EDGE_NETWORK,
      'bin/deploy.sh': '#!/bin/bash\ndocker stack deploy -c main.compose.yml -c 0-agents.compose.yml olc --prune\n',
    }, 'stacklint-kind-');
    const r = runCli(['lint', '.'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('linted as a plain stack (Co-op Cloud recipe conventions off); views as declared in bin/deploy.sh:2');
    const beside = stackDir({ '.env.sample': 'DOMAIN=x\n', 'docker-stack.yml': CLEAN }, 'stacklint-kind-');
    const plain = runCli(['lint', '--format', 'json', '.'], { cwd: beside });
    expect(plain.status).toBe(0);
    expect(json(plain.stdout).findings.filter((f) => /^R0\d\d$/.test(f.rule))).toEqual([]);
    // Beside compose.yml it still marks a recipe.
    const recipe = stackDir({ '.env.sample': 'DOMAIN=x\n', 'compose.yml': CLEAN }, 'stacklint-kind-');
    expect(runCli(['lint', '.'], { cwd: recipe }).stdout).toContain('linted as a recipe (.env.sample beside compose.yml');
  });

  it('declared views make a stack whatever marks a recipe, and a config\'s views: alone does too', () => {
    const recipe = stackDir({ 'abra.sh': 'export X=1\n', 'app.yml': CLEAN, 'deploy.sh': 'docker stack deploy -c app.yml app\n' }, 'stacklint-kind-');
    const r = runCli(['lint', '.'], { cwd: recipe });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('linted as a recipe (abra.sh: Co-op Cloud conventions on); views as declared in deploy.sh:1');
    const configured = stackDir({ 'app.yml': ON_EDGE, '.stacklintrc.yml': 'views:\n  - [app.yml]\n' }, 'stacklint-kind-');
    const c = runCli(['lint', '--format', 'json', '.'], { cwd: configured });
    expect(c.stderr).toBe('');
    expect(json(c.stdout).findings.map((f) => [f.rule, f.file])).toEqual([['dangling-reference', 'app.yml']]);
    const env = stackDir({ 'app.yml': CLEAN, '.env.example': 'COMPOSE_FILE=app.yml\n' }, 'stacklint-kind-');
    expect(runCli(['lint', '.'], { cwd: env }).status).toBe(0);
  });
});

describe('a folder a catalogue\'s own declarations deploy from', () => {
  it('is a stack with exactly the declared views, even with no base file of its own', () => {
    const readme = '# app\n\n```sh\ndocker stack deploy -c deploy/swarm.yml app\n```\n';
    const dir = stackDir({ 'deploy/swarm.yml': ON_EDGE, 'deploy/net.yml': EDGE_NETWORK, 'README.md': readme }, 'stacklint-declared-');
    const bad = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
    expect(bad.stderr).toBe('');
    expect(json(bad.stdout).findings.map((f) => [f.rule, f.recipe, f.file, f.views])).toEqual([['dangling-reference', 'deploy', 'swarm.yml', ['swarm.yml']]]);
    writeFileSync(join(dir, 'README.md'), readme.replace('-c deploy/swarm.yml', '-c deploy/swarm.yml -c deploy/net.yml'));
    const good = runCli(['lint', '.'], { cwd: dir });
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('views as declared in README.md:4');
  });

  it('its files may lie in sibling folders; --base reads the same boundary at REF', () => {
    const repo = new TempRepo();
    try {
      repo.write({ 'stack/base/b.yml': ON_EDGE, 'stack/overrides/x.yml': EDGE_NETWORK, 'deploy.sh': 'docker stack deploy -c stack/base/b.yml -c stack/overrides/x.yml app\n' });
      git(repo.dir, 'add', '-A');
      git(repo.dir, 'commit', '-q', '-m', 'base');
      const r = runCli(['lint', '--format', 'json', '.'], { cwd: repo.dir });
      expect(r.status, r.stderr).toBe(0);
      expect(json(r.stdout).summary.views).toBe(1);
      const gate = runCli(['lint', '.', '--base', 'HEAD'], { cwd: repo.dir });
      expect(gate.stderr).toBe('');
      expect(gate.stdout).toContain('0 new, 0 fixed, 0 unchanged');
    } finally {
      repo.dispose();
    }
  });
});

describe('a version 1 / 2.x base file is a docker-compose file, not a stack, in folder mode', () => {
  it('the swarm stack a README deploys in a subdirectory is linted; the docker-compose file is named, not linted', () => {
    const dir = stackDir({
      'docker-compose.yaml': COMPOSE_V2,
      'README.md': '# app\n\n```\ndocker-compose up\n```\n\nFor docker swarm see stack-swarm/\n',
      'stack-swarm/docker-stack.yaml': ON_EDGE,
      'stack-swarm/README.md': '# swarm\n\n```\ndocker stack deploy --compose-file docker-stack.yaml hamed\n```\n',
    }, 'stacklint-v2-');
    const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
    expect(r.stderr).toBe('');
    // A catalogue of one stack: findings name it.
    expect(json(r.stdout).findings.map((f) => [f.rule, f.recipe, f.file])).toEqual([['dangling-reference', 'stack-swarm', 'docker-stack.yaml']]);
    expect(runCli(['lint', '.'], { cwd: dir }).stdout).toContain('docker-compose.yaml (version 2) not linted (docker-compose files: docker stack refuses versions 1 and 2.x');
  });

  it('with no stack beside it: no stack here, saying why and where stacks were looked for (exit 2)', () => {
    const dir = stackDir({ 'docker-compose.yml': COMPOSE_V2.replace("'2'", '"2.4"'), 'docs/notes.md': 'x\n' }, 'stacklint-v2-');
    const r = runCli(['lint', '.'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^stacklint lint: \.: no stack here: docker-compose\.yml \(version 2\.4\) is a docker-compose file, not a stack .*looked in \. and the directories in it/);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });

  it('named with -c or as FILE it is linted, and docker\'s refusal is the finding', () => {
    const dir = stackDir({ 'docker-compose.yml': COMPOSE_V2 }, 'stacklint-v2-');
    for (const args of [['-c', 'docker-compose.yml'], ['docker-compose.yml']]) {
      const r = runCli(['lint', '--format', 'json', ...args], { cwd: dir });
      expect(r.status).toBe(1);
      expect(json(r.stdout).findings.find((f) => f.rule === 'schema')?.message).toMatch(/version `2`, which docker stack does not support/);
    }
  });

  it('a recipe\'s compose.yml is deployed whatever its version: docker\'s refusal is the finding', () => {
    const dir = stackDir({ 'compose.yml': COMPOSE_V2, 'abra.sh': 'export X=1\n' }, 'stacklint-v2-');
    const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
    expect(json(r.stdout).findings.map((f) => f.rule)).toContain('schema');
  });

  it('beside a stack file of another version, the stack file is the base and the summary names the other', () => {
    const dir = stackDir({ 'compose.yml': COMPOSE_V2, 'docker-compose.yml': ON_EDGE }, 'stacklint-v2-');
    const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
    expect(json(r.stdout).findings.map((f) => [f.rule, f.file])).toEqual([['dangling-reference', 'docker-compose.yml']]);
    expect(runCli(['lint', '.'], { cwd: dir }).stdout).toContain('compose.yml (version 2) not linted');
  });
});

describe('a base file the directory only runs with `docker compose up` is a docker-compose file in folder mode', () => {
  const DEV_V3 = 'version: "3.3"\nservices:\n  web:\n    image: nginx:1.27\n    networks: [dev]\nnetworks:\n  dev:\n    driver: bridge\n';
  it('the swarm stack of a subdirectory is linted; the development file is named with the line that runs it', () => {
    const dir = stackDir({
      'docker-compose.yml': DEV_V3,
      'README.md': '# app\n\nRun it with docker-compose:\n\n    docker-compose up -d\n\nFor the swarm see swarm/\n',
      'swarm/docker-compose.yml': ON_EDGE,
      'swarm/README.md': '# swarm\n\n    docker stack deploy -c docker-compose.yml app\n',
    }, 'stacklint-up-');
    const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
    expect(r.stderr).toBe('');
    // network-driver would fire on the development file's `driver: bridge`: it is not linted.
    expect(json(r.stdout).findings.map((f) => [f.rule, f.recipe, f.file])).toEqual([['dangling-reference', 'swarm', 'docker-compose.yml']]);
    expect(runCli(['lint', '.'], { cwd: dir }).stdout).toContain('docker-compose.yml (run with `docker compose up` at README.md:5) not linted');
  });

  it('a file the directory also deploys with docker stack deploy (or names with -f and deploys) stays the stack', () => {
    for (const readme of [
      '    docker compose up\n\nIn production:\n\n    docker stack deploy -c docker-compose.yml app\n',
      '    docker compose -f docker-compose.yml -f dev.yml up\n    docker stack deploy -c docker-compose.yml -c prod.yml app\n',
    ]) {
      const dir = stackDir({ 'docker-compose.yml': DEV_V3, 'dev.yml': 'services: {}\n', 'prod.yml': 'services: {}\n', 'README.md': readme }, 'stacklint-up-');
      const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
      expect(json(r.stdout).findings.map((f) => f.rule), readme).toContain('network-driver');
    }
  });

  it('other compose commands, and up on another file, leave the base alone', () => {
    for (const readme of ['    docker compose run mc admin info\n', '    docker compose -f dev.yml up\n', '    docker-compose --env-file x.env -p demo build\n']) {
      const dir = stackDir({ 'docker-compose.yml': DEV_V3, 'dev.yml': 'services: {}\n', 'README.md': readme }, 'stacklint-up-');
      const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
      expect(json(r.stdout).findings.map((f) => f.rule), readme).toContain('network-driver');
    }
  });

  it('with no stack left: no stack here, naming the line that runs the file (exit 2); -c FILE still lints it', () => {
    const dir = stackDir({ 'docker-compose.yml': DEV_V3, 'Makefile': 'up:\n\tdocker compose --project-name demo up -d\n' }, 'stacklint-up-');
    const r = runCli(['lint', '.'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/no stack here: docker-compose\.yml \(run with `docker compose up` at Makefile:2\) is a docker-compose file/);
    const named = runCli(['lint', '--format', 'json', '-c', 'docker-compose.yml'], { cwd: dir });
    expect(json(named.stdout).findings.map((f) => f.rule)).toContain('network-driver');
  });
});
