// Every byte from the repository is escaped before it reaches a terminal or CI log: ESC sequences, C1
// controls, bidi overrides and line breaks in config keys, baseline keys and file names are shown as
// visible escapes, and no line of any output can start a GitHub workflow command.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defuseCommands, inline, visible } from '../../src/report/common.js';
import { cleanup, RECIPE, runCli, scratch, write } from './helpers.js';

afterAll(cleanup);

const FORGED = '::error file=forged.yml,line=1::forged by the repository';
/** An OSC title change, a screen clear, a C1 CSI, a right-to-left override and a line separator. */
const TERMINAL_TRICKS = '\u001b]0;pwned\u0007\u001b[2J\u009b31m\u202e\u2028';

/** What a CI log or terminal must never see from the repository. */
function expectInert(text: string, what: string): void {
  expect(text, what).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/);
  for (const line of text.split('\n')) {
    const trimmed = line.trimStart();
    if (!trimmed.startsWith('::')) continue;
    // Only the github format's own annotations start with '::', and none of them is the forged one.
    expect(trimmed, what).toMatch(/^::(error|warning|notice) file=/);
    expect(trimmed.startsWith('::error file=forged.yml'), what).toBe(false);
  }
}

const FORMATS = ['stylish', 'compact', 'github', 'json', 'sarif', 'junit'];

describe('escaping what a repository puts in front of a terminal or CI log', () => {
  it('the helpers: visible escapes, one-line fields, no workflow command at a line start', () => {
    expect(visible(`a${TERMINAL_TRICKS}b\tc\nd`)).toBe('a\\u001b]0;pwned\\u0007\\u001b[2J\\u009b31m\\u202e\\u2028b\tc\nd');
    expect(inline('a\nb')).toBe('a\\nb');
    expect(defuseCommands(`ok\n${FORGED}\n   ::warning::x\n\u001b[2m::notice::y\nnot ::at start`)).toBe(
      `ok\n\\u003a${FORGED.slice(1)}\n   \\u003a:warning::x\n\u001b[2m\\u003a:notice::y\nnot ::at start`,
    );
  });

  it('an overlay whose file name holds a newline, a forged command and ESC sequences', () => {
    const dir = scratch('names');
    const name = `compose.x\n${FORGED}${TERMINAL_TRICKS}.yml`;
    write(dir, { ...RECIPE, [name]: 'version: "3.8"\nservices:\n  worker:\n    command: run\n' });
    for (const format of FORMATS) {
      const run = runCli(['lint', '--format', format, '.'], { cwd: dir });
      expect(run.status, format).toBe(1);
      expectInert(run.stdout, `${format} stdout`);
      expectInert(run.stderr, `${format} stderr`);
    }
    // Structured formats keep the name exactly (JSON escaping), so tools still see the real file.
    const json = JSON.parse(runCli(['lint', '--format', 'json', '.'], { cwd: dir }).stdout);
    expect(json.findings.some((f: { file: string }) => f.file === name)).toBe(true);
    // Humans see where the line break is.
    expect(runCli(['lint', '--format', 'compact', '.'], { cwd: dir }).stdout).toContain('compose.x\\n::error file=forged.yml');
  });

  it('a recipe directory (catalogue) whose name starts a workflow command', () => {
    const catalogue = scratch('catalogue');
    write(catalogue, Object.fromEntries(Object.entries(RECIPE).map(([k, v]) => [`::error file=forged.yml::x/${k}`, v])));
    write(catalogue, { [`::error file=forged.yml::x/compose.extra.yml`]: 'version: "3.8"\nservices:\n  worker:\n    command: run\n' });
    write(catalogue, Object.fromEntries(Object.entries(RECIPE).map(([k, v]) => [`plain/${k}`, v])));
    for (const format of ['stylish', 'compact', 'github']) {
      const run = runCli(['lint', '--format', format, '.'], { cwd: catalogue });
      expect(run.status, format).toBe(1);
      expectInert(run.stdout, `${format} stdout`);
      expectInert(run.stderr, `${format} stderr`);
    }
  });

  it('a config key with ESC sequences and a newline: the configuration error is escaped', () => {
    const dir = scratch('config-key');
    write(dir, RECIPE);
    writeFileSync(join(dir, '.stacklintrc.json'), JSON.stringify({ rules: { [`R011${TERMINAL_TRICKS}\n${FORGED}`]: 'off' }, [`x\n${FORGED}${TERMINAL_TRICKS}`]: 1 }));
    const run = runCli(['lint', '--format', 'github', '.'], { cwd: dir });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown key/);
    expectInert(run.stderr, 'stderr');
    expectInert(run.stdout, 'stdout');
    expect(run.stderr).toContain('\\u001b]0;pwned');
  });

  it('a config value with ESC sequences (YAML) is escaped too', () => {
    const dir = scratch('config-yaml');
    write(dir, { ...RECIPE, '.stacklintrc.yml': `preset: "nope\\e]0;pwned\\a\\n${FORGED}"\n` });
    const run = runCli(['lint', '.'], { cwd: dir });
    expect(run.status).toBe(2);
    expectInert(run.stderr, 'stderr');
  });

  it('a baseline key with ESC sequences and a newline: the baseline error is escaped', () => {
    const dir = scratch('baseline-key');
    write(dir, RECIPE);
    writeFileSync(
      join(dir, '.stacklint-baseline.json'),
      JSON.stringify({ version: 1, findings: [{ fingerprint: 'x', [`k${TERMINAL_TRICKS}\n${FORGED}`]: 'v' }] }),
    );
    for (const format of ['stylish', 'github']) {
      const run = runCli(['lint', '--format', format, '.'], { cwd: dir });
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/unknown key/);
      expectInert(run.stderr, `${format} stderr`);
    }
  });

  it('values in compose files reach findings escaped in every format', () => {
    const dir = scratch('values');
    write(dir, {
      ...RECIPE,
      'compose.yml': `version: "3.8"\nservices:\n  app:\n    image: nginx:1.25\n    depends_on: ["db\\n${FORGED}\\e[2J\\u202e"]\n`,
    });
    for (const format of FORMATS) {
      const run = runCli(['lint', '--format', format, '.'], { cwd: dir });
      expect([0, 1], format).toContain(run.status);
      expect(run.stdout, format).toContain('forged by the repository'); // the value is in a finding
      expectInert(run.stdout, `${format} stdout`);
      expectInert(run.stderr, `${format} stderr`);
    }
  });

  it('stacklint network and stacklint graph: names from recipes are escaped too', () => {
    const catalogue = scratch('network');
    const proxied = (service: string) =>
      `version: "3.8"\nservices:\n  "${service}":\n    image: nginx:1.25\n    networks: [proxy]\nnetworks:\n  proxy:\n    external: true\n`;
    const odd = `odd\n${FORGED}${TERMINAL_TRICKS}`;
    write(catalogue, { [`${odd}/compose.yml`]: proxied('app\\e]0;pwned\\a\\u202e'), [`${odd}/.env.sample`]: 'TYPE=odd\n' });
    write(catalogue, { 'plain/compose.yml': proxied('app'), 'plain/.env.sample': 'TYPE=plain\n' });
    for (const format of ['text', 'json', 'dot', 'mermaid']) {
      const run = runCli(['network', '--format', format, '.'], { cwd: catalogue });
      expect([0, 1], `${format}: ${run.stderr}`).toContain(run.status);
      expect(run.stdout.length, format).toBeGreaterThan(0);
      expectInert(run.stdout, `network ${format} stdout`);
      expectInert(run.stderr, `network ${format} stderr`);
    }
    for (const format of ['dot', 'mermaid']) {
      const run = runCli(['graph', '--format', format, odd], { cwd: catalogue });
      expect(run.status, `${format}: ${run.stderr}`).toBe(0);
      expect(run.stdout, format).toMatch(/pwned/);
      expectInert(run.stdout, `graph ${format} stdout`);
      expectInert(run.stderr, `graph ${format} stderr`);
    }
  });
});
