// The shared network across fixtures/catalogue (see its README): shop, blog and wiki misroute each other.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyseCatalogue, networkGraph, networkJson, networkText } from '../../src/catalogue/index.js';
import type { RecipeNetworkFacts } from '../../src/catalogue/index.js';
import { analyseNetwork } from '../../src/catalogue/network.js';
import { toDot, toMermaid } from '../../src/graph/model.js';
import { TargetError } from '../../src/catalogue/run.js';

const CATALOGUE = join(__dirname, '../../fixtures/catalogue');

describe('analyseCatalogue', () => {
  it('lists what each recipe puts on proxy, under which names', async () => {
    const { analysis, networks } = await analyseCatalogue([CATALOGUE]);
    expect(networks).toEqual(['proxy']);
    expect(analysis.recipes.map((r) => r.recipe)).toEqual(['blog', 'shop', 'wiki']);
    const names = (recipe: string) =>
      analysis.recipes.find((r) => r.recipe === recipe)!.names.map((n) => `${n.service}:${n.name}:${n.kind}`).sort();
    expect(names('blog')).toEqual(['app:app:service']);
    expect(names('shop')).toEqual(['app:app:service', 'db:db:service', 'db:search:alias']);
    expect(names('wiki')).toEqual(['web:search:alias', 'web:web:service']);
    // Every view of the recipe that has the name is listed.
    expect(analysis.recipes[0].names[0].views).toEqual(['abra', 'compose.yml']);
  });

  it('finds the names several recipes put there, service keys and aliases alike', async () => {
    const { analysis } = await analyseCatalogue([CATALOGUE]);
    expect(analysis.collisions.map((c) => [c.name, c.recipes, c.holders.map((h) => `${h.recipe}/${h.service}`)])).toEqual([
      ['app', 2, ['blog/app', 'shop/app']],
      ['search', 2, ['shop/db', 'wiki/web']],
    ]);
    expect(analysis.names.map((n) => n.name)).toEqual(['app', 'db', 'search', 'web']);
  });

  it("finds the look-ups another recipe's service answers, where they are written", async () => {
    const { analysis } = await analyseCatalogue([CATALOGUE]);
    const cross = analysis.crossLookups.map((x) => ({
      recipe: x.recipe,
      at: `${x.lookup.file}:${x.lookup.line}:${x.lookup.column}`,
      who: x.lookup.service,
      name: x.lookup.name,
      own: x.lookup.own,
      by: x.answeredBy.map((h) => `${h.recipe}/${h.service}`),
    }));
    expect(cross).toEqual([
      { recipe: 'blog', at: 'compose.yml:8:9', who: 'app', name: 'db', own: 'private', by: ['shop/db'] },
      { recipe: 'wiki', at: 'Caddyfile.tmpl:2:16', who: 'web', name: 'app', own: 'private', by: ['blog/app', 'shop/app'] },
    ]);
  });

  it('looks at the chosen recipes only (the apps of one server)', async () => {
    const { analysis } = await analyseCatalogue([CATALOGUE], { only: ['blog', 'wiki'] });
    expect(analysis.recipes.map((r) => r.recipe)).toEqual(['blog', 'wiki']);
    expect(analysis.collisions).toEqual([]); // only blog puts `app` there
    // Without shop, nobody else answers blog's `db`; blog's `app` still answers wiki's look-up.
    expect(analysis.crossLookups.map((x) => `${x.recipe}:${x.lookup.name}`)).toEqual(['wiki:app']);
    await expect(analyseCatalogue([CATALOGUE], { only: ['nope'] })).rejects.toThrow(TargetError);
  });

  it('analyses the networks asked for', async () => {
    const { analysis, networks } = await analyseCatalogue([CATALOGUE], { sharedNetworks: ['backbone'] });
    expect(networks).toEqual(['backbone']);
    expect(analysis.names).toEqual([]);
    expect(analysis.crossLookups).toEqual([]);
  });

  it('gives the same analysis on several threads', async () => {
    const many = [CATALOGUE, CATALOGUE, CATALOGUE, CATALOGUE].map((c, i) => join(c, ['blog', 'shop', 'wiki', 'blog'][i]));
    const one = await analyseCatalogue(many, { jobs: 1 });
    const two = await analyseCatalogue(many, { jobs: 2 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
  });
});

describe('network reports', () => {
  it('says it in words', async () => {
    const { analysis, networks } = await analyseCatalogue([CATALOGUE]);
    const text = networkText(analysis, networks);
    expect(text).toContain('  shop: app; db (aliases search)\n');
    expect(text).toContain('  search  2 recipes: shop/db (alias search), wiki/web (alias search)\n');
    expect(text).toContain('    compose.yml:8:9  app looks up `db` (environment DB_HOST) from proxy: also answered by shop/db;');
    expect(text).toMatch(/3 recipes, 4 services on the shared network, 4 names \(2 shared by several recipes\), 2 look-ups in 2 recipes answered by other recipes\n$/);
  });

  it('gives everything as JSON', async () => {
    const { analysis, networks } = await analyseCatalogue([CATALOGUE]);
    const doc = JSON.parse(networkJson(analysis, networks));
    expect(doc.version).toBe(1);
    expect(doc.collisions.map((c: { name: string }) => c.name)).toEqual(['app', 'search']);
    expect(doc.crossLookups[0]).toMatchObject({ recipe: 'blog', service: 'app', name: 'db', file: 'compose.yml', line: 8, answeredBy: [{ recipe: 'shop', service: 'db', network: 'proxy' }] });
  });

  it('draws recipes, services and names; dot output that Graphviz reads', async () => {
    const { analysis } = await analyseCatalogue([CATALOGUE]);
    const graph = networkGraph(analysis);
    expect(graph.clusters.map((c) => c.label)).toEqual(['blog', 'shop', 'wiki']);
    const alerts = graph.nodes.filter((n) => n.alert).map((n) => n.id);
    expect(alerts).toEqual(['name/proxy/app', 'name/proxy/search']);
    const lookups = graph.edges.filter((e) => e.kind === 'lookup').map((e) => `${e.from} -> ${e.to}`);
    expect(lookups).toEqual(['service/blog/app -> name/proxy/db', 'service/wiki/web -> name/proxy/app']);
    const dot = toDot(graph);
    const rendered = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
    expect(rendered.error, 'graphviz `dot` must be installed (.ci/apt-packages)').toBeUndefined();
    expect(rendered.status, rendered.stderr).toBe(0);
    expect(rendered.stdout).toContain('<svg');
    const mermaid = toMermaid(graph);
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toContain('subgraph c1["shop"]');
    expect(mermaid).toMatch(/class n\d+,n\d+ alert/);
  });
});

describe('analyseNetwork', () => {
  const facts = (names: Array<[string, string]>, lookups: Array<[string, string]> = []): RecipeNetworkFacts => ({
    dir: '/x',
    failedViews: [],
    names: names.map(([service, name]) => ({ network: 'proxy', name, service, kind: name === service ? 'service' : 'alias', views: ['abra'] })),
    lookups: lookups.map(([service, name]) => ({
      service, via: 'service', name, written: name, where: 'environment X', file: 'compose.yml', line: 1, column: 1, networks: ['proxy'], own: 'none', views: ['abra'],
    })),
  });

  it('matches names without case, and never counts a recipe against itself', () => {
    const analysis = analyseNetwork([
      { recipe: 'a', facts: facts([['app', 'app'], ['app', 'App']], [['app', 'APP']]) },
      { recipe: 'b', facts: facts([['web', 'web']], [['web', 'app']]) },
    ]);
    expect(analysis.names.find((n) => n.name === 'app')!.recipes).toBe(1);
    expect(analysis.collisions).toEqual([]);
    expect(analysis.crossLookups.map((x) => `${x.recipe}->${x.answeredBy.map((h) => h.recipe)}`)).toEqual(['b->a,a']);
  });

  it('never sends control characters from a recipe to the terminal', () => {
    const evil = facts([['app', 'app']], [['app', 'db']]);
    evil.lookups[0].where = 'environment \u001b]8;;http://x\u0007DB';
    const analysis = analyseNetwork([
      { recipe: 'a\u001b[2Jb', facts: evil },
      { recipe: 'c', facts: facts([['db', 'db']]) },
    ]);
    const text = networkText(analysis, ['proxy']);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(text).toContain('a\\u001b[2Jb');
  });
});

