// Every rule, in catalogue order. Each group's list lives beside its rules.
import type { Rule } from './rule.js';
import { ABRA_RULES } from './abra/index.js';
import { STRUCTURE_RULES } from './structure/index.js';
import { NETWORK_RULES } from './network/index.js';
import { SECURITY_RULES } from './security/index.js';
import { UPGRADE_RULES } from './upgrade/index.js';

export const ALL_RULES: readonly Rule[] = [...ABRA_RULES, ...STRUCTURE_RULES, ...NETWORK_RULES, ...SECURITY_RULES, ...UPGRADE_RULES];

export function findRule(idOrName: string): Rule | undefined {
  const wanted = idOrName.toLowerCase();
  return ALL_RULES.find((r) => r.meta.id.toLowerCase() === wanted || r.meta.name.toLowerCase() === wanted);
}

/** Co-op Cloud's conventions (abra's R001–R015 and the recipe rules beside them): off on a plain swarm stack. */
export const RECIPE_CONVENTION_RULES: ReadonlySet<string> = new Set(ABRA_RULES.map((r) => r.meta.id));
