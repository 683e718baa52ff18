#!/usr/bin/env node
// Times `stacklint config` over the golden cases and, when `docker` is on PATH, `docker stack config`
// over the same cases, in one run; prints both totals and the ratio.
//   node bench/config.mjs [ROUNDS]      (default 3 rounds; the median round is reported)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const casesDir = resolve(here, '../../shared/golden/stack-config/cases');
const cli = resolve(here, '../bin/stacklint.js');
const rounds = Number(process.argv[2] ?? 3);

if (!existsSync(casesDir)) {
  console.error(`golden cases not found at ${casesDir}`);
  process.exit(2);
}

function casesToRun() {
  return readdirSync(casesDir)
    .map((name) => join(casesDir, name))
    .filter((dir) => existsSync(join(dir, 'cmd')) && !readFileSync(join(dir, 'cmd'), 'utf8').includes('stack deploy'))
    .map((dir) => {
      const cmd = readFileSync(join(dir, 'cmd'), 'utf8').trim();
      const args = cmd.replace(/^docker stack config\s*/, '').split(/\s+/).filter(Boolean);
      const envFile = join(dir, 'env');
      const env = { PATH: process.env.PATH, HOME: '/nonexistent-home', DOCKER_HOST: 'unix:///nonexistent.sock' };
      if (existsSync(envFile)) {
        for (const line of readFileSync(envFile, 'utf8').split('\n')) {
          const eq = line.indexOf('=');
          if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
        }
      }
      return { dir, args, env };
    });
}

function timeAll(command, prefix, cases) {
  const started = process.hrtime.bigint();
  for (const c of cases) spawnSync(command, [...prefix, ...c.args], { cwd: c.dir, env: c.env, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const cases = casesToRun();
const hasDocker = spawnSync('docker', ['--version'], { stdio: 'ignore' }).status === 0;
const ours = [];
const theirs = [];
for (let r = 0; r < rounds; r++) {
  ours.push(timeAll(process.execPath, [cli, 'config'], cases));
  if (hasDocker) theirs.push(timeAll('docker', ['stack', 'config'], cases));
}
const o = median(ours);
console.log(`cases: ${cases.length}, rounds: ${rounds} (median round)`);
console.log(`stacklint config : ${o.toFixed(0)} ms total, ${(o / cases.length).toFixed(1)} ms per case (node start included)`);
if (hasDocker) {
  const d = median(theirs);
  console.log(`docker stack config: ${d.toFixed(0)} ms total, ${(d / cases.length).toFixed(1)} ms per case`);
  console.log(`ratio stacklint/docker: ${(o / d).toFixed(2)}`);
} else {
  console.log('docker not on PATH: no comparison');
}
