#!/usr/bin/env node
// Lints every stack of the real-stack precision set (restored by scripts/restore-stacks.mjs), lists each
// error-level finding and replays the verdicts recorded in tests/realworld-stacks/verdicts.json: it prints
// the count per verdict (true / false / beside the point) and per cause, every finding nobody has judged yet,
// and the recorded verdicts whose finding is gone (fixed, or reworded: judge the new text).
//   node scripts/judge-stacks.mjs [--out DIR] [--mode copy|native] [--stack ID]... [--json FILE] [--strict]
//                                 [--stacklint BIN] [--warnings]
//
// --mode copy (default, what stacklint can open today): each stack gets its own scratch copy of its
// repository (hard links, cheap), and in the folder of its first -c file the stack's files are written under
// stacklint's names: the first as compose.yml, each further -c file as compose.<n>-<its name>.yml (so the view
// `compose.yml+compose.<n>-….yml` is the one docker deploys); other compose*.yml files of that folder are
// removed so that they do not become overlays. Relative paths still resolve, because docker resolves every
// -c file's relative paths against the first file's folder too. Findings are mapped back to the original
// file names (file and message) before they are matched with verdicts.
// --mode native runs `stacklint lint -c FILE...` in the repository (for when stacklint takes -c files).
// --strict exits 1 when any false or beside-the-point verdict, or any unjudged error, remains.
// --stacklint BIN lints with another build (e.g. main's bin/stacklint.js, for before/after counts);
// --warnings also prints the number of warnings per rule (not judged).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readManifest, repoKey } from './restore-stacks.mjs';

const project = resolve(dirname(new URL(import.meta.url).pathname), '..');
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '/tmp/stacklint-realworld' },
    mode: { type: 'string', default: 'copy' },
    stack: { type: 'string', multiple: true },
    manifest: { type: 'string', default: join(project, 'tests/realworld-stacks/manifest.txt') },
    verdicts: { type: 'string', default: join(project, 'tests/realworld-stacks/verdicts.json') },
    json: { type: 'string' },
    strict: { type: 'boolean', default: false },
    stacklint: { type: 'string', default: join(project, 'bin/stacklint.js') },
    warnings: { type: 'boolean', default: false },
  },
});

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A copy-mode view: the stack's files under stacklint's names, and how to map the names back. */
function prepareCopy(repo, stack) {
  const source = join(values.out, 'repos', repoKey(repo));
  const copy = join(values.out, 'views', stack.id);
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(dirname(copy), { recursive: true });
  cpSync(source, copy, { recursive: true, verbatimSymlinks: true });
  const baseDir = posix.dirname(stack.files[0]);
  const dir = join(copy, baseDir);
  for (const entry of readdirSync(dir)) if (/^compose.*\.ya?ml$/.test(entry)) rmSync(join(dir, entry));
  const names = new Map();
  stack.files.forEach((file, index) => {
    const name = index === 0 ? 'compose.yml' : `compose.${index}-${basename(file).replace(/\.ya?ml$/, '')}.yml`;
    writeFileSync(join(dir, name), readFileSync(join(source, file)));
    names.set(name, file);
  });
  return { dir, baseDir, names };
}

function lintStack(repo, stack) {
  const bin = resolve(values.stacklint);
  if (values.mode === 'native') {
    const cwd = join(values.out, 'repos', repoKey(repo));
    const args = ['lint', '--format', 'json', ...stack.files.flatMap((file) => ['-c', file])];
    return { run: spawnSync('node', [bin, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 }), map: (f) => f, root: cwd };
  }
  const { dir, baseDir, names } = prepareCopy(repo, stack);
  const run = spawnSync('node', [bin, 'lint', '--format', 'json', dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const mapFile = (file) => names.get(file) ?? posix.normalize(posix.join(baseDir, file));
  const mapText = (text) => {
    let mapped = text.split(dir).join('.');
    for (const [name, original] of names) mapped = mapped.replace(new RegExp(`(?<![\\w.-])${escapeRegExp(name)}(?![\\w-])`, 'g'), original);
    return mapped;
  };
  return { run, mapFile, mapText };
}

const verdictFile = existsSync(values.verdicts) ? JSON.parse(readFileSync(values.verdicts, 'utf8')) : { causes: {}, stacks: {} };
const keyOf = (entry) => `${entry.rule}\u0000${entry.file}\u0000${entry.message}`;
const counts = { true: 0, false: 0, beside: 0, unjudged: 0 };
const byCause = new Map();
const unjudged = [];
const gone = [];
const listing = [];
const wanted = values.stack ? new Set(values.stack) : undefined;
const warningsByRule = new Map();

for (const repo of readManifest(values.manifest)) {
  for (const stack of repo.stacks) {
    if (wanted && !wanted.has(stack.id)) continue;
    if (!existsSync(join(values.out, 'repos', repoKey(repo)))) {
      console.error(`${stack.id}: ${repo.owner}/${repo.name} is not restored (run scripts/restore-stacks.mjs)`);
      counts.unjudged++;
      continue;
    }
    const { run, mapFile = (f) => f, mapText = (t) => t } = lintStack(repo, stack);
    let report;
    try {
      report = JSON.parse(run.stdout);
    } catch {
      const problem = { stack: stack.id, rule: '(run)', file: stack.files.join(' '), line: 0, message: `exit ${run.status}: ${(run.stderr || run.stdout).trim().split('\n')[0]}` };
      unjudged.push(problem);
      counts.unjudged++;
      continue;
    }
    const recorded = new Map((verdictFile.stacks[stack.id] ?? []).map((entry) => [keyOf(entry), entry]));
    const seen = new Set();
    for (const finding of report.findings) if (finding.severity === 'warning') warningsByRule.set(finding.rule, (warningsByRule.get(finding.rule) ?? 0) + 1);
    for (const finding of report.findings.filter((f) => f.severity === 'error')) {
      const entry = { stack: stack.id, rule: finding.rule, file: mapFile(finding.file), line: finding.line, message: mapText(finding.message), views: finding.views.map(mapText) };
      listing.push(entry);
      const verdict = recorded.get(keyOf(entry));
      if (!verdict) {
        counts.unjudged++;
        unjudged.push(entry);
        continue;
      }
      seen.add(keyOf(entry));
      counts[verdict.verdict]++;
      const cause = `${verdict.verdict}: ${verdict.cause}`;
      byCause.set(cause, (byCause.get(cause) ?? 0) + 1);
    }
    for (const [key, entry] of recorded) if (!seen.has(key)) gone.push({ stack: stack.id, ...entry });
  }
}

if (values.json) writeFileSync(values.json, `${JSON.stringify(listing, null, 1)}\n`);
for (const entry of unjudged) console.log(`UNJUDGED ${entry.stack} ${entry.rule} ${entry.file}:${entry.line} ${entry.message}`);
for (const entry of gone) console.log(`GONE     ${entry.stack} ${entry.rule} ${entry.file} (${entry.verdict}: ${entry.cause}) ${entry.message}`);
console.log(`\nerrors: ${counts.true + counts.false + counts.beside + counts.unjudged} — true ${counts.true}, false ${counts.false}, beside the point ${counts.beside}, unjudged ${counts.unjudged}; recorded verdicts no longer produced: ${gone.length}`);
for (const [cause, count] of [...byCause].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(4)}  ${cause}`);
if (values.warnings) {
  console.log(`warnings (not judged): ${[...warningsByRule.values()].reduce((a, b) => a + b, 0)}`);
  for (const [rule, count] of [...warningsByRule].sort((a, b) => b[1] - a[1])) console.log(`  ${String(count).padStart(4)}  ${rule}`);
}
if (values.strict && (counts.false + counts.beside + counts.unjudged) > 0) process.exitCode = 1;
