// What one recipe contributes to a shared network, read from every view the engine builds: the short names
// its services answer to there (service keys and aliases), and the short names its services (or Traefik, for
// their labels) look up from there. Plain data, so a worker thread can compute it.
import { loadConfigFor } from '../config/index.js';
import { lintRecipe } from '../lint/engine.js';
import { defineRule, loadedViews } from '../rules/rule.js';
import type { RuleContext } from '../rules/rule.js';
import {
  collectHostRefs,
  externalName,
  refLocation,
  serviceNetworkKeys,
  servicesNamed,
  sharedNetworkKeys,
} from '../rules/util-net-stack.js';
import type { LoadedView } from '../rules/util-net-stack.js';

/** A short name a recipe's service answers to on a shared network. */
export interface SharedNameFact {
  /** The shared network's docker name (`proxy`). */
  network: string;
  /** As written: the service key or an alias. */
  name: string;
  service: string;
  kind: 'service' | 'alias';
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

const PROBE_ID = 'network-facts';

type LookupKey = [service: string, via: LookupFact['via'], name: string, written: string, where: string, networks: string[], own: OwnAnswer];

export async function networkFactsJob(dir: string, job: NetworkFactsJob): Promise<RecipeNetworkFacts> {
  const loaded = await loadConfigFor(dir);
  const config = { ...loaded.config, ...(job.sharedNetworks ? { sharedNetworks: job.sharedNetworks } : {}) };
  const names = new Map<string, SharedNameFact>();
  const failedViews: string[] = [];
  // Look-ups are reported through the engine, which places them (through each view's provenance, in the file
  // that wrote them) and merges the same look-up from several views into one finding listing them.
  const probe = defineRule({
    meta: { id: PROBE_ID, name: PROBE_ID, level: 'warn', description: 'network facts of a recipe (internal)', fix: '' },
    check(ctx) {
      for (const view of ctx.views) if (!view.config) failedViews.push(view.name);
      for (const view of loadedViews(ctx)) {
        const shared = sharedNetworkKeys(ctx, view);
        if (shared.size === 0) continue;
        collectNames(view, shared, names);
        reportLookups(ctx, view, shared);
      }
    },
  });
  const result = lintRecipe(dir, { rules: [probe], config, only: [PROBE_ID] });
  const lookups: LookupFact[] = [];
  for (const f of result.findings) {
    if (f.rule !== PROBE_ID) continue;
    const [service, via, name, written, where, networks, own] = JSON.parse(f.message) as LookupKey;
    lookups.push({ service, via, name, written, where, file: f.file, line: f.line, column: f.column, networks, own, views: f.views });
  }
  return { dir, names: [...names.values()], lookups, failedViews };
}

function collectNames(view: LoadedView, shared: Set<string>, into: Map<string, SharedNameFact>): void {
  const add = (network: string, name: string, service: string, kind: SharedNameFact['kind']) => {
    const key = JSON.stringify([network, name, service, kind]);
    const fact = into.get(key);
    if (!fact) into.set(key, { network, name, service, kind, views: [view.name] });
    else if (!fact.views.includes(view.name)) fact.views.push(view.name);
  };
  for (const [svcName, svc] of Object.entries(view.config.services ?? {})) {
    for (const key of serviceNetworkKeys(svc)) {
      if (!shared.has(key)) continue;
      const network = externalName(key, view.config.networks?.[key]);
      add(network, svcName, svcName, 'service');
      for (const alias of svc.networks?.[key]?.aliases ?? []) add(network, alias, svcName, 'alias');
    }
  }
}

function reportLookups(ctx: RuleContext, view: LoadedView, shared: Set<string>): void {
  for (const ref of collectHostRefs(ctx, view)) {
    const askingNets = ref.via === 'traefik' ? [...shared] : serviceNetworkKeys(view.config.services[ref.service]);
    const askingShared = askingNets.filter((n) => shared.has(n));
    if (askingShared.length === 0) continue;
    const targets = servicesNamed(view.config, ref.name);
    const own: OwnAnswer = askingShared.some((n) => targets.some((t) => t.networks.includes(n)))
      ? 'shared'
      : targets.some((t) => t.networks.some((n) => askingNets.includes(n)))
        ? 'private'
        : 'none';
    const networks = askingShared.map((key) => externalName(key, view.config.networks?.[key])).sort();
    const key: LookupKey = [ref.service, ref.via, ref.name, ref.written, ref.where, networks, own];
    ctx.report({ ...refLocation(ref, view), message: JSON.stringify(key) });
  }
}
