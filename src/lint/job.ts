// One recipe's lint as a catalogue run does it — its own configuration, then the engine — in a form that a
// worker thread can run too: everything it takes and gives is plain data (rules travel as ids).
import { statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { ConfigError, loadConfigFor } from '../config/index.js';
import type { ConfigDirectories } from '../config/index.js';
import type { ConfigProblem, StacklintConfig } from '../config/index.js';
import type { Rule } from '../rules/rule.js';
import type { EnvVariable } from '../views/index.js';
import { parsePresets, withPresetLevels } from '../rules/presets.js';
import type { PresetName } from '../rules/presets.js';
import { lintRecipe } from './engine.js';
import type { RecipeLint } from './engine.js';

export interface RecipeJob {
  online?: boolean;
  git?: boolean;
  overrides?: Partial<StacklintConfig>;
  /** Set for catalogue runs: findings' `recipe` is the recipe's path relative to this directory. */
  namingRoot?: string;
  /** File texts to lint instead of the disk's, keyed by absolute path (fixes not yet written). */
  overlay?: ReadonlyMap<string, string>;
  /** Per stack directory (absolute): exactly these views, as `-c` files or files named on the command line. */
  views?: Record<string, string[][]>;
  /** `--root DIR` (absolute): the read boundary of every stack under it. */
  root?: string;
  /** Per stack directory (absolute): the boundary the files named on the command line need (see findStacks). */
  roots?: Record<string, string>;
  /** `--env-file`, parsed: variables over every stack's own. */
  env?: readonly EnvVariable[];
}

/** `seen`: directories already searched for config files in this run (a catalogue's recipes share parents). */
export async function lintRecipeJob(dir: string, job: RecipeJob, rules: readonly Rule[], seen?: ConfigDirectories): Promise<RecipeLint> {
  const loaded = await loadConfigFor(dir, { seen });
  const overrides = job.overrides;
  const merged = { ...loaded.config, ...overrides, rules: { ...loaded.config.rules, ...overrides?.rules } };
  const presets = presetsOf(merged.preset, overrides?.preset === undefined ? loaded.file : undefined);
  const config = { ...merged, rules: withPresetLevels(merged.rules, presets, rules) };
  if (!job.views?.[dir]) checkConfiguredViews(dir, config);
  const result = lintRecipe(dir, { rules, config, online: job.online, git: job.git, overlay: job.overlay, views: job.views?.[dir], recipe: presets.includes('abra'), root: job.roots?.[dir] ?? job.root, env: job.env });
  if (job.namingRoot !== undefined) {
    const name = relative(job.namingRoot, dir) || basename(dir);
    for (const f of result.findings) f.recipe = name;
  }
  return result;
}

/** A `views:` entry must name files of the stack: a misspelt one is the configuration's error, not a lint finding. */
function checkConfiguredViews(dir: string, config: StacklintConfig): void {
  for (const view of config.views ?? []) {
    for (const file of view.files) {
      let regular = false;
      try {
        regular = statSync(join(dir, file)).isFile();
      } catch {
        // missing: reported below
      }
      if (!regular) throw ConfigError.at(view.file, `views: ${file} is not a file in ${dir}`, view.line, view.column);
    }
  }
}

/** The presets a configuration names; an unknown one is a configuration error (of `file`, when it came from one). */
function presetsOf(preset: string | undefined, file: string | undefined): PresetName[] {
  try {
    return parsePresets(preset);
  } catch (err) {
    throw ConfigError.at(file, `preset: ${(err as Error).message}`);
  }
}

/** An error thrown while linting a recipe, as it crosses from a worker thread. */
export type JobError =
  | { kind: 'config'; file?: string; problems: ConfigProblem[] }
  | { kind: 'other'; name: string; message: string; stack?: string };

export function toJobError(err: unknown): JobError {
  if (err instanceof ConfigError) return { kind: 'config', file: err.file, problems: err.problems };
  const e = err instanceof Error ? err : new Error(String(err));
  return { kind: 'other', name: e.name, message: e.message, stack: e.stack };
}

/** The error the sequential run would have thrown (same class for ConfigError, same message otherwise). */
export function fromJobError(e: JobError): Error {
  if (e.kind === 'config') return new ConfigError(e.file, e.problems);
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}
