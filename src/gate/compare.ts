// `stacklint lint --base REF`: lints the recipes as they were at REF (read from git objects into a
// temporary directory) and splits the working tree's findings into new and unchanged, and the base's
// into fixed. Both sides are linted with the working tree's configuration and options, so the
// comparison measures what the change did to the recipe, not what a config change did to the rules.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { ConfigError, loadConfigFor } from '../config/index.js';
import type { StacklintConfig } from '../config/index.js';
import { parsePresets, withPresetLevels } from '../rules/presets.js';
import { lintRecipe } from '../lint/engine.js';
import { compareFindings } from '../lint/findings.js';
import { declaredViewsOf, findRecipes, findStacks, TargetError } from '../catalogue/run.js';
import type { RunOptions, RunResult } from '../catalogue/run.js';
import type { Finding } from '../lint/types.js';
import { GateError, materialise, NotARepositoryError, repoLocation, resolveCommit, TempDir } from './git.js';
import type { RepoLocation } from './git.js';
import { matchFindings } from './match.js';

export { GateError };

export interface BaseComparison {
  /** The revision as the user gave it, and the commit it named. */
  ref: string;
  commit: string;
  /** In the working tree, not at REF; `state` 'new' (or 'known' when the baseline accepts it). */
  added: Finding[];
  /** At REF, gone from the working tree; `state` 'fixed'. */
  fixed: Finding[];
  /** In both; the working tree's copy, `state` 'known'. */
  unchanged: Finding[];
  /** Targets (as given) that did not exist at REF: everything in them is new. */
  missingAtBase: string[];
  /**
   * What the upgrade rules (`requires: 'base'`) found comparing each recipe at REF with the working tree:
   * what the change breaks for apps deployed from REF. `state` 'new'.
   */
  upgrade: Finding[];
}

/** What `--upgrade-from REF` reports beside the ordinary findings: the upgrade rules' findings alone. */
export interface UpgradeComparison {
  ref: string;
  commit: string;
  upgrade: Finding[];
  missingAtBase: string[];
}

/**
 * Compares `head` (the working tree's run over `targets`) with the same targets at `ref`. Temporary
 * directories are removed before this returns, whatever happens.
 */
export async function compareWithBase(head: RunResult, targets: readonly string[], ref: string, options: RunOptions): Promise<BaseComparison> {
  const temp = new TempDir();
  try {
    const base = await lintAtBase(head, targets, ref, options, temp.path, { lintBase: true });
    return { ...classify(head, base, options), upgrade: base.upgrade };
  } finally {
    temp.dispose();
  }
}

/**
 * `--upgrade-from REF`: only the upgrade rules, comparing each recipe at `ref` with the working tree (the
 * base itself is not linted). Temporary directories are removed before this returns.
 */
export async function upgradeFrom(head: RunResult, targets: readonly string[], ref: string, options: RunOptions): Promise<UpgradeComparison> {
  const temp = new TempDir();
  try {
    const base = await lintAtBase(head, targets, ref, options, temp.path, { lintBase: false });
    return { ref: base.ref, commit: base.commit, upgrade: base.upgrade, missingAtBase: base.missingAtBase };
  } finally {
    temp.dispose();
  }
}

interface BaseRun {
  ref: string;
  commit: string;
  /** Each base finding with the working-tree recipe directory it corresponds to. */
  findings: Array<{ finding: Finding; recipeDir: string }>;
  missingAtBase: string[];
  /** The upgrade rules' findings, placed in the working tree. */
  upgrade: Finding[];
}

/**
 * The configuration the working tree's run used for a recipe (as lintRecipeJob builds it: the config file
 * that applies to `dir`, the command line's overrides over it, preset levels), for linting its base.
 */
async function headConfig(dir: string, options: RunOptions): Promise<StacklintConfig> {
  const loaded = await loadConfigFor(dir);
  const overrides = options.overrides;
  const merged = { ...loaded.config, ...overrides, rules: { ...loaded.config.rules, ...overrides?.rules } };
  let presets;
  try {
    presets = parsePresets(merged.preset);
  } catch (err) {
    throw ConfigError.at(overrides?.preset === undefined ? loaded.file : undefined, `preset: ${(err as Error).message}`);
  }
  return { ...merged, rules: withPresetLevels(merged.rules, presets, options.rules) };
}

/**
 * What to read at REF: each target inside a repository as a whole (so recipes deleted since are seen);
 * a catalogue that is no repository itself — abra's ~/.abra/recipes, one repository per recipe — recipe
 * by recipe, each in its own repository.
 */
async function units(targets: readonly string[], head: RunResult, roots: Readonly<Record<string, string>>): Promise<Array<{ target: string; where: RepoLocation }>> {
  const out: Array<{ target: string; where: RepoLocation }> = [];
  for (const target of new Set(targets.map((t) => resolve(t)))) {
    try {
      // Files named together across folders: their whole boundary is read at REF.
      out.push({ target, where: await repoLocation(roots[target] ?? target) });
    } catch (err) {
      const inside = head.recipes.map((r) => r.recipeDir).filter((d) => d.startsWith(`${target}${sep}`));
      if (!(err instanceof NotARepositoryError) || inside.length === 0) throw err;
      for (const dir of inside) out.push({ target: dir, where: await repoLocation(dir) });
    }
  }
  return out;
}

/**
 * The directories the gate reads at REF, and the views named by files: `-c`/`--view` files and a FILE given
 * as a target stand for their stack's directory, linted on both sides with exactly those views.
 */
function gateTargets(targets: readonly string[], options: RunOptions): { targets: string[]; views: Record<string, string[][]>; roots: Record<string, string> } {
  const stacks = findStacks(targets, options.namedViews, options.root);
  if (options.namedViews?.some((v) => v.files.length > 0)) return { targets: stacks.dirs, views: stacks.views, roots: stacks.roots };
  const dirs = targets.map((t) => (isFile(t) ? dirname(resolve(t)) : t));
  return { targets: [...new Set(dirs)], views: { ...declaredViewsOf(stacks), ...stacks.views }, roots: stacks.roots };
}

function isFile(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function lintAtBase(head: RunResult, givenTargets: readonly string[], ref: string, options: RunOptions, tempRoot: string, mode: { lintBase: boolean }): Promise<BaseRun> {
  const { targets, views, roots } = gateTargets(givenTargets, options);
  const upgradeRules = options.rules.filter((r) => r.meta.requires === 'base');
  const upgrade: Finding[] = [];
  // Names for findings of recipes deleted since REF, as the working tree's run names recipes.
  const named =
    head.findings.some((f) => f.recipe !== undefined) || head.recipes.length !== 1 || targets.length !== 1 || resolve(targets[0]) !== head.recipes[0]?.recipeDir;
  const findings: BaseRun['findings'] = [];
  const missingAtBase: string[] = [];
  const seen = new Set<string>();
  let commit: string | undefined;
  const commitIn = new Map<string, string>();
  for (const [i, { target, where }] of (await units(targets, head, roots)).entries()) {
    let sha = commitIn.get(where.top);
    if (sha === undefined) {
      sha = await resolveCommit(where.top, ref);
      commitIn.set(where.top, sha);
    }
    commit ??= sha;
    const dest = join(tempRoot, String(i));
    mkdirSync(dest);
    const materialised = await materialise(where.top, sha, where.prefix, dest);
    // The stack's directory inside the boundary read at REF (the same directory when none was needed).
    const headRoot = roots[target];
    const baseRoot = headRoot !== undefined ? materialised : undefined;
    const baseTarget = materialised !== undefined && headRoot !== undefined ? join(materialised, relative(headRoot, target)) : materialised;
    if (baseTarget === undefined) {
      missingAtBase.push(relative(process.cwd(), target) || '.');
      continue;
    }
    let baseRecipes: string[];
    try {
      // A stack named by its files is that directory at REF, whatever its files are called.
      baseRecipes = views[target] !== undefined ? [baseTarget] : findRecipes(baseTarget);
    } catch (err) {
      if (!(err instanceof TargetError)) throw err;
      missingAtBase.push(relative(process.cwd(), target) || '.');
      continue;
    }
    for (const baseDir of baseRecipes) {
      // The working-tree directory this base recipe corresponds to (it may have been deleted since).
      const rel = relative(baseTarget, baseDir);
      const headDir = rel === '' ? target : join(target, rel);
      if (seen.has(headDir)) continue;
      seen.add(headDir);
      // A turn of the event loop per recipe, so that SIGINT cleans up now rather than after the last one.
      await new Promise((resolveTurn) => setImmediate(resolveTurn));
      const config = await headConfig(existsSync(headDir) ? headDir : target, options);
      // The boundary of a stack whose views a catalogue above it declares, read at REF inside the same tree.
      const declaredRoot = roots[headDir] !== undefined && headRoot === undefined && !relative(target, roots[headDir]).startsWith('..') ? join(baseTarget, relative(target, roots[headDir])) : undefined;
      const baseRootOf = baseRoot ?? declaredRoot;
      const headRootOf = headRoot ?? roots[headDir];
      const headRecipe = head.recipes.find((r) => r.recipeDir === headDir);
      const name = headRecipe ? headRecipe.findings.find((f) => f.recipe !== undefined)?.recipe ?? nameOf(head, headDir, named) : nameOf(head, headDir, named);
      if (mode.lintBase) {
        // Rules that read git (tags) see one repository, the same on both sides: they are carried over below.
        const result = lintRecipe(baseDir, { rules: options.rules, config, online: options.online, git: false, views: views[headDir], env: options.env, ...(baseRootOf !== undefined ? { root: baseRootOf } : {}) });
        for (const f of result.findings) {
          if (name !== undefined) f.recipe = name;
          findings.push({ finding: f, recipeDir: headDir });
        }
      }
      // The upgrade rules read both sides: the head (as linted) and this base, placed at the head.
      if (headRecipe && upgradeRules.length > 0) {
        const result = lintRecipe(headDir, { rules: upgradeRules, config, online: false, git: false, base: baseDir, views: views[headDir], env: options.env, ...(headRootOf !== undefined ? { root: headRootOf } : options.root !== undefined ? { root: resolve(options.root) } : {}) });
        for (const f of result.findings) {
          if (f.rule === 'unused-suppression') continue; // the head run reports those, with every rule in play
          if (name !== undefined) f.recipe = name;
          f.state = 'new';
          upgrade.push(f);
        }
      }
    }
  }
  return { ref, commit: commit ?? '', findings, missingAtBase, upgrade: upgrade.sort(compareFindings) };
}

function nameOf(head: RunResult, recipeDir: string, named: boolean): string | undefined {
  return named ? relative(head.root, recipeDir) || basename(recipeDir) : undefined;
}

function classify(head: RunResult, base: BaseRun, options: RunOptions): Omit<BaseComparison, 'upgrade'> {
  const needsGit = new Set(options.rules.filter((r) => r.meta.requires === 'git').map((r) => r.meta.id));
  // Findings are matched within their recipe (its directory), by fingerprint.
  const recipeOf = new Map<Finding, string>();
  for (const r of head.recipes) for (const f of r.findings) recipeOf.set(f, r.recipeDir);
  const compared = head.findings.filter((f) => !needsGit.has(f.rule));
  const carried = head.findings.filter((f) => needsGit.has(f.rule));
  const m = matchFindings(
    compared,
    base.findings,
    (f) => ({ key: `${recipeOf.get(f) ?? ''}\u0000${f.fingerprint}`, message: f.message }),
    (b) => ({ key: `${b.recipeDir}\u0000${b.finding.fingerprint}`, message: b.finding.message }),
  );
  const fixed = m.onlyPrevious.map((b) => b.finding);
  const unchanged = [...m.pairs.map(([h]) => h), ...carried];
  for (const f of unchanged) {
    f.state = 'known';
  }
  for (const f of m.onlyCurrent) {
    // A finding the baseline already accepts stays known (with its reason); otherwise it is new.
    if (f.state !== 'known') f.state = 'new';
  }
  for (const f of fixed) f.state = 'fixed';
  const order = (list: Finding[]) => {
    const wanted = new Set(list);
    return head.findings.filter((f) => wanted.has(f));
  };
  return {
    ref: base.ref,
    commit: base.commit,
    added: order(m.onlyCurrent),
    fixed: fixed.sort(compareFindings),
    unchanged: order(unchanged),
    missingAtBase: base.missingAtBase,
  };
}
