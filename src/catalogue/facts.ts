// What one recipe contributes to a shared network, read from every view of the recipe (src/pipeline/recipe.ts): the short names
// its services answer to there (service keys and aliases), and the short names its services (or Traefik, for
// their labels) look up from there. Plain data, so a worker thread can compute it.
import { loadConfigFor } from '../config/index.js';
import { ignoreMatcher } from '../lint/ignore.js';
import { placeReport } from '../lint/position.js';
import { mergedViews, recipeViews } from '../pipeline/recipe.js';
import type { MergedView, RecipeInfo } from '../pipeline/recipe.js';
import type { NetworkName } from '../swarm/index.js';
import { collectHostRefs, externalNetworkName, namesOnNetworks, refLocation, serviceNetworkKeys, servicesNamed, sharedNetworkKeys } from '../swarm/index.js';

/** A short name a recipe's service answers to on a shared network (`network`: its docker name, e.g. `proxy`). */
export interface SharedNameFact extends NetworkName {
  /** Views in which it is there. */
  views: string[];
}

/**
 * Where the own stack answers a looked-up name: `shared` — a sibling of that name is on the same shared network
 * (every stack's service of that name answers too); `private` — only on a network the asker shares with it
 * (docker may ask the shared network first); `none` — no sibling the asker can reach has that name.
 */
export type OwnAnswer = 'shared' | 'private' | 'none';

/** A short name a service on a shared network looks up (or Traefik does, reading the service's labels). */
export interface LookupFact {
  service: string;
  via: 'service' | 'traefik';
  /** The service name looked up (without `tasks.`). */
  name: string;
  /** As written, e.g. `tasks.db`. */
  written: string;
  /** e.g. `environment DB_HOST`, `Caddyfile.tmpl (reverse_proxy)`. */
  where: string;
  file: string;
  line: number;
  column: number;
  /** Docker names of the shared networks the look-up is made from. */
  networks: string[];
  own: OwnAnswer;
  views: string[];
}

export interface RecipeNetworkFacts {
  dir: string;
  names: SharedNameFact[];
  lookups: LookupFact[];
  /** Views whose merge failed (what they would put on the network is unknown). */
  failedViews: string[];
}

export interface NetworkFactsJob {
  /** Shared networks (docker names or keys); default: each recipe's `sharedNetworks` setting. */
  sharedNetworks?: string[];
}

type LookupKey = [service: string, via: LookupFact['via'], name: string, written: string, where: string, networks: string[], own: OwnAnswer];

/** A look-up placed in a file, before the views it occurs in are gathered. */
interface PlacedLookup {
  key: LookupKey;
  file: string;
  line: number;
  column: number;
  logicalPath: string;
  view: string;
}

export async function networkFactsJob(dir: string, job: NetworkFactsJob): Promise<RecipeNetworkFacts> {
  const loaded = await loadConfigFor(dir);
  const sharedNetworks = job.sharedNetworks ?? loaded.config.sharedNetworks;
  const ignored = ignoreMatcher(loaded.config.ignore);
  const { recipe, views } = recipeViews(dir);
  const names = new Map<string, SharedNameFact>();
  const failedViews = views.filter((v) => !v.config).map((v) => v.name);
  const lookups = new LookupGatherer();
  for (const view of mergedViews(views)) {
    const shared = sharedNetworkKeys(sharedNetworks, view);
    if (shared.size === 0) continue;
    collectNames(view, shared, names);
    for (const lookup of lookupsOf(recipe, view, shared)) if (!ignored(lookup.file)) lookups.add(lookup);
  }
  return { dir, names: [...names.values()], lookups: lookups.facts(), failedViews };
}

/**
 * The same look-up from several views becomes one fact listing them (as the lint engine merges findings),
 * ordered by place in the files.
 */
class LookupGatherer {
  private readonly byKey = new Map<string, { placed: PlacedLookup; keyText: string; views: string[] }>();

  add(placed: PlacedLookup): void {
    const keyText = JSON.stringify(placed.key);
    const id = [placed.file, placed.logicalPath, placed.line, placed.column, keyText].join('\u0000');
    const known = this.byKey.get(id);
    if (!known) this.byKey.set(id, { placed, keyText, views: [placed.view] });
    else if (!known.views.includes(placed.view)) known.views.push(placed.view);
  }

  facts(): LookupFact[] {
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const all = [...this.byKey.values()].sort(
      (a, b) => cmp(a.placed.file, b.placed.file) || a.placed.line - b.placed.line || a.placed.column - b.placed.column || cmp(a.keyText, b.keyText),
    );
    return all.map(({ placed, views }) => {
      const [service, via, name, written, where, networks, own] = placed.key;
      return { service, via, name, written, where, file: placed.file, line: placed.line, column: placed.column, networks, own, views };
    });
  }
}

function collectNames(view: MergedView, shared: Set<string>, into: Map<string, SharedNameFact>): void {
  for (const entry of namesOnNetworks(view.config, shared)) {
    const network = externalNetworkName(entry.network, view.config.networks?.[entry.network]);
    const key = JSON.stringify([network, entry.name, entry.service, entry.kind]);
    const fact = into.get(key);
    if (!fact) into.set(key, { network, name: entry.name, service: entry.service, kind: entry.kind, views: [view.name] });
    else if (!fact.views.includes(view.name)) fact.views.push(view.name);
  }
}

function lookupsOf(recipe: RecipeInfo, view: MergedView, shared: Set<string>): PlacedLookup[] {
  const out: PlacedLookup[] = [];
  for (const ref of collectHostRefs(recipe, view)) {
    const askingNets = ref.via === 'traefik' ? [...shared] : serviceNetworkKeys(view.config.services[ref.service]);
    const askingShared = askingNets.filter((n) => shared.has(n));
    if (askingShared.length === 0) continue;
    const targets = servicesNamed(view.config, ref.name);
    const own: OwnAnswer = askingShared.some((n) => targets.some((t) => t.networks.includes(n)))
      ? 'shared'
      : targets.some((t) => t.networks.some((n) => askingNets.includes(n)))
        ? 'private'
        : 'none';
    const networks = askingShared.map((key) => externalNetworkName(key, view.config.networks?.[key])).sort();
    const { file, line, column, logicalPath } = placeReport(refLocation(ref, view), recipe);
    out.push({ key: [ref.service, ref.via, ref.name, ref.written, ref.where, networks, own], file, line, column, logicalPath, view: view.name });
  }
  return out;
}
