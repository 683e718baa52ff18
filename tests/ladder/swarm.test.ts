// The ladder on a real swarm: a private dockerd (tests/ladder/engine.ts) runs for this file only.
// These tests fail — they do not skip — when no engine can be started, unless STACKLINT_SKIP_SWARM=1.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from 'vitest';
import { runLadder } from '../../src/ladder/ladder.js';
import { DeploySession } from '../../src/ladder/deploy.js';
import { Docker } from '../../src/ladder/docker.js';
import { newStackName } from '../../src/ladder/owner.js';
import { buildDeployPlan, readRecipe } from '../../src/ladder/plan.js';
import type { DeployPlan } from '../../src/ladder/plan.js';
import { lintRecipe } from '../../src/lint/engine.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { defaultConfig } from '../../src/config/index.js';
import { LOCAL_IMAGE, SKIP_VARIABLE, startEngine } from './engine.js';
import type { Engine } from './engine.js';

const REPO = join(__dirname, '../..');
const CLI = join(REPO, 'bin/stacklint.js');
const FIXTURES = join(REPO, 'fixtures/ladder');
const IMAGE_MAP = [{ from: 'busybox:1.36.1', to: LOCAL_IMAGE }];
const IMAGE_MAP_ARG = `busybox:1.36.1=${LOCAL_IMAGE}`;

let engine: Engine | undefined;

beforeAll(async () => {
  const started = await startEngine();
  if ('unavailable' in started) {
    const message =
      `cannot start a Docker engine for the ladder's swarm tests: ${started.unavailable}. ` +
      `They need root on Debian (.ci/run installs docker.io and busybox-static from .ci/apt-packages). ` +
      `Set ${SKIP_VARIABLE}=1 to skip them knowingly.`;
    if (process.env[SKIP_VARIABLE] === '1') {
      console.warn(`swarm tests skipped (${SKIP_VARIABLE}=1): ${message}`);
      return;
    }
    throw new Error(message);
  }
  engine = started;
}, 900_000);

afterAll(async () => {
  await engine?.stop();
}, 120_000);

function need(ctx: TestContext): Engine {
  if (!engine) ctx.skip(`${SKIP_VARIABLE}=1 and no engine`);
  return engine!;
}

/** Everything a run could leave behind, by kind; built-in networks excluded. */
function remains(e: Engine): Record<string, string[]> {
  const list = (args: string[]) => e.docker(args).stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return {
    stacks: list(['stack', 'ls', '--format', '{{.Name}}']),
    services: list(['service', 'ls', '--format', '{{.Name}}']),
    containers: list(['ps', '-a', '--format', '{{.Names}}']),
    secrets: list(['secret', 'ls', '--format', '{{.Name}}']),
    configs: list(['config', 'ls', '--format', '{{.Name}}']),
    networks: list(['network', 'ls', '--format', '{{.Name}}']).filter((n) => !['ingress', 'host', 'none', 'bridge', 'docker_gwbridge'].includes(n)),
    volumes: list(['volume', 'ls', '-q']),
  };
}

const NOTHING = { stacks: [], services: [], containers: [], secrets: [], configs: [], networks: [], volumes: [] };

afterEach(() => {
  // Each test must leave the engine as it found it; a failure here names what was left.
  if (engine) expect(remains(engine)).toEqual(NOTHING);
});

interface CliRun {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  output: () => string;
}

function startCli(args: string[], env: NodeJS.ProcessEnv): CliRun {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolvePromise) =>
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr })),
  );
  return { child, done, output: () => stdout + stderr };
}

async function waitFor(what: string, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function containerOf(e: Engine, service: string): string {
  const id = e.docker(['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${service}`]).stdout.trim().split('\n')[0];
  expect(id, `a running container of ${service}`).toBeTruthy();
  return id;
}

describe('stacklint ladder on a real swarm', () => {
  it('healthy recipe: every rung passes, both COMPOSE_FILE views really run, nothing is left behind', async (ctx) => {
    const e = need(ctx);
    const checked: string[] = [];
    const results = await runLadder({
      recipeDir: join(FIXTURES, 'healthy'),
      imageMap: IMAGE_MAP,
      engineCompat: true,
      env: e.env,
      whileDeployed: async (session) => {
        const app = containerOf(e, `${session.stack}_app`);
        const secret = e.docker(['exec', app, 'cat', '/run/secrets/db_password']).stdout;
        expect(secret).toMatch(/^[A-Za-z0-9]{32}$/); // `# length=32` in .env.sample
        const page = e.docker(['exec', app, 'wget', '-q', '-O-', 'http://127.0.0.1:8080/']).stdout;
        expect(page.trim()).toBe(`hello from ${session.stack}`); // the golang template config, rendered by swarm
        if (session.plan.view.includes('compose.greeting.yml')) {
          const response = await fetch('http://127.0.0.1:38180/'); // the overlay's port, host mode
          expect((await response.text()).trim()).toBe(`hello from ${session.stack}`);
          expect(e.docker(['exec', app, 'sh', '-c', 'echo $GREETING']).stdout.trim()).toBe('hello');
        }
        checked.push(session.plan.view);
      },
    });
    const verdicts = Object.fromEntries(results.map((r) => [r.rung, r.verdict]));
    expect(verdicts.static).toBe('pass');
    expect(['pass', 'skipped']).toContain(verdicts.abra); // skipped unless abra is installed
    expect(verdicts.deploy, results.find((r) => r.rung === 'deploy')?.reason).toBe('pass');
    expect(checked).toEqual(['compose.yml', 'compose.yml+compose.greeting.yml']);
    expect(results.find((r) => r.rung === 'deploy')!.report).toMatch(/app\s+local\/busybox:1\s+1\/1\s+healthy/);
  }, 180_000);

  it('R011 overlay: the static rung fails and the deploy rung is not attempted', async (ctx) => {
    const e = need(ctx);
    const started = performance.now();
    const run = startCli(['ladder', join(FIXTURES, 'r011-overlay'), '--engine-compat', '--image-map', IMAGE_MAP_ARG], e.env);
    const { code, stdout } = await run.done;
    const seconds = (performance.now() - started) / 1000;
    console.log(`R011 overlay: ladder exited after ${seconds.toFixed(2)} s (whole CLI process)`);
    expect(code).toBe(1);
    expect(stdout).toMatch(/✖ static: fail .*1 error/);
    expect(stdout).toContain('compose.worker.yml');
    expect(stdout).toMatch(/R011/);
    expect(stdout).toMatch(/^deploy\s+skipped\s+-\s+not attempted: the static rung failed$/m);
    expect(stdout).not.toContain('deploy: running');
  }, 60_000);

  it('a healthcheck that never passes: the deploy rung fails, names the service and its health output, and cleans up', async (ctx) => {
    const e = need(ctx);
    const results = await runLadder({
      recipeDir: join(FIXTURES, 'never-healthy'),
      views: ['compose.yml'],
      imageMap: IMAGE_MAP,
      engineCompat: true,
      env: e.env,
    });
    const deploy = results.find((r) => r.rung === 'deploy')!;
    expect(results.find((r) => r.rung === 'static')!.verdict).toBe('pass');
    expect(deploy.verdict).toBe('fail');
    expect(deploy.reason).toMatch(/not converged after 8 s/); // the recipe's timeout label
    expect(deploy.reason).toMatch(/db 0\/1/);
    expect(deploy.reason).toContain('db: not ready: connection refused');
    expect(deploy.reason).not.toMatch(/app \d/); // the healthy service is not blamed
    expect(deploy.report).toMatch(/db\s+local\/busybox:1\s+0\/1\s+unhealthy\s+health: db: not ready: connection refused/);
  }, 120_000);

  it("alias collision: from a sibling on the shared network, `app` resolves to both stacks' tasks — and the static rule flags it", async (ctx) => {
    const e = need(ctx);
    const dir = join(FIXTURES, 'alias-collision');
    const lint = lintRecipe(dir, { rules: ALL_RULES, config: defaultConfig() });
    expect(lint.findings.filter((f) => f.rule === 'proxy-alias-collision' && f.severity === 'error').map((f) => f.line)).toEqual([30]);

    const recipe = readRecipe(dir);
    const docker = new Docker(e.env);
    const plan = (stack: string) => buildDeployPlan(recipe, 'compose.yml', stack, { imageMap: IMAGE_MAP, engineCompat: true }) as DeployPlan;
    const sessions = [new DeploySession(docker, plan(newStackName())), new DeploySession(docker, plan(newStackName()))];
    try {
      for (const s of sessions) {
        expect(await s.prepare()).toEqual({ ok: true });
        expect(await s.deploy()).toEqual({ ok: true });
        expect((await s.waitConverged()).converged).toBe(true);
      }
      // The first stack created the external `proxy` network; the second used it as it was.
      expect(sessions[0].created.map((c) => `${c.kind} ${c.name}`)).toEqual(['network proxy']);
      expect(sessions[1].created).toEqual([]);
      const proxyIp = (stack: string) => {
        const id = containerOf(e, `${stack}_app`);
        return e.docker(['inspect', '--format', '{{(index .NetworkSettings.Networks "proxy").IPAddress}}', id]).stdout.trim();
      };
      const appIps = sessions.map((s) => proxyIp(s.stack));
      expect(appIps.every((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip))).toBe(true);
      const web = containerOf(e, `${sessions[0].stack}_web`);
      const resolve = (name: string) => {
        const out = e.docker(['exec', web, 'nslookup', '-type=a', name]).stdout;
        const answer = out.slice(out.indexOf('Name:'));
        return [...answer.matchAll(/Address:\s*(\d+\.\d+\.\d+\.\d+)\s*$/gm)].map((m) => m[1]).sort();
      };
      // The short name answers with the other stack's `app` too: the collision, measured.
      expect(resolve('app')).toEqual([...appIps].sort());
      // The stack-qualified name (the rule's fix) answers with the own stack's `app` only.
      expect(resolve(`${sessions[0].stack}_app`)).toEqual([appIps[0]]);
    } finally {
      for (const s of [...sessions].reverse()) expect((await s.teardown()).problems).toEqual([]);
    }
  }, 180_000);

  it('a killed run leaves its stack behind; the next run finds its leftovers by name and removes them', async (ctx) => {
    const e = need(ctx);
    const args = ['ladder', join(FIXTURES, 'healthy'), '--rungs', 'deploy', '--views', 'compose.yml', '--engine-compat', '--image-map', IMAGE_MAP_ARG];
    const first = startCli(args, e.env);
    // Both services, so the killed run's `docker stack deploy` (which SIGKILL does not reach) has finished.
    await waitFor('the first run to create its services', () => (e.docker(['service', 'ls', '--format', '{{.Name}}']).stdout.match(/^stacklint_\w+_(app|db)$/gm) ?? []).length === 2);
    first.child.kill('SIGKILL');
    await first.done;
    const left = remains(e);
    const stack = /stack (stacklint_\w+)/.exec(first.output())![1];
    expect(left.stacks).toEqual([stack]);
    expect(left.secrets).toEqual([`${stack}_db_password_v1`]);
    expect(existsSync(join(tmpdir(), `stacklint-ladder-${stack}`)), "the killed run's deployed file").toBe(true);

    const second = await startCli(args, e.env).done;
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain(`leftovers of an earlier, killed run (stack ${stack}`);
    expect(second.stdout).toMatch(/^deploy\s+pass\s/m);
    expect(existsSync(join(tmpdir(), `stacklint-ladder-${stack}`)), "the killed run's deployed file, after the second run").toBe(false);
  }, 180_000);

  it('Ctrl-C mid-deploy: the run removes what it deployed, then exits 130', async (ctx) => {
    const e = need(ctx);
    // never-healthy keeps the run waiting for convergence, with containers running.
    const run = startCli(['ladder', join(FIXTURES, 'never-healthy'), '--rungs', 'deploy', '--views', 'compose.yml', '--engine-compat', '--image-map', IMAGE_MAP_ARG], e.env);
    await waitFor('running containers of the run', () => /stacklint_\w+_app\.1/.test(e.docker(['ps', '--format', '{{.Names}}']).stdout));
    run.child.kill('SIGINT');
    const { code, stdout, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr).toContain('cleaning up what this run deployed');
    expect(stdout).toMatch(/removed stack stacklint_\w+ and what the run created/);
    expect(stdout).toMatch(/^deploy\s+fail\s.*interrupted/m);
  }, 120_000);
});
