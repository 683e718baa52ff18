// A private Docker engine for the ladder's integration tests (recipe: ../shared/docs/docker-swarm-here.md):
// Debian's dockerd with its own data-root, exec-root, pidfile and socket under a temp dir, no iptables or
// bridge changes, made a single-node swarm manager, with a busybox image imported locally (no registry).
// stop() ends only the processes it started, by pid, and removes what it created.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';

export const LOCAL_IMAGE = 'local/busybox:1';
export const SKIP_VARIABLE = 'STACKLINT_SKIP_SWARM';

export interface Engine {
  host: string;
  /** Environment for docker and the ladder: the caller's, with DOCKER_HOST pointing at this engine. */
  env: NodeJS.ProcessEnv;
  docker(args: string[], input?: string): { code: number | null; stdout: string; stderr: string };
  stop(): Promise<void>;
  log: string;
}

const PACKAGES = ['docker.io', 'busybox-static'];

function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; input?: string | Buffer; timeout?: number } = {}) {
  const r = spawnSync(cmd, args, { env: options.env ?? process.env, input: options.input, encoding: 'utf8', timeout: options.timeout ?? 60_000 });
  return { code: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

function findDockerd(): string | undefined {
  for (const p of ['/usr/sbin/dockerd', '/usr/bin/dockerd', '/sbin/dockerd']) if (existsSync(p)) return p;
  return undefined;
}

/** Installs docker.io and busybox-static when missing (root only). Returns why it could not. */
function ensurePackages(): string | undefined {
  const missing = PACKAGES.filter((p) => run('dpkg', ['-s', p]).code !== 0);
  if (missing.length === 0 && findDockerd() && existsSync('/bin/busybox')) return undefined;
  if (run('which', ['apt-get']).code !== 0) return `${missing.join(', ')} missing and there is no apt-get`;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, timeout: 600_000 });
  if (install.code !== 0) {
    run('apt-get', ['update', '-qq'], { env, timeout: 300_000 });
    const again = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, timeout: 600_000 });
    if (again.code !== 0) return `apt-get install ${missing.join(' ')} failed: ${again.stderr.trim().split('\n').pop()}`;
  }
  return findDockerd() ? undefined : 'docker.io is installed but dockerd was not found';
}

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Child processes of `pid` (containerd, shims), from /proc. */
function children(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone
    }
  }
  return out;
}

/**
 * One private swarm per host at a time (they would share docker_gwbridge and the swarm port): a lock file
 * holding the owner's pid; a dead owner's lock is taken over.
 */
const LOCK = '/tmp/stacklint-swarm-tests.lock';

async function acquireLock(timeoutMs: number): Promise<(() => void) | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      return () => {
        if (readFileSync(LOCK, 'utf8') === String(process.pid)) rmSync(LOCK, { force: true });
      };
    } catch {
      const owner = Number(readFileSync(LOCK, 'utf8'));
      if (!Number.isInteger(owner) || !alive(owner)) {
        rmSync(LOCK, { force: true });
        continue;
      }
    }
    if (Date.now() > deadline) return undefined;
    await sleep(500);
  }
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolvePromise, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolvePromise(port));
    });
  });
}

export async function startEngine(): Promise<Engine | { unavailable: string }> {
  if (process.platform !== 'linux') return { unavailable: `a private dockerd needs Linux (this is ${process.platform})` };
  if (process.getuid?.() !== 0) return { unavailable: 'not root: starting a private dockerd needs root' };
  const why = ensurePackages();
  if (why) return { unavailable: why };
  const release = await acquireLock(300_000);
  if (!release) return { unavailable: `another test run holds ${LOCK} (pid ${readFileSync(LOCK, 'utf8')}) for more than 5 minutes` };
  const engine = await startLocked();
  if ('unavailable' in engine) release();
  else {
    const stop = engine.stop;
    engine.stop = async () => {
      await stop();
      release();
    };
  }
  return engine;
}

async function startLocked(): Promise<Engine | { unavailable: string }> {
  const dockerd = findDockerd()!;
  const gwbridgeExisted = run('ip', ['link', 'show', 'docker_gwbridge']).code === 0;
  const dir = mkdtempSync('/tmp/sl-dockerd-');
  for (const d of ['data', 'exec']) mkdirSync(join(dir, d));
  const host = `unix://${join(dir, 'docker.sock')}`;
  const log = `${dir}.log`;
  const logFd = openSync(log, 'w');
  const daemon = spawn(
    dockerd,
    ['--host', host, '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec'), '--pidfile', join(dir, 'dockerd.pid'),
      '--iptables=false', '--ip-forward=false', '--bridge=none'],
    { env: { ...process.env, DOCKER_SERVICE_PREFER_OFFLINE_IMAGE: '1' }, stdio: ['ignore', logFd, logFd], detached: true },
  );
  closeSync(logFd);
  const pid = daemon.pid!;
  daemon.unref();
  const env = { ...process.env, DOCKER_HOST: host };
  const docker = (args: string[], input?: string) => run('docker', args, { env, input });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    const kids = children(pid);
    if (alive(pid)) process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 150 && alive(pid); i++) await sleep(200);
    if (alive(pid)) process.kill(pid, 'SIGKILL');
    for (const kid of kids) {
      for (let i = 0; i < 50 && alive(kid); i++) await sleep(100);
      if (alive(kid)) process.kill(kid, 'SIGKILL');
    }
    // Mounts under the data root are gone when dockerd exits; unmount any that are not.
    const mounts = readFileSync('/proc/mounts', 'utf8').split('\n').map((l) => l.split(' ')[1]).filter((m) => m?.startsWith(dir));
    for (const m of mounts.reverse()) run('umount', ['-l', m]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(log, { force: true });
    if (!gwbridgeExisted) run('ip', ['link', 'delete', 'docker_gwbridge']);
  };
  try {
    let up = false;
    for (let i = 0; i < 300 && !up; i++) {
      if (!alive(pid)) break;
      up = docker(['version']).code === 0;
      if (!up) await sleep(100);
    }
    if (!up) throw new Error(`dockerd did not answer on ${host}; its log: ${tail(log)}`);
    const init = docker(['swarm', 'init', '--advertise-addr', '127.0.0.1', '--listen-addr', `127.0.0.1:${await freePort()}`]);
    if (init.code !== 0) throw new Error(`docker swarm init: ${init.stderr.trim()}`);
    importBusybox(env);
  } catch (err) {
    await stop();
    return { unavailable: (err as Error).message };
  }
  return { host, env, docker, stop, log };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '(no log)';
  }
}

/** A busybox root filesystem, `docker import`ed: enough for httpd, wget, nslookup and sh. */
function importBusybox(env: NodeJS.ProcessEnv): void {
  const root = mkdtempSync('/tmp/sl-rootfs-');
  try {
    for (const d of ['bin', 'etc', 'tmp']) mkdirSync(join(root, d));
    copyFileSync('/bin/busybox', join(root, 'bin/busybox'));
    chmodSync(join(root, 'bin/busybox'), 0o755);
    const applets = run('/bin/busybox', ['--list']).stdout.split('\n').filter((a) => a !== '' && a !== 'busybox');
    for (const a of applets) symlinkSync('busybox', join(root, 'bin', a));
    writeFileSync(join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
    writeFileSync(join(root, 'etc/group'), 'root:x:0:\n');
    chmodSync(join(root, 'tmp'), 0o1777);
    const tar = spawnSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 64 * 1024 * 1024 });
    if (tar.status !== 0) throw new Error(`tar: ${tar.stderr}`);
    const imported = spawnSync('docker', ['import', '-c', 'ENV PATH=/bin', '-c', 'CMD ["/bin/sh"]', '-', LOCAL_IMAGE], { env, input: tar.stdout, encoding: 'utf8' });
    if (imported.status !== 0) throw new Error(`docker import: ${imported.stderr}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
