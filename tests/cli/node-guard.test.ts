// bin/stacklint.js checks the node it runs on before anything else: an unsupported node gets one clear line
// and exit 2, not a syntax error from inside the bundle. The check as a function, and for real under an old
// node from the npm registry (scripts/node-lines.sh, line "old"), which cannot even parse modern syntax.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO } from './helpers.js';

interface Guard {
  MIN_NODE_MAJOR: number;
  unsupportedNodeMessage(version: string): string | undefined;
  compileCacheDirectory(env: Record<string, string | undefined>, home: string | undefined): string | undefined;
}
const guard = createRequire(__filename)(CLI) as Guard;

describe('the node version check', () => {
  it("is package.json's engines.node", () => {
    const engines = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toBe(`>=${guard.MIN_NODE_MAJOR}`);
  });

  it('refuses an older node in one line that names both versions', () => {
    expect(guard.unsupportedNodeMessage('18.20.8')).toBe(`stacklint needs Node >= ${guard.MIN_NODE_MAJOR}; this is Node 18.20.8`);
    expect(guard.unsupportedNodeMessage('8.17.0')).toBe(`stacklint needs Node >= ${guard.MIN_NODE_MAJOR}; this is Node 8.17.0`);
    expect(guard.unsupportedNodeMessage(`${guard.MIN_NODE_MAJOR - 1}.99.99`)).toMatch(/^stacklint needs Node >= /);
  });

  it('accepts the oldest supported major and anything newer', () => {
    expect(guard.unsupportedNodeMessage(`${guard.MIN_NODE_MAJOR}.0.0`)).toBeUndefined();
    expect(guard.unsupportedNodeMessage('26.12.1')).toBeUndefined();
    expect(guard.unsupportedNodeMessage('100.0.0')).toBeUndefined();
  });

  it('accepts the node running this test (the suite runs on supported lines only)', () => {
    expect(guard.unsupportedNodeMessage(process.versions.node)).toBeUndefined();
  });
});

describe('where the compile cache goes', () => {
  it('is $XDG_CACHE_HOME/stacklint, else ~/.cache/stacklint', () => {
    expect(guard.compileCacheDirectory({ XDG_CACHE_HOME: '/x/cache' }, '/home/u')).toBe('/x/cache/stacklint');
    expect(guard.compileCacheDirectory({}, '/home/u')).toBe('/home/u/.cache/stacklint');
    // The XDG spec: a relative path is invalid and ignored.
    expect(guard.compileCacheDirectory({ XDG_CACHE_HOME: 'relative' }, '/home/u')).toBe('/home/u/.cache/stacklint');
  });

  it("is left to node when the user set NODE_COMPILE_CACHE, or there is no home to put it in", () => {
    expect(guard.compileCacheDirectory({ NODE_COMPILE_CACHE: '/elsewhere', XDG_CACHE_HOME: '/x' }, '/home/u')).toBeUndefined();
    expect(guard.compileCacheDirectory({}, undefined)).toBeUndefined();
    expect(guard.compileCacheDirectory({}, '')).toBeUndefined();
  });
});

describe('under a node too old to parse the bundle', () => {
  let oldNode: string;
  beforeAll(() => {
    // Installed once into .cache/node/old (about 10 MB from the npm registry), then reused.
    const r = spawnSync(join(REPO, 'scripts/node-lines.sh'), ['bin', 'old'], { encoding: 'utf8', timeout: 300_000 });
    expect(r.status, r.stderr).toBe(0);
    oldNode = join(r.stdout.trim(), 'node');
  }, 300_000);

  it('prints one line and exits 2, for any command', () => {
    const version = spawnSync(oldNode, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^v/, '');
    expect(Number(version.split('.')[0])).toBeLessThan(guard.MIN_NODE_MAJOR);
    for (const args of [['--version'], ['lint', join(REPO, 'fixtures/example-recipe')]]) {
      const r = spawnSync(oldNode, [CLI, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' } });
      expect(r.stderr).toBe(`stacklint needs Node >= ${guard.MIN_NODE_MAJOR}; this is Node ${version}\n`);
      expect(r.stdout).toBe('');
      expect(r.status).toBe(2);
    }
  });
});
