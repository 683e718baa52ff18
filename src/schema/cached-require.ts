// Loading a CommonJS file of dist/ (the precompiled validators, ~200 KB each) through the launcher's V8 code
// cache (cli/launch.ts) when stacklint runs from its bundle: a plain require() compiles the file anew in
// every process and worker thread. Running from sources (tests, tsx) there is no launcher, and require() it is.
import { createRequire } from 'node:module';

/** The launcher's loader, set on globalThis under this key. */
export const REQUIRE_CACHED = Symbol.for('stacklint.requireCached');

type RequireCached = (file: string) => unknown;

export function requireCached(file: string, from: string): unknown {
  const load = (globalThis as Record<symbol, RequireCached | undefined>)[REQUIRE_CACHED];
  return load ? load(file) : createRequire(from)(file);
}
