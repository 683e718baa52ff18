// Node builtins that only some runs need, loaded on first use. An `import` loads a builtin in every run
// before any code runs: node:crypto alone brings some twenty internal modules (~3 ms), child_process,
// worker_threads and v8 a few more — time a one-recipe lint (a pre-commit hook) spends for nothing.
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const childProcess = (): typeof import('node:child_process') => load('node:child_process');
export const nodeCrypto = (): typeof import('node:crypto') => load('node:crypto');
export const workerThreads = (): typeof import('node:worker_threads') => load('node:worker_threads');
export const nodeV8 = (): typeof import('node:v8') => load('node:v8');
