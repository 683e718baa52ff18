// docker stack's merge, one class of the semantics table (§2, §3) at a time, with provenance.
import { describe, expect, it } from 'vitest';
import { MergePrefixes, mergeNormalised } from '../../src/merge/index.js';
import { context, deepFreeze, mergeTexts, norm } from './helpers.js';

const two = (a: string, b: string) => mergeTexts([a, b]);
const web = (text: string) => `services:\n  web:\n${text.replace(/^/gm, '    ')}\n`;
const webOf = (a: string, b: string, ...more: string[]) => mergeTexts([web(a), web(b), ...more.map(web)]).config.services.web;

describe('plain scalars: the overlay wins only when non-zero', () => {
  it('overrides strings, keeps the base against "" / false / 0', () => {
    expect(webOf('image: a\nuser: "1000"\nread_only: true\nhostname: h', 'image: b\nuser: ""\nread_only: false')).toEqual({
      hostname: 'h',
      image: 'b',
      read_only: true,
      user: '1000',
    });
  });

  it('deploy.placement.max_replicas_per_node 0 does not override', () => {
    expect(webOf('deploy: {placement: {max_replicas_per_node: 2}}', 'deploy: {placement: {max_replicas_per_node: 0}}').deploy).toEqual({
      placement: { max_replicas_per_node: 2 },
    });
  });
});

describe('pointer fields', () => {
  it('*uint64 (replicas, retries, parallelism, max_attempts): any overlay value wins, 0 included', () => {
    expect(
      webOf(
        'deploy: {replicas: 3, restart_policy: {max_attempts: 3}}\nhealthcheck: {retries: 3}',
        'deploy: {replicas: 0, restart_policy: {max_attempts: 0}}\nhealthcheck: {retries: 0}',
      ),
    ).toEqual({ deploy: { replicas: 0, restart_policy: { max_attempts: 0 } }, healthcheck: { retries: 0 } });
  });

  it('*Duration and init: set when the base has none, else only a non-zero overlay wins', () => {
    expect(webOf('stop_grace_period: 30s\ninit: true\nhealthcheck: {interval: 30s}', 'stop_grace_period: 0s\ninit: false\nhealthcheck: {interval: 0s}')).toEqual({
      healthcheck: { interval: '30s' },
      init: true,
      stop_grace_period: '30s',
    });
    expect(webOf('image: x', 'stop_grace_period: 0s\ninit: false')).toEqual({ image: 'x', init: false, stop_grace_period: '0s' });
    expect(webOf('stop_grace_period: 30s', 'stop_grace_period: 1m').stop_grace_period).toBe('1m0s');
  });
});

describe('command and entrypoint', () => {
  it('are replaced by a non-empty overlay, kept against [] and ""', () => {
    expect(webOf('command: [serve, --port, "80"]\nentrypoint: [/e.sh]', 'command: []\nentrypoint: ""')).toEqual({
      command: ['serve', '--port', '80'],
      entrypoint: ['/e.sh'],
    });
    expect(webOf('command: a b', 'command: [c]').command).toEqual(['c']);
  });
});

describe('environment and build.args: by key, only a non-empty overlay value wins', () => {
  it('keeps the base against null and "", which only fill an empty base', () => {
    expect(webOf('environment: [A=1, B=, C, D=x]', 'environment: {A: two, B: "", C: "", D: null, E: 5}').environment).toEqual({
      A: 'two',
      B: '',
      C: '',
      D: 'x',
      E: '5',
    });
  });

  it('lets a null overlay replace an empty base value', () => {
    expect(webOf('environment: [A=]', 'environment: [A]').environment).toEqual({ A: null });
  });

  it('merges build args the same way', () => {
    expect(webOf('build: {context: ., args: {A: "1", B: "1"}}', 'build: {args: [A=over, B=]}').build).toEqual({ context: '.', args: { A: 'over', B: '1' } });
  });
});

describe('labels, deploy.labels, sysctls: by key, the overlay always wins ("" included)', () => {
  it('overrides with "" and adds new keys', () => {
    const s = webOf('labels: [a=1, b=2]\nsysctls: {x: 1}\ndeploy: {labels: {l: "1"}}', 'labels: {a: ""}\nsysctls: [x=4, y=1]\ndeploy: {labels: [m=2]}');
    expect(s.labels).toEqual({ a: '', b: '2' });
    expect(s.sysctls).toEqual({ x: '4', y: '1' });
    expect(s.deploy).toEqual({ labels: { l: '1', m: '2' } });
  });
});

describe('ports: keyed by published port only, sorted', () => {
  it('lets the overlay replace the entry with the same published port', () => {
    expect(webOf('ports: ["9090:90", "8080:80"]', 'ports: ["8080:81", {target: 443, published: 8443, mode: host}]').ports).toEqual([
      { mode: 'ingress', target: 81, published: 8080, protocol: 'tcp' },
      { mode: 'host', target: 443, published: 8443 },
      { mode: 'ingress', target: 90, published: 9090, protocol: 'tcp' },
    ]);
  });

  it('collapses tcp and udp on one port, and unpublished ports, as soon as a later file mentions the service', () => {
    const m = two(web('image: x\nports: ["53:53/tcp", "53:53/udp", "80", "443"]'), web('{}'));
    expect(m.config.services.web.ports).toEqual([
      { mode: 'ingress', target: 443, protocol: 'tcp' },
      { mode: 'ingress', target: 53, published: 53, protocol: 'udp' },
    ]);
    expect(m.dropped.filter((d) => d.what === 'port-collapsed').map((d) => [d.origin.path, d.by?.path])).toEqual([
      [['services', 'web', 'ports', 0], ['services', 'web', 'ports', 1]],
      [['services', 'web', 'ports', 2], ['services', 'web', 'ports', 3]],
    ]);
  });

  it('does not collapse a service the later files never mention', () => {
    const m = two('services:\n  dns: {image: x, ports: ["53:53/tcp", "53:53/udp"]}\n', web('image: y'));
    expect(m.config.services.dns.ports).toHaveLength(2);
  });

  it('appends (no collapse, no sort) when the base has no ports list; collapses once it has', () => {
    expect(webOf('image: x', 'ports: ["9090:90", "80", "443"]').ports).toHaveLength(3);
    expect((webOf('image: x', 'ports: ["9090:90", "80", "443"]', 'image: y').ports as Array<{ target: number }>).map((p) => p.target)).toEqual([443, 90]);
  });

  it('an empty base list still collapses and sorts; an empty overlay list never clears', () => {
    expect((webOf('ports: []', 'ports: ["9090:90", "8080:80"]').ports as Array<{ published: number }>).map((p) => p.published)).toEqual([8080, 9090]);
    expect(webOf('ports: ["80:80"]', 'ports: []').ports).toEqual([{ mode: 'ingress', target: 80, published: 80, protocol: 'tcp' }]);
  });
});

describe('volumes by target, secrets and configs by source', () => {
  it('replaces whole entries and sorts', () => {
    const s = webOf('volumes: ["data:/var/lib/data", "./conf:/etc/conf:ro"]', 'volumes: ["other:/var/lib/data", "/srv/logs:/logs"]');
    expect((s.volumes as Array<{ target: string; source: string }>).map((v) => [v.target, v.source])).toEqual([
      ['/etc/conf', '/stack/conf'],
      ['/logs', '/srv/logs'],
      ['/var/lib/data', 'other'],
    ]);
  });

  it('keeps one mount per secret source, reporting the lost ones', () => {
    const m = two(web('secrets: [{source: tls, target: cert.pem}, {source: tls, target: key.pem}, s2]'), web('secrets: [{source: s2, target: custom}]'));
    expect(m.config.services.web.secrets).toEqual([{ source: 's2', target: 'custom' }, { source: 'tls', target: 'key.pem' }]);
    expect(m.dropped.map((d) => [d.what, d.origin])).toEqual([
      ['secret-collapsed', { file: 'a.yml', path: ['services', 'web', 'secrets', 0] }],
      ['secret-collapsed', { file: 'a.yml', path: ['services', 'web', 'secrets', 2] }],
    ]);
  });
});

describe('service networks', () => {
  it('null base takes the overlay; null overlay keeps the base; aliases from the overlay, addresses when set, driver_opts kept', () => {
    const s = webOf(
      'networks: {front: {aliases: [www], driver_opts: {o: base}}, back: null, mid: {aliases: [m1]}, x: {aliases: [x1], ipv4_address: 1.1.1.1}}',
      'networks: {front: {ipv4_address: 10.0.0.5, driver_opts: {o: over}}, back: {aliases: [db]}, mid: null, x: {aliases: [x2]}}',
    );
    expect(s.networks).toEqual({
      front: { driver_opts: { o: 'base' }, ipv4_address: '10.0.0.5' },
      back: { aliases: ['db'] },
      mid: { aliases: ['m1'] },
      x: { aliases: ['x2'], ipv4_address: '1.1.1.1' },
    });
  });

  it('adds networks listed by name', () => {
    expect(webOf('networks: [a]', 'networks: [b]').networks).toEqual({ a: null, b: null });
  });
});

describe('ulimits and logging', () => {
  it('ulimits: by name, the overlay entry replaces the whole entry', () => {
    expect(webOf('ulimits: {nofile: {soft: 1, hard: 2}, nproc: 100}', 'ulimits: {nofile: 4096, nproc: {soft: 1, hard: 2}}').ulimits).toEqual({
      nofile: 4096,
      nproc: { soft: 1, hard: 2 },
    });
  });

  it('logging: same or unset driver merges options; another driver replaces', () => {
    expect(webOf('logging: {driver: json-file, options: {a: "1", b: "1"}}', 'logging: {options: {b: "2"}}').logging).toEqual({
      driver: 'json-file',
      options: { a: '1', b: '2' },
    });
    expect(webOf('logging: {options: {a: "1"}}', 'logging: {driver: syslog, options: {b: "2"}}').logging).toEqual({
      driver: 'syslog',
      options: { a: '1', b: '2' },
    });
    expect(webOf('logging: {driver: json-file, options: {a: "1"}}', 'logging: {driver: syslog}').logging).toEqual({ driver: 'syslog' });
  });

  it("logging: docker's bug, a base without options loses the overlay's options", () => {
    const m = two(web('logging: {driver: json-file}'), web('logging: {driver: json-file, options: {max-size: 50m}}'));
    expect(m.config.services.web.logging).toEqual({ driver: 'json-file' });
    expect(m.dropped).toMatchObject([{ what: 'logging-options-lost', origin: { file: 'b.yml', path: ['services', 'web', 'logging', 'options', 'max-size'] } }]);
  });
});

describe('appended lists', () => {
  it('appends with duplicates kept, including healthcheck.test and placement constraints', () => {
    const s = webOf(
      'dns: 8.8.8.8\ncap_add: [NET_ADMIN]\nextra_hosts: ["db:1.1.1.1"]\nhealthcheck: {test: [CMD, "true"]}\ndeploy: {placement: {constraints: [a==b]}}',
      'dns: [8.8.8.8, 1.1.1.1]\ncap_add: [NET_ADMIN]\nextra_hosts: {db: 2.2.2.2}\nhealthcheck: {test: [NONE]}\ndeploy: {placement: {constraints: [a==b]}}',
    );
    expect(s.dns).toEqual(['8.8.8.8', '8.8.8.8', '1.1.1.1']);
    expect(s.cap_add).toEqual(['NET_ADMIN', 'NET_ADMIN']);
    expect(s.extra_hosts).toEqual(['db:1.1.1.1', 'db:2.2.2.2']);
    expect(s.healthcheck).toEqual({ test: ['CMD', 'true', 'NONE'] });
    expect(s.deploy).toEqual({ placement: { constraints: ['a==b', 'a==b'] } });
  });
});

describe('nested structs merge field by field', () => {
  it('deploy, resources, restart_policy, update_config', () => {
    expect(
      webOf(
        'deploy: {mode: replicated, replicas: 3, resources: {limits: {cpus: "0.5", memory: 256M}}, update_config: {parallelism: 2, delay: 10s, order: start-first}}',
        'deploy: {replicas: 5, resources: {limits: {memory: 512M}}, restart_policy: {delay: 5s}, update_config: {failure_action: rollback}}',
      ).deploy,
    ).toEqual({
      mode: 'replicated',
      replicas: 5,
      update_config: { parallelism: 2, delay: '10s', failure_action: 'rollback', order: 'start-first' },
      resources: { limits: { cpus: '0.5', memory: 536870912 } },
      restart_policy: { delay: '5s' },
    });
  });
});

describe('x- keys on a service', () => {
  it('deep-merges maps, appends lists, overrides scalars (null and "" included)', () => {
    expect(webOf('x-m: {owner: a, tags: [t1], n: {k1: v1}, z: 5}\nx-s: base\nx-l: [1]', 'x-m: {team: b, tags: [t2], n: {k2: v2}, z: null}\nx-s: ""\nx-l: [2]')).toEqual({
      'x-m': { owner: 'a', tags: ['t1', 't2'], n: { k1: 'v1', k2: 'v2' }, z: null, team: 'b' },
      'x-s': '',
      'x-l': [1, 2],
    });
  });

  it("fails as docker does when a list meets a non-list", () => {
    const m = two(web('x-a: {k: 1}'), web('x-a: [1]'));
    expect(m.error).toBe('cannot merge services from b.yml: cannot merge service web: cannot append two slices with different type ([]interface {}, map[string]interface {})');
  });
});

describe('services and top level', () => {
  it('adds overlay-only services as they are, keeps base-only ones, sorts by name', () => {
    const m = two('services:\n  web: {image: nginx}\n  api: {image: api}\n', 'services:\n  webb: {environment: {A: "1"}}\n');
    expect(Object.keys(m.config.services)).toEqual(['api', 'web', 'webb']);
    expect(m.config.services.webb).toEqual({ environment: { A: '1' } });
  });

  it('replaces top-level definitions wholesale, losing external: true', () => {
    const m = two('services: {}\nnetworks:\n  proxy: {external: true}\n  keep: {driver: overlay}\n', 'services: {}\nnetworks:\n  proxy: {driver: overlay}\n');
    expect(m.config.networks).toEqual({ proxy: { driver: 'overlay' }, keep: { driver: 'overlay' } });
    expect(m.dropped).toMatchObject([{ what: 'definition-replaced', path: ['networks', 'proxy'], origin: { file: 'a.yml' }, by: { file: 'b.yml' } }]);
    expect(m.replaced(['networks', 'proxy'])).toEqual([{ file: 'a.yml', path: ['networks', 'proxy'] }]);
  });

  it("keeps version and x- sections of the first file only", () => {
    const m = two('version: "3.8"\nx-a: 1\nx-both: base\nservices: {}\n', 'version: "3.8"\nx-b: 2\nx-both: over\nservices: {}\n');
    expect(m.config).toEqual({ version: '3.8', services: {}, 'x-a': 1, 'x-both': 'base' });
    expect(m.dropped.map((d) => [d.what, d.origin])).toEqual([
      ['extension-dropped', { file: 'b.yml', path: ['x-b'] }],
      ['extension-dropped', { file: 'b.yml', path: ['x-both'] }],
    ]);
  });

  it('merges three files in order', () => {
    const m = mergeTexts([web('image: a\nenvironment: {X: a, Y: a}'), web('image: b\nenvironment: {X: b}'), web('environment: {Y: c}')]);
    expect(m.config.services.web).toEqual({ environment: { X: 'b', Y: 'c' }, image: 'b' });
  });
});

describe('provenance', () => {
  const m = mergeTexts([
    web('image: nginx:1\nports: ["80:80", "8080:80"]\nenvironment: [A=1, B=2]'),
    web('image: nginx:2\nports: ["8080:81"]\nenvironment: {B: over}'),
    'services:\n  web: {}\n  sidekiq: {environment: {X: "1"}}\n',
  ]);

  it('origin: the file and raw path that provided each value', () => {
    expect(m.origin(['services', 'web', 'image'])).toEqual({ file: 'b.yml', path: ['services', 'web', 'image'] });
    expect(m.origin(['services', 'web', 'ports', 0])).toEqual({ file: 'a.yml', path: ['services', 'web', 'ports', 0] });
    expect(m.origin(['services', 'web', 'ports', 1])).toEqual({ file: 'b.yml', path: ['services', 'web', 'ports', 0] });
    expect(m.origin(['services', 'web', 'environment', 'A'])).toEqual({ file: 'a.yml', path: ['services', 'web', 'environment', 0] });
    expect(m.origin(['services', 'web', 'environment', 'B'])).toEqual({ file: 'b.yml', path: ['services', 'web', 'environment', 'B'] });
  });

  it('origin of a service: the last file mentioning it; definedBy: all of them in order', () => {
    expect(m.origin(['services', 'web'])).toEqual({ file: 'c.yml', path: ['services', 'web'] });
    expect(m.definedBy(['services', 'web']).map((o) => o.file)).toEqual(['a.yml', 'b.yml', 'c.yml']);
    expect(m.definedBy(['services', 'sidekiq'])).toEqual([{ file: 'c.yml', path: ['services', 'sidekiq'] }]);
  });

  it('replaced: what an overlay overrode', () => {
    expect(m.replaced(['services', 'web', 'image'])).toEqual([{ file: 'a.yml', path: ['services', 'web', 'image'] }]);
    expect(m.replaced(['services', 'web', 'ports', 1])).toEqual([{ file: 'a.yml', path: ['services', 'web', 'ports', 1] }]);
    expect(m.replaced(['services', 'web', 'environment', 'A'])).toEqual([]);
  });

  it('reports an empty overlay value that did not clear the base', () => {
    const r = two(web('environment: {MODE: prod}\nvolumes: ["/a:/a"]\nuser: app'), web('environment: {MODE: ""}\nvolumes: []\nuser: ""'));
    expect(r.dropped.map((d) => [d.what, d.origin.path, d.by?.file])).toEqual([
      ['empty-not-cleared', ['services', 'web', 'user'], 'a.yml'],
      ['empty-not-cleared', ['services', 'web', 'volumes'], 'a.yml'],
      ['empty-not-cleared', ['services', 'web', 'environment', 'MODE'], 'a.yml'],
    ]);
  });

  it('records what the typed loads dropped (oom_score_adj)', () => {
    expect(two(web('oom_score_adj: 100'), web('image: x')).dropped).toMatchObject([{ what: 'field-dropped', path: ['services', 'web', 'oom_score_adj'] }]);
  });
});

describe('purity', () => {
  it('never mutates the normalised files, so views can share them', () => {
    const ctx = context();
    const a = deepFreeze(norm(web('image: x\nports: ["80", "443"]\nenvironment: [A=1]\nlogging: {driver: d, options: {a: "1"}}\nx-m: {k: [1]}\nnetworks: {n: {aliases: [a]}}'), 'a.yml', ctx));
    const b = deepFreeze(norm(web('ports: ["8080:80"]\nenvironment: {A: "2"}\nlogging: {options: {b: "2"}}\nx-m: {k: [2]}\nnetworks: {n: {aliases: [b]}}'), 'b.yml', ctx));
    expect(() => mergeNormalised([a, b, a, b])).not.toThrow();
  });

  it('shares unchanged services between the inputs and the result', () => {
    const a = norm('services:\n  web: {image: x}\n  api: {image: y}\n');
    const b = norm('services:\n  api: {image: z}\n', 'b.yml');
    expect(mergeNormalised([a, b]).config.services.web).toBe(a.config.services.web);
  });

  it('gives the same merges when views share their leading merges', () => {
    const base = norm('services:\n  web:\n    image: x\n    ports: ["80:80", "81:80"]\n    environment: [A=1]\n  db: {image: pg}\nvolumes: {data: {}}\nx-meta: {a: 1}\n');
    const pg = norm('services:\n  web:\n    environment: {B: "2"}\n    ports: ["80:8080"]\n  db: {volumes: ["data:/var/lib"]}\nvolumes: {data: {driver: local}}\nx-meta: {b: 2}\n', 'b.yml');
    const mail = norm('services:\n  web:\n    environment: {C: "3"}\n', 'c.yml');
    const broken = norm('services:\n  web:\n    x-list: [1]\n', 'd.yml');
    const brokenBase = norm('services:\n  web:\n    x-list: {a: 1}\n', 'e.yml');
    const lists = [[base], [base, pg], [base, mail], [base, pg, mail], [base, pg, mail], [brokenBase, broken], [brokenBase, broken, mail], [base, brokenBase, broken]];
    const prefixes = new MergePrefixes();
    for (const files of lists) {
      const alone = mergeNormalised(files);
      const shared = mergeNormalised(files, prefixes);
      expect(shared.config).toEqual(alone.config);
      expect(shared.dropped).toEqual(alone.dropped);
      expect(shared.error).toBe(alone.error);
      for (const path of [['services', 'web', 'environment', 'A'], ['services', 'web', 'ports', 0], ['volumes', 'data'], ['services', 'db', 'volumes', 0]]) {
        expect(shared.origin(path)).toEqual(alone.origin(path));
        expect(shared.definedBy(path)).toEqual(alone.definedBy(path));
      }
    }
    expect(mergeNormalised([brokenBase, broken], prefixes).error).toMatch(/cannot merge services from d\.yml/);
  });
});
