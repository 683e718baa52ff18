// The docker CLI as the ladder uses it: argument arrays only, the caller's DOCKER_HOST / context, and
// JSON output parsed here. The CLI negotiates the API version with older engines itself (CLI 28 against
// a 20.10 engine talks API 1.41), so nothing is pinned.
import type { CommandOptions, CommandResult } from './exec.js';
import { failureText, findOnPath, runCommand } from './exec.js';

export class Docker {
  constructor(
    readonly env: NodeJS.ProcessEnv = process.env,
    readonly bin = 'docker',
  ) {}

  run(args: readonly string[], options: Omit<CommandOptions, 'env'> = {}): Promise<CommandResult> {
    return runCommand(this.bin, args, { timeoutMs: 120_000, ...options, env: this.env });
  }

  /** Runs a command whose output is one JSON value per line (`--format '{{json .}}'`). */
  async jsonLines<T>(args: readonly string[], options: Omit<CommandOptions, 'env'> = {}): Promise<T[] | { error: string }> {
    const r = await this.run(args, options);
    if (r.code !== 0) return { error: failureText(r) };
    const out: T[] = [];
    for (const line of r.stdout.split('\n')) {
      if (line.trim() === '') continue;
      try {
        out.push(JSON.parse(line) as T);
      } catch {
        return { error: `unexpected output from docker ${args.slice(0, 2).join(' ')}: ${line.slice(0, 200)}` };
      }
    }
    return out;
  }

  /** `docker <kind> inspect` of several objects: a JSON array. */
  async inspect<T>(kind: string, ids: readonly string[]): Promise<T[]> {
    if (ids.length === 0) return [];
    const r = await this.run([kind, 'inspect', ...ids]);
    if (r.code !== 0 && r.stdout.trim() === '') return [];
    try {
      return JSON.parse(r.stdout) as T[];
    } catch {
      return [];
    }
  }

  /** IDs (or names, for volumes) from a quiet listing. */
  async ids(args: readonly string[]): Promise<string[]> {
    const r = await this.run(args);
    if (r.code !== 0) return [];
    return r.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  }
}

export type EngineStatus =
  | { ok: true; serverVersion: string; apiVersion: string; nodeAddr: string }
  | { ok: false; reason: string };

/** Is there an engine, and is it a swarm manager? The reason reads well after "skipped: ". */
export async function probeEngine(docker: Docker): Promise<EngineStatus> {
  if (!(await findOnPath(docker.bin, docker.env))) return { ok: false, reason: `${docker.bin} not found` };
  const version = await docker.run(['version', '--format', '{{.Server.Version}} {{.Server.APIVersion}}'], { timeoutMs: 20_000 });
  if (version.code !== 0) {
    const where = docker.env.DOCKER_HOST ? `DOCKER_HOST=${docker.env.DOCKER_HOST}` : docker.env.DOCKER_CONTEXT ? `context ${docker.env.DOCKER_CONTEXT}` : 'the current docker context';
    return { ok: false, reason: `no Docker engine reachable at ${where} (${failureText(version)})` };
  }
  const [serverVersion = '?', apiVersion = '?'] = version.stdout.trim().split(' ');
  const info = await docker.run(['info', '--format', '{{json .Swarm}}'], { timeoutMs: 20_000 });
  if (info.code !== 0) return { ok: false, reason: `docker info failed: ${failureText(info)}` };
  let swarm: { LocalNodeState?: string; ControlAvailable?: boolean; NodeAddr?: string };
  try {
    swarm = JSON.parse(info.stdout) as typeof swarm;
  } catch {
    return { ok: false, reason: `docker info: unexpected output ${info.stdout.slice(0, 120)}` };
  }
  if (swarm.LocalNodeState !== 'active') {
    return { ok: false, reason: `the engine (${serverVersion}) is not in swarm mode (swarm state: ${swarm.LocalNodeState || 'inactive'}; \`docker swarm init\` makes it a manager)` };
  }
  if (!swarm.ControlAvailable) return { ok: false, reason: `the engine (${serverVersion}) is a swarm worker, not a manager` };
  return { ok: true, serverVersion, apiVersion, nodeAddr: swarm.NodeAddr ?? '' };
}
