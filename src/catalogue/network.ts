// The shared network across a catalogue: which recipe puts which short names on it, the names several
// recipes put there (on one server, docker's DNS answers such a name with every stack's service of that name),
// and the look-ups of each recipe that another recipe's service would answer.
import type { LookupFact, OwnAnswer, RecipeNetworkFacts, SharedNameFact } from './facts.js';

export interface RecipeNetwork {
  /** The recipe's path relative to the catalogue (its directory name). */
  recipe: string;
  names: SharedNameFact[];
  lookups: LookupFact[];
  failedViews: string[];
}

export interface NameHolder {
  recipe: string;
  service: string;
  kind: SharedNameFact['kind'];
}

/** One short name on one shared network, and every recipe service that answers to it there. */
export interface SharedName {
  network: string;
  /** Lower-cased: DNS names are matched without case. */
  name: string;
  holders: NameHolder[];
  /** Distinct recipes among the holders. */
  recipes: number;
}

/**
 * Services of other recipes listed per look-up (the rest are counted): every recipe of a catalogue looking up
 * `db` that every other recipe defines would otherwise list recipes × recipes holders.
 */
export const MAX_ANSWERERS_LISTED = 8;

/** A look-up that another recipe's service on the same shared network would answer too (or instead). */
export interface CrossLookup {
  recipe: string;
  lookup: LookupFact;
  /** Other recipes' services of that name on the networks the look-up is made from: the first MAX_ANSWERERS_LISTED. */
  answeredBy: Array<NameHolder & { network: string }>;
  /** How many services of other recipes answer it, listed or not. */
  answeredByCount: number;
  /** The networks on which another recipe's service answers it. */
  answeredOn: string[];
}

export interface NetworkAnalysis {
  recipes: RecipeNetwork[];
  /** Every name on a shared network, by network then name. */
  names: SharedName[];
  /** The names two or more recipes put on a shared network. */
  collisions: SharedName[];
  crossLookups: CrossLookup[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function analyseNetwork(recipes: ReadonlyArray<{ recipe: string; facts: RecipeNetworkFacts }>): NetworkAnalysis {
  // Holders are indexed by (network, name), with a count per recipe: each look-up is answered from the index
  // in time for what it lists, never by copying a name's holders (linear in the catalogue, not quadratic).
  const names = new Map<string, SharedName>();
  const perRecipe = new Map<SharedName, Map<string, number>>();
  const seen = new Set<string>();
  const list: RecipeNetwork[] = [];
  for (const { recipe, facts } of recipes) {
    list.push({ recipe, names: facts.names, lookups: facts.lookups, failedViews: facts.failedViews });
    for (const fact of facts.names) {
      const key = `${fact.network}\u0000${fact.name.toLowerCase()}`;
      let entry = names.get(key);
      if (!entry) {
        names.set(key, (entry = { network: fact.network, name: fact.name.toLowerCase(), holders: [], recipes: 0 }));
        perRecipe.set(entry, new Map());
      }
      const holder = `${key}\u0000${recipe}\u0000${fact.service}\u0000${fact.kind}`;
      if (seen.has(holder)) continue;
      seen.add(holder);
      entry.holders.push({ recipe, service: fact.service, kind: fact.kind });
      const counts = perRecipe.get(entry)!;
      counts.set(recipe, (counts.get(recipe) ?? 0) + 1);
    }
  }
  for (const entry of names.values()) {
    entry.holders.sort((a, b) => byText(a.recipe, b.recipe) || byText(a.service, b.service) || byText(a.kind, b.kind));
    entry.recipes = perRecipe.get(entry)!.size;
  }
  const sorted = [...names.values()].sort((a, b) => byText(a.network, b.network) || byText(a.name, b.name));
  const crossLookups: CrossLookup[] = [];
  for (const r of list) {
    for (const lookup of r.lookups) {
      const answeredBy: CrossLookup['answeredBy'] = [];
      const answeredOn: string[] = [];
      let answeredByCount = 0;
      for (const network of lookup.networks) {
        const entry = names.get(`${network}\u0000${lookup.name.toLowerCase()}`);
        if (!entry) continue;
        const others = entry.holders.length - (perRecipe.get(entry)!.get(r.recipe) ?? 0);
        if (others === 0) continue;
        answeredByCount += others;
        answeredOn.push(network);
        // The recipe's own holders sit together (holders are sorted by recipe): skipping them is short.
        for (const h of entry.holders) {
          if (answeredBy.length >= MAX_ANSWERERS_LISTED) break;
          if (h.recipe !== r.recipe) answeredBy.push({ ...h, network });
        }
      }
      if (answeredByCount > 0) crossLookups.push({ recipe: r.recipe, lookup, answeredBy, answeredByCount, answeredOn });
    }
  }
  return { recipes: list, names: sorted, collisions: sorted.filter((n) => n.recipes >= 2), crossLookups };
}

/** How a look-up goes wrong on a server that also runs the other recipes, in words. */
export function ownAnswerText(own: OwnAnswer): string {
  switch (own) {
    case 'shared':
      return "its own service of that name is on the shared network too: docker's DNS answers with every stack's, in turn";
    case 'private':
      return "its own service of that name is on another network only: whichever network docker asks first answers";
    case 'none':
      return 'no service of its own answers that name: only other stacks do';
  }
}
