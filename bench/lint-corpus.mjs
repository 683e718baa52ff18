#!/usr/bin/env node
// Times `stacklint lint` over a folder of recipes (default: ../shared/corpus/recipes, every view of
// every recipe, all rules) against the floor: one node process that only reads and parses the same
// compose files with `yaml`. Both are whole processes, node start included; medians of N runs.
//   node bench/lint-corpus.mjs [DIR] [RUNS]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const dir = resolve(process.argv[2] ?? resolve(here, '../../shared/corpus/recipes'));
const runs = Number(process.argv[3] ?? 5);
const cli = resolve(here, '../bin/stacklint.js');
if (!existsSync(dir)) {
  console.error(`no such directory: ${dir}`);
  process.exit(2);
}

const floorScript = `
const { readFileSync } = require('node:fs');
const fg = require(${JSON.stringify(resolve(here, '../node_modules/fast-glob'))});
const { parseDocument } = require(${JSON.stringify(resolve(here, '../node_modules/yaml'))});
let n = 0;
for (const f of fg.sync('*/compose*.{yml,yaml}', { cwd: ${JSON.stringify(dir)}, absolute: true })) { parseDocument(readFileSync(f, 'utf8')); n++; }
process.stdout.write(String(n));
`;

function time(args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  return { ms, out: r.stdout, status: r.status };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const lintTimes = [];
const floorTimes = [];
let files = 0;
let summary;
for (let i = 0; i < runs; i++) {
  const lint = time([cli, 'lint', '--format', 'json', dir]);
  if (lint.status !== 0 && lint.status !== 1) {
    console.error(`stacklint exited ${lint.status}`);
    process.exit(2);
  }
  summary = JSON.parse(lint.out).summary;
  lintTimes.push(lint.ms);
  const floor = time(['-e', floorScript]);
  files = Number(floor.out);
  floorTimes.push(floor.ms);
}
const l = median(lintTimes);
const f = median(floorTimes);
console.log(`corpus: ${dir}`);
console.log(`recipes: ${summary.recipes}, compose files: ${files}, views: ${summary.views}, findings: ${summary.errors} errors / ${summary.warnings} warnings`);
console.log(`stacklint lint (all views, all rules): ${l.toFixed(0)} ms   (median of ${runs})`);
console.log(`floor: read + parse with yaml:          ${f.toFixed(0)} ms`);
console.log(`ratio lint/floor: ${(l / f).toFixed(2)}`);
