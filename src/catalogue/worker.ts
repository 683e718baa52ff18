// A worker thread of a catalogue run: claims recipes from the shared counter until none are left, posting
// each result (or the error it threw) with the recipe's index. The main thread puts them back in order.
import { parentPort, workerData } from 'node:worker_threads';
import { toJobError } from '../lint/job.js';
import type { WorkerData, WorkerMessage } from './pool.js';
import { taskRunner } from './tasks.js';

async function lintClaimedRecipes(data: WorkerData): Promise<void> {
  const run = taskRunner(data.task);
  const claims = new Int32Array(data.claims);
  for (;;) {
    const slot = Atomics.add(claims, 0, 1);
    if (slot >= data.order.length) break;
    const index = data.order[slot];
    let message: WorkerMessage;
    try {
      message = { index, result: await run(data.dirs[index]) };
    } catch (err) {
      message = { index, error: toJobError(err) };
    }
    parentPort!.postMessage(message);
  }
}

void lintClaimedRecipes(workerData as WorkerData);
