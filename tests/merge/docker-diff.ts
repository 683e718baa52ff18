// Differential check against the real docker CLI (not part of the vitest suite; needs `docker` on PATH):
//   npx tsx tests/merge/docker-diff.ts [ITERATIONS] [SEED]
// Generates random compose files (2-3 per case, overlapping services, both syntaxes of each field),
// runs `docker stack config` and `node bin/stacklint.js config` on them with the same environment,
// and reports every case whose stdout, stderr or exit code differ (kept under /tmp/stacklint-diff/).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const iterations = Number(process.argv[2] ?? 200);
let seed = Number(process.argv[3] ?? Date.now() % 100000);
const firstSeed = seed;

function rnd(): number {
  // mulberry32
  seed |= 0;
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
const chance = (p: number) => rnd() < p;
// Distinct picks: the schema rejects duplicate list items (uniqueItems), which is not what this checks.
const some = <T>(xs: readonly T[], max = 3): T[] => [...new Set(Array.from({ length: Math.floor(rnd() * (max + 1)) }, () => pick(xs)))];

/** A raw YAML token written as is (floats like 1e6 that JSON.stringify cannot spell). */
class Raw {
  constructor(readonly text: string) {}
}
function toYaml(v: unknown): string {
  if (v instanceof Raw) return v.text;
  if (Array.isArray(v)) return `[${v.map(toYaml).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${toYaml(x)}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

const STRINGS = ['word '.repeat(30), 'x\u2028y', 'a\n\n', ' a\nb', 'a \nb', '\u00a0nb', 'q\'uote', 'dq"x', 'back\\slash', 'nginx', 'a b', '', 'yes', 'on', '1.5', '10:30', ' lead', 'trail ', 'x: y', '#c', 'multi\nline', 'tab\tx', '[]', '{}', '-', '@', 'é', 'null', '0x1F', '2024-01-01', 'n', 'Y'];
const NUMBERS = [new Raw('1'), new Raw('0'), new Raw('1e6'), new Raw('1000000'), new Raw('2.50'), new Raw('100000.0'), new Raw('-1'), new Raw('0.000012'), new Raw('12345678901234567890')];
const scalarValue = () => (chance(0.6) ? pick(STRINGS) : chance(0.9) ? pick(NUMBERS) : null);
const KEYS = ['A', 'B', 'C', 'a.b', 'Y', 'n', 'x10', 'x9', 'FROMHOST', 'EMPTYHOST', 'K_1', '10', 'é', '~k', '_u', 'Ab', 'aB'];

function keyValues(allowNullList: boolean) {
  const keys = some(KEYS, 4);
  if (chance(0.5)) {
    return [...new Set(keys.map((k) => (allowNullList && chance(0.3) ? k : `${k}=${pick(['', 'v', 'x=y', '1'])}`)))];
  }
  return Object.fromEntries(keys.map((k) => [k, scalarValue()]));
}

const PORTS = ['80', '8080:80', '53:53/udp', '53:53/tcp', '8000-8002:8000-8002', '127.0.0.1:7000:7000', '9090:90', '5000-5001:80', '443', '[::1]:54:54/udp'];
const portEntry = () =>
  chance(0.7)
    ? chance(0.2)
      ? new Raw(String(pick([80, 443, 8080])))
      : pick(PORTS)
    : Object.fromEntries(
        Object.entries({ target: pick([80, 443, 8080]), published: chance(0.6) ? pick([0, 80, 8080, 9090]) : undefined, protocol: chance(0.4) ? pick(['tcp', 'udp']) : undefined, mode: chance(0.4) ? pick(['host', 'ingress']) : undefined }).filter(([, v]) => v !== undefined),
      );
const VOLUMES = ['data:/data', './conf:/etc/conf:ro', '/srv:/srv', '~/x:/x', 'other:/data:nocopy', '/anon', 'x:/y', './a/../b/:/b:rshared', 'data:/data:rw'];
const volumeEntry = () =>
  chance(0.75)
    ? pick(VOLUMES)
    : { type: pick(['bind', 'volume', 'tmpfs']), target: pick(['/data', '/t', '/etc/conf']), ...(chance(0.7) ? { source: pick(['./c2', 'data', '/abs']) } : {}), ...(chance(0.3) ? { read_only: true } : {}) };
const refEntry = (names: string[]) => (chance(0.6) ? pick(names) : { source: pick(names), ...(chance(0.7) ? { target: pick(['t1', 't2', '/etc/x']) } : {}), ...(chance(0.3) ? { mode: new Raw('0400') } : {}) });
const DURATIONS = ['0s', '10s', '1m30s', '90m', '500ms', '1.5h', '1us'];

function service(): Record<string, unknown> {
  const s: Record<string, unknown> = {};
  const add = (p: number, key: string, make: () => unknown) => {
    if (chance(p)) s[key] = make();
  };
  add(0.5, 'image', () => pick(['nginx', 'nginx:1', '', 'y', 'app']));
  add(0.2, 'command', () => (chance(0.5) ? pick(['nginx -g "daemon off;"', '', "sh -c 'a b'", 'x #c']) : some(STRINGS, 3)));
  add(0.15, 'entrypoint', () => (chance(0.5) ? pick(['/e.sh', '']) : some(['a', 'b'], 2)));
  add(0.4, 'environment', () => keyValues(true));
  add(0.3, 'labels', () => keyValues(false));
  add(0.35, 'ports', () => [...new Map(Array.from({ length: Math.floor(rnd() * 4) }, portEntry).map((p) => [toYaml(p), p])).values()]);
  const distinct = (xs: unknown[]) => [...new Map(xs.map((x) => [toYaml(x), x])).values()];
  add(0.35, 'volumes', () => distinct(Array.from({ length: Math.floor(rnd() * 3) }, volumeEntry)));
  add(0.25, 'secrets', () => distinct(Array.from({ length: Math.floor(rnd() * 3) }, () => refEntry(['s1', 's2']))));
  add(0.2, 'configs', () => distinct(Array.from({ length: Math.floor(rnd() * 3) }, () => refEntry(['c1']))));
  add(0.3, 'networks', () =>
    chance(0.4)
      ? some(['front', 'back'], 2).filter((v, i, a) => a.indexOf(v) === i)
      : Object.fromEntries(some(['front', 'back', 'mid'], 2).map((n) => [n, chance(0.3) ? null : { ...(chance(0.6) ? { aliases: some(['a1', 'a2'], 2) } : {}), ...(chance(0.3) ? { ipv4_address: pick(['10.0.0.5', '10.0.0.6']) } : {}), ...(chance(0.3) ? { driver_opts: { o: pick(['1', '2']) } } : {}) }])),
  );
  add(0.35, 'deploy', () => {
    const d: Record<string, unknown> = {};
    if (chance(0.5)) d.replicas = pick([0, 1, 3]);
    if (chance(0.3)) d.mode = pick(['replicated', 'global', '']);
    if (chance(0.3)) d.labels = keyValues(false);
    if (chance(0.3)) d.resources = { limits: { ...(chance(0.7) ? { memory: pick(['256M', '1g', '512', '1.5G']) } : {}), ...(chance(0.4) ? { cpus: pick(['0.5', '']) } : {}) } };
    if (chance(0.3)) d.restart_policy = { ...(chance(0.5) ? { delay: pick(DURATIONS) } : {}), ...(chance(0.5) ? { max_attempts: pick([0, 3]) } : {}), ...(chance(0.4) ? { condition: 'on-failure' } : {}) };
    if (chance(0.3)) d.update_config = { ...(chance(0.5) ? { parallelism: pick([0, 2]) } : {}), ...(chance(0.5) ? { delay: pick(DURATIONS) } : {}), ...(chance(0.3) ? { order: 'start-first' } : {}), ...(chance(0.3) ? { max_failure_ratio: new Raw(pick(['0.1', '0.3', '1', '0'])) } : {}) };
    if (chance(0.3)) d.placement = { ...(chance(0.6) ? { constraints: some(['node.role==manager', 'a==b'], 2) } : {}), ...(chance(0.3) ? { max_replicas_per_node: pick([0, 2]) } : {}), ...(chance(0.3) ? { preferences: [{ spread: 'x' }] } : {}) };
    return d;
  });
  add(0.25, 'healthcheck', () => ({
    ...(chance(0.6) ? { test: chance(0.5) ? 'curl -f x' : some(['CMD', 'true', 'NONE'], 3) } : {}),
    ...(chance(0.4) ? { interval: pick(DURATIONS) } : {}),
    ...(chance(0.3) ? { retries: pick([0, 3]) } : {}),
    ...(chance(0.2) ? { disable: pick([true, false]) } : {}),
    ...(chance(0.2) ? { start_period: pick(DURATIONS) } : {}),
  }));
  add(0.2, 'logging', () => ({ ...(chance(0.6) ? { driver: pick(['json-file', 'syslog', '']) } : {}), ...(chance(0.6) ? { options: Object.fromEntries(some(['max-size', 'max-file', 'tag'], 2).map((k) => [k, pick(['1', '10m', ''])])) } : {}) }));
  add(0.15, 'ulimits', () => Object.fromEntries(some(['nofile', 'nproc', 'core'], 2).map((k) => [k, chance(0.5) ? pick([0, 1024]) : { soft: pick([0, 1]), hard: pick([0, 2]) }])));
  add(0.2, 'x-meta', () => (chance(0.6) ? { owner: pick(['a', 'b']), tags: some(['t1', 't2'], 2), n: { k: pick([1, 'v', null]) } } : chance(0.5) ? some(['l1'], 2) : pick(['s', null, 1])));
  add(0.2, 'user', () => pick(['1000', '', 'app']));
  add(0.15, 'hostname', () => pick(['h', '']));
  add(0.15, 'read_only', () => pick([true, false]));
  add(0.15, 'init', () => pick([true, false]));
  add(0.2, 'stop_grace_period', () => pick(DURATIONS));
  add(0.2, 'extra_hosts', () => (chance(0.5) ? some(['db:10.0.0.2', 'c=10.0.0.3', 'v6:[::1]', 'bad'], 3) : { db: pick(['10.0.0.9', '[::1]']), e: pick(['1.1.1.1']) }));
  add(0.15, 'dns', () => (chance(0.5) ? '8.8.8.8' : some(['1.1.1.1', '8.8.8.8'], 2)));
  add(0.15, 'cap_add', () => some(['NET_ADMIN', 'SYS_TIME'], 2));
  add(0.1, 'sysctls', () => keyValues(false));
  add(0.1, 'expose', () => [...new Set(some(['80', 81, '90-91'], 2).map(String))]);
  add(0.1, 'oom_score_adj', () => pick([0, 100]));
  add(0.15, 'env_file', () => (chance(0.5) ? './app.env' : ['./app.env']));
  add(0.1, 'build', () => (chance(0.4) ? '.' : { context: '.', ...(chance(0.5) ? { args: keyValues(true) } : {}), ...(chance(0.4) ? { cache_from: some(['a', 'b'], 2) } : {}) }));
  return s;
}

function definitions(kind: string, names: string[]): Record<string, unknown> {
  return Object.fromEntries(
    some(names, 2).map((n) => {
      if (chance(0.2) && (kind === 'networks' || kind === 'volumes')) return [n, null];
      const d: Record<string, unknown> = {};
      if (chance(0.3)) d.external = chance(0.7) ? true : { name: `${n}-ext` };
      else {
        if (kind === 'secrets' || kind === 'configs') d.file = pick(['./s.txt', '/abs/s.txt']);
        if ((kind === 'networks' || kind === 'volumes') && chance(0.4)) d.driver = pick(['overlay', 'local']);
        if (chance(0.3)) d.labels = keyValues(false);
      }
      if (chance(0.2) && !(d.external && typeof d.external === 'object')) d.name = `${n}-named`;
      if (chance(0.15)) d['x-e'] = 1;
      return [n, d];
    }),
  );
}

function file(): Record<string, unknown> {
  const f: Record<string, unknown> = { version: '3.13', services: Object.fromEntries(some(['web', 'api', 'db', 'y'], 2).map((n) => [n, chance(0.15) ? {} : service()])) };
  if (chance(0.3)) f.networks = definitions('networks', ['front', 'back', 'proxy']);
  if (chance(0.2)) f.volumes = definitions('volumes', ['data', 'other']);
  if (chance(0.2)) f.secrets = definitions('secrets', ['s1', 's2']);
  if (chance(0.15)) f.configs = definitions('configs', ['c1']);
  if (chance(0.2)) f[pick(['x-a', 'x-b'])] = pick([1, 'v', { k: 1 }]);
  return f;
}

const ENV = ['PATH=/usr/local/bin:/usr/bin:/bin', 'HOME=/home/tester', 'FROMHOST=hostval', 'EMPTYHOST=', 'DOCKER_HOST=unix:///nonexistent.sock', 'DOCKER_CONFIG=/tmp/stacklint-diff/.docker'];
// A private bundle of the CLI, so that rebuilds of dist/ meanwhile do not disturb the run.
const cliDir = '/tmp/stacklint-diff-cli';
await build({
  entryPoints: { stacklint: resolve(import.meta.dirname, '../../cli/main.ts') },
  outdir: cliDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
  define: { __STACKLINT_VERSION__: '"diff"' },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
// The CLI finds docker's schemas in a parent directory of its bundle.
rmSync(join(cliDir, 'schemas'), { force: true });
symlinkSync(resolve(import.meta.dirname, '../../schemas'), join(cliDir, 'schemas'));
const cli = join(cliDir, 'stacklint.js');

function run(cmd: string, args: string[], cwd: string) {
  const env = Object.fromEntries(ENV.map((e) => e.split(/=(.*)/s).slice(0, 2)));
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  // Go's map order makes docker's warning order random: compare the warnings as a set.
  const norm = (s: string) => s.replace(/time="[^"]+"/g, 'time="<TS>"').split('\n').sort().join('\n');
  return { out: r.stdout, err: norm(r.stderr), rc: r.status };
}

execFileSync('docker', ['--version']);
const root = '/tmp/stacklint-diff';
rmSync(root, { recursive: true, force: true });
let differ = 0;
let loaded = 0;
for (let i = 0; i < iterations; i++) {
  const dir = join(root, `case-${i}`);
  mkdirSync(dir, { recursive: true });
  const n = chance(0.3) ? 3 : 2;
  const names = ['a.yml', 'b.yml', 'c.yml'].slice(0, n);
  for (const name of names) writeFileSync(join(dir, name), toYaml(file()) + '\n');
  writeFileSync(join(dir, 's.txt'), 's\n');
  writeFileSync(join(dir, 'app.env'), 'FROM_FILE=1\nEMPTYHOST=\nFROMHOST\n# c\nLIT=${X}\n');
  const args = names.flatMap((f) => ['-c', f]);
  const docker = run('docker', ['stack', 'config', ...args], dir);
  const ours = run('node', [cli, 'config', ...args], dir);
  if (docker.rc === 0) loaded++;
  if (docker.out === ours.out && docker.err === ours.err && docker.rc === ours.rc) {
    rmSync(dir, { recursive: true, force: true });
    continue;
  }
  differ++;
  writeFileSync(join(dir, 'docker.out'), docker.out + docker.err + `rc=${docker.rc}\n`);
  writeFileSync(join(dir, 'ours.out'), ours.out + ours.err + `rc=${ours.rc}\n`);
  console.log(`DIFFERS: ${dir}`);
}
console.log(`seed ${firstSeed}: ${iterations - differ}/${iterations} agree (${loaded} loaded by docker)`);
process.exit(differ === 0 ? 0 : 1);
