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

/**
 * Rules of the abra family that check a fact of docker or swarm, not a Co-op Cloud convention: they run on a
 * plain stack too (on it they judge only the docker part): R003 (an image that is not a valid reference; docker
 * stack deploy refuses it), R011 (a service without an image; swarm refuses it), R015 (a secret or config name
 * swarm refuses).
 */
export const DOCKER_FACT_RULES: ReadonlySet<string> = new Set(['R003', 'R011', 'R015']);

/** Co-op Cloud's conventions (abra's R001–R015 and the recipe rules beside them): off on a plain swarm stack. */
export const RECIPE_CONVENTION_RULES: ReadonlySet<string> = new Set(ABRA_RULES.map((r) => r.meta.id).filter((id) => !DOCKER_FACT_RULES.has(id)));
