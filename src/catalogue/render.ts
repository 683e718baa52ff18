// The network analysis as text (for people), JSON (for tools) and a graph (dot / mermaid).
import type { Graph, GraphNode } from '../graph/model.js';
import { jsonForTerminals, safeLines } from '../report/common.js';
import type { CrossLookup, NetworkAnalysis, SharedName } from './network.js';
import { ownAnswerText } from './network.js';
import { addTo, maxOf } from '../load/collections.js';

/** How many holders of a name the text report lists before "… and N more". */
const HOLDERS_SHOWN = 8;

function holderText(h: { recipe: string; service: string; kind: string }, name?: string): string {
  return `${h.recipe}/${h.service}${h.kind === 'alias' && name ? ` (alias ${name})` : ''}`;
}

function listHolders(entry: SharedName): string {
  const shown = entry.holders.slice(0, HOLDERS_SHOWN).map((h) => holderText(h, entry.name));
  const rest = entry.holders.length - shown.length;
  return shown.join(', ') + (rest > 0 ? `, … and ${rest} more` : '');
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

export function networkText(analysis: NetworkAnalysis, networks: readonly string[]): string {
  const out: string[] = [];
  const nets = networks.join(', ');
  out.push(`Shared network${networks.length === 1 ? '' : 's'}: ${nets}`);
  out.push('');
  out.push('Services on the shared network, by recipe (name: service, aliases):');
  for (const r of analysis.recipes) {
    const byService = new Map<string, { network: string; aliases: string[] }[]>();
    for (const f of r.names) {
      const list = byService.get(f.service) ?? [];
      let entry = list.find((e) => e.network === f.network);
      if (!entry) list.push((entry = { network: f.network, aliases: [] }));
      if (f.kind === 'alias' && !entry.aliases.includes(f.name)) entry.aliases.push(f.name);
      byService.set(f.service, list);
    }
    const parts: string[] = [];
    for (const [service, entries] of byService) {
      for (const e of entries) {
        const where = networks.length > 1 ? ` on ${e.network}` : '';
        parts.push(`${service}${e.aliases.length > 0 ? ` (aliases ${e.aliases.join(', ')})` : ''}${where}`);
      }
    }
    const failed = r.failedViews.length > 0 ? `  [${plural(r.failedViews.length, 'view')} not merged: ${r.failedViews.join(', ')}]` : '';
    out.push(`  ${r.recipe}: ${parts.length > 0 ? parts.join('; ') : '(none)'}${failed}`);
  }
  out.push('');
  if (analysis.collisions.length === 0) {
    out.push('No name is put on the shared network by more than one recipe.');
  } else {
    out.push('Names more than one recipe puts on the shared network (on one server, a look-up of such a name');
    out.push('from the shared network is answered by every one of them):');
    const width = maxOf(analysis.collisions.map((c) => c.name.length));
    for (const c of analysis.collisions) {
      const where = networks.length > 1 ? ` on ${c.network}` : '';
      out.push(`  ${c.name.padEnd(width)}  ${plural(c.recipes, 'recipe')}${where}: ${listHolders(c)}`);
    }
  }
  out.push('');
  if (analysis.crossLookups.length === 0) {
    out.push("No recipe looks up a name that another recipe's service answers on the shared network.");
  } else {
    out.push("Look-ups another recipe's service would answer:");
    let current: string | undefined;
    for (const x of analysis.crossLookups) {
      if (x.recipe !== current) {
        current = x.recipe;
        out.push(`  ${x.recipe}`);
      }
      out.push(`    ${lookupLine(x)}`);
    }
  }
  out.push('');
  const services = new Set(analysis.recipes.flatMap((r) => r.names.map((n) => `${r.recipe}\u0000${n.service}`))).size;
  const affected = new Set(analysis.crossLookups.map((x) => x.recipe)).size;
  out.push(
    `${plural(analysis.recipes.length, 'recipe')}, ${plural(services, 'service')} on the shared network, ` +
      `${plural(analysis.names.length, 'name')} (${analysis.collisions.length} shared by several recipes), ` +
      `${plural(analysis.crossLookups.length, 'look-up')} in ${plural(affected, 'recipe')} answered by other recipes`,
  );
  // Names and places come from the recipes: control characters are shown, never sent to the terminal.
  return `${safeLines(out.join('\n'))}\n`;
}

function lookupLine(x: CrossLookup): string {
  const l = x.lookup;
  const who = l.via === 'traefik' ? `Traefik (label of ${l.service})` : l.service;
  const others = x.answeredBy.slice(0, HOLDERS_SHOWN).map((h) => `${h.recipe}/${h.service}`);
  const rest = x.answeredByCount - others.length;
  return (
    `${l.file}:${l.line}:${l.column}  ${who} looks up \`${l.written}\` (${l.where}) from ${l.networks.join(', ')}: ` +
    `also answered by ${others.join(', ')}${rest > 0 ? `, … and ${rest} more` : ''}; ${ownAnswerText(l.own)}`
  );
}

export function networkJson(analysis: NetworkAnalysis, networks: readonly string[]): string {
  const doc = {
    version: 1,
    networks: [...networks],
    recipes: analysis.recipes.map((r) => ({
      recipe: r.recipe,
      names: r.names.map((n) => ({ network: n.network, name: n.name, service: n.service, kind: n.kind, views: n.views })),
      lookups: r.lookups,
      failedViews: r.failedViews,
    })),
    names: analysis.names,
    collisions: analysis.collisions.map((c) => ({ network: c.network, name: c.name, recipes: c.recipes, holders: c.holders })),
    crossLookups: analysis.crossLookups.map((x) => ({ recipe: x.recipe, ...x.lookup, answeredBy: x.answeredBy, answeredByCount: x.answeredByCount })),
  };
  return `${jsonForTerminals(JSON.stringify(doc, null, 2))}\n`;
}

/**
 * Recipes (clusters) and their services, each joined to the names it has on the shared network; names several
 * recipes share are alerts, and look-ups other recipes answer are dashed edges to the name.
 */
export function networkGraph(analysis: NetworkAnalysis): Graph {
  const graph: Graph = { name: 'shared network', nodes: [], edges: [], clusters: [] };
  const collision = new Set(analysis.collisions.map((c) => `${c.network}\u0000${c.name}`));
  const nameNodes = new Map<string, string>();
  const nameNode = (network: string, name: string) => {
    const key = `${network}\u0000${name.toLowerCase()}`;
    let id = nameNodes.get(key);
    if (!id) {
      id = `name/${network}/${name.toLowerCase()}`;
      nameNodes.set(key, id);
      graph.nodes.push({ id, kind: 'name', label: [name.toLowerCase(), `on ${network}`], shared: true, alert: collision.has(key) });
    }
    return id;
  };
  const crossByRecipe = new Map<string, CrossLookup[]>();
  for (const x of analysis.crossLookups) addTo(crossByRecipe, x.recipe, x);
  analysis.recipes.forEach((r) => {
    const cross = crossByRecipe.get(r.recipe) ?? [];
    if (r.names.length === 0 && cross.length === 0) return;
    const cluster = { id: `recipe/${r.recipe}`, label: r.recipe, nodes: [] as string[] };
    graph.clusters.push(cluster);
    const services = new Map<string, string>();
    const serviceNode = (service: string) => {
      let id = services.get(service);
      if (!id) {
        id = `service/${r.recipe}/${service}`;
        services.set(service, id);
        const n: GraphNode = { id, kind: 'service', label: [service] };
        graph.nodes.push(n);
        cluster.nodes.push(id);
      }
      return id;
    };
    const joined = new Set<string>();
    for (const f of r.names) {
      const from = serviceNode(f.service);
      const to = nameNode(f.network, f.name);
      const key = `${from}\u0000${to}`;
      if (joined.has(key)) continue;
      joined.add(key);
      graph.edges.push({ from, to, kind: 'joins', ...(f.kind === 'alias' ? { label: 'alias' } : {}) });
    }
    const looked = new Set<string>();
    for (const x of cross) {
      for (const network of x.answeredOn) {
        const from = serviceNode(x.lookup.service);
        const to = nameNode(network, x.lookup.name);
        const key = `${from}\u0000${to}`;
        if (looked.has(key)) continue;
        looked.add(key);
        graph.edges.push({ from, to, kind: 'lookup', label: x.lookup.via === 'traefik' ? 'Traefik looks up' : 'looks up', alert: true });
      }
    }
  });
  return graph;
}
