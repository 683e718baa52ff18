// Where a catalogue run's worker thread starts (dist/lint-worker.mjs): node's compile cache is per thread, so
// the worker turns on the main thread's cache before it loads any of stacklint's code (the worker's code and
// the chunks it shares with the CLI, loaded below), and compiles nothing the main thread's runs already cached.
import * as nodeModule from 'node:module';
import { workerData } from 'node:worker_threads';
import type { WorkerData } from './pool.js';

const { compileCache } = workerData as WorkerData;
const { enableCompileCache } = nodeModule as { enableCompileCache?: (dir: string) => unknown };
if (compileCache !== undefined && enableCompileCache) enableCompileCache(compileCache);
await import('./worker.js');
