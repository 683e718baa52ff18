// validateFile: the single line docker prints (recorded from docker CLI 28.2.2 `docker stack config`
// on the same file; [NN] marks a golden case) and our own per-problem violations.
import { describe, expect, it } from 'vitest';
import { loadYamlText } from '../../src/load/yaml.js';
import { NonStringKeyMap } from '../../src/load/types.js';
import type { YamlValue } from '../../src/load/types.js';
import { dockerVersion, validateFile } from '../../src/schema/index.js';

function load(text: string): YamlValue {
  const doc = loadYamlText(text, 'a.yml');
  if (doc.errors.length > 0) throw new Error(doc.errors[0].message);
  return doc.data!;
}

/** Validates a file the way docker does: with the version read from the file itself. */
function dockerMessage(text: string): string | undefined {
  const data = load(text);
  return validateFile(data, dockerVersion(data)).dockerMessage;
}

const v38 = (body: string) => `version: "3.8"\n${body}`;

describe('docker message', () => {
  it.each([
    // golden cases
    ['04b', v38('services: {web: {image: nginx, environment: {DEBUG: false}}}'), 'services.web.environment.DEBUG must be a string, number or null'],
    ['32', 'version: 3.10\nservices: {web: {image: nginx}}', 'version must be a string'],
    ['33', v38('services: {web: {profiles: [dev]}}'), 'services.web Additional property profiles is not allowed'],
    ['33b', 'name: mystack\nversion: "3.8"\nservices: {web: {image: nginx}}', '(root) Additional property name is not allowed'],
    ['34', v38('services: {web: {ports: "80:80"}}'), 'services.web.ports must be a list'],
    ['34b', v38('services: {web: {image: 123}}'), 'services.web.image must be a string'],
    ['35', v38('services:\n  web:\n    environment:\n'), 'services.web.environment must be a mapping'],
    ['35b', v38('services:\n  web:\n'), 'services.web must be a mapping'],
    ['35c', v38('networks:\n'), 'networks must be a mapping'],
    ['35e', v38('services:\n  web:\n    image:\n'), 'services.web.image must be a string'],
    ['35f', v38('services:\n  web:\n    command:\n'), 'services.web.command must be a string'],
    ['59b', v38('services: {web: {image: nginx, init: "true"}}'), 'services.web.init must be a boolean'],
    ['59c', v38('services: {web: {image: nginx, deploy: {replicas: "3"}}}'), 'services.web.deploy.replicas must be a integer'],
    ['62b', v38('services: {web: {image: nginx, read_only: yes}}'), 'services.web.read_only must be a boolean'],
    ['65', v38('services: {web: {image: nginx, ports: [{target: 80, published: "8080"}]}}'), 'services.web.ports.0.published must be a integer'],
    ['68', v38('services: {web: {environment: {1: x}}}'), 'json: unsupported type: map[interface {}]interface {}'],
    // recorded
    ['unique', v38('services: {web: {image: nginx, cap_add: [A, B, A]}}'), 'services.web.cap_add array items[0,2] must be unique'],
    ['unique list_or_dict', v38('services: {web: {image: nginx, environment: [A=1, A=1]}}'), 'services.web.environment array items[0,1] must be unique'],
    ['enum', v38('services: {web: {image: nginx, deploy: {update_config: {order: first}}}}'), 'services.web.deploy.update_config.order services.web.deploy.update_config.order must be one of the following: "start-first", "stop-first"'],
    ['required in oneOf', v38('services: {web: {image: nginx, volumes: [{source: /a, target: /b}]}}'), 'services.web.volumes.0 type is required'],
    ['extra key in oneOf', v38('services: {web: {image: nginx, volumes: [{type: bind, source: /a, target: /b, bogus: 1}]}}'), 'services.web.volumes.0 Additional property bogus is not allowed'],
    ['duration type', v38('services: {web: {image: nginx, healthcheck: {interval: 10}}}'), 'services.web.healthcheck.interval must be a string'],
    ['duration format', v38('services: {web: {image: nginx, healthcheck: {interval: 1d}}}'), "services.web.healthcheck.interval Does not match format 'duration'"],
    ['ports format', v38('services: {web: {image: nginx, ports: ["80:80/xyz"]}}'), "services.web.ports.0 Does not match format 'ports'"],
    ['ports number', v38('services: {web: {image: nginx, ports: [70000]}}'), "services.web.ports.0 Does not match format 'ports'"],
    ['ports long form', v38('services: {web: {image: nginx, ports: [{target: 80, published: 8080, bogus: 1}]}}'), 'services.web.ports.0 Additional property bogus is not allowed'],
    ['ports oneOf of types', v38('services: {web: {image: nginx, ports: [[]]}}'), 'services.web.ports.0 must be a number'],
    ['minimum', v38('services: {web: {image: nginx, volumes: [{type: tmpfs, target: /t, tmpfs: {size: -5}}]}}'), 'services.web.volumes.0.tmpfs.size Must be greater than or equal to 0'],
    ['deploy key', v38('services: {web: {image: nginx, deploy: {replica: 2}}}'), 'services.web.deploy Additional property replica is not allowed'],
    ['service name', v38('services: {"web app": {image: nginx}}'), 'services Additional property web app is not allowed'],
    ['x- at root before 3.4', 'version: "3.3"\nx-foo: 1\nservices: {web: {image: nginx}}', '(root) Additional property x-foo is not allowed'],
    ['x- in a service before 3.7', 'version: "3.6"\nservices: {web: {image: nginx, x-foo: 1}}', 'services.web Additional property x-foo is not allowed'],
    ['ulimits required', v38('services: {web: {image: nginx, ulimits: {nofile: {soft: 1}}}}'), 'services.web.ulimits.nofile hard is required'],
    ['build oneOf', v38('services: {web: {image: nginx, build: 1}}'), 'services.web.build must be a string'],
    ['build object', v38('services: {web: {image: nginx, build: {context: ., bogus: [1]}}}'), 'services.web.build Additional property bogus is not allowed'],
    ['retries', v38('services: {web: {image: nginx, healthcheck: {retries: "3"}}}'), 'services.web.healthcheck.retries must be a number'],
    ['two types', v38('services: {web: {image: nginx}}\nnetworks: {n: {external: yes}}'), 'networks.n.external must be a boolean or mapping'],
    ['labels value', v38('services: {web: {image: nginx, labels: {a: true}}}'), 'services.web.labels.a must be a string, number or null'],
    ['network list', v38('services: {web: {image: nginx, networks: [1]}}'), 'services.web.networks.0 must be a string'],
    ['aliases', v38('services: {web: {image: nginx, networks: {n: {aliases: "x"}}}}'), 'services.web.networks.n.aliases must be a list'],
    ['command map', v38('services: {web: {image: nginx, command: {a: 1}}}'), 'services.web.command must be a string'],
    ['environment item', v38('services: {web: {image: nginx, environment: [1]}}'), 'services.web.environment.0 must be a string'],
    ['services list', v38('services: [web]'), 'services must be a mapping'],
    ['config key', '{services: {web: {image: nginx}}, configs: {c: {file: ./c, bogus: 1}}}', 'configs.c Additional property bogus is not allowed'],
    ['placement', v38('services: {web: {image: nginx, deploy: {placement: {preferences: [{spread: 1}]}}}}'), 'services.web.deploy.placement.preferences.0.spread must be a string'],
    ['NaN', v38('services: {web: {image: nginx, deploy: {replicas: .nan}}}'), 'json: unsupported value: NaN'],
    ['-Inf', 'services: {web: {image: nginx, x-a: -.inf}}', 'json: unsupported value: -Inf'],
    ['marshal order', '{services: {web: {image: nginx, environment: {1: x}}}, x-b: .nan}', 'json: unsupported type: map[interface {}]interface {}'],
  ])('%s', (_name, text, expected) => expect(dockerMessage(text)).toBe(expected));

  it.each([
    ['x- at root from 3.4', '{version: "3.4", x-foo: 1, services: {web: {image: nginx}}}'],
    ['null deploy', v38('services: {web: {image: nginx, deploy: null}}')],
    ['null network definition', '{services: {web: {image: nginx}}, networks: {n: null}}'],
    ['ulimit name not matching ^[a-z]+$ (no additionalProperties there)', v38('services: {web: {image: nginx, ulimits: {NOFILE: 1}}}')],
    ['secret long form extra key (no additionalProperties there)', '{services: {web: {image: nginx, secrets: [{source: s, bogus: 1}]}}, secrets: {s: {external: true}}}'],
    ['expose is never checked', v38('services: {web: {image: nginx, expose: ["not a port", 1.5]}}')],
    ['Go regexp . matches \\r', v38('services: {web: {image: nginx, environment: {"\\r": x, "\\u2028": y}}}')],
    ['port number numerator', v38('services: {web: {image: nginx, ports: [0.5, 80, "8080-8081:80-81/udp", "[::1]:80:80"]}}')],
    ['big integers', v38('services: {web: {image: nginx, deploy: {replicas: 12345678901234567890}}}')],
  ])('accepts: %s', (_name, text) => {
    expect(dockerMessage(text)).toBeUndefined();
  });

  it('checks the version first [32b, 61]', () => {
    expect(validateFile(load('version: "2.4"\nservices: {}'), '2.4').dockerMessage).toBe('unsupported Compose file version: 2.4');
    expect(validateFile(load('version: "3.8"'), '${V}').dockerMessage).toBe('unsupported Compose file version: ${V}');
    expect(validateFile(load('version: "3.8"'), '').dockerMessage).toBeUndefined();
  });

  it('validates with the version it is given, not the file own one', () => {
    const data = load('version: "3.8"\nservices: {web: {image: nginx, x-foo: 1}}');
    expect(validateFile(data, '3.13').dockerMessage).toBeUndefined();
    expect(validateFile(data, '3.6').dockerMessage).toBe('services.web Additional property x-foo is not allowed');
  });

  it('handles NonStringKeyMap and bigint given directly', () => {
    const data: YamlValue = { services: { web: { image: 'nginx', deploy: { replicas: 2n ** 70n }, labels: new NonStringKeyMap([[true, 'x']]) } } };
    const r = validateFile(data, '3.13');
    expect(r.dockerMessage).toBe('json: unsupported type: map[interface {}]interface {}');
    expect(r.violations).toEqual([expect.objectContaining({ path: ['services', 'web', 'labels'], keyword: 'nonStringKey' })]);
  });
});

describe('violations', () => {
  const text = v38(`services:
  web:
    image: 1
    environment:
    command: {a: 1}
    deploy: {replica: 2, update_config: {order: x}}
    cap_add: [A, A]
    volumes: [{source: /a}]
    healthcheck: {interval: 1d}
    labels: {a: true}
    x-foo: 1
  "bad name": {}
networks: {n: {external: yes}}
foo: 1
`);
  const { violations } = validateFile(load(text), '3.6');
  const byPath = new Map(violations.map((v) => [v.path.join('.'), v]));

  it('lists every problem once', () => {
    expect([...byPath.keys()].sort()).toEqual(
      [
        'foo',
        'networks.n.external',
        'services.bad name',
        'services.web.cap_add.1',
        'services.web.command',
        'services.web.deploy.replica',
        'services.web.deploy.update_config.order',
        'services.web.environment',
        'services.web.healthcheck.interval',
        'services.web.image',
        'services.web.labels.a',
        'services.web.volumes.0',
        'services.web.x-foo',
      ].sort(),
    );
    expect(violations).toHaveLength(byPath.size);
  });

  it('words each in plain terms', () => {
    expect(byPath.get('services.web.environment')).toMatchObject({ keyword: 'type', message: 'must be a mapping or a list, not null' });
    expect(byPath.get('services.web.command')?.message).toBe('must be a string or a list, not a mapping');
    expect(byPath.get('services.web.image')?.message).toBe('must be a string, not an integer');
    expect(byPath.get('services.web.labels.a')?.message).toBe('must be a string, a number or null, not a boolean');
    expect(byPath.get('services.web.deploy.replica')).toMatchObject({ keyword: 'additionalProperties', message: '"replica" is not allowed here', params: { property: 'replica' } });
    expect(byPath.get('services.bad name')?.message).toContain('not a valid name');
    expect(byPath.get('services.web.x-foo')?.message).toContain('extension fields');
    expect(byPath.get('services.web.deploy.update_config.order')).toMatchObject({ keyword: 'enum', message: 'must be one of "start-first", "stop-first"' });
    expect(byPath.get('services.web.cap_add.1')).toMatchObject({ keyword: 'uniqueItems', params: { i: 0, j: 1 } });
    expect(byPath.get('services.web.volumes.0')).toMatchObject({ keyword: 'required', message: 'missing required key "type"' });
    expect(byPath.get('services.web.healthcheck.interval')).toMatchObject({ keyword: 'format', params: { format: 'duration', value: '1d' } });
    expect(byPath.get('networks.n.external')?.message).toBe('must be a boolean or a mapping, not a string');
  });

  it('is empty for a valid file', () => {
    expect(validateFile(load(v38('services: {web: {image: nginx}}')), '3.8')).toEqual({ violations: [] });
  });

  it('reports an unsupported version as a violation too', () => {
    expect(validateFile({}, '2.4').violations).toEqual([expect.objectContaining({ path: ['version'], keyword: 'version' })]);
  });
});
