// The views a repository declares in its own text (src/views/declared.ts), read and never run.
import { describe, expect, it } from 'vitest';
import { composeFileDeclarations, composeUpCommands, declaredViews, deployCommandDeclarations, isDeployScript } from '../../src/views/index.js';

const files = (text: string) => deployCommandDeclarations(text, 'deploy.sh').map((d) => d.files);

describe('deployCommandDeclarations', () => {
  it('takes -c, --compose-file, -c=, --compose-file= and -cFILE, in order, with their position', () => {
    expect(deployCommandDeclarations('set -e\n  docker stack deploy -c a.yml --compose-file b.yml -c=c.yml --compose-file=d.yml -ce.yml app\n', 'x.sh')).toEqual([
      { files: ['a.yml', 'b.yml', 'c.yml', 'd.yml', 'e.yml'], source: { file: 'x.sh', line: 2, column: 3 } },
    ]);
    expect(files('docker stack up -c "my stack.yml" app')).toEqual([['my stack.yml']]);
    expect(files("docker  stack deploy --prune --with-registry-auth -c 'a.yml' app")).toEqual([['a.yml']]);
    // docker's global options come before `stack`; its global -c is --context, not a file.
    expect(files('docker --context prod stack deploy -c a.yml app')).toEqual([['a.yml']]);
    expect(files('docker -c prod -H ssh://deploy@host --tls stack deploy -c a.yml,b.yml app')).toEqual([['a.yml', 'b.yml']]);
    expect(files('docker -c prod ps -c a.yml')).toEqual([]);
    expect(files('docker run -c a.yml stack deploy')).toEqual([]);
  });

  it('joins continued lines and stops at the end of the command', () => {
    expect(deployCommandDeclarations('docker stack deploy \\\n  -c a.yml \\\n  -c b.yml app; docker stack deploy -c c.yml other\n', 's')).toEqual([
      { files: ['a.yml', 'b.yml'], source: { file: 's', line: 1, column: 1 } },
      { files: ['c.yml'], source: { file: 's', line: 3, column: 17 } },
    ]);
    expect(files('docker stack deploy -c a.yml app && docker ps -c b.yml')).toEqual([['a.yml']]);
    expect(files('docker stack deploy -c a.yml app # -c b.yml')).toEqual([['a.yml']]);
    expect(files('Run `docker stack deploy -c a.yml app` then `-c b.yml`.')).toEqual([['a.yml']]);
    expect(files('  - run: "docker stack deploy -c a.yml app"')).toEqual([['a.yml']]);
  });

  it('reads the words of a command once: a `docker` word among them starts no command; more than 64 files is no declaration', () => {
    expect(files('echo "docker stack deploy -c a.yml app" docker stack deploy -c b.yml app')).toEqual([['a.yml'], ['b.yml']]);
    expect(files('docker stack deploy -c a.yml docker stack deploy -c b.yml app')).toEqual([['a.yml', 'b.yml']]);
    expect(files(`docker stack deploy ${'-c a.yml '.repeat(64)}app`)).toEqual([Array(64).fill('a.yml')]);
    expect(files(`docker stack deploy ${'-c a.yml '.repeat(65)}app`)).toEqual([]);
  });

  it('skips a command whose files are not literal names, or that names none', () => {
    for (const text of [
      'docker stack deploy -c $FILE app',
      'docker stack deploy -c "${STACK}.yml" app',
      'docker stack deploy -c a.yml -c $(ls b*.yml) app',
      'docker stack deploy -c compose.*.yml app',
      'docker stack deploy -c ~/a.yml app',
      'docker compose config | docker stack deploy -c - app',
      'docker stack deploy app',
      'docker stack deploy -c',
      'docker stack ls',
      'docker stack deploy -c `cat files` app',
    ]) {
      expect(files(text), text).toEqual([]);
    }
  });
});

describe('composeFileDeclarations', () => {
  it('reads COMPOSE_FILE lines, active or commented, split on ":"; a line needing a variable is skipped', () => {
    expect(composeFileDeclarations('COMPOSE_FILE=a.yml:b.yml\n#COMPOSE_FILE=a.yml:c.yml\nCOMPOSE_FILE=${X}.yml\nOTHER=1\n', '.env.example')).toEqual([
      { files: ['a.yml', 'b.yml'], source: { file: '.env.example', line: 1, column: 1 } },
      { files: ['a.yml', 'c.yml'], source: { file: '.env.example', line: 2, column: 2 } },
    ]);
  });
});

describe('declaredViews', () => {
  const listing = ['docker-compose.yml', 'docker-compose.prod.yml', 'scripts/deploy.sh', '.github/workflows/ci.yml', '.env.dist', 'docs/notes.sh', 'a/b/c.sh'];
  const texts: Record<string, string> = {
    '.env.dist': 'COMPOSE_FILE=docker-compose.yml:missing.yml\n',
    'scripts/deploy.sh': 'cd "$(dirname "$0")/.."\ndocker stack deploy -c ../docker-compose.yml -c docker-compose.prod.yml app\n',
    '.github/workflows/ci.yml': 'steps:\n  - run: docker stack deploy -c docker-compose.yml app\n',
    'a/b/c.sh': 'docker stack deploy -c docker-compose.yml deep\n',
  };
  const exists = (rel: string) => listing.includes(rel);

  it('keeps declarations whose files exist (from the stack, else from the script\'s directory), env files first', () => {
    const views = declaredViews({ files: listing, read: (rel) => texts[rel], exists });
    expect(views.map((v) => [v.source.file, v.files])).toEqual([
      ['.github/workflows/ci.yml', ['docker-compose.yml']],
      ['scripts/deploy.sh', ['docker-compose.yml', 'docker-compose.prod.yml']],
    ]);
  });

  it('scans scripts at the top or one level down, Makefiles, CI files and the README', () => {
    for (const f of ['deploy.sh', 'scripts/deploy.bash', 'Makefile', 'deploy.mk', 'README.md', 'readme', '.gitlab-ci.yml', '.drone.yml', '.woodpecker.yml', '.woodpecker/deploy.yaml', '.github/workflows/x.yaml']) {
      expect(isDeployScript(f), f).toBe(true);
    }
    for (const f of ['a/b/c.sh', 'docs/README.md', '.github/x.yml', 'compose.yml', 'notes.txt']) expect(isDeployScript(f), f).toBe(false);
  });
});

describe('composeUpCommands', () => {
  it('reads the files of docker compose / docker-compose up commands, and none for compose\'s default file', () => {
    const text = [
      '$ docker-compose up -d',
      'docker compose -f "base.yml" --file=./dev.yml up --build',
      'docker compose -p demo --env-file x.env up web && echo done',
      'docker compose \\',
      '  -f a.yml up',
      'docker compose run mc admin info',
      'docker compose -f $FILE up',
      'docker compose -f dev.yml build; docker compose up',
      'docker-composer up',
    ].join('\n');
    expect(composeUpCommands(text)).toEqual([
      { files: [], line: 1 },
      { files: ['base.yml', 'dev.yml'], line: 2 },
      { files: [], line: 3 },
      { files: ['a.yml'], line: 4 },
      { files: [], line: 8 },
    ]);
  });
});
