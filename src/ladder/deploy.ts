// One deploy of one view on a real swarm: create the external secrets/configs/networks/volumes the view
// needs (labelled, so only those are removed later), `docker stack deploy` the planned file, wait for every
// service to reach its replicas (swarm counts a task with a healthcheck only once it is healthy), report
// per service, then remove the stack and everything created, waiting until its networks are gone.
import { nodeCrypto } from '../load/node-builtins.js';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scopedName } from '../swarm/index.js';
import type { Docker } from './docker.js';
import { failureText } from './exec.js';
import type { DeployPlan } from './plan.js';
import { LADDER_LABEL, NAMESPACE_LABEL, ownership, parseStackName } from './owner.js';
import type { Ownership } from './owner.js';

export interface DeployHooks {
  /** A line worth keeping in the output. */
  note?: (line: string) => void;
  /** The current state, for a spinner (replaced by the next status). */
  status?: (text: string) => void;
}

export type ResourceKind = 'service' | 'secret' | 'config' | 'network' | 'volume';

export interface ServiceReport {
  /** The service key in the compose file. */
  service: string;
  image: string;
  /** `running/desired` as `docker service ls` shows it. */
  replicas: string;
  ready: boolean;
  /** healthy, unhealthy, starting, none (no healthcheck), or ? (no container seen). */
  health: string;
  lastTaskError?: string;
  lastHealthOutput?: string;
}

export interface WaitResult {
  converged: boolean;
  interrupted?: boolean;
  seconds: number;
}

interface ServiceLine {
  Name: string;
  Replicas: string;
  Image: string;
}

interface TaskLine {
  Name: string;
  Error: string;
  CurrentState: string;
  DesiredState: string;
}

interface ContainerInspect {
  Id: string;
  Created: string;
  State?: { Status?: string; Health?: { Status?: string; Log?: Array<{ ExitCode: number; Output: string }> } };
}

const POLL_MS = 500;
/** How long `docker stack rm` may take to stop the tasks and drop the networks. */
const REMOVE_TIMEOUT_MS = 120_000;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolvePromise) => {
    if (signal?.aborted) return resolvePromise();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolvePromise();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

function randomSecret(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = nodeCrypto().randomBytes(length);
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

function parseReplicas(text: string): { running: number; desired: number } | undefined {
  const m = /^(\d+)\/(\d+)/.exec(text);
  return m ? { running: Number(m[1]), desired: Number(m[2]) } : undefined;
}

function oneLine(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export class DeploySession {
  /** What this session created besides the stack itself, in creation order. */
  readonly created: Array<{ kind: ResourceKind; name: string }> = [];
  private workDir?: string;
  deployed = false;

  constructor(
    readonly docker: Docker,
    readonly plan: DeployPlan,
    readonly hooks: DeployHooks = {},
  ) {}

  get stack(): string {
    return this.plan.stack;
  }

  /** Creates the external secrets, configs, networks and volumes that do not exist yet. */
  async prepare(signal?: AbortSignal): Promise<{ ok: true } | { ok: false; error: string }> {
    const label = ['--label', `${LADDER_LABEL}=${this.stack}`];
    const { secrets, configs, networks, volumes } = this.plan.externals;
    const steps: Array<{ kind: ResourceKind; name: string; create: () => Promise<import('./exec.js').CommandResult> }> = [
      ...networks.map((n) => ({
        kind: 'network' as const,
        name: n.name,
        create: () => this.docker.run(['network', 'create', '--driver', 'overlay', '--attachable', ...label, n.name], { signal }),
      })),
      ...volumes.map((v) => ({ kind: 'volume' as const, name: v.name, create: () => this.docker.run(['volume', 'create', ...label, v.name], { signal }) })),
      ...secrets.map((s) => ({
        kind: 'secret' as const,
        name: s.name,
        create: () => this.docker.run(['secret', 'create', ...label, s.name, '-'], { signal, input: randomSecret(s.length) }),
      })),
      ...configs.map((c) => ({
        kind: 'config' as const,
        name: c.name,
        create: () => this.docker.run(['config', 'create', ...label, c.name, '-'], { signal, input: '# created by stacklint ladder\n' }),
      })),
    ];
    for (const step of steps) {
      const exists = await this.docker.run([step.kind, 'inspect', step.name], { signal });
      if (signal?.aborted) return { ok: false, error: 'interrupted' };
      if (exists.code === 0) {
        this.hooks.note?.(`external ${step.kind} ${step.name} exists: used as it is`);
        continue;
      }
      const r = await step.create();
      if (r.code !== 0) return { ok: false, error: `creating external ${step.kind} ${step.name}: ${failureText(r)}` };
      this.created.push({ kind: step.kind, name: step.name });
      this.hooks.note?.(`created external ${step.kind} ${step.name}${step.kind === 'secret' ? ' (random value)' : ''} — removed afterwards`);
    }
    return { ok: true };
  }

  /** Writes the planned file and runs `docker stack deploy`. */
  async deploy(signal?: AbortSignal): Promise<{ ok: true } | { ok: false; error: string }> {
    // Named after the stack, so a later run can delete a killed run's directory along with its stack.
    this.workDir ??= workDirOf(this.stack);
    mkdirSync(this.workDir, { recursive: true, mode: 0o700 });
    const file = join(this.workDir, 'stack.yml');
    writeFileSync(file, this.plan.yaml, { mode: 0o600 });
    this.deployed = true; // a partial deploy leaves things behind too
    const r = await this.docker.run(['stack', 'deploy', '--resolve-image', 'never', '-c', file, this.stack], { signal });
    if (r.code !== 0) return { ok: false, error: `docker stack deploy: ${failureText(r)}` };
    // docker's warnings about what it ignores are worth seeing; its progress lines are not.
    for (const line of r.stderr.split('\n')) if (/ignoring|unsupported|deprecated/i.test(line)) this.hooks.note?.(`docker: ${line.trim()}`);
    return { ok: true };
  }

  async services(): Promise<ServiceLine[]> {
    const lines = await this.docker.jsonLines<ServiceLine>(['service', 'ls', '--filter', `label=${NAMESPACE_LABEL}=${this.stack}`, '--format', '{{json .}}']);
    return Array.isArray(lines) ? lines : [];
  }

  /** Polls until every service runs its desired replicas, the timeout passes, or the signal aborts. */
  async waitConverged(signal?: AbortSignal): Promise<WaitResult> {
    const started = Date.now();
    const deadline = started + this.plan.timeout.seconds * 1000;
    const expected = this.plan.services.length;
    for (;;) {
      const services = await this.services();
      const ready = services.filter((s) => {
        const r = parseReplicas(s.Replicas);
        return r !== undefined && r.running === r.desired;
      }).length;
      const seconds = (Date.now() - started) / 1000;
      if (services.length >= expected && ready === services.length) return { converged: true, seconds };
      if (signal?.aborted) return { converged: false, interrupted: true, seconds };
      if (Date.now() >= deadline) return { converged: false, seconds };
      this.hooks.status?.(`${this.plan.view}: ${ready}/${expected} services ready (${seconds.toFixed(0)} s of ${this.plan.timeout.seconds} s)`);
      await sleep(POLL_MS, signal);
    }
  }

  /** Per service: image, replicas, health, the last task error and the last failing health output. */
  async report(): Promise<ServiceReport[]> {
    const lines = await this.services();
    const byName = new Map(lines.map((l) => [l.Name, l]));
    const reports: ServiceReport[] = [];
    for (const { key, image } of this.plan.services) {
      const name = scopedName(this.stack, key);
      const line = byName.get(name);
      const replicas = parseReplicas(line?.Replicas ?? '');
      const report: ServiceReport = {
        service: key,
        image: line?.Image ?? image,
        replicas: line?.Replicas ?? 'missing',
        ready: replicas !== undefined && replicas.running === replicas.desired,
        health: '?',
      };
      if (line) {
        const tasks = await this.docker.jsonLines<TaskLine>(['service', 'ps', name, '--no-trunc', '--format', '{{json .}}']);
        if (Array.isArray(tasks)) {
          const failed = tasks.find((t) => t.Error && t.Error.trim() !== '');
          if (failed) report.lastTaskError = oneLine(`${failed.Error} (${failed.CurrentState})`);
        }
        Object.assign(report, await this.health(name));
      }
      reports.push(report);
    }
    return reports;
  }

  /** Health from the service's containers on this node (newest first). */
  private async health(serviceName: string): Promise<Pick<ServiceReport, 'health' | 'lastHealthOutput'>> {
    const ids = await this.docker.ids(['ps', '-aq', '--filter', `label=com.docker.swarm.service.name=${serviceName}`]);
    const containers = (await this.docker.inspect<ContainerInspect>('container', ids)).sort((a, b) => (a.Created < b.Created ? 1 : -1));
    if (containers.length === 0) return { health: '?' };
    // A restarted task's fresh container is `starting` (or not started yet): the verdict is its predecessor's.
    const withHealth = containers.filter((c) => c.State?.Health?.Status);
    const settled = withHealth.find((c) => c.State!.Health!.Status !== 'starting');
    const health = withHealth.length === 0 ? 'none' : (settled ?? withHealth[0]).State!.Health!.Status!;
    let lastHealthOutput: string | undefined;
    for (const c of containers) {
      const failing = (c.State?.Health?.Log ?? []).filter((l) => l.ExitCode !== 0);
      if (failing.length > 0) {
        lastHealthOutput = oneLine(failing[failing.length - 1].Output || `exit code ${failing[failing.length - 1].ExitCode}`);
        break;
      }
    }
    return lastHealthOutput !== undefined ? { health, lastHealthOutput } : { health };
  }

  /** Removes the stack and what this session created; waits until the stack's containers and networks are gone. */
  async teardown(): Promise<{ problems: string[]; seconds: number }> {
    const started = Date.now();
    const problems = this.deployed || this.created.length > 0 ? await removeStack(this.docker, this.stack, this.hooks) : [];
    if (this.workDir) rmSync(this.workDir, { recursive: true, force: true });
    return { problems, seconds: (Date.now() - started) / 1000 };
  }
}

interface Labelled {
  ID?: string;
  Id?: string;
  Name?: string;
  Spec?: { Name?: string; Labels?: Record<string, string> };
  Labels?: Record<string, string> | null;
}

export interface EngineResource {
  kind: ResourceKind;
  id: string;
  name: string;
  stack: string;
}

const KINDS: ResourceKind[] = ['service', 'network', 'secret', 'config', 'volume'];

/** Everything on the engine that belongs to a ladder stack: docker's namespace label or the ladder's own. */
export async function ladderResources(docker: Docker, onlyStack?: string): Promise<EngineResource[]> {
  const out: EngineResource[] = [];
  for (const kind of KINDS) {
    const ids = new Set<string>();
    for (const label of [NAMESPACE_LABEL, LADDER_LABEL]) {
      const filter = onlyStack ? `label=${label}=${onlyStack}` : `label=${label}`;
      for (const id of await docker.ids([kind, 'ls', '-q', '--filter', filter])) ids.add(id);
    }
    for (const item of await docker.inspect<Labelled>(kind, [...ids])) {
      const labels = item.Spec?.Labels ?? item.Labels ?? {};
      const stack = labels[NAMESPACE_LABEL] ?? labels[LADDER_LABEL];
      if (!stack || !parseStackName(stack)) continue;
      if (onlyStack && stack !== onlyStack) continue;
      const name = item.Spec?.Name ?? item.Name ?? '';
      out.push({ kind, id: item.ID ?? item.Id ?? name, name, stack });
    }
  }
  return out;
}

/**
 * Removes a ladder stack: `docker stack rm`, wait for its containers and networks to go, then whatever is
 * left with its namespace or ladder label (volumes, and external resources the ladder created). A network
 * still in use by another stack is left in place and named in the returned problems.
 */
export async function removeStack(docker: Docker, stack: string, hooks: DeployHooks = {}): Promise<string[]> {
  const problems: string[] = [];
  hooks.status?.(`removing stack ${stack}`);
  const rm = await docker.run(['stack', 'rm', stack]);
  if (rm.code !== 0 && !/nothing found in stack/i.test(`${rm.stdout}${rm.stderr}`)) {
    // Networks that still have endpoints fail here; they are retried below once the containers are gone.
    hooks.note?.(`docker stack rm ${stack}: ${failureText(rm)}`);
  }
  const deadline = Date.now() + REMOVE_TIMEOUT_MS;
  for (;;) {
    const containers = await docker.ids(['ps', '-aq', '--filter', `label=${NAMESPACE_LABEL}=${stack}`]);
    const networks = await docker.ids(['network', 'ls', '-q', '--filter', `label=${NAMESPACE_LABEL}=${stack}`]);
    if (containers.length === 0 && networks.length === 0) break;
    if (containers.length === 0) for (const id of networks) await docker.run(['network', 'rm', id]);
    if (Date.now() >= deadline) {
      problems.push(`stack ${stack}: ${containers.length} container(s), ${networks.length} network(s) still present after ${REMOVE_TIMEOUT_MS / 1000} s`);
      break;
    }
    await sleep(POLL_MS);
  }
  // Order matters: services hold secrets/configs/volumes, networks go last.
  const order: ResourceKind[] = ['service', 'secret', 'config', 'volume', 'network'];
  const rest = (await ladderResources(docker, stack)).sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind));
  for (const r of rest) {
    const result = await docker.run([r.kind, 'rm', r.id]);
    if (result.code === 0) continue;
    const why = failureText(result);
    problems.push(r.kind === 'network' && /active endpoints|in use/i.test(why) ? `network ${r.name} is in use by another stack; left in place` : `${r.kind} ${r.name}: ${why}`);
  }
  return problems;
}

const WORK_DIR_PREFIX = 'stacklint-ladder-';

function workDirOf(stack: string): string {
  return join(tmpdir(), `${WORK_DIR_PREFIX}${stack}`);
}

export interface LeftoverSweep {
  removed: Array<{ stack: string; resources: number; why: Ownership }>;
  keptForeign: string[];
  problems: string[];
}

/** Finds stacks of ladder runs that no longer run (on this host) and removes them. */
export async function sweepLeftovers(docker: Docker, hooks: DeployHooks = {}): Promise<LeftoverSweep> {
  const sweep: LeftoverSweep = { removed: [], keptForeign: [], problems: [] };
  const byStack = new Map<string, EngineResource[]>();
  for (const r of await ladderResources(docker)) byStack.set(r.stack, [...(byStack.get(r.stack) ?? []), r]);
  for (const [stack, resources] of byStack) {
    const who = ownership(stack);
    if (who === 'other-host') sweep.keptForeign.push(stack);
    if (who !== 'dead') continue;
    hooks.note?.(`leftovers of an earlier, killed run (stack ${stack}: ${resources.map((r) => `${r.kind} ${r.name}`).join(', ')}): removing`);
    sweep.problems.push(...(await removeStack(docker, stack, hooks)));
    sweep.removed.push({ stack, resources: resources.length, why: who });
  }
  // Killed runs' temp directories (the deployed file), whether or not their stack is still there.
  for (const entry of safeList(tmpdir())) {
    if (!entry.startsWith(WORK_DIR_PREFIX)) continue;
    if (ownership(entry.slice(WORK_DIR_PREFIX.length)) === 'dead') rmSync(join(tmpdir(), entry), { recursive: true, force: true });
  }
  return sweep;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
