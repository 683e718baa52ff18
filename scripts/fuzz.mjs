#!/usr/bin/env node
// Mutation fuzzing of the lint engine, in process: takes the corpus recipes, damages their files (byte
// flips, YAML-significant insertions, line shuffles, truncation) and lints each result with every rule.
// A crash is an exception out of lintRecipe or an `internal-error` finding (a rule that threw); a run
// over 10 s counts as a hang. Every --cli-every iterations the built CLI is run on the same recipe too.
//   node scripts/fuzz.mjs [--iterations N] [--seed S] [--corpus DIR] [--cli-every K] [--keep DIR]
// Failing inputs are kept under --keep (default /tmp/stacklint-fuzz-crashes) with the seed to replay them.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const repo = resolve(dirname(new URL(import.meta.url).pathname), '..');
const { values: args } = parseArgs({
  options: {
    iterations: { type: 'string', default: '1000' },
    seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    corpus: { type: 'string', default: resolve(repo, '../shared/corpus/recipes') },
    'cli-every': { type: 'string', default: '500' },
    keep: { type: 'string', default: join(tmpdir(), 'stacklint-fuzz-crashes') },
  },
});
const iterations = Number(args.iterations);
const seed = Number(args.seed);
const cliEvery = Number(args['cli-every']);
const HANG_MS = 10_000;
const MAX_FILE_BYTES = 256 * 1024;

/** The engine bundled once (esbuild), then imported: no TypeScript loader, no process per iteration. */
async function loadEngine() {
  const outfile = join(repo, 'node_modules/.cache/stacklint-fuzz/engine.mjs');
  await build({
    stdin: {
      contents: [
        "export { lintRecipe } from './src/lint/engine.ts';",
        "export { ALL_RULES } from './src/rules/index.ts';",
        "export { defaultConfig } from './src/config/index.ts';",
      ].join('\n'),
      resolveDir: repo,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
    define: { __STACKLINT_VERSION__: '"fuzz"' },
  });
  return import(outfile);
}

/** mulberry32: a small seeded PRNG, so a failing iteration can be replayed from its seed. */
function prng(s) {
  let a = s >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Recipe-relative files of a corpus recipe (small text files the linter reads), with their bytes. */
function recipeFiles(dir) {
  const out = [];
  const walk = (abs, depth) => {
    for (const e of readdirSync(abs, { withFileTypes: true })) {
      if (e.name === '.git') continue;
      const p = join(abs, e.name);
      if (e.isDirectory() && depth < 3) walk(p, depth + 1);
      else if (e.isFile() && statSync(p).size <= MAX_FILE_BYTES) out.push({ rel: relative(dir, p), bytes: readFileSync(p) });
    }
  };
  walk(dir, 0);
  return out;
}

const TOKENS = [
  '${', '}', '$', '$$', '${A:-${B}}', '${X:?a-b}', '&a ', '*a', '<<: *a', '\t', '---\n', '...\n', '- ', ': ', '"', "'", '{', '[', ']', '}', '#',
  '\0', '\r\n', '\ufeff', '!!binary ', '!!int ', '? ', '|', '>-', '%YAML 1.1\n', '~', '0x', '1e400', '99999999999999999999', 'yes', 'on',
  'COMPOSE_FILE="$COMPOSE_FILE:compose.x.yml"\n', 'export X=$(id)\n', 'f() {\n', '../../etc/passwd', 'file: ', 'env_file: ', 'services:\n',
];

function mutate(bytes, rand) {
  const pick = (n) => Math.floor(rand() * n);
  let b = Buffer.from(bytes);
  const kind = pick(6);
  if (kind === 0) {
    // byte flips
    for (let i = 0, n = 1 + pick(8); i < n && b.length > 0; i++) b[pick(b.length)] = pick(256);
  } else if (kind === 1) {
    // YAML- and shell-significant insertions
    for (let i = 0, n = 1 + pick(4); i < n; i++) {
      const at = pick(b.length + 1);
      b = Buffer.concat([b.subarray(0, at), Buffer.from(TOKENS[pick(TOKENS.length)]), b.subarray(at)]);
    }
  } else if (kind === 2 || kind === 3) {
    // line shuffles: swap, duplicate, delete, re-indent
    const lines = b.toString('latin1').split('\n');
    for (let i = 0, n = 1 + pick(4); i < n && lines.length > 1; i++) {
      const x = pick(lines.length);
      const y = pick(lines.length);
      const op = pick(4);
      if (op === 0) [lines[x], lines[y]] = [lines[y], lines[x]];
      else if (op === 1) lines.splice(y, 0, lines[x]);
      else if (op === 2) lines.splice(x, 1);
      else lines[x] = ' '.repeat(pick(9)) + lines[x].trimStart();
    }
    b = Buffer.from(lines.join('\n'), 'latin1');
  } else if (kind === 4) {
    b = b.subarray(0, pick(b.length + 1)); // truncation
  } else {
    // a repeated chunk (growth without bound in naive code)
    const at = pick(b.length + 1);
    const chunk = b.subarray(at, at + 1 + pick(40));
    b = Buffer.concat([b.subarray(0, at), Buffer.alloc(chunk.length * (2 + pick(200)), chunk), b.subarray(at)]);
  }
  return b;
}

const engine = await loadEngine();
const corpus = existsSync(args.corpus) ? args.corpus : join(repo, 'fixtures/rules/R011');
const recipes = readdirSync(corpus, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(corpus, e.name, 'compose.yml')))
  .map((e) => ({ name: e.name, files: recipeFiles(join(corpus, e.name)) }));
if (recipes.length === 0) {
  console.error(`no recipes in ${corpus}`);
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'stacklint-fuzz-'));
const rand = prng(seed);
const config = engine.defaultConfig();
const failures = [];
let slowest = 0;
let cliRuns = 0;
const started = performance.now();

function keep(kind, i, dir, detail) {
  const dest = join(args.keep, `seed${seed}-it${i}-${kind}`);
  mkdirSync(args.keep, { recursive: true });
  cpSync(dir, dest, { recursive: true, verbatimSymlinks: true });
  writeFileSync(join(dest, 'FUZZ.txt'), `${kind}: ${detail}\nreplay: node scripts/fuzz.mjs --seed ${seed} --iterations ${i + 1}\n`);
  failures.push({ kind, i, detail: detail.split('\n')[0].slice(0, 300), dest });
}

for (let i = 0; i < iterations; i++) {
  const recipe = recipes[Math.floor(rand() * recipes.length)];
  const dir = join(work, 'recipe');
  rmSync(dir, { recursive: true, force: true });
  const targets = new Set();
  for (let n = 1 + Math.floor(rand() * 3); targets.size < n && targets.size < recipe.files.length; ) targets.add(Math.floor(rand() * recipe.files.length));
  recipe.files.forEach((f, idx) => {
    mkdirSync(dirname(join(dir, f.rel)), { recursive: true });
    writeFileSync(join(dir, f.rel), targets.has(idx) ? mutate(f.bytes, rand) : f.bytes);
  });
  const t = performance.now();
  try {
    const result = engine.lintRecipe(dir, { rules: engine.ALL_RULES, config, online: false, git: false });
    const internal = result.findings.find((f) => f.logicalPath === 'internal-error');
    if (internal) keep('internal-error', i, dir, `${recipe.name}: ${internal.message}`);
  } catch (err) {
    keep('crash', i, dir, `${recipe.name}: ${err?.stack ?? err}`);
  }
  const ms = performance.now() - t;
  slowest = Math.max(slowest, ms);
  if (ms > HANG_MS) keep('hang', i, dir, `${recipe.name}: ${Math.round(ms)} ms`);
  if (cliEvery > 0 && i % cliEvery === 0) {
    cliRuns++;
    const r = spawnSync(process.execPath, [join(repo, 'bin/stacklint.js'), 'lint', '--format', 'json', dir], { encoding: 'utf8', timeout: 30_000, maxBuffer: 1 << 28 });
    if (r.status !== 0 && r.status !== 1) keep('cli', i, dir, `${recipe.name}: exit ${r.status} ${r.signal ?? ''} ${r.stderr}`);
    else if (/internal error/.test(r.stderr)) keep('cli', i, dir, `${recipe.name}: ${r.stderr}`);
  }
  if ((i + 1) % 1000 === 0) process.stderr.write(`${i + 1}/${iterations} iterations, ${failures.length} failures\n`);
}
rmSync(work, { recursive: true, force: true });

const seconds = (performance.now() - started) / 1000;
console.log(`fuzz: ${iterations} iterations over ${recipes.length} recipes (seed ${seed}) in ${seconds.toFixed(1)} s; slowest ${Math.round(slowest)} ms; ${cliRuns} CLI spot checks`);
console.log(`crashes: ${failures.filter((f) => f.kind === 'crash').length}, internal errors: ${failures.filter((f) => f.kind === 'internal-error').length}, hangs: ${failures.filter((f) => f.kind === 'hang').length}, CLI failures: ${failures.filter((f) => f.kind === 'cli').length}`);
for (const f of failures.slice(0, 20)) console.log(`  ${f.kind} at iteration ${f.i}: ${f.detail}\n    kept in ${f.dest}`);
process.exitCode = failures.length > 0 ? 1 : 0;
