import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dotString, mermaidLabel, toDot, toMermaid } from '../../src/graph/model.js';
import type { Graph } from '../../src/graph/model.js';
import { recipeGraph, loadGraphRecipe, UnknownViewError } from '../../src/graph/recipe.js';

const FIXTURES = join(__dirname, '../../fixtures');

function renders(dot: string): void {
  const r = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
  expect(r.error, 'graphviz `dot` must be installed (.ci/apt-packages)').toBeUndefined();
  expect(r.status, r.stderr).toBe(0);
}

describe('recipeGraph', () => {
  it('draws each view: services, networks, volumes, secrets, configs and depends_on', async () => {
    const graph = recipeGraph(await loadGraphRecipe(join(FIXTURES, 'catalogue/blog')));
    expect(graph.name).toBe('blog');
    expect(graph.clusters.map((c) => c.label)).toEqual(['view abra', 'view compose.yml']);
    const v0 = graph.nodes.filter((n) => n.id.startsWith('v0/'));
    expect(v0.map((n) => `${n.kind}:${n.label.join('|')}`)).toEqual([
      'service:app|blog/blog:2.0.1',
      'service:db|mariadb:11.4',
      'network:proxy|external',
      'network:internal',
      'volume:mariadb',
      'secret:db_password',
    ]);
    expect(v0.find((n) => n.id === 'v0/network/proxy')!.shared).toBe(true);
    const edges = graph.edges.filter((e) => e.from.startsWith('v0/')).map((e) => `${e.from} -${e.kind}${e.label ? `(${e.label})` : ''}-> ${e.to}`);
    expect(edges).toEqual([
      'v0/service/app -network-> v0/network/proxy',
      'v0/service/app -network-> v0/network/internal',
      'v0/service/app -depends_on(depends_on)-> v0/service/db',
      'v0/service/db -network-> v0/network/internal',
      'v0/service/db -volume(/var/lib/mysql)-> v0/volume/mariadb',
      'v0/service/db -secret-> v0/secret/db_password',
    ]);
    renders(toDot(graph));
  });

  it('draws the chosen views only, and names the views there are when one is unknown', async () => {
    const views = await loadGraphRecipe(join(FIXTURES, 'example-recipe'));
    const graph = recipeGraph(views, ['compose.yml']);
    expect(graph.clusters.map((c) => c.label)).toEqual(['view compose.yml']);
    expect(graph.nodes.find((n) => n.id === 'v0/config/caddyfile')).toBeDefined();
    expect(graph.edges).toContainEqual({ from: 'v0/service/web', to: 'v0/config/caddyfile', kind: 'config', label: '/etc/caddy/Caddyfile' });
    expect(() => recipeGraph(views, ['nope'])).toThrow(UnknownViewError);
    expect(() => recipeGraph(views, ['nope'])).toThrow(/views: abra, compose\.yml, compose\.yml\+compose\.smtpauth\.yml/);
  });

  it('marks a name used but never defined, and shows why a view did not merge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacklint-graph-'));
    try {
      cpSync(join(FIXTURES, 'catalogue/shop'), dir, { recursive: true });
      writeFileSync(
        join(dir, 'compose.yml'),
        'version: "3.8"\nservices:\n  app:\n    image: shop:1\n    depends_on: [cache]\n    volumes: [data:/data]\n',
      );
      writeFileSync(join(dir, 'compose.broken.yml'), 'version: "3.8"\nservices:\n  app:\n    ports: [oops]\n');
      const graph = recipeGraph(await loadGraphRecipe(dir), ['compose.yml', 'compose.yml+compose.broken.yml']);
      const alerts = graph.nodes.filter((n) => n.alert).map((n) => `${n.id} ${n.label.join(' ')}`);
      expect(alerts[0]).toBe('v0/volume/data data');
      expect(alerts[1]).toBe('v0/service/cache cache (no such service)');
      expect(alerts[2]).toMatch(/^v1\/note\/failure not merged: /);
      expect(graph.edges.find((e) => e.kind === 'depends_on')!.alert).toBe(true);
      renders(toDot(graph));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('dot and mermaid text', () => {
  const hostile: Graph = {
    name: 'a "quoted" \\ name',
    nodes: [
      { id: 'x"y', kind: 'service', label: ['svc "one"', 'line\ntwo'] },
      { id: 'z', kind: 'name', label: ['<b>[x]|{y}#'], alert: true },
    ],
    edges: [{ from: 'x"y', to: 'z', kind: 'lookup', label: 'a|b', alert: true }],
    clusters: [{ id: 'c', label: 'cluster "c"', nodes: ['x"y'] }],
  };

  it('escapes quotes, backslashes and line breaks in dot', () => {
    expect(dotString('a "b" \\ c\nd')).toBe('"a \\"b\\" \\\\ c\\nd"');
    renders(toDot(hostile));
  });

  it('keeps labels inside their quotes in mermaid', () => {
    expect(mermaidLabel(['a "b"', '<c>|{d}'])).toBe('"a #34;b#34;<br/>#60;c#62;#124;#123;d#125;"');
    const text = toMermaid(hostile);
    expect(text).toContain('subgraph c0["cluster #34;c#34;"]');
    expect(text).toContain('n0["svc #34;one#34;<br/>line two"]');
    expect(text).toContain('n0 -.->|"a#124;b"| n1');
    expect(text).toContain('linkStyle 0 stroke:#c00000,color:#c00000');
  });
});
