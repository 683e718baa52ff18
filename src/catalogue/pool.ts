// Runs a task over many recipes on several threads: the main thread and N-1 workers claim recipes from one
// shared counter (largest first, so that no big recipe starts last), and results are handed on in recipe
// order, so the caller sees exactly what the sequential loop gives — including which error is thrown first.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { nodeV8, workerThreads } from '../load/node-builtins.js';
import type { Rule } from '../rules/rule.js';
import { loadPrecompiledValidators } from '../schema/ajv.js';
import { fromJobError } from '../lint/job.js';
import type { JobError } from '../lint/job.js';
import { taskRunner } from './tasks.js';
import type { TaskResults, TaskSpec } from './tasks.js';

export interface WorkerData {
  dirs: string[];
  /** Recipe indexes in the order they are claimed. */
  order: number[];
  /** Int32 slot: the next position in `order` to claim. */
  claims: SharedArrayBuffer;
  task: TaskSpec;
  /** The compile cache the worker turns on (worker-start.ts): the main thread's, minus node's subdirectory. */
  compileCache?: string;
}

/** dist/ file of src/catalogue/worker-start.ts (scripts/build.mjs), beside the chunk this code is bundled into. */
export const WORKER_BUNDLE = 'lint-worker.mjs';

export type WorkerMessage = { index: number; result: unknown } | { index: number; error: JobError };

export interface PoolCallbacks<T> {
  /** In recipe order, as soon as every earlier recipe is done. */
  onResult: (result: T, index: number) => void;
  /** In completion order: for progress displays. */
  onDone?: (result: T, done: number) => void;
}

/**
 * How to start a worker: the worker's entry of the bundle, beside this chunk; or, running from sources
 * (tests), the .ts file behind tsx's loader, registered inside the worker first (a loader given in execArgv
 * is not applied there).
 */
export function workerStart(): { script: string | URL; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { script: new URL(`./${WORKER_BUNDLE}`, here), eval: false };
  // tsx's ESM API (the `import` condition of its exports, which require.resolve does not pick).
  const pkgFile = nodeModule.createRequire(here).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const tsx = pathToFileURL(join(dirname(pkgFile), pkg.exports['./esm/api'].import.default)).href;
  const worker = new URL('./worker.ts', here).href;
  return { script: `import(${JSON.stringify(tsx)}).then((m) => m.register()).then(() => import(${JSON.stringify(worker)}));`, eval: true };
}

/**
 * The compile cache directory node made for the main thread (the user's directory + a subdirectory per node
 * version and V8 flags): its parent, where the worker's node puts its own subdirectory, as the worker runs
 * with the changed flags below.
 */
function compileCacheBase(): string | undefined {
  // Node 20 has no compile cache (nor this function): read through the namespace, which links on every node.
  const dir = (nodeModule as { getCompileCacheDir?: () => string | undefined }).getCompileCacheDir?.();
  return dir === undefined ? undefined : dirname(dir);
}

/**
 * Every thread's isolate compiles its own optimised code: with V8's default tiering thresholds that compiling
 * competes with the linting for the same cores, and a second thread gains little. Higher thresholds optimise
 * only the really hot functions: on a 300-recipe catalogue ~35% less CPU on node 22, ~13% on node 26, the
 * same results. (Only these plain numbers are changed at run time; GC flags cannot be, safely. V8 reports a
 * flag it does not know on stderr, which is why these are the names of node 22's V8 onwards: the older
 * --interrupt-budget printed an error in every catalogue run there, and tuned nothing.)
 */
const TIERING_THRESHOLDS = ['--invocation-count-for-maglev=2800', '--invocation-count-for-turbofan=21000'];
/**
 * Node 24 and 26 (V8 13–14) do better with higher thresholds still, and with Sparkplug's baseline code for
 * every function run (cheap to make, faster than the interpreter for code that never gets hot): ~15% less
 * CPU on a 300-recipe catalogue, interleaved runs. On node 22 the same flags cost ~8% more.
 */
const TIERING_THRESHOLDS_V8_13 = ['--invocation-count-for-maglev=8000', '--invocation-count-for-turbofan=60000', '--always-sparkplug'];
/** Node 20's V8 (end of life, still runs stacklint) knows the budget by its older name only. */
const NODE20_TIERING_BUDGET = ['--interrupt-budget=1000000'];
let tuned = false;
function tuneCompilerForThreads(): void {
  if (tuned) return;
  tuned = true;
  // Code compiled from here on carries the changed flags: the main thread's last lazily loaded files are
  // loaded first, so that their cache entries stay those of every other run.
  loadPrecompiledValidators();
  try {
    const major = Number(process.versions.node.split('.')[0]);
    const flags = major < 22 ? NODE20_TIERING_BUDGET : major < 24 ? TIERING_THRESHOLDS : TIERING_THRESHOLDS_V8_13;
    for (const flag of flags) nodeV8().setFlagsFromString(flag);
  } catch {
    // A node that refuses run-time flags runs with its defaults: slower, not wrong.
  }
}

/** Compose files at the recipe's top level: a cheap stand-in for how long the recipe takes. */
function costOf(dir: string): number {
  try {
    return readdirSync(dir).filter((name) => /^compose[^/]*\.ya?ml$/.test(name)).length;
  } catch {
    return 0;
  }
}

/**
 * Runs `task` on every recipe directory with `threads` threads (the main thread counts as one). `rules`, for a
 * lint task, are the caller's rule objects for the main thread (workers rebuild them from their ids).
 */
export async function runInParallel<K extends TaskSpec['kind']>(
  dirs: readonly string[],
  task: Extract<TaskSpec, { kind: K }>,
  threads: number,
  callbacks: PoolCallbacks<TaskResults[K]>,
  rules?: readonly Rule[],
): Promise<Array<TaskResults[K]>> {
  type T = TaskResults[K];
  type Outcome = { result: T } | { error: Error };
  const runHere = taskRunner(task, rules) as (dir: string) => Promise<T>;
  const n = dirs.length;
  const costs = dirs.map(costOf);
  const order = [...dirs.keys()].sort((a, b) => costs[b] - costs[a] || a - b);
  const claimBuffer = new SharedArrayBuffer(4);
  const claims = new Int32Array(claimBuffer);
  const outcomes: Array<Outcome | undefined> = new Array(n);
  const results: T[] = [];
  let frontier = 0;
  let done = 0;
  let failure: Error | undefined;

  const settle = (index: number, outcome: Outcome) => {
    if (outcomes[index] || failure) return;
    outcomes[index] = outcome;
    if ('result' in outcome) callbacks.onDone?.(outcome.result, ++done);
    while (!failure && frontier < n && outcomes[frontier]) {
      const next = outcomes[frontier]!;
      if ('error' in next) {
        failure = next.error;
        Atomics.store(claims, 0, n);
        break;
      }
      results.push(next.result);
      callbacks.onResult(next.result, frontier);
      frontier++;
    }
  };
  const settleSafely = (index: number, outcome: Outcome) => {
    try {
      settle(index, outcome);
    } catch (err) {
      failure ??= err instanceof Error ? err : new Error(String(err));
    }
  };

  tuneCompilerForThreads();
  const start = workerStart();
  const data: WorkerData = { dirs: [...dirs], order, claims: claimBuffer, task, compileCache: compileCacheBase() };
  const workers: Worker[] = [];
  const exits: Array<Promise<void>> = [];
  for (let w = 0; w < threads - 1; w++) {
    let worker: Worker;
    try {
      worker = new (workerThreads().Worker)(start.script, { eval: start.eval, workerData: data, stdout: false, stderr: false });
    } catch {
      break; // no threads to be had: the main thread does it all
    }
    workers.push(worker);
    worker.on('message', (m: WorkerMessage) =>
      settleSafely(m.index, 'error' in m ? { error: fromJobError(m.error) } : { result: m.result as T }),
    );
    // A worker that cannot start or dies leaves its recipes unsettled: the main thread runs them below.
    worker.on('error', () => {});
    exits.push(new Promise((resolve) => worker.once('exit', () => resolve())));
  }

  const lintHere = async (index: number) => {
    try {
      settleSafely(index, { result: await runHere(dirs[index]) });
    } catch (err) {
      settleSafely(index, { error: err instanceof Error ? err : new Error(String(err)) });
    }
  };
  try {
    while (!failure) {
      const slot = Atomics.add(claims, 0, 1);
      if (slot >= n) break;
      await lintHere(order[slot]);
      // Let the workers' results in (and progress out) between recipes.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (!failure) await Promise.all(exits);
    for (let i = 0; i < n && !failure; i++) if (!outcomes[i]) await lintHere(i);
  } finally {
    Atomics.store(claims, 0, n);
    if (failure) await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failure) throw failure;
  return results;
}
