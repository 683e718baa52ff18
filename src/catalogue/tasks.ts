// The per-recipe work a catalogue run can spread over threads, as plain data a worker can receive: which
// function to run on each recipe directory, with which (serialisable) options.
import type { NetworkFactsJob, RecipeNetworkFacts } from './facts.js';
import { networkFactsJob } from './facts.js';
import { ConfigDirectories } from '../config/index.js';
import { ALL_RULES } from '../rules/index.js';
import type { Rule } from '../rules/rule.js';
import type { RecipeLint } from '../lint/engine.js';
import { lintRecipeJob } from '../lint/job.js';
import type { RecipeJob } from '../lint/job.js';

export type TaskSpec = { kind: 'lint'; job: RecipeJob; ruleIds: string[] } | { kind: 'network'; job: NetworkFactsJob };

export interface TaskResults {
  lint: RecipeLint;
  network: RecipeNetworkFacts;
}

/** The function a task runs per recipe; `rules` skips the look-up by id when the caller has them. */
export function taskRunner(spec: TaskSpec, rules?: readonly Rule[]): (dir: string) => Promise<RecipeLint | RecipeNetworkFacts> {
  if (spec.kind === 'network') return (dir) => networkFactsJob(dir, spec.job);
  const byId = new Map(ALL_RULES.map((r) => [r.meta.id, r]));
  const resolved = rules ?? spec.ruleIds.map((id) => byId.get(id)!);
  const seen = new ConfigDirectories();
  return (dir) => lintRecipeJob(dir, spec.job, resolved, seen);
}
