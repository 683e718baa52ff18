// docker's typed load of one file (semantics §1), checked value by value and for where values came from.
import { describe, expect, it } from 'vitest';
import { mergeNormalised } from '../../src/merge/index.js';
import { context, norm, WORKDIR } from './helpers.js';

const svc = (text: string) => `services:\n  web:\n${text.replace(/^/gm, '    ')}\n`;

function web(text: string, ctx = context()) {
  const f = norm(svc(text), 'a.yml', ctx);
  expect(f.error).toBeUndefined();
  return f.config.services.web;
}

describe('short syntax to long', () => {
  it('expands ports: ranges, protocols, no host port, host IP dropped with a warning', () => {
    const f = norm(svc('ports: ["8000-8001:8000-8001", "53:53/udp", "80", 443, "127.0.0.1:7000:7000"]'));
    expect(f.config.services.web.ports).toEqual([
      { mode: 'ingress', target: 8000, published: 8000, protocol: 'tcp' },
      { mode: 'ingress', target: 8001, published: 8001, protocol: 'tcp' },
      { mode: 'ingress', target: 53, published: 53, protocol: 'udp' },
      { mode: 'ingress', target: 80, protocol: 'tcp' },
      { mode: 'ingress', target: 443, protocol: 'tcp' },
      { mode: 'ingress', target: 7000, published: 7000, protocol: 'tcp' },
    ]);
    expect(f.warnings).toEqual(["ignoring IP-address (127.0.0.1:7000:7000/tcp) service will listen on '0.0.0.0'"]);
  });

  it('orders the ports of one range as docker does: by the string "port/proto"', () => {
    expect((web('ports: ["8-10:8-10"]').ports as Array<{ target: number }>).map((p) => p.target)).toEqual([10, 8, 9]);
  });

  it('keeps only the given fields of long-syntax ports', () => {
    expect(web('ports: [{target: 8080}]').ports).toEqual([{ target: 8080 }]);
  });

  it('parses volumes and resolves bind sources against the first file directory and $HOME', () => {
    expect(web('volumes: ["data:/data:ro,nocopy", "./conf:/etc/conf:rshared", "~/x:/x", "/anon", "x:/y"]').volumes).toEqual([
      { type: 'volume', source: 'data', target: '/data', read_only: true, volume: { nocopy: true } },
      { type: 'bind', source: `${WORKDIR}/conf`, target: '/etc/conf', bind: { propagation: 'rshared' } },
      { type: 'bind', source: '/home/op/x', target: '/x' },
      { type: 'volume', target: '/anon' },
      { type: 'volume', target: 'x:/y' }, // a one-letter source reads as a Windows drive
    ]);
  });

  it('fails a bind without source the way docker words it', () => {
    const f = norm(svc('volumes: [{type: bind, target: /x}]'));
    expect(f.error).toBe('invalid mount config for type "bind": field Source must not be empty');
  });

  it('reports volume spec errors as mapstructure does', () => {
    const f = norm(svc('volumes: ["/a:/b:ro:x"]'));
    expect(f.error).toBe("decoding failed due to the following error(s):\n\nerror decoding 'Volumes[0]': invalid spec: /a:/b:ro:x: too many colons");
  });

  it('turns string secrets, configs and build into their long forms', () => {
    const s = web('secrets: [s1, {source: s2, target: t, mode: 0400}]\nconfigs: [c1]\nbuild: .');
    expect(s.secrets).toEqual([{ source: 's1' }, { source: 's2', target: 't', mode: 256 }]);
    expect(s.configs).toEqual([{ source: 'c1' }]);
    expect(s.build).toEqual({ context: '.' });
  });

  it('splits command strings like a shell, wraps a healthcheck test string in CMD-SHELL', () => {
    const s = web('command: nginx -g "daemon off;"\nhealthcheck: {test: curl -f http://x}');
    expect(s.command).toEqual(['nginx', '-g', 'daemon off;']);
    expect(s.healthcheck).toEqual({ test: ['CMD-SHELL', 'curl -f http://x'] });
  });

  it('makes host:ip extra_hosts from lists (= or :) and maps (sorted), unbracketing IPv6', () => {
    expect(web('extra_hosts: ["db:10.0.0.2", "cache=10.0.0.3", "nosep"]').extra_hosts).toEqual(['db:10.0.0.2', 'cache:10.0.0.3']);
    expect(web('extra_hosts: {z: "[::1]", a: 1.2.3.4}').extra_hosts).toEqual(['a:1.2.3.4', 'z:::1']);
  });

  it('makes one-element lists of dns, dns_search, tmpfs and env_file strings', () => {
    const s = web('dns: 8.8.8.8\ntmpfs: /run');
    expect(s.dns).toEqual(['8.8.8.8']);
    expect(s.tmpfs).toEqual(['/run']);
  });

  it('keeps durations as Go prints them and sizes as byte counts', () => {
    const s = web('stop_grace_period: 90s\ndeploy: {resources: {limits: {memory: 256M}}, restart_policy: {delay: 0.5s}}');
    expect(s.stop_grace_period).toBe('1m30s');
    expect(s.deploy).toEqual({ resources: { limits: { memory: 268435456 } }, restart_policy: { delay: '500ms' } });
  });
});

describe('environment and labels', () => {
  it('reads list and map forms; K without = is null; numbers print as Go %v', () => {
    const s = web('environment: [A=1, B, C=]\nlabels: {x: 1.50, y: 1e3, z: null, big: 1e6, int: 1000000}');
    expect(s.environment).toEqual({ A: '1', B: null, C: '' });
    expect(s.labels).toEqual({ x: '1.5', y: '1000', z: '', big: '1e+06', int: '1000000' });
  });

  it('fills null or empty entries from the CLI environment when the variable exists', () => {
    const ctx = context({ FROMHOST: 'h', EMPTY: 'h2' });
    expect(web('environment: [FROMHOST, EMPTY=, NOTSET, KEEP=x]', ctx).environment).toEqual({ EMPTY: 'h2', FROMHOST: 'h', KEEP: 'x', NOTSET: null });
  });

  it('does not fill build args from the CLI environment', () => {
    expect(web('build: {context: ., args: [FOO]}', context({ FOO: 'foo' })).build).toEqual({ context: '.', args: { FOO: null } });
  });

  it('reads env_file relative to the first file directory; environment wins; values are literal', () => {
    const ctx = context({ PASS: 'from-cli' }, { [`${WORKDIR}/app.env`]: 'A=file\nB=file\n# c\nLIT=${X}\nPASS\nMISSING\n' });
    expect(web('env_file: ./app.env\nenvironment: {B: env}', ctx).environment).toEqual({ A: 'file', B: 'env', LIT: '${X}', PASS: 'from-cli' });
  });

  it("fails with docker's text when an env_file is missing", () => {
    expect(norm(svc('env_file: [nope.env]')).error).toBe(`open ${WORKDIR}/nope.env: no such file or directory`);
  });

  it('labels: split at the first =, no value is ""', () => {
    expect(web('labels: [a=1, novalue, c=x=y]').labels).toEqual({ a: '1', novalue: '', c: 'x=y' });
  });
});

describe('top-level definitions', () => {
  it('names external definitions after their key, or their external.name with a deprecation warning', () => {
    const f = norm('version: "3.8"\nservices: {}\nnetworks:\n  proxy: {external: true}\n  old: {external: {name: legacy}}\n  own:\n');
    expect(f.config.networks).toEqual({ proxy: { name: 'proxy', external: true }, old: { name: 'legacy', external: true }, own: {} });
    expect(f.warnings).toEqual(['network old: network.external.name is deprecated in favor of network.name']);
  });

  it('makes secret and config files absolute; a definition without file gets the working dir', () => {
    const f = norm('services: {}\nsecrets:\n  s: {file: ./s.txt}\n  t: {}\n  e: {external: true}\n');
    expect(f.config.secrets).toEqual({ s: { file: `${WORKDIR}/s.txt` }, t: { file: WORKDIR }, e: { name: 'e', external: true } });
  });

  it('keeps x- keys of networks and volumes only when they are external', () => {
    const f = norm('services: {}\nnetworks:\n  a: {external: true, x-k: 1}\n  b: {driver: overlay, x-k: 1}\n');
    expect(f.config.networks).toEqual({ a: { name: 'a', external: true, 'x-k': 1 }, b: { driver: 'overlay' } });
    expect(f.dropped.map((d) => [d.what, d.path])).toEqual([['field-dropped', ['networks', 'b', 'x-k']]]);
  });

  it('rejects conflicting external parameters as docker does', () => {
    expect(norm('services: {}\nvolumes:\n  v: {external: true, driver: local}\n').error).toBe('conflicting parameters "external" and "driver" specified for volume "v"');
    expect(norm('services: {}\nnetworks:\n  n: {external: {name: a}, name: b}\n').error).toBe(
      'network n: network.external.name and network.name conflict; only use network.name',
    );
  });
});

describe('what the typed load drops', () => {
  it('drops oom_score_adj and build.shm_size silently, recorded as field-dropped', () => {
    const f = norm(svc('image: x\noom_score_adj: 100\nbuild: {context: ., shm_size: 1G}'));
    expect(f.config.services.web).toEqual({ build: { context: '.' }, image: 'x' });
    expect(f.dropped.map((d) => d.path)).toEqual([
      ['services', 'web', 'build', 'shm_size'],
      ['services', 'web', 'oom_score_adj'],
    ]);
    expect(f.dropped[1].origin).toEqual({ file: 'a.yml', path: ['services', 'web', 'oom_score_adj'] });
  });

  it('omits non-pointer zero values but keeps pointer ones', () => {
    expect(web('user: ""\nread_only: false\ninit: false\ndeploy: {replicas: 0}\nstop_grace_period: 0s')).toEqual({
      deploy: { replicas: 0 },
      init: false,
      stop_grace_period: '0s',
    });
  });
});

describe('origins point into the raw file', () => {
  const merged = (text: string, ctx = context()) => mergeNormalised([norm(text, 'a.yml', ctx)]);

  it('maps expanded short-syntax ports to the raw string they came from', () => {
    const m = merged(svc('ports: ["9090:90", "8000-8001:8000-8001"]'));
    expect(m.origin(['services', 'web', 'ports', 2])).toEqual({ file: 'a.yml', path: ['services', 'web', 'ports', 1] });
    expect(m.origin(['services', 'web', 'ports', 2, 'published'])).toEqual({ file: 'a.yml', path: ['services', 'web', 'ports', 1] });
  });

  it('maps list-form environment and labels entries to their list item', () => {
    const m = merged(svc('environment: [A=1, B=2]\nlabels: {x: y}'));
    expect(m.origin(['services', 'web', 'environment', 'B'])?.path).toEqual(['services', 'web', 'environment', 1]);
    expect(m.origin(['services', 'web', 'labels', 'x'])?.path).toEqual(['services', 'web', 'labels', 'x']);
  });

  it('maps env_file values to the env_file entry, defaulted names to the definition', () => {
    const ctx = context({}, { [`${WORKDIR}/app.env`]: 'A=1\n' });
    const m = merged(`${svc('env_file: [./app.env]')}networks:\n  proxy: {external: true}\n`, ctx);
    expect(m.origin(['services', 'web', 'environment', 'A'])?.path).toEqual(['services', 'web', 'env_file', 0]);
    expect(m.origin(['networks', 'proxy', 'name'])?.path).toEqual(['networks', 'proxy', 'external']);
  });

  it('maps shell-split command words and string build to the raw scalar', () => {
    const m = merged(svc('command: a b c\nbuild: .'));
    expect(m.origin(['services', 'web', 'command', 2])?.path).toEqual(['services', 'web', 'command']);
    expect(m.origin(['services', 'web', 'build', 'context'])?.path).toEqual(['services', 'web', 'build']);
  });

  it('answers nothing for paths the config does not have', () => {
    const m = merged(svc('image: x'));
    expect(m.origin(['services', 'web', 'user'])).toBeUndefined();
    expect(m.origin(['services', 'nope'])).toBeUndefined();
  });
});
