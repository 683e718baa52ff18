// Starts a CommonJS bundle of stacklint (dist/*.cjs) through V8's code cache. Node 20 caches no compiled
// code for modules, and compiling the ~1 MB bundle plus the functions a lint run calls costs ~40 ms of
// every run — a quarter of a pre-commit hook's budget. A node:vm Script can take a cache instead: the build
// writes one per bundle after a training run (scripts/build.mjs), and a run whose cache is missing or was
// made by another node writes a fresh one when it ends. A cache that does not fit is never used: V8 checks
// its version and flags, and the stamp below ties the cache to the exact bundle file.
//
// Bundled as dist/launch.mjs: bin/stacklint.js imports it on the main thread, and catalogue runs start their
// worker threads on it (workerData.bundle names the bundle to run).
import { closeSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { isMainThread, threadId, workerData } from 'node:worker_threads';
import { BUNDLE_IMPORT } from './bundle-import.js';
import { REQUIRE_CACHED } from '../src/schema/cached-require.js';

const DIST = dirname(fileURLToPath(import.meta.url));
const MAIN_BUNDLE = 'stacklint.cjs';
const CACHE_SUFFIX = '.v8cache';
/** Ends the stamp line at the start of a cache file; the V8 cache data follows it. */
const NEWLINE = 0x0a;

/**
 * Runs a CommonJS file of dist/ (a bundle, a precompiled validator) as node runs a module, with its compiled
 * code from the cache beside it when that fits. Returns its exports.
 */
function runCommonJs(file: string): unknown {
  const source = readFileSync(file, 'utf8');
  const { size, mtimeMs } = statSync(file);
  const stamp = `${basename(file)} ${size} ${mtimeMs} ${process.version}`;
  const cacheFile = file + CACHE_SUFFIX;
  const cachedData = readCache(cacheFile, stamp);
  // The same wrapper node puts around a CommonJS module, so the bundle sees require, module and __dirname.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    // Written when the run ends, so that the functions it compiled on the way are in the cache too.
    process.once('exit', () => writeCache(cacheFile, stamp, script));
  }
  const module = { exports: {} };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/** Each file runs once per thread, as require() would. */
const loaded = new Map<string, unknown>();
(globalThis as Record<symbol, unknown>)[REQUIRE_CACHED] = (file: string) => {
  if (!loaded.has(file)) loaded.set(file, runCommonJs(file));
  return loaded.get(file);
};

function readCache(cacheFile: string, stamp: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const end = data.indexOf(NEWLINE);
  if (end < 0 || data.toString('utf8', 0, end) !== stamp) return undefined;
  return data.subarray(end + 1);
}

/**
 * Best effort: a read-only install or a race with another run only costs the next run its cache. The temp
 * file is created first, so that where nothing can be written the cache data is not even made (~10 ms).
 */
function writeCache(cacheFile: string, stamp: string, script: Script): void {
  const temp = `${cacheFile}.${process.pid}-${threadId}.tmp`;
  let fd: number;
  try {
    fd = openSync(temp, 'wx');
  } catch {
    return;
  }
  try {
    try {
      writeSync(fd, `${stamp}\n`);
      writeSync(fd, script.createCachedData());
    } finally {
      closeSync(fd);
    }
    renameSync(temp, cacheFile);
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  }
}

// Code inside a node:vm Script cannot import(): the bundles load their ESM-only parts (the ink TUI) through this.
(globalThis as Record<symbol, unknown>)[BUNDLE_IMPORT] = (name: string) => import(pathToFileURL(join(DIST, name)).href);

runCommonJs(join(DIST, isMainThread ? MAIN_BUNDLE : (workerData as { bundle: string }).bundle));
