// The --fix / --fix-dry-run / --preset options of `stacklint lint`, through the built CLI.
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.js';

function catalogue(recipes: Record<string, Record<string, string | Buffer>>): string {
  const root = mkdtempSync(join(tmpdir(), 'stacklint-fixcli-'));
  for (const [name, files] of Object.entries(recipes)) {
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(join(root, name), { recursive: true });
      writeFileSync(join(root, name, file), text);
    }
  }
  return root;
}

const NO_VERSION = '# my recipe\nservices:\n  app:\n    image: nginx:1.27\n';

describe('stacklint lint --fix', () => {
  it('--fix-dry-run prints a unified diff relative to the working directory and writes nothing', () => {
    const root = catalogue({ a: { 'compose.yml': NO_VERSION, '.env.sample': 'TYPE=a\n' } });
    const r = runCli(['lint', '--fix-dry-run', 'a'], { cwd: root });
    expect(r.stdout).toBe(['--- a/a/compose.yml', '+++ b/a/compose.yml', '@@ -1,4 +1,5 @@', ' # my recipe', '+version: "3.8"', ' services:', '   app:', '     image: nginx:1.27', ''].join('\n'));
    expect(r.stderr).toMatch(/^would fix 1 finding in 1 file; \d+ findings would remain$/m);
    expect(readFileSync(join(root, 'a/compose.yml'), 'utf8')).toBe(NO_VERSION);
  });

  it('fixes every recipe it can even when another recipe has a file that does not parse', () => {
    const root = catalogue({
      a: { 'compose.yml': 'services:\n  app: [unclosed\n', '.env.sample': 'TYPE=a\n' },
      b: { 'compose.yml': NO_VERSION, '.env.sample': 'TYPE=b\n' },
    });
    const r = runCli(['lint', '--fix', '.'], { cwd: root });
    expect(readFileSync(join(root, 'b/compose.yml'), 'utf8')).toBe(`# my recipe\nversion: "3.8"\n${NO_VERSION.slice('# my recipe\n'.length)}`);
    expect(r.stdout).toMatch(/fixed 1 finding in 1 file\n$/);
    expect(r.stdout).toMatch(/yaml-syntax/);
    expect(r.status).toBe(1);
  });

  it('keeps a byte-order mark and every byte it does not edit', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(NO_VERSION)]);
    const root = catalogue({ a: { 'compose.yml': bom, '.env.sample': 'TYPE=a\n' } });
    runCli(['lint', '--fix', 'a'], { cwd: root });
    const after = readFileSync(join(root, 'a/compose.yml'));
    expect(after.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(after.subarray(3).toString('utf8')).toBe('# my recipe\nversion: "3.8"\nservices:\n  app:\n    image: nginx:1.27\n');
  });

  it('refuses conflicting options and unknown presets with exit 2', () => {
    const root = catalogue({ a: { 'compose.yml': NO_VERSION } });
    expect(runCli(['lint', '--fix', '--fix-dry-run', 'a'], { cwd: root }).status).toBe(2);
    expect(runCli(['lint', '--fix', '--base', 'HEAD', 'a'], { cwd: root }).status).toBe(2);
    const r = runCli(['lint', '--preset', 'nope', 'a'], { cwd: root });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--preset nope: unknown preset 'nope'/);
  });

  it('shows fixability and suggestions in JSON', () => {
    const root = catalogue({ a: { 'compose.yml': NO_VERSION, '.env.sample': 'TYPE=a\n' } });
    const json = JSON.parse(runCli(['lint', '-f', 'json', 'a'], { cwd: root }).stdout);
    const r001 = json.findings.find((f: { rule: string }) => f.rule === 'R001');
    expect(r001.fixable).toBe(true);
    expect(json.findings.find((f: { rule: string }) => f.rule === 'R002').fixable).toBeUndefined();
  });
});
