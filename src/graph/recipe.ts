// One recipe as a picture: per view, its services and the networks, volumes, secrets and configs they use,
// and depends_on between services. Names a view uses but never defines are drawn as alerts.
import { loadConfigFor } from '../config/index.js';
import { recipeViews } from '../pipeline/recipe.js';
import { configuredViews } from '../lint/engine.js';
import { parsePresets } from '../rules/presets.js';
import type { EnvVariable } from '../views/index.js';
import type { RecipeView } from '../pipeline/recipe.js';
import type { StackConfig } from '../merge/index.js';
import { isExternal } from '../merge/index.js';
import { externalNetworkName, serviceNetworkKeys } from '../swarm/index.js';
import type { Graph, GraphCluster, GraphEdge, GraphNode } from './model.js';

/** A recipe's built views, and the networks its configuration calls shared. */
export interface GraphRecipe {
  name: string;
  views: RecipeView[];
  sharedNetworks: string[];
}

export interface GraphLoadOptions {
  /** Exactly these views (stack-relative file lists), as `-c` / `--view` / a FILE name them. */
  views?: readonly (readonly string[])[];
  /** `--env-file` variables, over the stack's own. */
  env?: readonly EnvVariable[];
  /** `--root DIR`: the read boundary. */
  root?: string;
  /** File texts instead of the disk's, keyed by absolute path (`-c -`: stdin). */
  overlay?: ReadonlyMap<string, string>;
}

/** Builds every view of the recipe (src/pipeline/recipe.ts) with its configuration's shared networks and declared views. */
export async function loadGraphRecipe(dir: string, options: GraphLoadOptions = {}): Promise<GraphRecipe> {
  const loaded = await loadConfigFor(dir);
  const configViews = configuredViews(dir, loaded.config);
  const { recipe, views } = recipeViews(dir, { ...options, ...(configViews ? { configViews } : {}), recipe: parsePresetsLoosely(loaded.config.preset).includes('abra') });
  return { name: recipe.name, views, sharedNetworks: loaded.config.sharedNetworks };
}

export class UnknownViewError extends Error {}

/** The config's presets; an unknown one is `lint`'s to report, the graph just draws. */
function parsePresetsLoosely(preset: string | undefined): string[] {
  try {
    return parsePresets(preset);
  } catch {
    return [];
  }
}

/** The graph of the chosen views (all by default), one cluster per view. */
export function recipeGraph(recipe: GraphRecipe, viewNames?: readonly string[]): Graph {
  let views = recipe.views;
  if (viewNames && viewNames.length > 0) {
    const unknown = viewNames.filter((n) => !views.some((v) => v.name === n));
    if (unknown.length > 0) {
      throw new UnknownViewError(`no view ${unknown.map((n) => `'${n}'`).join(', ')} (views: ${views.map((v) => v.name).join(', ')})`);
    }
    views = views.filter((v) => viewNames.includes(v.name));
  }
  const graph: Graph = { name: recipe.name, nodes: [], edges: [], clusters: [] };
  views.forEach((view, i) => addView(graph, view, `v${i}`, new Set(recipe.sharedNetworks)));
  return graph;
}

function addView(graph: Graph, view: RecipeView, prefix: string, sharedNetworks: Set<string>): void {
  const cluster: GraphCluster = { id: prefix, label: `view ${view.name}`, nodes: [] };
  graph.clusters.push(cluster);
  const nodes = new Map<string, GraphNode>();
  const node = (kind: GraphNode['kind'], name: string, make: () => Omit<GraphNode, 'id' | 'kind'>) => {
    const id = `${prefix}/${kind}/${name}`;
    if (!nodes.has(id)) {
      const n: GraphNode = { id, kind, ...make() };
      nodes.set(id, n);
      graph.nodes.push(n);
      cluster.nodes.push(id);
    }
    return id;
  };
  const edge = (e: GraphEdge) => graph.edges.push(e);
  if (!view.config) {
    node('note', 'failure', () => ({ label: ['not merged:', view.failure?.message ?? 'failed to load'], alert: true }));
    return;
  }
  const config: StackConfig = view.config;
  const services = config.services ?? {};
  const serviceNode = (name: string) =>
    node('service', name, () => {
      const svc = services[name];
      return svc ? { label: svc.image ? [name, svc.image] : [name] } : { label: [name, '(no such service)'], alert: true };
    });
  for (const name of Object.keys(services)) serviceNode(name);
  for (const [name, svc] of Object.entries(services)) {
    const from = serviceNode(name);
    for (const key of serviceNetworkKeys(svc)) {
      const def = config.networks?.[key];
      const defined = key === 'default' || (config.networks !== undefined && key in config.networks);
      const external = isExternal(def);
      const dockerName = externalNetworkName(key, def);
      const shared = external && (sharedNetworks.has(key) || sharedNetworks.has(dockerName));
      const to = node('network', key, () => ({
        label: [key, ...(external ? [dockerName === key ? 'external' : `external: ${dockerName}`] : [])],
        shared,
        alert: !defined,
      }));
      const aliases = svc.networks?.[key]?.aliases ?? [];
      edge({ from, to, kind: 'network', ...(aliases.length > 0 ? { label: `aliases: ${aliases.join(', ')}` } : {}) });
    }
    for (const mount of svc.volumes ?? []) {
      if (!mount.source) continue;
      if (mount.type === 'volume') {
        const defined = config.volumes !== undefined && mount.source in config.volumes;
        const to = node('volume', mount.source, () => ({ label: [mount.source!], alert: !defined }));
        edge({ from, to, kind: 'volume', label: mount.target });
      } else if (mount.type === 'bind') {
        const to = node('bind', mount.source, () => ({ label: [mount.source!] }));
        edge({ from, to, kind: 'volume', label: mount.target });
      }
    }
    for (const [kind, refs, defs] of [
      ['secret', svc.secrets, config.secrets],
      ['config', svc.configs, config.configs],
    ] as const) {
      for (const ref of refs ?? []) {
        const source = ref.source;
        if (source === undefined) continue; // a long-syntax entry without `source`: nothing to draw
        const defined = defs !== undefined && source in defs;
        const to = node(kind, source, () => ({ label: [source], alert: !defined }));
        edge({ from, to, kind, ...(ref.target ? { label: ref.target } : {}) });
      }
    }
    for (const dep of svc.depends_on ?? []) {
      edge({ from, to: serviceNode(dep), kind: 'depends_on', label: 'depends_on', alert: !(dep in services) });
    }
  }
}
