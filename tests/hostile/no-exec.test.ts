// Nothing from the linted repository runs: a recipe whose every file would leave a marker if it were
// executed, sourced or evaluated is linted (and its config read), and no marker appears.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../cli/helpers.js';

let root: string;
let markers: string;
let recipe: string;

/** Every way a file of this recipe could run code: each would create a file in `markers`. */
function writeBoobyTrappedRecipe(withTsConfig: boolean): void {
  const touch = (name: string) => `touch ${join(markers, name)}`;
  mkdirSync(recipe, { recursive: true });
  writeFileSync(
    join(recipe, 'compose.yml'),
    [
      'version: "3.8"',
      'services:',
      '  app:',
      '    image: nginx:1.25',
      `    entrypoint: ["/bin/sh", "-c", "${touch('entrypoint')}"]`,
      `    command: "$(${touch('command-substitution')})"`,
      '    configs:',
      '      - source: entry',
      '        target: /entrypoint.sh',
      '    env_file: ./app.env',
      'configs:',
      '  entry:',
      '    file: ./entrypoint.sh.tmpl',
      '    template_driver: golang',
      '',
    ].join('\n'),
  );
  writeFileSync(join(recipe, 'entrypoint.sh.tmpl'), `#!/bin/sh\n${touch('template')}\n{{ exec "${touch('template-exec')}" }}\n`);
  chmodSync(join(recipe, 'entrypoint.sh.tmpl'), 0o755);
  writeFileSync(join(recipe, 'app.env'), `A=$(${touch('env-file')})\n`);
  writeFileSync(
    join(recipe, 'abra.sh'),
    `#!/bin/sh\nexport ENTRY_VERSION=v1\n${touch('abra-sh')}\nexport X=$(${touch('abra-sh-subst')})\nexport Y=\`${touch('abra-sh-backticks')}\`\nf() { ${touch('abra-sh-function')}; }\nf\n`,
  );
  chmodSync(join(recipe, 'abra.sh'), 0o755);
  writeFileSync(
    join(recipe, '.env.sample'),
    `TYPE=trap\nA=$(${touch('env-sample-subst')})\nB=\`${touch('env-sample-backticks')}\`\n${touch('env-sample-line')}\n#COMPOSE_FILE="compose.yml"\n`,
  );
  if (withTsConfig) {
    writeFileSync(
      join(recipe, 'stacklint.config.ts'),
      `import { execSync } from 'node:child_process';\nexecSync('${touch('ts-config')}');\nexport default { rules: (() => { execSync('${touch('ts-config-iife')}'); return {}; })() };\n`,
    );
  }
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'stacklint-noexec-'));
  markers = join(root, 'markers');
  mkdirSync(markers);
  recipe = join(root, 'recipe');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('nothing from the linted repository is executed', () => {
  it('lint reads abra.sh, .env.sample, env_files and config templates without running them', () => {
    writeBoobyTrappedRecipe(false);
    const run = runCli(['lint', '--format', 'json', recipe]);
    expect(run.status, run.stderr).toBe(1); // findings, e.g. not-analysed lines and R0xx; never a crash
    const rules = new Set(JSON.parse(run.stdout).findings.map((f: { rule: string }) => f.rule));
    expect(rules).toContain('not-analysed');
    expect(readdirSync(markers)).toEqual([]);
  });

  it('a stacklint.config.ts with code is refused with a config error, not run', () => {
    writeBoobyTrappedRecipe(true);
    const run = runCli(['lint', recipe]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/stacklint\.config\.ts:1:1: the only import allowed/);
    expect(readdirSync(markers)).toEqual([]);
  });

  it('config and baseline commands do not run it either', () => {
    writeBoobyTrappedRecipe(false);
    runCli(['config', '-c', join(recipe, 'compose.yml')], { cwd: recipe });
    runCli(['baseline', recipe]);
    expect(existsSync(join(recipe, '.stacklint-baseline.json'))).toBe(true);
    expect(readdirSync(markers)).toEqual([]);
  });
});

describe('--env-file FILE from the linted repository', () => {
  // Node itself reads `--env-file` anywhere on its command line and applies a NODE_OPTIONS the file sets;
  // the command users run (bin/stacklint.js, run by its shebang as an installed bin is) must keep node from
  // seeing it, so that only stacklint parses the file.
  const runBin = (args: string[]) =>
    spawnSync(CLI, args, { cwd: recipe, env: { PATH: process.env.PATH ?? '', HOME: root, NO_COLOR: '1' }, encoding: 'utf8', timeout: 60_000 });

  it('is parsed by stacklint, never loaded by node: a NODE_OPTIONS in it runs nothing', () => {
    mkdirSync(recipe, { recursive: true });
    writeFileSync(join(recipe, 'compose.yml'), 'version: "3.8"\nservices:\n  web:\n    image: "nginx:${TAG}"\n');
    writeFileSync(join(recipe, 'hook.cjs'), `require('node:fs').writeFileSync(${JSON.stringify(join(markers, 'node-options-require'))}, '');\n`);
    writeFileSync(join(recipe, 'deploy.env'), `NODE_OPTIONS=--require ${join(recipe, 'hook.cjs')}\nTAG=1.27\n`);
    const lint = runBin(['config', '--env-file', 'deploy.env', '-c', 'compose.yml']);
    expect(lint.stderr).toBe('');
    expect(lint.stdout).toContain('image: nginx:1.27');
    expect(lint.status).toBe(0);
    expect(readdirSync(markers)).toEqual([]);
  });

  it('that does not exist is stacklint’s usage error (exit 2), not node’s', () => {
    mkdirSync(recipe, { recursive: true });
    writeFileSync(join(recipe, 'compose.yml'), 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n');
    const lint = runBin(['lint', '--env-file', 'missing.env', '.']);
    expect(lint.stderr).toMatch(/^stacklint lint: --env-file missing\.env: no such file/);
    expect(lint.status).toBe(2);
  });
});
