// `stacklint ladder` as a user runs it, without a swarm: usage errors, the summary, exit codes.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli/helpers.js';

const FIXTURES = join(__dirname, '../../fixtures/ladder');
const healthy = join(FIXTURES, 'healthy');

describe('stacklint ladder (no engine needed)', () => {
  it.each([
    [['--rungs', 'static,lint'], "--rungs: unknown rung 'lint' (one of static, abra, deploy)"],
    [['--require', 'swarm'], "--require: unknown rung 'swarm'"],
    [['--image-map', 'busybox'], '--image-map busybox: expected FROM=TO'],
    [['--timeout', '0'], '--timeout takes a positive number of seconds'],
    [['--views', 'compose.yml+nope.yml'], "unknown view compose.yml+nope.yml; this recipe's deploy views: compose.yml, compose.yml+compose.greeting.yml"],
  ])('%j is a usage error', (args, message) => {
    const r = runCli(['ladder', healthy, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });

  it('refuses a directory that is not a recipe', () => {
    const r = runCli(['ladder', FIXTURES]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a recipe (no compose.yml)');
  });

  it('prints a line per rung and a summary; skipped rungs say why and do not fail the ladder', () => {
    const r = runCli(['ladder', healthy], { env: { PATH: '/nonexistent' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^✔ static: pass \(\d+\.\d\d s\) — 0 errors, 0 warnings in 3 views$/m);
    expect(r.stdout).toMatch(/^– abra: skipped \(\d+\.\d\d s\) — abra not found$/m);
    expect(r.stdout).toMatch(/^– deploy: skipped \(\d+\.\d\d s\) — docker not found$/m);
    const summary = r.stdout.slice(r.stdout.lastIndexOf('rung'));
    expect(summary.split('\n').map((l) => l.split(/\s{2,}/).filter((c) => !/^\d+\.\d\d s$/.test(c)))).toEqual([
      ['rung', 'verdict', 'time', 'detail'],
      ['static', 'pass', '0 errors, 0 warnings in 3 views'],
      ['abra', 'skipped', 'abra not found'],
      ['deploy', 'skipped', 'docker not found'],
      [''],
    ]);
  });

  it('a rung required with --require fails the ladder when it is skipped', () => {
    const r = runCli(['ladder', healthy, '--rungs', 'deploy', '--require', 'deploy'], { env: { PATH: process.env.PATH ?? '', DOCKER_HOST: 'unix:///nonexistent/docker.sock' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/✖ deploy: fail .* — no Docker engine reachable at DOCKER_HOST=unix:\/\/\/nonexistent\/docker.sock \(.+\) \(required by --require deploy\)/);
    expect(r.stdout).not.toContain('static');
  });

  it('stops at the first failing rung: the R011 overlay never reaches abra or the deploy', () => {
    const r = runCli(['ladder', join(FIXTURES, 'r011-overlay')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain("service `worker` has no image (compose.worker.yml defines it without one)");
    expect(r.stdout).toMatch(/^abra\s+skipped\s+-\s+not attempted: the static rung failed$/m);
    expect(r.stdout).toMatch(/^deploy\s+skipped\s+-\s+not attempted: the static rung failed$/m);
  });
});
