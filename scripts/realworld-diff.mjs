#!/usr/bin/env node
// The real-world differential: `stacklint config` beside `docker stack config` on the public stack files of
// tests/realworld/manifest.txt (restore them first with scripts/realworld-restore.sh). Cases: each file alone,
// each base file with each overlay of its directory, and with all of them; each in an empty environment, in one
// where every variable the files name is set, and in one where each is set to the empty string. docker runs several times per case (its map order changes its answer); a
// case agrees (stacklint = docker, docker stable), equals one of docker's answers, or differs. Each difference
// is minimized (lines removed while it still differs) into a golden-format case under tests/realworld/cases/.
//   node scripts/realworld-diff.mjs [DIR] [--docker PATH] [--runs N] [--no-minimize]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(new URL(import.meta.url).pathname), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    docker: { type: 'string', default: '/usr/local/bin/docker' },
    runs: { type: 'string', default: '3' },
    'no-minimize': { type: 'boolean', default: false },
  },
});
const root = resolve(positionals[0] ?? '/tmp/stacklint-realworld-manifest');
const runs = Number(values.runs);
const home = mkdtempSync(join(tmpdir(), 'realworld-home-'));
const casesOut = join(repo, 'tests/realworld/cases');

function filesUnder(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

const BASES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml', 'docker-stack.yml', 'docker-stack.yaml'];

/** Cases of one repository: files alone, then base + overlay pairs of one directory. */
function casesOf(repoDir) {
  const files = filesUnder(repoDir);
  const cases = files.map((f) => [f]);
  for (const base of files.filter((f) => BASES.includes(basename(f)))) {
    const overlays = files.filter((o) => o !== base && dirname(o) === dirname(base) && /^(docker-compose|docker-stack|compose)[.-]/.test(basename(o)));
    for (const overlay of overlays) cases.push([base, overlay]);
    if (overlays.length > 1) cases.push([base, ...overlays]);
  }
  return cases;
}

function variablesOf(files) {
  const names = new Set();
  for (const f of files) for (const m of readFileSync(f, 'utf8').matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) names.add(m[1]);
  return [...names].sort();
}

const normalise = (s) => s.replace(/time="[^"]+"/g, 'time="<TS>"');

function run(command, args, cwd, env) {
  const r = spawnSync(command, args, { cwd, env: { PATH: process.env.PATH, HOME: home, ...env }, encoding: 'utf8', timeout: 60_000 });
  return `${r.status}\n${r.stdout}\n--stderr--\n${normalise(r.stderr)}`;
}

const docker = (files, cwd, env) => run(values.docker, ['stack', 'config', ...files.flatMap((f) => ['-c', relative(cwd, f)])], cwd, env);
const stacklint = (files, cwd, env) => run(process.execPath, [join(repo, 'bin/stacklint.js'), 'config', ...files.flatMap((f) => ['-c', relative(cwd, f)])], cwd, env);

/** docker's answers (several runs, more while they disagree and none is stacklint's) and stacklint's. */
function judge(files, env) {
  const cwd = dirname(files[0]);
  const ours = stacklint(files, cwd, env);
  const answers = new Set();
  for (let i = 0; i < runs; i++) answers.add(docker(files, cwd, env));
  // docker's answer may hang on Go map order: before calling stacklint's answer different, ask docker again.
  for (let i = 0; !answers.has(ours) && i < 40; i++) answers.add(docker(files, cwd, env));
  const first = [...answers][0];
  const verdict = answers.size === 1 && first === ours ? 'agree' : answers.has(ours) ? 'one-of' : 'differ';
  return { verdict, ours, answers: [...answers] };
}

/** Removes lines (last first, then halves) from the case's files while stacklint still differs from docker. */
function minimize(files, env) {
  const dir = mkdtempSync(join(tmpdir(), 'realworld-min-'));
  const names = files.map((_, i) => `${String.fromCharCode(97 + i)}.yml`);
  const texts = files.map((f) => readFileSync(f, 'utf8').split('\n'));
  const write = () => texts.forEach((lines, i) => writeFileSync(join(dir, names[i]), lines.join('\n')));
  const differs = () => {
    write();
    return judge(names.map((n) => join(dir, n)), env).verdict === 'differ';
  };
  for (let f = 0; f < texts.length; f++) {
    for (let i = texts[f].length - 1; i >= 0; i--) {
      const removed = texts[f].splice(i, 1);
      if (!differs()) texts[f].splice(i, 0, ...removed);
    }
  }
  write();
  return { dir, names };
}

/** Writes a minimized case in the golden format (a.yml…, cmd, env, expected.yml/.err/.rc from docker). */
function writeCase(slug, min, env) {
  const dir = join(casesOut, slug);
  mkdirSync(dir, { recursive: true });
  for (const n of min.names) writeFileSync(join(dir, n), readFileSync(join(min.dir, n)));
  writeFileSync(join(dir, 'cmd'), `docker stack config ${min.names.map((n) => `-c ${n}`).join(' ')}\n`);
  writeFileSync(join(dir, 'env'), Object.entries(env).map(([k, v]) => `${k}=${v}\n`).join(''));
  const r = spawnSync(values.docker, ['stack', 'config', ...min.names.flatMap((n) => ['-c', n])], { cwd: dir, env: { PATH: process.env.PATH, HOME: home, ...env }, encoding: 'utf8' });
  const place = (s) => s.replaceAll(`${dir}/`, '{{CASE_DIR}}/').replaceAll(home, '{{HOME}}');
  writeFileSync(join(dir, 'expected.yml'), place(r.stdout));
  writeFileSync(join(dir, 'expected.err'), place(normalise(r.stderr)));
  writeFileSync(join(dir, 'expected.rc'), `${r.status}\n`);
  rmSync(min.dir, { recursive: true, force: true });
  return dir;
}

if (!existsSync(root)) {
  console.error(`no restored files at ${root}: run scripts/realworld-restore.sh first`);
  process.exit(2);
}
const counts = { agree: 0, 'one-of': 0, differ: 0 };
const differences = [];
for (const repoName of readdirSync(root).sort()) {
  for (const files of casesOf(join(root, repoName))) {
    const names = variablesOf(files);
    const filled = Object.fromEntries(names.map((n) => [n, '1']));
    const setEmpty = Object.fromEntries(names.map((n) => [n, '']));
    for (const [envName, env] of [['empty', {}], ['filled', filled], ['set-empty', setEmpty]]) {
      if (envName !== 'empty' && names.length === 0) continue;
      const { verdict } = judge(files, env);
      counts[verdict]++;
      const label = `${files.map((f) => relative(root, f)).join(' + ')} [${envName}]`;
      if (verdict === 'differ') {
        differences.push(label);
        console.log(`DIFFERS: ${label}`);
        if (!values['no-minimize']) {
          const slug = `${repoName}-${differences.length}`.replace(/[^A-Za-z0-9_.-]+/g, '-');
          console.log(`  minimized: ${relative(repo, writeCase(slug, minimize(files, env), env))}`);
        }
      }
    }
  }
}
const total = counts.agree + counts['one-of'] + counts.differ;
const pct = (n) => `${((100 * n) / total).toFixed(2)}%`;
console.log(`${total} cases: ${counts.agree} agree (${pct(counts.agree)}), ${counts['one-of']} equal one of docker's answers (${pct(counts['one-of'])}), ${counts.differ} differ (${pct(counts.differ)})`);
rmSync(home, { recursive: true, force: true });
process.exit(counts.differ === 0 ? 0 : 1);
