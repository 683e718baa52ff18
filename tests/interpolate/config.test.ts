// interpolateConfig: values only, docker's typed casts, docker's path wording. Expected messages
// were produced by docker CLI 28.2.2 (`docker stack config`) on the same input.
import { describe, expect, it } from 'vitest';
import { interpolateConfig } from '../../src/interpolate/index.js';
import { NonStringKeyMap } from '../../src/load/types.js';
import type { YamlValue } from '../../src/load/types.js';

function envLookup(env: Record<string, string>) {
  return (name: string) => (Object.hasOwn(env, name) ? env[name] : undefined);
}

function service(web: Record<string, YamlValue>): YamlValue {
  return { version: '3.8', services: { web: { image: 'nginx', ...web } } };
}

const castMessage = (path: string, err: string) => `error while interpolating ${path}: failed to cast to expected type: ${err}`;

describe('what is interpolated', () => {
  it('interpolates values but never keys [58]', () => {
    const data = service({ environment: { '${K}': '${V}' }, labels: ['${K}.label=${V}'], deploy: { labels: { $K: 'x' } } });
    const out = interpolateConfig(data, envLookup({ K: 'key', V: 'val' })).data as any;
    expect(out.services.web.environment).toEqual({ '${K}': 'val' });
    expect(out.services.web.labels).toEqual(['key.label=val']);
    expect(out.services.web.deploy.labels).toEqual({ $K: 'x' });
  });

  it('leaves non-strings and NonStringKeyMap values untouched', () => {
    const odd = new NonStringKeyMap([[1, '${V}']]);
    const out = interpolateConfig(service({ environment: odd, init: true, x: 1.5, n: null }), envLookup({ V: 'v' })).data as any;
    expect(out.services.web.environment).toBe(odd);
    expect(out.services.web).toMatchObject({ init: true, x: 1.5, n: null });
  });

  it('does not modify its input', () => {
    const data = service({ image: '${V}' });
    interpolateConfig(data, envLookup({ V: 'v' }));
    expect((data as any).services.web.image).toBe('${V}');
  });

  it('interpolates version too, although docker has read it before [61]', () => {
    expect((interpolateConfig({ version: '${V}' }, envLookup({ V: '3.8' })).data as any).version).toBe('3.8');
  });

  it('keeps a key named __proto__ as data', () => {
    const data = JSON.parse('{"services":{"web":{"labels":{"__proto__":"${V}"}}}}') as YamlValue;
    const out = interpolateConfig(data, envLookup({ V: 'v' })).data as any;
    expect(Object.getOwnPropertyDescriptor(out.services.web.labels, '__proto__')?.value).toBe('v');
  });

  it('returns every use with its path', () => {
    const r = interpolateConfig(service({ ports: [{ target: '${P}' }], image: 'nginx:$TAG' }), envLookup({ P: '80' }));
    expect(r.uses.map((u) => [u.path, u.variable, u.set])).toEqual([
      [['services', 'web', 'image'], 'TAG', false],
      [['services', 'web', 'ports', 0, 'target'], 'P', true],
    ]);
  });

  it('lists no uses when asked not to, and gives the same data and errors', () => {
    const data = service({ ports: [{ target: '${P}' }], image: 'nginx:$TAG', command: '${BAD' });
    const full = interpolateConfig(data, envLookup({ P: '80' }));
    const lean = interpolateConfig(data, envLookup({ P: '80' }), { skipUses: true });
    expect(lean.uses).toEqual([]);
    expect(full.uses.length).toBe(2);
    expect(lean.data).toEqual(full.data);
    expect(lean.errors).toEqual(full.errors);
  });
});

describe('typed casts [59]', () => {
  const env = envLookup({ R: '3', P: '8080', RO: 'yes', INIT: 'true', MEM: '512M', T: '30s', PAR: '2', RATIO: '0.5', EXT: 'on' });

  it('casts exactly the listed paths', () => {
    const data: YamlValue = {
      version: '3.8',
      services: {
        web: {
          image: 'nginx',
          read_only: '${RO}',
          init: '${INIT}', // not in docker's list: stays a string, then fails the schema [59b]
          ports: [{ target: 80, published: '${P}' }],
          deploy: { replicas: '${R}', resources: { limits: { memory: '${MEM}' } }, update_config: { parallelism: '${PAR}', max_failure_ratio: '${RATIO}', delay: '${T}' } },
          healthcheck: { interval: '${T}' },
        },
      },
      networks: { n: { external: '${EXT}' } },
    };
    const out = interpolateConfig(data, env).data as any;
    expect(out.services.web).toMatchObject({
      read_only: true,
      init: 'true',
      ports: [{ target: 80, published: 8080 }],
      deploy: { replicas: 3, resources: { limits: { memory: '512M' } }, update_config: { parallelism: 2, max_failure_ratio: 0.5, delay: '30s' } },
      healthcheck: { interval: '30s' },
    });
    expect(out.networks.n.external).toBe(true);
  });

  function leaves(value: unknown, out: unknown[] = []): unknown[] {
    if (value !== null && typeof value === 'object') for (const v of Object.values(value)) leaves(v, out);
    else out.push(value);
    return out;
  }

  it.each([
    [{ configs: [{ mode: '${V}' }] }, '288', 288],
    [{ secrets: [{ mode: '${V}' }] }, '256', 256],
    [{ healthcheck: { retries: '${V}' } }, '3', 3],
    [{ healthcheck: { disable: '${V}' } }, 'n', false],
    [{ deploy: { rollback_config: { parallelism: '${V}' } } }, '4', 4],
    [{ deploy: { rollback_config: { max_failure_ratio: '${V}' } } }, '1e-1', 0.1],
    [{ deploy: { restart_policy: { max_attempts: '${V}' } } }, '5', 5],
    [{ deploy: { placement: { max_replicas_per_node: '${V}' } } }, '1', 1],
    [{ ulimits: { nproc: '${V}', nofile: { soft: '${V}', hard: '${V}' } } }, '7', 7],
    [{ privileged: '${V}', stdin_open: '${V}', tty: '${V}' }, 'OFF', false],
    [{ volumes: [{ read_only: '${V}', volume: { nocopy: '${V}' } }] }, 'Y', true],
  ])('casts services.*.%j', (web, v, expected) => {
    const r = interpolateConfig({ services: { web } } as YamlValue, envLookup({ V: v }));
    expect(r.error).toBeUndefined();
    expect(leaves(r.data).every((x) => x === expected)).toBe(true);
  });

  it.each(['volumes', 'secrets', 'configs', 'networks'])('casts %s.*.external', (kind) => {
    const out = interpolateConfig({ [kind]: { x: { external: '${V}' } } }, envLookup({ V: 'no' })).data as any;
    expect(out[kind].x.external).toBe(false);
  });

  it('casts networks.*.internal and attachable', () => {
    const net = interpolateConfig({ networks: { x: { internal: '${V}', attachable: '${V}' } } }, envLookup({ V: 'yes' })).data as any;
    expect(net.networks.x).toEqual({ internal: true, attachable: true });
  });

  it('casts only when substitution changed the text [59c]', () => {
    const out = interpolateConfig(service({ deploy: { replicas: '3' } }), envLookup({})).data as any;
    expect(out.services.web.deploy.replicas).toBe('3');
    const same = interpolateConfig(service({ deploy: { replicas: '${R}' } }), envLookup({ R: '${R}' })).data as any;
    expect(same.services.web.deploy.replicas).toBe('${R}');
  });

  it('accepts the YAML 1.1 booleans in any case', () => {
    for (const [text, expected] of [['y', true], ['YES', true], ['True', true], ['oN', true], ['N', false], ['no', false], ['FALSE', false], ['Off', false]] as const) {
      const out = interpolateConfig(service({ tty: '${V}' }), envLookup({ V: text })).data as any;
      expect(out.services.web.tty).toBe(expected);
    }
  });

  it('gives integers beyond 2^53 as bigint', () => {
    const out = interpolateConfig(service({ ulimits: { nofile: '${V}' } }), envLookup({ V: '9223372036854775807' })).data as any;
    expect(out.services.web.ulimits.nofile).toBe(9223372036854775807n);
  });
});

describe('cast failures, in docker words [59d]', () => {
  it.each([
    ['deploy.replicas', { deploy: { replicas: '${V}' } }, 'three', 'strconv.Atoi: parsing "three": invalid syntax'],
    ['deploy.replicas', { deploy: { replicas: '${V}' } }, '', 'strconv.Atoi: parsing "": invalid syntax'],
    ['deploy.replicas', { deploy: { replicas: '${V}' } }, ' 5', 'strconv.Atoi: parsing " 5": invalid syntax'],
    ['deploy.replicas', { deploy: { replicas: '${V}' } }, '3.0', 'strconv.Atoi: parsing "3.0": invalid syntax'],
    ['deploy.replicas', { deploy: { replicas: '${V}' } }, '0x10', 'strconv.Atoi: parsing "0x10": invalid syntax'],
    ['deploy.replicas', { deploy: { replicas: '${V}' } }, '9223372036854775808', 'strconv.Atoi: parsing "9223372036854775808": value out of range'],
    ['deploy.replicas', { deploy: { replicas: '${V}' } }, '99999999999999999999x', 'strconv.Atoi: parsing "99999999999999999999x": value out of range'],
    ['deploy.update_config.max_failure_ratio', { deploy: { update_config: { max_failure_ratio: '${V}' } } }, 'half', 'strconv.ParseFloat: parsing "half": invalid syntax'],
    ['deploy.update_config.max_failure_ratio', { deploy: { update_config: { max_failure_ratio: '${V}' } } }, '1e400', 'strconv.ParseFloat: parsing "1e400": value out of range'],
    ['read_only', { read_only: '${V}' }, 'maybe', 'invalid boolean: maybe'],
    ['read_only', { read_only: '${V}' }, '1', 'invalid boolean: 1'],
  ])('%s = %j', (path, web, v, err) => {
    const r = interpolateConfig(service(web as Record<string, YamlValue>), envLookup({ V: v as string }));
    expect(r.error?.dockerMessage).toBe(castMessage(`services.web.${path}`, err));
  });

  it('names list items [] in the path, as docker does', () => {
    const r = interpolateConfig(service({ ports: [{ published: '${V}' }] }), envLookup({ V: 'x' }));
    expect(r.error).toEqual({
      path: ['services', 'web', 'ports', 0, 'published'],
      dockerPath: 'services.web.ports.[].published',
      dockerMessage: castMessage('services.web.ports.[].published', 'strconv.Atoi: parsing "x": invalid syntax'),
    });
    const cmd = interpolateConfig(service({ command: ['echo $1'] }), envLookup({}));
    expect(cmd.error?.dockerMessage).toBe(
      'invalid interpolation format for services.web.command.[]: "echo $1"; you may need to escape any $ with another $',
    );
  });

  it('keeps the original text of a failed value', () => {
    const r = interpolateConfig(service({ deploy: { replicas: '${V}' } }), envLookup({ V: 'x' }));
    expect((r.data as any).services.web.deploy.replicas).toBe('${V}');
  });
});

describe('errors', () => {
  const data = service({ environment: { A: '${A:?a missing}', B: '$1' }, command: '${C:?c missing}' });

  it('reports the first error in document order, and all of them', () => {
    const r = interpolateConfig(data, envLookup({}));
    expect(r.error?.path).toEqual(['services', 'web', 'environment', 'A']);
    expect(r.errors.map((e) => e.dockerPath)).toEqual(['services.web.environment.A', 'services.web.environment.B', 'services.web.command']);
  });

  it('can stop at the first error like docker', () => {
    expect(interpolateConfig(data, envLookup({}), { stopAtFirstError: true }).errors).toHaveLength(1);
  });

  it('matches cast paths after splitting on dots, like docker (a dotted service name gets no cast)', () => {
    const r = interpolateConfig({ services: { 'a.b': { read_only: '${V}' } } }, envLookup({ V: 'yes' }));
    expect((r.data as any).services['a.b'].read_only).toBe('yes');
  });
});

describe('copy on write', () => {
  function deepFreeze<T>(value: T): T {
    if (value && typeof value === 'object') {
      for (const child of Object.values(value)) deepFreeze(child);
      Object.freeze(value);
    }
    return value;
  }

  it('shares what holds no substitution, copies only the way down to what changed, and never writes its input', () => {
    const data = deepFreeze({
      services: {
        app: { image: 'nginx:${TAG}', ports: ['80:80'], labels: { a: 'x' } },
        db: { image: 'postgres:16', environment: ['A=1', 'B=2'] },
      },
      volumes: { data: null },
      ['__proto__']: { kept: '${TAG}' },
    } as unknown as YamlValue);
    const out = interpolateConfig(data, (name) => (name === 'TAG' ? '1.2' : undefined)).data as any;
    const input = data as any;
    expect(out).not.toBe(input);
    expect(out.services).not.toBe(input.services);
    expect(out.services.app).not.toBe(input.services.app);
    expect(out.services.app.image).toBe('nginx:1.2');
    expect(out.services.app.ports).toBe(input.services.app.ports);
    expect(out.services.app.labels).toBe(input.services.app.labels);
    expect(out.services.db).toBe(input.services.db);
    expect(out.volumes).toBe(input.volumes);
    // A `__proto__` key stays an own data key in the copy.
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ kept: '1.2' });
    expect(input.services.app.image).toBe('nginx:${TAG}');
  });

  it('returns the input itself when nothing is substituted', () => {
    const data = deepFreeze({ services: { app: { image: 'nginx', command: ['a', 'b'] } } } as YamlValue);
    expect(interpolateConfig(data, () => undefined).data).toBe(data);
  });
});
