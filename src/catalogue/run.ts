// Finds the recipes under the directories given and lints each with its own configuration.
import { existsSync, lstatSync, realpathSync, statSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BASE_FILE_NAMES } from '../views/index.js';
import { ConfigDirectories } from '../config/index.js';
import { directoryLayout } from '../lint/stack-layout.js';
import type { EnvVariable } from '../views/index.js';
import type { StacklintConfig } from '../config/index.js';
import { ALL_RULES } from '../rules/index.js';
import type { Rule } from '../rules/rule.js';
import type { Finding, LintResult, SkippedRule } from '../lint/types.js';
import { compareFindings } from '../lint/findings.js';
import { summarise } from '../lint/engine.js';
import type { RecipeLint } from '../lint/engine.js';
import { lintRecipeJob } from '../lint/job.js';
import type { RecipeJob } from '../lint/job.js';
import { runInParallel } from './pool.js';

export class TargetError extends Error {}

export interface RunOptions {
  rules: readonly Rule[];
  online?: boolean;
  git?: boolean;
  /** Applied over each recipe's own config file (from the command line). */
  overrides?: Partial<StacklintConfig>;
  /** Called in recipe order (the order of the report), each recipe as soon as all before it are done. */
  onRecipeDone?: (recipe: RecipeLint, index: number, total: number) => void;
  /** Called as each recipe finishes, in whatever order the threads finish them (for progress displays). */
  onProgress?: (recipe: RecipeLint, done: number, total: number) => void;
  /**
   * Threads to lint on (the main thread counts as one); default: the CPUs available. The result is the
   * same for any number; runs of fewer than PARALLEL_MIN_RECIPES recipes stay on the main thread.
   */
  jobs?: number;
  /** File texts to lint instead of the disk's, keyed by absolute path (fixes not yet written). */
  overlay?: ReadonlyMap<string, string>;
  /**
   * Views named on the command line (`-c FILE…` is one, each `--view a.yml,b.yml` another): file lists
   * relative to the cwd, each merged in its order. Every file lies in the first file's directory (the stack).
   */
  namedViews?: readonly NamedView[];
  /** `--env-file FILE…`, parsed: variables for every deploy view's interpolation (later entries win). */
  env?: readonly EnvVariable[];
  /** `--root DIR`: the read boundary (files above a stack's directory but inside DIR are read). */
  root?: string;
}

/** Below this many recipes a worker thread's start-up costs more than it saves. */
export const PARALLEL_MIN_RECIPES = 4;

export interface RunResult extends LintResult {
  recipes: RecipeLint[];
  /** The directory findings' `recipe` paths are relative to. */
  root: string;
}

/**
 * A stack is a directory holding a base compose file (compose.yml, compose.yaml, docker-compose.yml|yaml,
 * docker-stack.yml|yaml, stack.yml|yaml), or one that declares its views: its config's `views:`, its example
 * env file's COMPOSE_FILE, or its own README, scripts, Makefile or CI deploying a compose file of it
 * (`docker stack deploy -c app.yml …`); a catalogue is a directory of stacks. The decision is stackLayout's
 * (src/pipeline), the one `lint`, `config DIR` and the editor server take.
 */
export function findRecipes(target: string): string[] {
  const dir = resolve(target);
  if (!existsSync(dir)) throw new TargetError(`${target}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new TargetError(`${target}: not a directory (give the stack's directory, or lint the file with \`stacklint lint -c ${target}\`)`);
  const seen = new ConfigDirectories();
  if (directoryLayout(dir, { seen }).isStack) return [dir];
  const recipes = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && directoryLayout(join(dir, e.name), { seen }).isStack)
    .map((e) => join(dir, e.name))
    .sort();
  if (recipes.length === 0) throw new TargetError(`${target}: ${NO_STACK_HERE}; a catalogue is a directory of stacks; or name the files: stacklint lint -c FILE)`);
  return recipes;
}

/** The start of the error for a directory that is no stack; callers close the parenthesis with their advice. */
export const NO_STACK_HERE = `no stack here (a stack is a directory with ${BASE_FILE_NAMES.join(', ')}, or whose config \`views:\`, .env.example COMPOSE_FILE, scripts or README (\`docker stack deploy -c FILE\`) name a file of it`;

/** The stacks a run lints: directories, with the exact views files named on the command line ask for. */
export interface StackTargets {
  dirs: string[];
  /** Per directory: the views named by files (`-c`, or a file given as a target); absent: every view. */
  views: Record<string, string[][]>;
}

/**
 * `-c FILE…` is one view whose directory is the first file's (docker resolves every file's relative paths
 * there); a file given as a target is a view of its own; a directory is a stack or a catalogue. A file
 * named must exist, be a regular file and lie (links resolved) inside the stack's directory.
 */
/** A view named on the command line: its files (cwd-relative, merge order) and the option that named them, for errors. */
export interface NamedView {
  option: '-c' | '--view';
  files: readonly string[];
}

export function findStacks(targets: readonly string[], namedViews?: readonly NamedView[]): StackTargets {
  const views: Record<string, string[][]> = {};
  const dirs: string[] = [];
  const addView = (dir: string, files: string[]) => {
    if (!views[dir]) dirs.push(dir);
    (views[dir] ??= []).push(files);
  };
  const named = (namedViews ?? []).filter((v) => v.files.length > 0);
  if (named.length > 0) {
    // docker resolves every relative path from the first file's directory: that directory is the stack.
    const dir = dirname(resolve(named[0].files[0]));
    for (const view of named) addView(dir, view.files.map((file) => stackFile(dir, file, `${view.option} `)));
    return { dirs, views };
  }
  for (const target of targets) {
    const abs = resolve(target);
    if (existsSync(abs) && !statSync(abs).isDirectory()) {
      const dir = dirname(abs);
      addView(dir, [stackFile(dir, target, '')]);
      continue;
    }
    for (const dir of findRecipes(target)) if (!dirs.includes(dir)) dirs.push(dir);
  }
  return { dirs, views };
}

/** A compose file named on the command line, relative to its stack's directory; a TargetError when docker could not deploy it. */
function stackFile(dir: string, file: string, flag: string): string {
  const abs = resolve(file);
  let stat;
  try {
    stat = statSync(abs);
  } catch {
    throw new TargetError(`${flag}${file}: no such file`);
  }
  if (stat.isDirectory()) throw new TargetError(`${flag}${file}: is a directory (give a compose file)`);
  if (!stat.isFile()) throw new TargetError(`${flag}${file}: not a regular file`);
  const rel = relative(dir, abs);
  const realDir = realpathSync.native(dir);
  const realRel = relative(realDir, realpathSync.native(abs));
  if (rel.startsWith('..') || isAbsolute(rel) || realRel.startsWith('..') || isAbsolute(realRel)) {
    throw new TargetError(`${flag}${file}: outside the stack's directory ${dir} (links resolved); not read`);
  }
  return rel.split(sep).join('/');
}

export async function runLint(targets: readonly string[], options: RunOptions): Promise<RunResult> {
  const stacks = findStacks(targets, options.namedViews);
  const recipeDirs = stacks.dirs;
  // One recipe named directly (or its files): paths are recipe-relative. Otherwise each finding names its recipe.
  const named = options.namedViews?.length || (targets.length === 1 && (resolve(targets[0]) === recipeDirs[0] || stacks.views[recipeDirs[0]] !== undefined));
  const single = recipeDirs.length === 1 && !!named;
  const root = single ? recipeDirs[0] : commonRoot(targets);
  const job: RecipeJob = { online: options.online, git: options.git, overrides: options.overrides, namingRoot: single ? undefined : root, overlay: options.overlay, views: stacks.views, ...(options.env ? { env: options.env } : {}), ...(options.root !== undefined ? { root: resolve(options.root) } : {}) };
  const total = recipeDirs.length;
  const threads = Math.min(options.jobs ?? availableParallelism(), total);
  let recipes: RecipeLint[];
  if (threads > 1 && total >= PARALLEL_MIN_RECIPES && onlyRegisteredRules(options.rules)) {
    const task = { kind: 'lint' as const, job, ruleIds: options.rules.map((r) => r.meta.id) };
    recipes = await runInParallel(
      recipeDirs,
      task,
      threads,
      {
        onResult: (result, i) => options.onRecipeDone?.(result, i, total),
        onDone: (result, done) => options.onProgress?.(result, done, total),
      },
      options.rules,
    );
  } else {
    recipes = [];
    for (const [i, dir] of recipeDirs.entries()) {
      const result = await lintRecipeJob(dir, job, options.rules);
      recipes.push(result);
      options.onProgress?.(result, i + 1, total);
      options.onRecipeDone?.(result, i, total);
    }
  }
  const findings: Finding[] = recipes.flatMap((r) => r.findings).sort(compareFindings);
  const skipped: SkippedRule[] = uniqueSkipped(recipes.flatMap((r) => r.skipped));
  const files = recipes.reduce((n, r) => n + r.summary.files, 0);
  const views = recipes.reduce((n, r) => n + r.summary.views, 0);
  return { recipes, root, findings, skipped, summary: summarise(findings, recipes.length, files, views) };
}

/** Worker threads rebuild the rules from their ids: only rules of the registry can travel. */
function onlyRegisteredRules(rules: readonly Rule[]): boolean {
  const registered = new Map(ALL_RULES.map((r) => [r.meta.id, r]));
  return rules.every((r) => registered.get(r.meta.id) === r);
}

/** Per-recipe counts for the end-of-run table and the JSON report's `recipes`. */
export interface RecipeSummary {
  recipe: string;
  views: number;
  errors: number;
  warnings: number;
  infos: number;
}

export function recipeSummaries(run: Pick<RunResult, 'recipes' | 'root'>): RecipeSummary[] {
  return run.recipes.map((r) => {
    // Counted now, not taken from r.summary: a baseline applied since may have marked findings known.
    const counts = summarise(r.findings, 1, r.summary.files, r.summary.views);
    return {
      recipe: relative(run.root, r.recipeDir) || basename(r.recipeDir),
      views: counts.views,
      errors: counts.errors,
      warnings: counts.warnings,
      infos: counts.infos,
    };
  });
}

function uniqueSkipped(list: SkippedRule[]): SkippedRule[] {
  const seen = new Map<string, SkippedRule>();
  for (const s of list) if (!seen.has(s.rule)) seen.set(s.rule, s);
  return [...seen.values()];
}

function commonRoot(targets: readonly string[]): string {
  return targets.length === 1 ? resolve(targets[0]) : process.cwd();
}
