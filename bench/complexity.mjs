#!/usr/bin/env node
// How stacklint's cost grows with each input dimension: per dimension it generates inputs shaped like the
// attacks that once made it quadratic (scripts/make-complexity-inputs.mjs), doubles the size three times,
// runs the built CLI on each in a child process, and prints the CPU time and peak RSS of every doubling as a
// ratio. A doubling that costs more than 3× fails the run (exit 1): linear work doubles, n log n a little more.
//   node bench/complexity.mjs [DIMENSION…] [--max-ratio 3]
// Numbers are CPU time (user + system of the whole process, all threads), not wall time, so a busy machine
// slows them less; node's start-up (a run on a tiny recipe) is subtracted from both time and memory, and a
// doubling whose growth is within noise of start-up (under MIN_CPU_MS / MIN_RSS_MB) is shown but not judged.
// A ratio over the bound is measured a second time (the lower reading counts) before it fails the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DIMENSIONS, writeRecipe } from '../scripts/make-complexity-inputs.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'stacklint.js');
/** Below these, a size's cost is start-up noise: its ratio is printed in brackets and not judged. */
const MIN_CPU_MS = 150;
const MIN_RSS_MB = 24;

const args = process.argv.slice(2);
const maxRatioAt = args.indexOf('--max-ratio');
const MAX_RATIO = maxRatioAt >= 0 ? Number(args.splice(maxRatioAt, 2)[1]) : 3;
const wanted = args.filter((a) => !a.startsWith('-'));
for (const name of wanted) {
  if (!DIMENSIONS[name]) {
    process.stderr.write(`unknown dimension '${name}' (known: ${Object.keys(DIMENSIONS).join(', ')})\n`);
    process.exit(2);
  }
}

const work = mkdtempSync(join(tmpdir(), 'stacklint-complexity-'));
// Written into the child at exit: CPU time of the whole process (every thread) and its peak RSS.
const probe = join(work, 'usage-probe.mjs');
writeFileSync(
  probe,
  `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const cpu = process.cpuUsage();
  writeFileSync(process.env.STACKLINT_USAGE_FILE, JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, rssKb: process.resourceUsage().maxRSS }));
});
`,
);

/** One run of the CLI: CPU ms and peak RSS in MB, and how it ended. */
function measure(cliArgs) {
  const usageFile = join(work, 'usage.json');
  rmSync(usageFile, { force: true });
  const r = spawnSync(process.execPath, ['--import', probe, CLI, ...cliArgs], {
    env: { ...process.env, STACKLINT_USAGE_FILE: usageFile, NO_COLOR: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    timeout: 300_000,
  });
  let usage;
  try {
    usage = JSON.parse(readFileSync(usageFile, 'utf8'));
  } catch {
    throw new Error(`stacklint ${cliArgs.join(' ')} ended without a measurement (exit ${r.status}, ${r.signal ?? 'no signal'}): ${String(r.stderr).slice(0, 500)}`);
  }
  if (r.status !== 0 && r.status !== 1) throw new Error(`stacklint ${cliArgs.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 500)}`);
  return { cpuMs: usage.cpuMs, rssMb: usage.rssKb / 1024 };
}

/** Start-up: the least of a few runs on a tiny recipe. */
function startup() {
  const dir = join(work, 'startup');
  writeRecipe(dir, { 'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.25\n', '.env.sample': 'TYPE=x\n' });
  const runs = [0, 1, 2].map(() => measure(['lint', '--format', 'json', dir]));
  return { cpuMs: Math.min(...runs.map((r) => r.cpuMs)), rssMb: Math.min(...runs.map((r) => r.rssMb)) };
}

function runSize(name, n) {
  const dir = join(work, `${name}-${n}`);
  const cliArgs = DIMENSIONS[name].make(dir, n);
  try {
    return measure(cliArgs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function ratio(big, small, base, floor) {
  const grown = big - base;
  const before = Math.max(small - base, 1e-9);
  return { value: grown / before, judged: grown >= floor };
}

const fmt = (r) => (r.judged ? `${r.value.toFixed(2)}×` : `(${r.value.toFixed(2)}×)`);

const base = startup();
process.stdout.write(`start-up (subtracted): ${base.cpuMs.toFixed(0)} ms CPU, ${base.rssMb.toFixed(0)} MB peak RSS; bound ${MAX_RATIO}× per doubling\n\n`);
process.stdout.write(`${'dimension'.padEnd(20)} ${'sizes'.padEnd(34)} ${'CPU ms (− start-up)'.padEnd(30)} ${'time ratios'.padEnd(24)} ${'RSS MB (− start-up)'.padEnd(24)} RSS ratios\n`);

const failures = [];
const started = performance.now();
for (const [name, dimension] of Object.entries(DIMENSIONS)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  const sizes = dimension.sizes;
  const runs = sizes.map((n) => runSize(name, n));
  const timeRatios = [];
  const rssRatios = [];
  for (let i = 1; i < sizes.length; i++) {
    let t = ratio(runs[i].cpuMs, runs[i - 1].cpuMs, base.cpuMs, MIN_CPU_MS);
    let m = ratio(runs[i].rssMb, runs[i - 1].rssMb, base.rssMb, MIN_RSS_MB);
    if ((t.judged && t.value > MAX_RATIO) || (m.judged && m.value > MAX_RATIO)) {
      // Measured again, both sizes: a busy machine can stall one run; a real quadratic path repeats.
      const small = runSize(name, sizes[i - 1]);
      const big = runSize(name, sizes[i]);
      const t2 = ratio(big.cpuMs, small.cpuMs, base.cpuMs, MIN_CPU_MS);
      const m2 = ratio(big.rssMb, small.rssMb, base.rssMb, MIN_RSS_MB);
      if (t2.value < t.value) t = t2;
      if (m2.value < m.value) m = m2;
    }
    timeRatios.push(t);
    rssRatios.push(m);
    if (t.judged && t.value > MAX_RATIO) failures.push(`${name}: CPU time ×${t.value.toFixed(2)} from ${sizes[i - 1]} to ${sizes[i]} ${dimension.unit}`);
    if (m.judged && m.value > MAX_RATIO) failures.push(`${name}: peak RSS ×${m.value.toFixed(2)} from ${sizes[i - 1]} to ${sizes[i]} ${dimension.unit}`);
  }
  const sizeText = `${sizes.map((n) => (n >= 1024 && dimension.unit === 'bytes' ? `${n / 1024}K` : String(n))).join('/')} ${dimension.unit}`;
  const cpuText = runs.map((r) => Math.max(0, r.cpuMs - base.cpuMs).toFixed(0)).join('/');
  const rssText = runs.map((r) => Math.max(0, r.rssMb - base.rssMb).toFixed(0)).join('/');
  process.stdout.write(
    `${name.padEnd(20)} ${sizeText.padEnd(34)} ${cpuText.padEnd(30)} ${timeRatios.map(fmt).join(' ').padEnd(24)} ${rssText.padEnd(24)} ${rssRatios.map(fmt).join(' ')}\n`,
  );
}
rmSync(work, { recursive: true, force: true });
process.stdout.write(`\n(ratios in brackets: growth within start-up noise, not judged) — ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
if (failures.length > 0) {
  process.stdout.write(`\nover ${MAX_RATIO}× per doubling:\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
  process.exit(1);
}
