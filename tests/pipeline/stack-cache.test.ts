// A StackCache shares a file's stages between loads whose environments agree on every variable the file's
// stages looked up — and never between loads where one of those variables differs.
import { describe, expect, it } from 'vitest';
import { loadYamlText } from '../../src/load/yaml.js';
import { loadStack, StackCache } from '../../src/pipeline/stack.js';
import type { StackOptions } from '../../src/pipeline/stack.js';

const base = loadYamlText(
  ['version: "3.8"', 'services:', '  app:', '    image: nginx:${TAG:-1}', '    environment:', '      - FROM_HOST'].join('\n'),
  'compose.yml',
  { absPath: '/recipe/compose.yml' },
);
const overlay = loadYamlText(['version: "3.8"', 'services:', '  app:', '    deploy:', '      replicas: 2'].join('\n'), 'compose.x.yml', {
  absPath: '/recipe/compose.x.yml',
});

function options(env: Record<string, string>, cache: StackCache): StackOptions {
  return {
    lookup: (name) => env[name],
    workingDir: '/recipe',
    readEnvFile: () => ({ ok: false, message: 'open: no such file or directory' }),
    cache,
  };
}

describe('StackCache', () => {
  it('shares stages when the variables the file uses agree, whatever else differs', () => {
    const cache = new StackCache();
    const a = loadStack([base, overlay], options({ TAG: '2', FROM_HOST: 'h', STACK_NAME: 'one' }, cache));
    const b = loadStack([base, overlay], options({ TAG: '2', FROM_HOST: 'h', STACK_NAME: 'two', OTHER: 'x' }, cache));
    expect(b.files[0]).toBe(a.files[0]);
    expect(b.files[1]).toBe(a.files[1]);
    expect(b.merged?.config).toEqual(a.merged?.config);
  });

  it('computes stages again when a variable the file uses differs, in interpolation or in the typed load', () => {
    const cache = new StackCache();
    const a = loadStack([base, overlay], options({ TAG: '2', FROM_HOST: 'h' }, cache));
    const tag = loadStack([base, overlay], options({ TAG: '3', FROM_HOST: 'h' }, cache));
    const host = loadStack([base, overlay], options({ TAG: '2', FROM_HOST: 'other' }, cache));
    expect(tag.files[0]).not.toBe(a.files[0]);
    expect(host.files[0]).not.toBe(a.files[0]);
    // The overlay uses no variable: one set of stages serves all three.
    expect(tag.files[1]).toBe(a.files[1]);
    expect(host.files[1]).toBe(a.files[1]);
    const image = (r: typeof a) => (r.merged?.config as any).services.app.image;
    const fromHost = (r: typeof a) => (r.merged?.config as any).services.app.environment.FROM_HOST;
    expect([image(a), image(tag), image(host)]).toEqual(['nginx:2', 'nginx:3', 'nginx:2']);
    expect([fromHost(a), fromHost(tag), fromHost(host)]).toEqual(['h', 'h', 'other']);
    // Back to the first environment: its stages again.
    expect(loadStack([base, overlay], options({ TAG: '2', FROM_HOST: 'h' }, cache)).files[0]).toBe(a.files[0]);
  });
});
