#!/usr/bin/env node
// Warm, in-process throughput of the lint engine: bundles src/ (esbuild, as the CLI is) and lints every recipe
// of a catalogue N times in one process, printing each pass. The later passes have no start-up, no JIT warm-up
// and no thread contention in them, so they compare two versions of the engine with much less noise than
// whole-process timings (bench/catalogue.mjs stays the measure of record).
//
//   node bench/in-process.mjs [CATALOGUE] [--passes N]      (under `node --cpu-prof` for a profile)
//
// STACKLINT_KEEP_BUNDLE=1 keeps the engine bundle (dist/.in-process-engine-PID.cjs) after the run, so that a
// profile's line numbers can be mapped back to source modules (esbuild's `// src/…` markers).
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const passes = args.includes('--passes') ? Number(args[args.indexOf('--passes') + 1]) : 5;
const target = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--passes') ?? join(tmpdir(), 'stacklint-bench/cat-300');

if (!existsSync(target)) {
  process.stderr.write(`bench/in-process.mjs: ${target} does not exist: give a catalogue, or make one with node bench/catalogue.mjs\n`);
  process.exit(2);
}

// Inside dist/: the precompiled validators and node_modules resolve from there as for the CLI.
const out = join(ROOT, `dist/.in-process-engine-${process.pid}.cjs`);
try {
  await build({
    stdin: {
      contents: [
        "export { lintRecipeJob } from './src/lint/job.ts';",
        "export { findRecipes } from './src/catalogue/run.ts';",
        "export { ALL_RULES } from './src/rules/index.ts';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    outfile: out,
    bundle: true,
    format: 'cjs', // the engine alone, loaded with require() below
    platform: 'node',
    target: 'node22',
    logLevel: 'warning',
    define: { __STACKLINT_VERSION__: '"bench"', 'import.meta.url': '__importMetaUrl' },
    banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  const engine = createRequire(import.meta.url)(out);
  const recipes = engine.findRecipes(target);
  process.stdout.write(`${recipes.length} recipes, ${passes} passes\n`);
  const times = [];
  for (let p = 0; p < passes; p++) {
    const start = process.hrtime.bigint();
    let findings = 0;
    for (const recipe of recipes) findings += (await engine.lintRecipeJob(recipe, { namingRoot: target }, engine.ALL_RULES)).findings.length;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    times.push(ms);
    process.stdout.write(`pass ${p + 1}: ${ms.toFixed(0)} ms (${findings} findings)\n`);
  }
  const warm = times.slice(1).sort((a, b) => a - b);
  if (warm.length > 0) process.stdout.write(`warm median ${warm[Math.floor(warm.length / 2)].toFixed(0)} ms, min ${warm[0].toFixed(0)} ms\n`);
} finally {
  if (!process.env.STACKLINT_KEEP_BUNDLE) rmSync(out, { force: true });
}
