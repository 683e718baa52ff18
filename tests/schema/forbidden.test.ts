import { describe, expect, it } from 'vitest';
import { NonStringKeyMap } from '../../src/load/types.js';
import { findForbiddenProperties } from '../../src/schema/index.js';

describe('findForbiddenProperties', () => {
  it('finds the keys docker forbids, with docker messages [37, 37b]', () => {
    const r = findForbiddenProperties({ version: '3.8', services: { web: { extends: { service: 'base' }, cpu_shares: 10 } } });
    expect(r.properties.map((p) => p.path)).toEqual([
      ['services', 'web', 'extends'],
      ['services', 'web', 'cpu_shares'],
    ]);
    expect(r.dockerMessage).toBe('Configuration contains forbidden properties');
    expect(r.deployMessage).toBe(
      'Compose file contains unsupported options:\n\n' +
        'cpu_shares: Set resource limits using deploy.resources\n\n' +
        'extends: Support for `extends` is not implemented yet.\n',
    );
  });

  it('lists a property once in the deploy text, even when several services use it', () => {
    const r = findForbiddenProperties({ services: { a: { mem_limit: '1g', volumes_from: ['b'] }, b: { mem_limit: null } } });
    expect(r.properties.map((p) => `${p.service}.${p.property}`)).toEqual(['a.mem_limit', 'a.volumes_from', 'b.mem_limit']);
    expect(r.deployMessage?.match(/mem_limit:/g)).toHaveLength(1);
    expect(r.deployMessage).toContain('volumes_from: To share a volume between services');
  });

  it('checks every forbidden key', () => {
    const keys = ['extends', 'volume_driver', 'volumes_from', 'cpu_quota', 'cpu_shares', 'cpuset', 'mem_limit', 'memswap_limit'];
    const web = Object.fromEntries(keys.map((k) => [k, 1]));
    expect(findForbiddenProperties({ services: { web } }).properties.map((p) => p.property)).toEqual(keys);
  });

  it('ignores what docker does not look at', () => {
    for (const data of [
      null,
      { services: null },
      { services: ['web'] },
      { services: new NonStringKeyMap([[1, { extends: 1 }]]) },
      { services: { web: null, db: ['extends'] } },
      { extends: 1, networks: { n: { cpu_shares: 1 } } },
      { services: { web: { deploy: { cpu_shares: 1 } } } },
    ]) {
      expect(findForbiddenProperties(data as never)).toEqual({ properties: [] });
    }
  });
});
