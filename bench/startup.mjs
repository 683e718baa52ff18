#!/usr/bin/env node
// Start-up cost of one recipe linted as a pre-commit run: `stacklint lint .` in the recipe's directory,
// a fresh node process each time (node's own start included), against the floor of `node -e 0`.
//
//   node bench/startup.mjs [--lines] [--runs N] [--recipe DIR] [--check] [--profile]
//
// Prints the median (and min / p90) wall time of each over N runs (default 15, at least 10), the commands
// interleaved (one run of each in turn), after two warm-up runs of each (which fill node's compile cache, in
// a directory of the bench's own). The goals, against the floor measured in the same run: the lint ≤ floor +
// 50 ms, `stacklint --version` ≤ floor + 15 ms; --check exits 1 when a median is over. --lines runs it under every supported Node line (scripts/node-lines.sh).
// --profile runs the lint once under `node --cpu-prof` and prints where the time went.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPerLine } from './lines.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BIN = join(ROOT, 'bin/stacklint.js');

function parse(argv) {
  const o = { runs: 15, recipe: join(ROOT, 'fixtures/example-recipe'), check: false, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--recipe') o.recipe = resolve(argv[++i]);
    else if (a === '--check') o.check = true;
    else if (a === '--profile') o.profile = true;
    else {
      process.stderr.write(`bench/startup.mjs: unknown argument ${a}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(o.runs) || o.runs < 10) {
    process.stderr.write('bench/startup.mjs: --runs must be a whole number, at least 10\n');
    process.exit(2);
  }
  return o;
}

// GNU time, when there, also gives the child's CPU time (user + sys): less sensitive than wall time to
// other load on the machine, so a busy machine's numbers can still be read. It prints 10 ms steps: the mean
// of the runs, not the median, resolves less than that.
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** `args` run by this node; or, with `exec`, that file run as a command (its `#!` line: the installed bin). */
function time(args, cwd, exec) {
  const cpuFile = join(cwd, '..', 'cpu.txt');
  const program = exec ?? process.execPath;
  const [cmd, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%U %S', '-o', cpuFile, program, ...args]] : [program, args];
  const start = process.hrtime.bigint();
  // The bin starts the `node` on PATH: this node.
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, NO_COLOR: '1', XDG_CACHE_HOME: join(cwd, '..', 'cache') };
  const r = spawnSync(cmd, argv, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  let cpu;
  if (GNU_TIME) {
    const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    cpu = (user + sys) * 1000;
  }
  return { ms, cpu, status: r.status, stderr: r.stderr.toString() };
}

/**
 * Each command `runs` times, interleaved (one run of each in turn), so that load that comes and goes on the
 * machine falls on all of them alike; after two warm-up runs of each (the file cache, node's compile cache).
 */
function measureInterleaved(commands, cwd, runs) {
  for (const c of commands) for (let i = 0; i < 2; i++) time(c.args, cwd, c.exec);
  const samples = commands.map(() => ({ ms: [], cpu: [] }));
  for (let i = 0; i < runs; i++) {
    commands.forEach((c, k) => {
      const r = time(c.args, cwd, c.exec);
      if (!(c.okStatus ?? [0]).includes(r.status)) {
        process.stderr.write(`${c.label}: exit ${r.status}\n${r.stderr}`);
        process.exit(2);
      }
      samples[k].ms.push(r.ms);
      if (r.cpu !== undefined) samples[k].cpu.push(r.cpu);
    });
  }
  return commands.map((c, k) => {
    const ms = [...samples[k].ms].sort((a, b) => a - b);
    const cpus = samples[k].cpu;
    const at = (q) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
    return { label: c.label, median: median(ms), min: ms[0], p90: at(0.9), cpu: cpus.length > 0 ? cpus.reduce((a, b) => a + b, 0) / cpus.length : undefined };
  });
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

function profile(cwd) {
  const dir = mkdtempSync(join(tmpdir(), 'stacklint-prof-'));
  try {
    spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, BIN, 'lint', '.'], { cwd, stdio: 'ignore' });
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) return 'no profile written';
    const prof = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const self = new Map(prof.nodes.map((n) => [n.id, 0]));
    const dt = prof.timeDeltas;
    for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (dt[i] ?? 0) / 1000);
    const total = (prof.endTime - prof.startTime) / 1000;
    // Inclusive time of stacklint's named functions (a function counted once per stack).
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const inclusive = new Map();
    for (const [id, ms] of self) {
      const seen = new Set();
      for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
        const { functionName, url, lineNumber } = byId.get(cur).callFrame;
        if (!functionName || !url.includes('/dist/')) continue;
        const key = `${functionName} ${shortUrl(url)}:${lineNumber + 1}`;
        if (seen.has(key)) continue;
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
      }
    }
    const byFile = new Map();
    const byFn = new Map();
    for (const n of prof.nodes) {
      const ms = self.get(n.id) ?? 0;
      const url = n.callFrame.url ? shortUrl(n.callFrame.url) : `(${n.callFrame.functionName || 'native'})`;
      byFile.set(url, (byFile.get(url) ?? 0) + ms);
      const fn = `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
      byFn.set(fn, (byFn.get(fn) ?? 0) + ms);
    }
    const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${name}`);
    return [
      `profile of one run (${total.toFixed(0)} ms profiled; the profiler itself slows it down):`,
      ' self time by file:',
      ...top(byFile, 10),
      ' self time by function:',
      ...top(byFn, 12),
      " inclusive time of stacklint's functions:",
      ...top(inclusive, 20),
    ].join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function shortUrl(url) {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  return path.startsWith(ROOT) ? relative(ROOT, path) : path;
}

const perLine = runPerLine(import.meta.url, process.argv.slice(2));
if (perLine !== undefined) process.exit(perLine);
/**
 * The package as users install it: `npm pack`, `npm install -g` into a prefix under `work`, `chmod -R a-w`.
 * Returns its bin/stacklint.js.
 */
function installReadOnly(work) {
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, npm_config_update_notifier: 'false' };
  const npm = (args, cwd) => {
    const r = spawnSync('npm', args, { cwd, env, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT));
  const prefix = join(work, 'prefix');
  npm(['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', join(work, packed.filename)], work);
  spawnSync('chmod', ['-R', 'a-w', prefix]);
  return { script: join(prefix, 'lib/node_modules/stacklint/bin/stacklint.js'), command: join(prefix, 'bin/stacklint') };
}

const o = parse(process.argv.slice(2));
if (!existsSync(join(ROOT, 'dist/stacklint.mjs'))) {
  process.stderr.write('bench/startup.mjs: dist/stacklint.mjs is missing; run `npm run build` first\n');
  process.exit(2);
}
// The recipe as its own directory, as pre-commit sees it (the hook runs `stacklint lint .` at the root).
const work = mkdtempSync(join(tmpdir(), 'stacklint-bench-'));
try {
  const recipe = join(work, 'recipe');
  cpSync(o.recipe, recipe, { recursive: true });
  const installed = installReadOnly(work);
  const rows = measureInterleaved(
    [
      { label: 'node -e 0 (floor)', args: ['-e', '0'] },
      { label: 'stacklint --version', args: [BIN, '--version'] },
      { label: 'stacklint lint . (one recipe)', args: [BIN, 'lint', '.'], okStatus: [0, 1] },
      { label: '  the same, read-only npm install', args: [installed.script, 'lint', '.'], okStatus: [0, 1] },
      // What a pre-commit hook runs: the command npm linked, through its `#!/bin/sh` line.
      { label: '  the installed `stacklint` command', args: ['lint', '.'], exec: installed.command, okStatus: [0, 1] },
    ],
    recipe,
    o.runs,
  );
  const lint = rows[2];
  process.stdout.write(`node ${process.version}, ${o.runs} runs each, recipe ${relative(process.cwd(), o.recipe) || o.recipe}\n`);
  const load = existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ')[0] : 'n/a';
  process.stdout.write(`load average ${load} on ${availableParallelism()} CPUs (wall times grow with it; CPU times much less)\n`);
  process.stdout.write(`${'command'.padEnd(38)}${'median'.padStart(10)}${'min'.padStart(8)}${'p90'.padStart(8)}${'cpu mean'.padStart(12)}\n`);
  for (const r of rows) {
    const cpu = r.cpu === undefined ? 'n/a' : `${r.cpu.toFixed(0)} ms`;
    process.stdout.write(`${r.label.padEnd(38)}${`${r.median.toFixed(1)} ms`.padStart(10)}${r.min.toFixed(1).padStart(8)}${r.p90.toFixed(1).padStart(8)}${cpu.padStart(12)}\n`);
  }
  const floor = rows[0].median;
  const goals = [
    { row: rows[1], over: 15 },
    { row: lint, over: 50 },
    { row: rows[4], over: 50 },
  ];
  for (const { row, over } of goals) {
    const extra = row.median - floor;
    process.stdout.write(`${row.label}: floor + ${extra.toFixed(1)} ms — ${extra <= over ? 'within' : 'OVER'} the goal of floor + ${over} ms\n`);
  }
  if (o.profile) process.stdout.write(`${profile(recipe)}\n`);
  if (o.check && goals.some(({ row, over }) => row.median - floor > over)) process.exitCode = 1;
} finally {
  spawnSync('chmod', ['-R', 'u+w', work]);
  rmSync(work, { recursive: true, force: true });
}
