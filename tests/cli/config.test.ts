import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, runCli } from './helpers.js';

function scratch(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stacklint-config-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const OK = 'version: "3.8"\nservices:\n  web:\n    image: nginx\n';

describe('stacklint config: docker stack config failures, worded as docker', () => {
  it.each([
    [['-c', 'missing.yml'], 'open missing.yml: no such file or directory'],
    [['-c', 'a.yml', '-c', 'missing.yml'], 'open missing.yml: no such file or directory'],
    [[], 'Specify a Compose file (with --compose-file)'],
  ])('%j → %s, exit 1', (args, message) => {
    const dir = scratch({ 'a.yml': OK });
    const r = runCli(['config', ...args], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${message}\n`);
    expect(r.stdout).toBe('');
  });

  it('a directory given as a file', () => {
    const dir = scratch({});
    mkdirSync(join(dir, 'compose.yml'));
    const r = runCli(['config', '-c', 'compose.yml'], { cwd: dir });
    expect([r.status, r.stderr]).toEqual([1, 'read compose.yml: is a directory\n']);
  });

  it('a YAML syntax error is a one-line yaml: error, exit 1, no stack trace', () => {
    const dir = scratch({ 'a.yml': 'version: "3.8"\nservices:\n  web:\n\timage: x\n' });
    const r = runCli(['config', '-c', 'a.yml'], { cwd: dir });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^yaml: line \d+: .+\n$/);
  });

  it('a wrong type is docker\'s schema message', () => {
    const dir = scratch({ 'a.yml': 'version: "3.8"\nservices:\n  web:\n    image: nginx\n    ports: "80:80"\n' });
    const r = runCli(['config', '-c', 'a.yml'], { cwd: dir });
    expect([r.status, r.stderr]).toEqual([1, 'services.web.ports must be a list\n']);
  });

  it('merges an overlay and, with --provenance, names the file:line of each value', () => {
    const dir = scratch({
      'compose.yml': 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.25\n    hostname: a\n',
      'compose.x.yml': 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n',
    });
    const plain = runCli(['config', '-c', 'compose.yml,compose.x.yml'], { cwd: dir });
    expect(plain.status).toBe(0);
    expect(plain.stdout).toBe('version: "3.8"\nservices:\n  web:\n    hostname: a\n    image: nginx:1.27\n');
    const withOrigins = runCli(['config', '--provenance', '-c', 'compose.yml', '-c', 'compose.x.yml'], { cwd: dir });
    expect(withOrigins.stdout).toMatch(/^    image: nginx:1\.27 +# compose\.x\.yml:4 .*replaced compose\.yml:4/m);
    expect(withOrigins.stdout).toMatch(/^    hostname: a +# compose\.yml:5$/m);
  });

  it('interpolates from the process environment only', () => {
    const dir = scratch({ 'a.yml': 'version: "3.8"\nservices:\n  web:\n    image: ${IMG:-nginx}\n', '.env': 'IMG=ignored\n' });
    expect(runCli(['config', '-c', 'a.yml'], { cwd: dir }).stdout).toContain('image: nginx\n');
    expect(runCli(['config', '-c', 'a.yml'], { cwd: dir, env: { IMG: 'caddy' } }).stdout).toContain('image: caddy\n');
  });

  it('prints help', () => {
    expect(runCli(['config', '--help'], { cwd: REPO }).stdout).toContain('--provenance');
  });
});

describe('stacklint config: relative paths under a symlinked working directory (Go os.Getwd)', () => {
  const setup = () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'stacklint-symlink-')));
    mkdirSync(join(root, 'real'));
    writeFileSync(join(root, 'real', 'a.yml'), 'version: "3.8"\nservices:\n  app:\n    image: alpine\n    volumes:\n      - ./data:/data\n');
    symlinkSync(join(root, 'real'), join(root, 'link'));
    return root;
  };
  const source = (stdout: string) => /source: (.+)/.exec(stdout)?.[1];

  it('resolves against $PWD when it names the current directory, as docker does', () => {
    const root = setup();
    const r = runCli(['config', '-c', 'a.yml'], { cwd: join(root, 'link'), env: { PWD: join(root, 'link') } });
    expect(r.status).toBe(0);
    expect(source(r.stdout)).toBe(join(root, 'link', 'data'));
  });

  it('resolves against the physical directory when $PWD names another one, or is relative', () => {
    const root = setup();
    for (const pwd of [root, 'link']) {
      const r = runCli(['config', '-c', 'a.yml'], { cwd: join(root, 'link'), env: { PWD: pwd } });
      expect(source(r.stdout), pwd).toBe(join(root, 'real', 'data'));
    }
  });
});
