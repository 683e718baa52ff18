#!/usr/bin/env node
// A whole catalogue in one run, against the parse floor and against dclint, measured in one run (interleaved,
// medians), whole processes with node's start included:
//   - floor: one node process that reads every compose file of the catalogue and parses it with `yaml`;
//   - stacklint lint CATALOGUE (every view of every recipe, all rules; threads: the CPUs available) and -j1;
//   - dclint on the same compose files (bench/dclint, installed on first use; not a dependency of stacklint);
//   - one recipe as a pre-commit run (`stacklint lint .`) beside `node -e 0`;
//   - growth: 30, 100, 300, 1000 recipes (--growth), and bonfire alone against an average recipe.
// Catalogues are made with ../shared/corpus/make-catalogue.sh under $TMPDIR/stacklint-bench/.
//
//   node bench/catalogue.mjs [--lines] [--recipes N] [--runs N] [--growth] [--no-dclint] [--profile] [--compare DIR]
// --lines runs it under every supported Node line (scripts/node-lines.sh), one after the other.
// --compare DIR interleaves another build of stacklint (DIR/bin/stacklint.js: a checkout, built), so that the
// ratio to the floor of two versions is measured in one run on each line — e.g. the commit #21 was filed at:
//   git worktree add /tmp/stacklint-ref e549f31 && ln -s "$PWD/node_modules" /tmp/stacklint-ref/ &&
//   (cd /tmp/stacklint-ref && npm run build) && node bench/catalogue.mjs --lines --compare /tmp/stacklint-ref
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runPerLine } from './lines.mjs';
import { catalogue, WORK } from './make-catalogue.mjs';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BIN = join(ROOT, 'bin/stacklint.js');
const CORPUS = resolve(ROOT, '../shared/corpus/recipes');
const DCLINT_DIR = join(ROOT, 'bench/dclint');
const DCLINT = join(DCLINT_DIR, 'node_modules/dclint/bin/dclint.cjs');

function parseArgs(argv) {
  const o = { recipes: 300, runs: 3, growth: false, dclint: true, profile: false, compare: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--recipes') o.recipes = Number(argv[++i]);
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--growth') o.growth = true;
    else if (a === '--no-dclint') o.dclint = false;
    else if (a === '--profile') o.profile = true;
    else if (a === '--compare') o.compare = resolve(argv[++i] ?? '');
    else {
      process.stderr.write(`bench/catalogue.mjs: unknown argument ${a}\n`);
      process.exit(2);
    }
  }
  if (!(Number.isInteger(o.recipes) && o.recipes > 0 && Number.isInteger(o.runs) && o.runs > 0)) {
    process.stderr.write('bench/catalogue.mjs: --recipes and --runs take whole numbers\n');
    process.exit(2);
  }
  if (o.compare !== undefined && !existsSync(join(o.compare, 'bin/stacklint.js'))) {
    process.stderr.write(`bench/catalogue.mjs: --compare ${o.compare}: no bin/stacklint.js there (a built checkout of stacklint)\n`);
    process.exit(2);
  }
  return o;
}

/** The compose files stacklint reads as compose files: compose*.yml / .yaml at each recipe's top level. */
function composeFiles(dir) {
  const files = [];
  for (const recipe of readdirSync(dir).sort()) {
    const rdir = join(dir, recipe);
    if (!statSync(rdir).isDirectory()) continue;
    for (const f of readdirSync(rdir).sort()) if (/^compose[^/]*\.ya?ml$/.test(f)) files.push(join(rdir, f));
  }
  return files;
}

const HAS_TIME = existsSync('/usr/bin/time');

/** Runs a command; wall time in ms, and peak RSS in KB (via /usr/bin/time, or sampled from /proc). */
function run(cmd, args, opts = {}) {
  return new Promise((resolvePromise, reject) => {
    const argv = HAS_TIME ? ['/usr/bin/time', ['-f', '%M', cmd, ...args]] : [cmd, args];
    const started = process.hrtime.bigint();
    const child = spawn(argv[0], argv[1], { cwd: opts.cwd, stdio: ['ignore', opts.keepStdout ? 'pipe' : 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    let sampled = 0;
    const sampler = HAS_TIME
      ? undefined
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) sampled = Math.max(sampled, Number(m[1]));
          } catch {}
        }, 5);
    child.stdout?.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      if (sampler) clearInterval(sampler);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      let rssKb = sampled;
      if (HAS_TIME) {
        const lines = stderr.trimEnd().split('\n');
        rssKb = Number(lines.pop());
        stderr = lines.join('\n');
      }
      if (!(opts.ok ?? [0]).includes(status)) reject(new Error(`${cmd} ${args.slice(0, 3).join(' ')} …: exit ${status}\n${stderr.slice(0, 2000)}`));
      else resolvePromise({ ms, rssKb, stdout });
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs every case `runs` times, interleaved (so that machine load hits all alike); medians. */
async function measure(cases, runs) {
  const samples = cases.map(() => ({ ms: [], rss: [] }));
  for (const c of cases) await c.run(); // warm-up: file cache, dist
  for (let i = 0; i < runs; i++) {
    for (const [k, c] of cases.entries()) {
      const r = await c.run();
      samples[k].ms.push(r.ms);
      samples[k].rss.push(r.rssKb);
    }
  }
  return cases.map((c, k) => ({ label: c.label, ms: median(samples[k].ms), min: Math.min(...samples[k].ms), rssMb: Math.max(...samples[k].rss) / 1024 }));
}

const floorScript = `
const { readFileSync } = require('node:fs');
const { parseDocument } = require(${JSON.stringify(join(ROOT, 'node_modules/yaml'))});
const files = JSON.parse(readFileSync(process.argv[1], 'utf8'));
for (const f of files) parseDocument(readFileSync(f, 'utf8'));
process.stdout.write(String(files.length));
`;

function fileList(files) {
  const dir = mkdtempSync(join(tmpdir(), 'stacklint-bench-files-'));
  const path = join(dir, 'files.json');
  writeFileSync(path, JSON.stringify(files));
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function ensureDclint() {
  if (existsSync(DCLINT)) return true;
  process.stdout.write('installing dclint into bench/dclint (npm ci; bench only) …\n');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--prefix', DCLINT_DIR], { encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(DCLINT)) {
    process.stdout.write(`dclint not installed (${(r.stderr || '').trim().split('\n').pop()}); skipping it\n`);
    return false;
  }
  return true;
}

const fmt = (ms) => `${ms.toFixed(0).padStart(6)} ms`;

function printRows(rows) {
  for (const r of rows) process.stdout.write(`  ${r.label.padEnd(46)}${fmt(r.ms)}  (min ${r.min.toFixed(0)})  peak ${r.rssMb.toFixed(0)} MB\n`);
}

const lintArgs = (dir, extra = [], bin = BIN) => [bin, 'lint', '--format', 'json', ...extra, dir];

async function main() {
  const perLine = runPerLine(import.meta.url, process.argv.slice(2));
  if (perLine !== undefined) process.exit(perLine);
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(join(ROOT, 'dist/stacklint.mjs'))) {
    process.stderr.write('bench/catalogue.mjs: dist/ is missing; run `npm run build` first\n');
    process.exit(2);
  }
  const cat = catalogue(o.recipes);
  const files = composeFiles(cat);
  const list = fileList(files);
  const node = process.execPath;
  process.stdout.write(`node ${process.version}, ${availableParallelism()} CPUs, ${o.runs} runs each (medians; interleaved)\n`);
  process.stdout.write(`catalogue: ${cat} — ${o.recipes} recipes, ${files.length} compose files\n\n`);

  const cases = [
    { label: 'floor: read + parse every compose file (yaml)', run: () => run(node, ['-e', floorScript, list.path]) },
    { label: 'stacklint lint CATALOGUE (all views, all rules)', run: () => run(node, lintArgs(cat), { ok: [0, 1] }) },
    { label: 'stacklint lint -j1 CATALOGUE (one thread)', run: () => run(node, lintArgs(cat, ['-j', '1']), { ok: [0, 1] }) },
  ];
  if (o.compare !== undefined) {
    const other = join(o.compare, 'bin/stacklint.js');
    cases.push(
      { label: 'compared build: lint CATALOGUE', run: () => run(node, lintArgs(cat, [], other), { ok: [0, 1] }) },
      { label: 'compared build: lint -j1 CATALOGUE', run: () => run(node, lintArgs(cat, ['-j', '1'], other), { ok: [0, 1] }) },
    );
  }
  const rows = await measure(cases, o.runs);
  // dclint takes ~30× longer: one run (no warm-up) is enough to place it. It exits 1 when it finds problems.
  if (o.dclint && ensureDclint()) {
    const r = await run(node, [DCLINT, ...files, '-f', 'json'], { ok: [0, 1] });
    rows.push({ label: 'dclint, the same compose files (one run)', ms: r.ms, min: r.ms, rssMb: r.rssKb / 1024 });
  }
  printRows(rows);
  const [floor, lint, lint1] = rows;
  const dclint = rows.find((r) => r.label.startsWith('dclint'));
  process.stdout.write(`\n  stacklint / floor: ${(lint.ms / floor.ms).toFixed(2)}×   (goal ≤ 2×; one thread: ${(lint1.ms / floor.ms).toFixed(2)}×)\n`);
  if (o.compare !== undefined) {
    const [other, other1] = rows.slice(3, 5);
    process.stdout.write(`  compared build (${o.compare}) / floor: ${(other.ms / floor.ms).toFixed(2)}×   (one thread: ${(other1.ms / floor.ms).toFixed(2)}×); this build / compared: ${(lint.ms / other.ms).toFixed(2)}×\n`);
  }
  if (dclint) process.stdout.write(`  dclint / stacklint: ${(dclint.ms / lint.ms).toFixed(2)}×   (stacklint also merges every view; dclint checks files one by one)\n`);
  const report = JSON.parse((await run(node, lintArgs(cat), { ok: [0, 1], keepStdout: true })).stdout);
  process.stdout.write(`  stacklint did: ${report.summary.recipes} recipes, ${report.summary.files} files, ${report.summary.views} views, ${report.summary.errors} errors / ${report.summary.warnings} warnings\n`);

  // One recipe as pre-commit runs it: `stacklint lint .` in the recipe's directory.
  const work = mkdtempSync(join(tmpdir(), 'stacklint-bench-'));
  try {
    const recipe = join(work, 'recipe');
    cpSync(join(ROOT, 'fixtures/example-recipe'), recipe, { recursive: true });
    process.stdout.write('\none recipe as a pre-commit run (fixtures/example-recipe):\n');
    printRows(
      await measure(
        [
          { label: 'node -e 0', run: () => run(node, ['-e', '0']) },
          { label: 'stacklint lint . (goal ≤ node -e 0 + 50 ms)', run: () => run(node, [BIN, 'lint', '.'], { cwd: recipe, ok: [0, 1] }) },
        ],
        Math.max(o.runs, 5),
      ),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  if (o.growth) await growth(o);
  if (o.profile) profile(cat);
  list.cleanup();
}

/** Time per recipe as the catalogue grows (one thread, so that the threads' start-up does not blur it). */
async function growth(o) {
  process.stdout.write('\ngrowth (stacklint lint -j1; per recipe = (time − one tiny recipe\'s time) / recipes):\n');
  const tiny = await measure([{ label: 'one recipe', run: () => run(process.execPath, lintArgs(join(ROOT, 'fixtures/example-recipe')), { ok: [0, 1] }) }], o.runs);
  const base = tiny[0].ms;
  const perRecipe = {};
  for (const n of [30, 100, 300, 1000]) {
    const dir = catalogue(n);
    const [r] = await measure([{ label: `${n} recipes`, run: () => run(process.execPath, lintArgs(dir, ['-j', '1']), { ok: [0, 1] }) }], o.runs);
    perRecipe[n] = (r.ms - base) / n;
    process.stdout.write(`  ${String(n).padStart(5)} recipes ${fmt(r.ms)}   ${perRecipe[n].toFixed(2)} ms per recipe   peak ${r.rssMb.toFixed(0)} MB\n`);
  }
  process.stdout.write(`  per-recipe time, 1000 vs 100 recipes: ${(perRecipe[1000] / perRecipe[100]).toFixed(2)}× (linear: ≈ 1)\n`);
  // bonfire (18 overlays, 20 COMPOSE_FILE lines) against the average recipe of the same mix.
  const bonfires = join(WORK, 'bonfire-30');
  if (!existsSync(join(bonfires, 'bonfire-29'))) {
    rmSync(bonfires, { recursive: true, force: true });
    for (let i = 0; i < 30; i++) cpSync(join(CORPUS, 'bonfire'), join(bonfires, `bonfire-${i}`), { recursive: true });
  }
  const [b] = await measure([{ label: 'bonfire ×30', run: () => run(process.execPath, lintArgs(bonfires, ['-j', '1']), { ok: [0, 1] }) }], o.runs);
  const bonfire = (b.ms - base) / 30;
  process.stdout.write(`  bonfire: ${bonfire.toFixed(2)} ms per copy vs ${perRecipe[300].toFixed(2)} ms for an average recipe: ${(bonfire / perRecipe[300]).toFixed(1)}× (goal ≤ 10×)\n`);
}

/** Where the time goes: one -j1 run under the CPU profiler, self time by source module and function. */
function profile(cat) {
  const dir = mkdtempSync(join(tmpdir(), 'stacklint-prof-'));
  try {
    spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, BIN, 'lint', '-j', '1', '--format', 'json', cat], { stdio: 'ignore' });
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) return;
    const prof = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const self = new Map();
    for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0) / 1000);
    // esbuild marks each bundled module with a `// path` comment: attribute bundle lines to their source module.
    const markers = new Map();
    const moduleOf = (url, line) => {
      if (!url.includes('/dist/')) return url ? url.replace(/^.*\/(node_modules\/)?/, '') : '(native)';
      let list = markers.get(url);
      if (!list) {
        list = [];
        readFileSync(url.startsWith('file:') ? fileURLToPath(url) : url, 'utf8')
          .split('\n')
          .forEach((l, i) => {
            const m = /^\/\/ ((?:src|cli|node_modules)\/\S+)$/.exec(l) ?? /^\s+"(node_modules\/[^"]+)"\(/.exec(l);
            if (m) list.push([i, m[1].replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, 'npm:$1')]);
          });
        markers.set(url, list);
      }
      let mod = 'dist';
      for (const [at, m] of list) if (at <= line) mod = m;
      return mod;
    };
    const byModule = new Map();
    const byFn = new Map();
    let total = 0;
    for (const n of prof.nodes) {
      const ms = self.get(n.id) ?? 0;
      if (!ms) continue;
      total += ms;
      const mod = n.callFrame.url ? moduleOf(n.callFrame.url, n.callFrame.lineNumber) : `(${n.callFrame.functionName || 'native'})`;
      byModule.set(mod, (byModule.get(mod) ?? 0) + ms);
      const fn = `${n.callFrame.functionName || '(anonymous)'} [${mod}]`;
      byFn.set(fn, (byFn.get(fn) ?? 0) + ms);
    }
    const top = (m, k) => [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, ms]) => `  ${ms.toFixed(0).padStart(6)} ms ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
    process.stdout.write(`\nprofile of one -j1 run (${total.toFixed(0)} ms sampled on the main thread):\n self time by module:\n${top(byModule, 25).join('\n')}\n self time by function:\n${top(byFn, 15).join('\n')}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench/catalogue.mjs: ${err.message}\n`);
  process.exit(2);
});
