// What a rule is and what it sees. A rule module exports `defineRule({ meta, check })`; `check`
// reads the recipe's parsed files and merged views and calls `report`. Rules never print, parse
// files or read the disk themselves: everything comes through the context. A rule that needs I/O (the
// network, git) declares it as `gather`, which the engine runs before the rules; `check` gets its result.
import type { Path } from '../load/types.js';
import type { DroppedEntry } from '../merge/index.js';
import type { ComposeFile, LoadedRecipe, MergedView, NotAnalysed, RecipeInfo, RecipeView } from '../pipeline/recipe.js';
import type { RuleMeta, Severity, TextEdit } from './types.js';

export type { TextEdit };
/** What the pipeline built (src/pipeline/recipe.ts): rules read these. */
export type { ComposeFile, LoadedRecipe, MergedView, NotAnalysed, RecipeInfo, RecipeView };
export { mergedViews } from '../pipeline/recipe.js';
/** Something the merge silently lost: a collapsed port, a wholesale-replaced definition, a dropped x- section. */
export type { DroppedEntry };

export interface RuleSettings {
  sharedNetworks: string[];
  online: boolean;
  git: boolean;
}

export interface RuleReport {
  message: string;
  /** Point at a file: a raw path into it (`at: 'key'` points at the mapping key) … */
  file?: string;
  path?: Path;
  at?: 'key' | 'value';
  /** … or an explicit position in a non-YAML file (1-based) … */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** … or a merged path of `view`, resolved through provenance to the file that set it. */
  mergedPath?: Path;
  /** The view the finding occurs in; omit for findings about a single file. */
  view?: RecipeView;
  /** Logical path for the fingerprint, e.g. `services.sidekiq`; defaults to the path joined. */
  logicalPath?: string;
  /** Overrides the rule's general fix advice. */
  fix?: string;
  /** For rules whose level depends on the case (error for `app`, warn otherwise). */
  severity?: Severity;
  /** Edits that fix the finding without changing anything else (applied by `lint --fix`, all or none). */
  edits?: TextEdit[];
  /** A fix that needs the maintainer's decision: shown with the finding, never applied. */
  suggestion?: string;
}

export interface RuleContext<Facts = unknown> {
  recipe: RecipeInfo;
  views: RecipeView[];
  settings: RuleSettings;
  /** This rule's options from the config file. */
  options: Record<string, unknown>;
  /** What the rule's `gather` returned (undefined for rules without one). */
  facts: Facts;
  /**
   * The same recipe at the base revision, built by the same pipeline step (`recipeViews`): given to upgrade
   * rules (`meta.requires: 'base'`) only, which compare it with `recipe`/`views` (the head). Reports are
   * placed at the head; the base side's place goes into the message.
   */
  base?: LoadedRecipe;
  report(report: RuleReport): void;
}

/** What a rule's `gather` sees: the recipe (its directory and name) and the rule's options. */
export interface GatherInput {
  recipe: RecipeInfo;
  options: Record<string, unknown>;
}

export interface Rule<Facts = unknown> {
  meta: RuleMeta;
  /**
   * The I/O the rule needs (an HTTP request, the repository's git tags), done by the engine before any rule's
   * `check` runs; what it returns is `ctx.facts`. `check` itself does no I/O.
   */
  gather?(input: GatherInput): Facts;
  check(ctx: RuleContext<Facts>): void;
}

export function defineRule<Facts = undefined>(rule: Rule<Facts>): Rule<Facts> {
  return rule;
}
