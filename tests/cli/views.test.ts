// Which views a stack is linted with (#23): --view and --env-file on the command line, the views a repository
// declares (config `views:`, .env.example / .env.dist COMPOSE_FILE, plain `docker stack deploy -c` lines),
// standalone files beside the base, and -c / FILE / --env-file on every command that takes a stack.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, runCli, stackDir } from './helpers.js';
import { git, TempRepo } from '../gate/helpers.js';

const ON_EDGE = 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    networks: [edge]\n';
const EDGE_NETWORK = 'version: "3.8"\nnetworks:\n  edge:\n    driver: overlay\n';
const REQUIRED_TAG = 'version: "3.8"\nservices:\n  web:\n    image: "nginx:${TAG:?set TAG}"\n';
/** A development file: swarm ignores `build`, and warns. */
const DEV = 'services:\n  web:\n    build: .\n    ports: ["8080:80"]\n';
/** A complete stack of its own: no service shared with DEV, an image each, its own network. */
const SWARM = 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27\n    networks: [edge]\nnetworks:\n  edge:\n    driver: overlay\n';

const stack = (files: Record<string, string>) => stackDir(files, 'stacklint-views-');

interface JsonReport {
  findings: Array<{ rule: string; file: string; views: string[]; message: string; fix?: string }>;
  summary: { views: number; files: number; errors: number };
}
const json = (stdout: string) => JSON.parse(stdout) as JsonReport;
const viewsOf = (r: JsonReport) => [...new Set(r.findings.flatMap((f) => f.views))].sort();

/** The report's views, from a rule that fires in every view (an undefined network in each). */
function lintedViews(dir: string, args: string[] = ['.']): string[] {
  const r = runCli(['lint', '--format', 'json', '--rule', 'dangling-reference=info', ...args], { cwd: dir });
  expect(r.stderr).not.toContain('internal error');
  return viewsOf(json(r.stdout));
}

describe('lint --view a.yml,b.yml', () => {
  it('lints each named view, files merged in the given order, and nothing else', () => {
    const dir = stack({ 'docker-stack.yml': ON_EDGE, 'docker-stack.net.yml': EDGE_NETWORK, 'docker-stack.other.yml': 'version: "3.8"\n' });
    const both = runCli(['lint', '--format', 'json', '--view', 'docker-stack.yml', '--view', 'docker-stack.yml,docker-stack.net.yml'], { cwd: dir });
    expect(both.status).toBe(1);
    const report = json(both.stdout);
    expect(report.summary.views).toBe(2);
    // The network is missing only where the overlay is not merged.
    expect(report.findings.filter((f) => f.rule === 'dangling-reference').map((f) => f.views)).toEqual([['docker-stack.yml']]);
    const merged = runCli(['lint', '--view', 'docker-stack.yml,docker-stack.net.yml'], { cwd: dir });
    expect(merged.status).toBe(0);
  });

  it('adds to -c (the first view) and refuses bad input in one line, exit 2', () => {
    const dir = stack({ 'docker-stack.yml': ON_EDGE, 'docker-stack.net.yml': EDGE_NETWORK });
    const r = runCli(['lint', '--format', 'json', '-c', 'docker-stack.yml', '-c', 'docker-stack.net.yml', '--view', 'docker-stack.yml'], { cwd: dir });
    expect(json(r.stdout).summary.views).toBe(2);
    for (const [args, message] of [
      [['--view', 'docker-stack.yml,missing.yml'], /^stacklint lint: --view missing\.yml: no such file\n$/],
      [['--view', 'docker-stack.yml,,x.yml'], /^stacklint lint: --view docker-stack\.yml,,x\.yml: an empty file name/],
      [['--view', 'docker-stack.yml', '.'], /give either -c files or directories\/files/],
    ] as const) {
      const bad = runCli(['lint', ...args], { cwd: dir });
      expect(bad.status, bad.stderr).toBe(2);
      expect(bad.stderr).toMatch(message);
      expect(bad.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('lint --env-file FILE', () => {
  it('supplies the variables a required ${VAR:?} needs: the finding goes away', () => {
    const dir = stack({ 'docker-stack.yml': REQUIRED_TAG, 'tag.env': '# the release\nTAG=1.27\n' });
    const without = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
    expect(json(without.stdout).findings.map((f) => f.message).join('\n')).toContain('requires TAG');
    const withFile = runCli(['lint', '--format', 'json', '--env-file', 'tag.env', '.'], { cwd: dir });
    expect(withFile.stderr).toBe('');
    expect(json(withFile.stdout).findings).toEqual([]);
  });

  it('an unset variable that empties a value (a load failure on a plain stack) is gone once an env file sets it', () => {
    const dir = stack({ 'docker-stack.yml': 'version: "3.8"\nservices:\n  db:\n    image: postgres:16\n    volumes:\n      - ${DATA_DIR}:/var/lib/postgresql/data\n', 'prod.env': 'DATA_DIR=/srv/db\n' });
    const without = json(runCli(['lint', '--format', 'json', '.'], { cwd: dir }).stdout);
    expect(without.findings.map((f) => f.message).join('\n')).toContain('`${DATA_DIR}` is unset');
    const withFile = runCli(['lint', '--format', 'json', '--env-file', 'prod.env', '.'], { cwd: dir });
    expect(json(withFile.stdout).findings).toEqual([]);
  });

  it("on a recipe, a variable .env.sample lacks is no longer undefined once an env file sets it", () => {
    const dir = stack({
      'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: "nginx:${APP_TAG}"\n',
      '.env.sample': 'TYPE=x\n',
      'prod.env': 'APP_TAG=1.27\n',
    });
    const rules = (args: string[]) => json(runCli(['lint', '--format', 'json', ...args, '.'], { cwd: dir }).stdout).findings.map((f) => f.rule);
    expect(rules([])).toContain('undefined-variable');
    expect(rules(['--env-file', 'prod.env'])).not.toContain('undefined-variable');
  });

  it('later files win; docker env-file syntax (values literal, quotes kept)', () => {
    const dir = stack({ 'docker-stack.yml': REQUIRED_TAG, 'a.env': 'TAG=1.0\n', 'b.env': 'TAG="2.0"\n' });
    const r = runCli(['config', '--env-file', 'a.env', '--env-file', 'b.env', '-c', 'docker-stack.yml'], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('image: nginx:"2.0"');
    const docker = spawnSync('/usr/local/bin/docker', ['stack', 'config', '-c', 'docker-stack.yml'], { cwd: dir, env: { PATH: process.env.PATH ?? '', TAG: '"2.0"' }, encoding: 'utf8' });
    expect(r.stdout).toBe(docker.stdout);
  });

  it('a bad env file is one line, exit 2, never a stack trace', () => {
    const dir = stack({ 'docker-stack.yml': REQUIRED_TAG, 'bad.env': 'MY VAR=1\n' });
    // node itself reads `--env-file` anywhere on its command line and stops on a file it cannot read (exit 9)
    // before stacklint starts (README: Limits); after `--` it does not, and stacklint's own errors show.
    const run = (args: string[]) => spawnSync(process.execPath, ['--', CLI, ...args], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
    const bad = run(['lint', '--env-file', 'bad.env', '.']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("stacklint lint: --env-file bad.env: invalid env file (bad.env): variable 'MY VAR' contains whitespaces\n");
    const directory = run(['lint', '--env-file', '.', '.']);
    expect(directory.status).toBe(2);
    expect(directory.stderr).toBe('stacklint lint: --env-file .: is a directory (give an env file)\n');
    const missing = run(['lint', '--env-file', 'missing.env', '.']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('stacklint lint: --env-file missing.env: no such file\n');
    const config = run(['config', '--env-file', 'missing.env', '-c', 'docker-stack.yml']);
    expect(config.status).toBe(2);
    expect(config.stderr).toBe('stacklint config: --env-file missing.env: no such file\n');
  });
});

describe('views a repository declares', () => {
  it("the config's views: exactly those (no overlay combination), files not in them not linted", () => {
    const dir = stack({
      'docker-compose.yml': ON_EDGE,
      'docker-compose.net.yml': EDGE_NETWORK,
      'docker-compose.dev.yml': DEV,
      '.stacklintrc.yml': 'views:\n  - [docker-compose.yml, docker-compose.net.yml]\n  - docker-compose.yml,docker-compose.net.yml,docker-compose.dev.yml\n',
    });
    const r = runCli(['lint', '.'], { cwd: dir });
    expect(r.stdout).toContain('views as declared in .stacklintrc.yml:2, .stacklintrc.yml:3');
    const report = json(runCli(['lint', '--format', 'json', '.'], { cwd: dir }).stdout);
    expect(report.summary.views).toBe(2);
    // The base alone (whose network is missing) is not linted: no dangling reference.
    expect(report.findings.map((f) => f.rule)).not.toContain('dangling-reference');
  });

  it('a views: entry naming a file the stack lacks is a configuration error at its line (exit 2)', () => {
    const dir = stack({ 'docker-compose.yml': ON_EDGE, '.stacklintrc.yml': 'views:\n  - [docker-compose.yml]\n  - [docker-compose.yml, nope.yml]\n' });
    const r = runCli(['lint', '.'], { cwd: dir });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^stacklint lint: .*\.stacklintrc\.yml:3:5: views: nope\.yml is not a file in /);
    const shape = stack({ 'docker-compose.yml': ON_EDGE, '.stacklintrc.yml': 'views: docker-compose.yml\n' });
    const bad = runCli(['lint', '.'], { cwd: shape });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/\.stacklintrc\.yml:1:8: 'views' must be a list of views/);
  });

  it('COMPOSE_FILE in .env.example / .env.dist declares a view', () => {
    for (const envFile of ['.env.example', '.env.dist']) {
      const dir = stack({ 'docker-compose.yml': ON_EDGE, 'docker-compose.net.yml': EDGE_NETWORK, [envFile]: 'COMPOSE_FILE=docker-compose.yml:docker-compose.net.yml\n' });
      const r = runCli(['lint', '.'], { cwd: dir });
      expect(r.status, r.stdout).toBe(0);
      expect(r.stdout).toContain(`views as declared in ${envFile}:1`);
    }
  });

  it('plain `docker stack deploy -c` lines of CI, scripts and Makefiles declare views; others are skipped', () => {
    const dir = stack({
      'compose.yml': DEV,
      'compose.swarm.yml': ON_EDGE,
      'compose.net.yml': EDGE_NETWORK,
      '.github/workflows/deploy.yml': 'jobs:\n  deploy:\n    steps:\n      - run: docker stack deploy --with-registry-auth -c compose.swarm.yml -c compose.net.yml shop\n      - run: "docker stack deploy -c $STACK_FILE shop"\n',
      'scripts/deploy.sh': '#!/bin/sh\ndocker stack deploy \\\n  --compose-file ../compose.swarm.yml \\\n  -c=../compose.net.yml shop && echo done\ndocker stack deploy -c compose.*.yml x\n',
      Makefile: 'deploy:\n\tdocker stack deploy -c $(FILE) shop\n',
    });
    const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
    expect(r.status, r.stdout).toBe(0);
    expect(json(r.stdout).summary.views).toBe(1);
    const text = runCli(['lint', '.'], { cwd: dir }).stdout;
    expect(text).toContain('views as declared in .github/workflows/deploy.yml:4, scripts/deploy.sh:2');
    // compose.yml (a development file no declared view deploys) is not linted: no swarm-unsupported `build`.
    expect(text).not.toContain('swarm-unsupported');
  });

  it('a README code block declares a view; a command naming a file that does not exist declares nothing', () => {
    const dir = stack({ 'docker-stack.yml': ON_EDGE, 'docker-stack.net.yml': EDGE_NETWORK, 'README.md': '# shop\n\n```sh\ndocker stack deploy -c docker-stack.yml -c docker-stack.net.yml shop\n```\n\nOr `docker stack deploy -c stack.prod.yml shop`.\n' });
    const r = runCli(['lint', '.'], { cwd: dir });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain('views as declared in README.md:4');
  });

  it('the command line wins over declared views', () => {
    const dir = stack({ 'docker-stack.yml': ON_EDGE, 'docker-stack.net.yml': EDGE_NETWORK, '.env.example': 'COMPOSE_FILE=docker-stack.yml:docker-stack.net.yml\n' });
    expect(runCli(['lint', '-c', 'docker-stack.yml'], { cwd: dir }).status).toBe(1);
  });
});

describe('a directory without a base file, named a stack by its own declarations', () => {
  interface CatalogueReport extends JsonReport {
    recipes: Array<{ recipe: string }>;
  }

  it('lints exactly the declared views (deploy.sh -c, README --compose-file), and no other compose file', () => {
    const dir = stack({ 'rabbitmq-stack.yml': ON_EDGE, 'rabbitmq-net.yml': EDGE_NETWORK, 'deploy.sh': '#!/bin/sh\ndocker stack deploy -c rabbitmq-stack.yml -c rabbitmq-net.yml mq\n' });
    const r = runCli(['lint', '.'], { cwd: dir });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('views as declared in deploy.sh:2');
    const report = json(runCli(['lint', '--format', 'json', '.'], { cwd: dir }).stdout);
    expect(report.summary.views).toBe(1);
    // The README's long option, beside a legacy folder that is not a stack of its own here.
    const readme = stack({ 'docker-compose.v3.yml': ON_EDGE, 'README.md': '# x\n\n```shell\ndocker stack deploy --compose-file docker-compose.v3.yml x\n```\n', 'old/docker-compose.yml': DEV });
    const found = json(runCli(['lint', '--format', 'json', '.'], { cwd: readme }).stdout);
    expect(lintedViews(readme)).toEqual(['docker-compose.v3.yml']);
    expect([...new Set(found.findings.map((f) => f.file))]).toEqual(['docker-compose.v3.yml']);
  });

  it('a declaration naming a missing file, or a file in a subfolder, makes no stack; a catalogue stays one', () => {
    const missing = stack({ 'app.yml': ON_EDGE, 'deploy.sh': 'docker stack deploy -c other.yml app\n' });
    const none = runCli(['lint', '.'], { cwd: missing });
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/no stack here/);
    const catalogue = stack({
      'README.md': '```sh\ndocker stack deploy -c traefik/compose.yml traefik\n```\n',
      'traefik/compose.yml': SWARM,
      'traefik/abra.sh': 'export X=1\n',
      'mq/mq-stack.yml': SWARM,
      'mq/deploy.sh': 'docker stack deploy -c mq-stack.yml mq\n',
      'notes/README.md': 'docker stack deploy -c nowhere.yml x\n',
      // A recipe is deployed from its compose.yml: its scripts' -c files do not make one without it.
      'half-recipe/abra.sh': 'export X=1\n',
      'half-recipe/app.yml': SWARM,
      'half-recipe/deploy.sh': 'docker stack deploy -c app.yml app\n',
    });
    const r = runCli(['lint', '--format', 'json', '.'], { cwd: catalogue });
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as CatalogueReport).summary).toMatchObject({ recipes: 2 });
  });

  it('config DIR prints the first declared view as docker stack config -c … prints it', () => {
    const dir = stack({ 'app-stack.yml': ON_EDGE, 'app-net.yml': EDGE_NETWORK, 'Makefile': 'deploy:\n\tdocker stack deploy -c app-stack.yml -c app-net.yml app\n' });
    const docker = spawnSync('/usr/local/bin/docker', ['stack', 'config', '-c', 'app-stack.yml', '-c', 'app-net.yml'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(docker.status, docker.stderr).toBe(0);
    const r = runCli(['config', '.'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(docker.stdout);
    const bare = runCli(['config', '.'], { cwd: stack({ 'app.yml': ON_EDGE }) });
    expect(bare.status).toBe(2);
    expect(bare.stderr).toMatch(/no stack here/);
  });
});

describe('undeclared: a standalone file beside the base is linted alone', () => {
  it('compose.swarm.yml that shares no service and is complete is its own view, not an overlay of compose.yml', () => {
    const dir = stack({ 'compose.yml': ON_EDGE.replace('web:', 'dev:'), 'compose.swarm.yml': SWARM });
    expect(lintedViews(dir)).toEqual(['compose.yml']);
    const r = json(runCli(['lint', '--format', 'json', '.'], { cwd: dir }).stdout);
    expect(r.summary.views).toBe(2);
    const report = runCli(['lint', '--format', 'json', '--rule', 'dangling-reference=off', '--rule', 'swarm-unsupported=info', '.'], { cwd: stack({ 'compose.yml': DEV, 'compose.swarm.yml': SWARM.replace('image: nginx:1.27', 'image: nginx:1.27\n    build: .') }) });
    // The swarm file's finding is in its own view, never in compose.yml+compose.swarm.yml.
    const views = viewsOf(json(report.stdout));
    expect(views).toContain('compose.swarm.yml');
    expect(views).not.toContain('compose.yml+compose.swarm.yml');
  });

  for (const [name, overlay] of [
    ['shares a service with the base', 'version: "3.8"\nservices:\n  web:\n    deploy:\n      replicas: 2\n'],
    ["uses the base's network", 'version: "3.8"\nservices:\n  worker:\n    image: busybox:1\n    networks: [edge]\n'],
    ['has a service without an image', 'version: "3.8"\nservices:\n  worker:\n    command: ["true"]\n'],
  ]) {
    it(`an overlay that ${name} is still merged onto the base`, () => {
      const dir = stack({ 'docker-compose.yml': ON_EDGE + EDGE_NETWORK.replace('version: "3.8"\n', ''), 'docker-compose.extra.yml': overlay });
      const r = json(runCli(['lint', '--format', 'json', '--rule', 'swarm-unsupported=info', '--rule', 'dangling-reference=info', '.'], { cwd: dir }).stdout);
      expect(r.summary.views).toBe(2);
      const all = runCli(['lint', '--format', 'json', '--preset', 'strict', '.'], { cwd: dir });
      expect(viewsOf(json(all.stdout))).toContain('docker-compose.yml+docker-compose.extra.yml');
    });
  }
});

describe('-c FILE… and FILE everywhere a stack is taken', () => {
  it('a file named by -c, FILE, --view or the base file is read whatever the listing cap (a folder of 5,000+ files sorted before it)', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 5_100; i++) many[`data/${i}`] = '';
    const dir = stack({ ...many, 'zz-stack.yml': ON_EDGE });
    for (const args of [['-c', 'zz-stack.yml'], ['zz-stack.yml'], ['--view', 'zz-stack.yml']]) {
      const r = runCli(['lint', '--format', 'json', ...args], { cwd: dir });
      expect(r.status, args.join(' ')).toBe(1);
      const report = json(r.stdout);
      expect(report.findings.filter((f) => f.rule === 'dangling-reference').map((f) => f.file)).toEqual(['zz-stack.yml']);
      // The cut listing is said, on the file that was linted.
      expect(report.findings.filter((f) => f.rule === 'not-analysed').map((f) => f.file)).toEqual(['zz-stack.yml']);
    }
    const folder = stack({ ...many, 'docker-stack.yml': ON_EDGE });
    const r = runCli(['lint', '--format', 'json', '.'], { cwd: folder });
    expect(r.status).toBe(1);
    expect(json(r.stdout).findings.filter((f) => f.rule === 'dangling-reference').map((f) => f.file)).toEqual(['docker-stack.yml']);
  });

  it('an application tree deeper than the listing goes is one info for the whole stack, naming where it stopped', () => {
    const deep = (top: string) => `${top}/a/b/c/d/e/f/x.php`;
    const dir = stack({ 'docker-stack.yml': SWARM, [deep('app')]: '', [deep('lib')]: '', [deep('vendorish')]: '', [deep('web')]: '' });
    const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
    const notes = json(r.stdout).findings.filter((f) => f.rule === 'not-analysed');
    expect(notes.map((f) => f.message)).toEqual([
      'stack listing cut short: 4 directories deeper than 6 levels not listed (app/a/b/c/d/e/f/, lib/a/b/c/d/e/f/, vendorish/a/b/c/d/e/f/, … (4 in all)); a file the stack names there is still read',
    ]);
  });

  it('outside any git work tree a missing file is missing from the stack\'s directory, and the fix names --root', () => {
    const dir = stack({ 'docker-stack.yml': 'services:\n  web:\n    image: nginx:1.27\n    configs: [site]\nconfigs:\n  site:\n    file: ./conf/site.conf\n' });
    const r = runCli(['lint', '--format', 'json', '.'], { cwd: dir });
    expect(r.status).toBe(1);
    const [missing] = json(r.stdout).findings.filter((f) => f.rule === 'load-failure');
    expect(missing.message).toBe("configs.site.file names `conf/site.conf`, which does not exist in the stack's directory: docker stack deploy fails");
    expect(missing.fix).toMatch(/^Add `conf\/site\.conf` .*`--root DIR` names the repository/);
  });

  it('graph -c and graph FILE draw exactly that view', () => {
    const dir = stack({ 'docker-stack.yml': ON_EDGE, 'docker-stack.net.yml': EDGE_NETWORK });
    const c = runCli(['graph', '-c', 'docker-stack.yml', '-c', 'docker-stack.net.yml'], { cwd: dir });
    expect(c.status, c.stderr).toBe(0);
    expect(c.stdout).toContain('docker-stack.yml+docker-stack.net.yml');
    const file = runCli(['graph', '--format', 'mermaid', 'docker-stack.yml'], { cwd: dir });
    expect(file.status, file.stderr).toBe(0);
    expect(file.stdout).not.toContain('docker-stack.net.yml');
    const missing = runCli(['graph', '-c', 'nope.yml'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('stacklint graph: -c nope.yml: no such file\n');
  });

  it('baseline -c writes the view\'s findings; lint -c then reports them as known', () => {
    const dir = stack({ 'docker-stack.yml': ON_EDGE });
    expect(runCli(['lint', '-c', 'docker-stack.yml'], { cwd: dir }).status).toBe(1);
    const b = runCli(['baseline', '-c', 'docker-stack.yml'], { cwd: dir });
    expect(b.status, b.stderr).toBe(0);
    expect(existsSync(join(dir, '.stacklint-baseline.json'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, '.stacklint-baseline.json'), 'utf8')).findings.map((f: { rule: string }) => f.rule)).toEqual(['dangling-reference']);
    expect(runCli(['lint', '-c', 'docker-stack.yml'], { cwd: dir }).status).toBe(0);
  });

  it('review without a terminal prints the lint of the -c view', () => {
    const dir = stack({ 'docker-stack.yml': ON_EDGE, 'docker-stack.net.yml': EDGE_NETWORK });
    const r = runCli(['review', '-c', 'docker-stack.yml', '-c', 'docker-stack.net.yml'], { cwd: dir });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no problems');
  });

  it('config DIR and config FILE… print what docker stack config -c prints', () => {
    const dir = stack({ 'docker-stack.yml': ON_EDGE, 'docker-stack.net.yml': EDGE_NETWORK });
    const docker = spawnSync('/usr/local/bin/docker', ['stack', 'config', '-c', 'docker-stack.yml', '-c', 'docker-stack.net.yml'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(docker.status, docker.stderr).toBe(0);
    const files = runCli(['config', 'docker-stack.yml', 'docker-stack.net.yml'], { cwd: dir });
    expect(files.stdout).toBe(docker.stdout);
    const alone = spawnSync('/usr/local/bin/docker', ['stack', 'config', '-c', 'docker-stack.yml'], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(runCli(['config', '.'], { cwd: dir }).stdout).toBe(alone.stdout);
    const none = runCli(['config', 'docker-stack.yml', '-c', 'docker-stack.yml'], { cwd: dir });
    expect(none.status).toBe(2);
  });

  it('lint -c … --base REF compares that view with the same files at REF (git objects, nothing checked out)', () => {
    const repo = new TempRepo();
    try {
      repo.write({ 'deploy/docker-stack.yml': ON_EDGE, 'deploy/docker-stack.net.yml': EDGE_NETWORK, 'compose.yml': DEV });
      git(repo.dir, 'add', '-A');
      git(repo.dir, 'commit', '-q', '-m', 'base');
      const args = ['-c', 'deploy/docker-stack.yml', '-c', 'deploy/docker-stack.net.yml'];
      const same = runCli(['lint', ...args, '--base', 'HEAD'], { cwd: repo.dir });
      expect(same.stderr).toBe('');
      expect(same.status).toBe(0);
      expect(same.stdout).toContain('0 new, 0 fixed, 0 unchanged');
      // The overlay loses the network: one new finding, in that view.
      repo.write({ 'deploy/docker-stack.net.yml': 'version: "3.8"\n' });
      const worse = runCli(['lint', '--format', 'json', ...args, '--base', 'HEAD'], { cwd: repo.dir });
      expect(worse.status).toBe(1);
      const report = json(worse.stdout);
      expect(report.findings.map((f) => [f.rule, f.views])).toEqual([['dangling-reference', ['docker-stack.yml+docker-stack.net.yml']]]);
      // A file given as the target is its stack's one view on both sides; --upgrade-from runs beside it.
      const file = runCli(['lint', 'deploy/docker-stack.yml', '--base', 'HEAD'], { cwd: repo.dir });
      expect(file.status, file.stderr).toBe(0);
      expect(file.stdout).toContain('0 new, 0 fixed, 1 unchanged');
      const upgrade = runCli(['lint', ...args, '--upgrade-from', 'HEAD'], { cwd: repo.dir });
      expect(upgrade.stderr).toBe('');
      expect(upgrade.status).toBe(1);
      const unknown = runCli(['lint', ...args, '--base', 'no-such-ref'], { cwd: repo.dir });
      expect(unknown.status).toBe(2);
      expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      repo.dispose();
    }
  });
});
