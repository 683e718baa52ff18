// The built CLI on catalogues: lint on several threads, network, graph; and what a terminal shows.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, REPO, runCli } from './helpers.js';
import { tempCatalogue } from '../lint/catalogue-helpers.js';
import type { TempCatalogue } from '../lint/catalogue-helpers.js';

let cat: TempCatalogue;
beforeEach(() => {
  cat = tempCatalogue();
});
afterEach(() => cat.cleanup());

describe('stacklint lint CATALOGUE', () => {
  it('prints the same report on one thread and on several', () => {
    for (const format of ['stylish', 'json', 'sarif']) {
      const one = runCli(['lint', '-j', '1', '--format', format, cat.dir]);
      const two = runCli(['lint', '-j', '2', '--format', format, cat.dir]);
      expect(one.status).toBe(1);
      expect(two.status).toBe(one.status);
      expect(two.stdout).toBe(one.stdout);
    }
  });

  it('gives per-recipe counts in JSON, and keeps piped output free of progress and tables', () => {
    const r = runCli(['lint', '--format', 'json', cat.dir]);
    const doc = JSON.parse(r.stdout);
    expect(doc.recipes.map((x: { recipe: string }) => x.recipe)).toEqual(['blog', 'discourse', 'discourse-copy', 'healthy', 'shop', 'wiki']);
    const blog = doc.recipes[0];
    expect(blog.errors).toBe(doc.findings.filter((f: { recipe: string; severity: string }) => f.recipe === 'blog' && f.severity === 'error').length);
    expect(blog.views).toBe(2);
    expect(r.stderr).toBe('');
    // One recipe: no `recipes` key (the contract of a single run is unchanged).
    expect(JSON.parse(runCli(['lint', '--format', 'json', join(cat.dir, 'blog')]).stdout).recipes).toBeUndefined();
  });

  it('rejects --jobs that is no whole number', () => {
    const r = runCli(['lint', '-j', '0', cat.dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--jobs takes a whole number');
  });
});

describe('stacklint lint in a terminal', () => {
  it('shows a progress line and the per-recipe table on stderr, and leaves the report alone', async () => {
    const socket = `stacklint-cat-${process.pid}`;
    const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8', env: { ...process.env, TMUX: '' } });
    const out = join(cat.dir, 'report.json');
    const command = `TERM=xterm-256color NO_COLOR=1 ${process.execPath} ${CLI} lint --format json ${cat.dir} > ${out}; echo "[exit $?]"; sleep 30`;
    const started = tmux('new-session', '-d', '-s', 'main', '-x', '100', '-y', '40', command);
    expect(started.error, 'tmux must be installed (.ci/apt-packages)').toBeUndefined();
    try {
      let screen = '';
      const deadline = Date.now() + 20_000;
      while (!screen.includes('[exit ') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        screen = tmux('capture-pane', '-p', '-t', 'main').stdout;
      }
      expect(screen).toContain('[exit 1]');
      expect(screen).toMatch(/recipe\s+views\s+errors\s+warnings/);
      expect(screen).toMatch(/total \(6 recipes\)/);
      expect(screen).toMatch(/\nblog\s+2\s+\d+\s+\d+/);
      // The report on stdout is exactly what a piped run prints.
      const piped = runCli(['lint', '--format', 'json', cat.dir]);
      expect(readFileSync(out, 'utf8')).toBe(piped.stdout);
    } finally {
      tmux('kill-server');
    }
  });
});

describe('stacklint network', () => {
  const CATALOGUE = join(REPO, 'fixtures/catalogue');

  it('reports collisions and look-ups other recipes answer; exit 1 when there are such look-ups', () => {
    const r = runCli(['network', CATALOGUE]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('  app     2 recipes: blog/app, shop/app\n');
    expect(r.stdout).toContain("Look-ups another recipe's service would answer:\n  blog\n    compose.yml:8:9  app looks up `db`");
    const one = runCli(['network', CATALOGUE, '--recipe', 'shop']);
    expect(one.status).toBe(0);
    expect(one.stdout).toContain('No name is put on the shared network by more than one recipe.');
  });

  it('writes JSON, dot and mermaid', () => {
    const json = JSON.parse(runCli(['network', '-f', 'json', CATALOGUE]).stdout);
    expect(json.crossLookups).toHaveLength(2);
    const dot = runCli(['network', '--format', 'dot', CATALOGUE]).stdout;
    expect(dot.startsWith('digraph "shared network" {')).toBe(true);
    expect(runCli(['network', '--format', 'mermaid', CATALOGUE]).stdout.startsWith('flowchart LR\n')).toBe(true);
  });

  it('says what is wrong with its arguments', () => {
    expect(runCli(['network']).status).toBe(2);
    expect(runCli(['network', '-f', 'svg', CATALOGUE]).stderr).toContain("unknown format 'svg'");
    const missing = runCli(['network', CATALOGUE, '-r', 'nope']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no recipe 'nope'");
  });
});

describe('stacklint graph', () => {
  it('draws a recipe as dot (default) or mermaid', () => {
    const dot = runCli(['graph', join(REPO, 'fixtures/catalogue/blog')]);
    expect(dot.status).toBe(0);
    expect(dot.stdout).toContain('"v0/service/app" -> "v0/service/db" [style=dashed, label="depends_on"];');
    const mermaid = runCli(['graph', '--format', 'mermaid', '--view', 'compose.yml'], { cwd: join(REPO, 'fixtures/catalogue/blog') });
    expect(mermaid.status).toBe(0);
    expect(mermaid.stdout).toContain('subgraph c0["view compose.yml"]');
  });

  it('wants one recipe and a view it has', () => {
    const r = runCli(['graph', join(REPO, 'fixtures/catalogue')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('a catalogue; give one recipe');
    const v = runCli(['graph', '--view', 'nope', join(REPO, 'fixtures/catalogue/blog')]);
    expect(v.status).toBe(2);
    expect(v.stderr).toContain("no view 'nope' (views: abra, compose.yml)");
  });
});
