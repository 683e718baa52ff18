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

/** A look-up that another recipe's service on the same shared network would answer too (or instead). */
export interface CrossLookup {
  recipe: string;
  lookup: LookupFact;
  /** Other recipes' services of that name on the networks the look-up is made from. */
  answeredBy: Array<NameHolder & { network: string }>;
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
  const names = new Map<string, SharedName>();
  const list: RecipeNetwork[] = [];
  for (const { recipe, facts } of recipes) {
    list.push({ recipe, names: facts.names, lookups: facts.lookups, failedViews: facts.failedViews });
    for (const fact of facts.names) {
      const key = `${fact.network}\u0000${fact.name.toLowerCase()}`;
      let entry = names.get(key);
      if (!entry) names.set(key, (entry = { network: fact.network, name: fact.name.toLowerCase(), holders: [], recipes: 0 }));
      if (!entry.holders.some((h) => h.recipe === recipe && h.service === fact.service && h.kind === fact.kind)) {
        entry.holders.push({ recipe, service: fact.service, kind: fact.kind });
      }
    }
  }
  for (const entry of names.values()) {
    entry.holders.sort((a, b) => byText(a.recipe, b.recipe) || byText(a.service, b.service) || byText(a.kind, b.kind));
    entry.recipes = new Set(entry.holders.map((h) => h.recipe)).size;
  }
  const sorted = [...names.values()].sort((a, b) => byText(a.network, b.network) || byText(a.name, b.name));
  const crossLookups: CrossLookup[] = [];
  for (const r of list) {
    for (const lookup of r.lookups) {
      const answeredBy: CrossLookup['answeredBy'] = [];
      for (const network of lookup.networks) {
        const entry = names.get(`${network}\u0000${lookup.name.toLowerCase()}`);
        for (const h of entry?.holders ?? []) if (h.recipe !== r.recipe) answeredBy.push({ ...h, network });
      }
      if (answeredBy.length > 0) crossLookups.push({ recipe: r.recipe, lookup, answeredBy });
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
