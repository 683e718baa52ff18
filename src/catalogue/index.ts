// `stacklint network`: the shared network across the recipes of a catalogue (or a chosen few, e.g. the apps
// of one server), computed per recipe on every thread and combined in recipe order.
import { availableParallelism } from 'node:os';
import { basename, relative, resolve } from 'node:path';
import { findRecipes, PARALLEL_MIN_RECIPES, TargetError } from './run.js';
import type { Discovery } from './run.js';
import { runInParallel } from './pool.js';
import { networkFactsJob } from './facts.js';
import type { NetworkFactsJob, RecipeNetworkFacts } from './facts.js';
import { analyseNetwork } from './network.js';
import type { NetworkAnalysis } from './network.js';

export * from './facts.js';
export * from './network.js';
export * from './render.js';

export interface CatalogueOptions {
  /** Shared networks to analyse; default: each recipe's `sharedNetworks` setting (`proxy`). */
  sharedNetworks?: string[];
  /** Only these recipes (directory names, or paths relative to the catalogue). */
  only?: string[];
  jobs?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface CatalogueNetwork {
  analysis: NetworkAnalysis;
  /** The networks analysed (given, or those found, or the default). */
  networks: string[];
  root: string;
}

export async function analyseCatalogue(targets: readonly string[], options: CatalogueOptions = {}): Promise<CatalogueNetwork> {
  const discovery: Discovery = { composeOnly: [], declared: new Map() };
  // A folder that is a stack only by a catalogue script's `-c sub/x.yml` has no views of its own to read facts from.
  let dirs = [...new Set(targets.flatMap((t) => findRecipes(t, discovery)))].filter((d) => !discovery.declared.has(d));
  const root = targets.length === 1 ? resolve(targets[0]) : process.cwd();
  const nameOf = (dir: string) => relative(root, dir) || basename(dir);
  if (options.only && options.only.length > 0) {
    const wanted = new Set(options.only);
    const unknown = options.only.filter((w) => !dirs.some((d) => nameOf(d) === w || basename(d) === w));
    if (unknown.length > 0) throw new TargetError(`no recipe ${unknown.map((u) => `'${u}'`).join(', ')} in ${targets.join(', ')}`);
    dirs = dirs.filter((d) => wanted.has(nameOf(d)) || wanted.has(basename(d)));
  }
  const job: NetworkFactsJob = options.sharedNetworks ? { sharedNetworks: options.sharedNetworks } : {};
  const total = dirs.length;
  const threads = Math.min(options.jobs ?? availableParallelism(), total);
  let facts: RecipeNetworkFacts[];
  if (threads > 1 && total >= PARALLEL_MIN_RECIPES) {
    facts = await runInParallel(dirs, { kind: 'network', job }, threads, {
      onResult: () => {},
      onDone: (_r, done) => options.onProgress?.(done, total),
    });
  } else {
    facts = [];
    for (const dir of dirs) {
      facts.push(await networkFactsJob(dir, job));
      options.onProgress?.(facts.length, total);
    }
  }
  const analysis = analyseNetwork(facts.map((f) => ({ recipe: nameOf(f.dir), facts: f })));
  const found = [...new Set(analysis.names.map((n) => n.network))].sort();
  const networks = options.sharedNetworks ?? (found.length > 0 ? found : ['proxy']);
  return { analysis, networks, root };
}
