// Finds the recipes under the directories given and lints each with its own configuration.
import { existsSync, statSync, readdirSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { loadConfigFor } from '../config/index.js';
import type { StacklintConfig } from '../config/index.js';
import type { Rule } from '../rules/rule.js';
import type { Finding, LintResult, SkippedRule } from '../rules/types.js';
import { compareFindings } from './findings.js';
import { lintRecipe, summarise } from './engine.js';
import type { RecipeLint } from './engine.js';

export class TargetError extends Error {}

export interface RunOptions {
  rules: readonly Rule[];
  online?: boolean;
  git?: boolean;
  /** Applied over each recipe's own config file (from the command line). */
  overrides?: Partial<StacklintConfig>;
  onRecipeDone?: (recipe: RecipeLint, index: number, total: number) => void;
}

export interface RunResult extends LintResult {
  recipes: RecipeLint[];
  /** The directory findings' `recipe` paths are relative to. */
  root: string;
}

/** A recipe is a directory holding compose.yml; a catalogue is a directory of recipes. */
export function findRecipes(target: string): string[] {
  const dir = resolve(target);
  if (!existsSync(dir)) throw new TargetError(`${target}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new TargetError(`${target}: not a directory (give the recipe's directory, not a file)`);
  if (existsSync(join(dir, 'compose.yml'))) return [dir];
  const recipes = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && existsSync(join(dir, e.name, 'compose.yml')))
    .map((e) => join(dir, e.name))
    .sort();
  if (recipes.length === 0) {
    throw new TargetError(`${target}: no recipe here (a recipe is a directory with compose.yml; a catalogue is a directory of recipes)`);
  }
  return recipes;
}

export async function runLint(targets: readonly string[], options: RunOptions): Promise<RunResult> {
  const recipeDirs = [...new Set(targets.flatMap(findRecipes))];
  // One recipe named directly: paths are recipe-relative. Otherwise each finding names its recipe.
  const single = recipeDirs.length === 1 && targets.length === 1 && resolve(targets[0]) === recipeDirs[0];
  const root = single ? recipeDirs[0] : commonRoot(targets);
  const recipes: RecipeLint[] = [];
  for (const [i, dir] of recipeDirs.entries()) {
    const loaded = await loadConfigFor(dir);
    const config = { ...loaded.config, ...options.overrides, rules: { ...loaded.config.rules, ...options.overrides?.rules } };
    const result = lintRecipe(dir, { rules: options.rules, config, online: options.online, git: options.git });
    if (!single) {
      const name = relative(root, dir) || basename(dir);
      for (const f of result.findings) f.recipe = name;
    }
    recipes.push(result);
    options.onRecipeDone?.(result, i, recipeDirs.length);
  }
  const findings: Finding[] = recipes.flatMap((r) => r.findings).sort(compareFindings);
  const skipped: SkippedRule[] = uniqueSkipped(recipes.flatMap((r) => r.skipped));
  const files = recipes.reduce((n, r) => n + r.summary.files, 0);
  const views = recipes.reduce((n, r) => n + r.summary.views, 0);
  return { recipes, root, findings, skipped, summary: summarise(findings, recipes.length, files, views) };
}

function uniqueSkipped(list: SkippedRule[]): SkippedRule[] {
  const seen = new Map<string, SkippedRule>();
  for (const s of list) if (!seen.has(s.rule)) seen.set(s.rule, s);
  return [...seen.values()];
}

function commonRoot(targets: readonly string[]): string {
  return targets.length === 1 ? resolve(targets[0]) : process.cwd();
}
