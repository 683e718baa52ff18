// A lint worker thread: claims recipes from the shared counter until none are left, posting each result
// (or the error it threw) with the recipe's index. The main thread puts them back in order.
import { parentPort, workerData } from 'node:worker_threads';
import { ALL_RULES } from '../rules/index.js';
import { lintRecipeJob, toJobError } from './job.js';
import type { WorkerData, WorkerMessage } from './pool.js';

const data = workerData as WorkerData;
const byId = new Map(ALL_RULES.map((r) => [r.meta.id, r]));
const rules = data.ruleIds.map((id) => byId.get(id)!);
const claims = new Int32Array(data.claims);

for (;;) {
  const slot = Atomics.add(claims, 0, 1);
  if (slot >= data.order.length) break;
  const index = data.order[slot];
  let message: WorkerMessage;
  try {
    message = { index, result: await lintRecipeJob(data.dirs[index], data.job, rules) };
  } catch (err) {
    message = { index, error: toJobError(err) };
  }
  parentPort!.postMessage(message);
}
