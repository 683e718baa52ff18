#!/usr/bin/env node
// `stacklint lsp` as an editor feels it, through the built CLI over stdio (vscode-jsonrpc as the client):
//   - edit → diagnostics: a warm server, debounce 0 (so it is excluded), an unsaved edit of an overlay, the time
//     until the edited file's diagnostics for that version arrive; median of N edits, per recipe:
//     llamenos (4 compose files) and traefik (10) around a typical recipe, bonfire (18 overlays, ~36 views);
//   - start → first diagnostics: a fresh process until its first publishDiagnostics (median of N starts);
//   - a 300-recipe catalogue workspace: time until every recipe is linted (the end of the server's work-done
//     progress, which the client asks for with `window.workDoneProgress`), and the server's memory then (VmRSS
//     and peak VmHWM from /proc); meanwhile, hovers one after another: how long each waits for an answer.
//     The catalogue is made as bench/catalogue.mjs makes it.
//
//   node bench/lsp.mjs [--edits N] [--starts N] [--recipes N] [--no-catalogue]
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { catalogue } from './make-catalogue.mjs';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const BIN = join(ROOT, 'bin/stacklint.js');
const CORPUS = resolve(ROOT, '../shared/corpus/recipes');

function parseArgs(argv) {
  const o = { edits: 30, starts: 7, recipes: 300, catalogue: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--edits') o.edits = Number(argv[++i]);
    else if (a === '--starts') o.starts = Number(argv[++i]);
    else if (a === '--recipes') o.recipes = Number(argv[++i]);
    else if (a === '--no-catalogue') o.catalogue = false;
    else {
      process.stderr.write(`bench/lsp.mjs: unknown argument ${a}\n`);
      process.exit(2);
    }
  }
  return o;
}

const uriOf = (path) => pathToFileURL(path).href;
const now = () => Number(process.hrtime.bigint()) / 1e6;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Where `needle` starts in `text`, as an LSP position. */
function positionOf(text, needle) {
  const before = text.slice(0, Math.max(0, text.indexOf(needle))).split('\n');
  return { line: before.length - 1, character: before.at(-1).length };
}

/** A server process and a client that hands each publishDiagnostics to whoever waits for it. */
function startServer() {
  const started = now();
  const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const listeners = new Set();
  const published = new Map();
  connection.onNotification('textDocument/publishDiagnostics', (p) => {
    published.set(p.uri, p);
    for (const l of [...listeners]) l(p);
  });
  connection.onRequest('client/registerCapability', () => null);
  // Work-done progress of a workspace lint: its end says every stack was linted, those with nothing to publish too.
  const progress = [];
  const progressListeners = new Set();
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.onUnhandledProgress((p) => {
    progress.push(p);
    for (const l of [...progressListeners]) l(p);
  });
  connection.listen();
  const nextProgress = (kind) =>
    new Promise((resolvePromise) => {
      const l = (p) => {
        if (p.value?.kind !== kind) return;
        progressListeners.delete(l);
        resolvePromise(p);
      };
      progressListeners.add(l);
    });
  const next = (accept) =>
    new Promise((resolvePromise) => {
      const l = (p) => {
        if (!accept(p)) return;
        listeners.delete(l);
        resolvePromise(p);
      };
      listeners.add(l);
    });
  const initialize = async (root, debounceMs = 0) => {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uriOf(root),
      workspaceFolders: [{ uri: uriOf(root), name: 'bench' }],
      capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } }, window: { workDoneProgress: true } },
      initializationOptions: { debounceMs },
    });
    await connection.sendNotification('initialized', {});
  };
  const stop = async () => {
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    await new Promise((r) => child.once('exit', r));
    connection.dispose();
  };
  return { child, connection, started, next, published, progress, nextProgress, initialize, stop };
}

function copyRecipe(name) {
  const dir = join(mkdtempSync(join(tmpdir(), 'stacklint-lsp-bench-')), name);
  cpSync(join(CORPUS, name), dir, { recursive: true });
  return dir;
}

/** Median ms from an unsaved edit of an overlay to that version's diagnostics, on a warm server. */
async function editLatency(name, edits) {
  const dir = copyRecipe(name);
  const overlays = readdirSync(dir).filter((f) => /^compose\..+\.ya?ml$/.test(f)).sort();
  const file = join(dir, overlays[0] ?? 'compose.yml');
  const text = readFileSync(file, 'utf8');
  const server = startServer();
  await server.initialize(dir);
  let version = 1;
  const arrived = server.next((p) => p.uri === uriOf(file) && p.version === 1);
  await server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId: 'yaml', version, text } });
  await arrived;
  const times = [];
  const warmup = 10;
  let cpuBefore;
  for (let i = 0; i < warmup + edits; i++) {
    version++;
    // A line added to (or taken from) the end of the file, alternately: every edit re-lints the whole recipe.
    const edited = i % 2 === 0 ? `${text}\n# edited ${i}\n` : text;
    const v = version;
    const done = server.next((p) => p.uri === uriOf(file) && p.version === v);
    const t0 = now();
    await server.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(file), version: v }, contentChanges: [{ text: edited }] });
    await done;
    if (i >= warmup) times.push(now() - t0);
    if (i === warmup - 1) cpuBefore = cpuMsOf(server.child.pid);
  }
  const cpuPerEdit = (cpuMsOf(server.child.pid) - cpuBefore) / edits;
  const views = countViews(dir);
  await server.stop();
  rmSync(resolve(dir, '..'), { recursive: true, force: true });
  return { name, composeFiles: overlays.length + 1, views, median: median(times), max: Math.max(...times), cpuPerEdit };
}

/** CPU time (user + system) a process has used, in ms: on a busy machine, what an edit costs the server itself. */
function cpuMsOf(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function countViews(dir) {
  const r = spawnSync(process.execPath, [BIN, 'lint', dir, '--format', 'json'], { encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout).summary.views;
  } catch {
    return undefined;
  }
}

/** Median ms from spawning the server to its first publishDiagnostics (a recipe as the workspace). */
async function startToFirstDiagnostics(starts) {
  const dir = copyRecipe('llamenos');
  const times = [];
  const cpu = [];
  // The first start fills the compile cache ($XDG_CACHE_HOME/stacklint): not counted.
  for (let i = 0; i < starts + 1; i++) {
    const server = startServer();
    const first = server.next(() => true);
    await server.initialize(dir, 150);
    await first;
    if (i > 0) {
      times.push(now() - server.started);
      cpu.push(cpuMsOf(server.child.pid));
    }
    await server.stop();
  }
  rmSync(resolve(dir, '..'), { recursive: true, force: true });
  return { median: median(times), min: Math.min(...times), cpu: median(cpu) };
}

function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

/**
 * A catalogue as the workspace: every recipe is linted once. Done is the end of the server's work-done progress
 * (a recipe without findings publishes nothing, so counting published recipes would wait forever).
 */
async function catalogueWorkspace(n) {
  const dir = catalogue(n);
  const recipes = readdirSync(dir).filter((d) => existsSync(join(dir, d, 'compose.yml')));
  const server = startServer();
  const t0 = now();
  let ms;
  const end = server.nextProgress('end').then(() => (ms = now() - t0));
  const firstReport = server.nextProgress('report');
  await server.initialize(dir, 0);
  // Hovers while the catalogue is linted, one after another: each waits for at most the stack being linted.
  await firstReport;
  const file = join(dir, recipes.at(-1), 'compose.yml');
  const position = positionOf(readFileSync(file, 'utf8'), 'image:');
  const hovers = [];
  while (ms === undefined && hovers.length < 50) {
    const h0 = now();
    await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(file) }, position });
    if (ms === undefined) hovers.push(now() - h0);
  }
  await end;
  const lastReport = server.progress.filter((p) => p.value?.kind === 'report').at(-1)?.value.message;
  const recipeOf = (uri) => fileURLToPath(uri).slice(dir.length + 1).split('/')[0];
  const withFindings = new Set([...server.published.values()].filter((p) => p.diagnostics.length > 0).map((p) => recipeOf(p.uri))).size;
  const memory = memoryOf(server.child.pid);
  await server.stop();
  return { recipes: recipes.length, ms, lastReport, withFindings, hovers, ...memory };
}

const options = parseArgs(process.argv.slice(2));
if (!existsSync(join(ROOT, 'dist/stacklint.mjs'))) {
  process.stderr.write('bench/lsp.mjs: run `npm run build` first\n');
  process.exit(2);
}
console.log(`stacklint lsp — node ${process.version}, ${options.edits} edits per recipe (after 10 warm-up edits), debounce 0; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} CPUs`);
for (const name of ['llamenos', 'traefik', 'bonfire']) {
  const r = await editLatency(name, options.edits);
  const budget = name === 'bonfire' ? 150 : 50;
  console.log(
    `edit → diagnostics  ${name.padEnd(9)} ${String(r.composeFiles).padStart(2)} compose files, ${String(r.views).padStart(2)} views: ` +
      `median ${r.median.toFixed(1)} ms, max ${r.max.toFixed(1)} ms (budget ${budget} ms); server CPU ${r.cpuPerEdit.toFixed(1)} ms per edit`,
  );
}
const s = await startToFirstDiagnostics(options.starts);
console.log(`start → first diagnostics (llamenos): median ${s.median.toFixed(0)} ms, min ${s.min.toFixed(0)} ms (budget 300 ms); server CPU by then ${s.cpu.toFixed(0)} ms`);
if (options.catalogue) {
  const c = await catalogueWorkspace(options.recipes);
  console.log(
    `catalogue workspace: ${c.recipes} recipes linted in ${(c.ms / 1000).toFixed(1)} s (progress ${c.lastReport}; ${c.withFindings} with findings); ` +
      `server memory then ${c.rssMb.toFixed(0)} MB (peak ${c.peakMb.toFixed(0)} MB)`,
  );
  console.log(`hover during that lint: ${c.hovers.length} answered before it ended, median ${median(c.hovers).toFixed(1)} ms, max ${Math.max(...c.hovers).toFixed(1)} ms`);
}
