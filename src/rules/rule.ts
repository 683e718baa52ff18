// What a rule is and what it sees. A rule module exports `defineRule({ meta, check })`; `check`
// reads the recipe's parsed files and merged views and calls `report`. Rules never print, parse
// files or read the disk themselves: everything comes through the context.
import type { GuardedFailure } from '../load/read.js';
import type { FileDoc, Origin, Path } from '../load/types.js';
import type { AbraShFile, ComposeFileLine, EnvFile } from '../views/index.js';
import type { StackConfig } from './model.js';
import type { FileStages } from '../pipeline/stack.js';
import type { DroppedEntry } from '../merge/index.js';
import type { RuleMeta, Severity, TextEdit } from './types.js';

export type { TextEdit };
/** Something the merge silently lost: a collapsed port, a wholesale-replaced definition, a dropped x- section. */
export type { DroppedEntry };

export interface ComposeFile {
  /** Recipe-relative path, e.g. `compose.smtpauth.yml`. */
  file: string;
  doc: FileDoc;
}

export interface LintView {
  /** e.g. `abra`, `compose.yml`, `compose.yml+compose.smtpauth.yml`. */
  name: string;
  kind: 'abra' | 'base' | 'overlay' | 'compose-file';
  files: string[];
  /** Files a COMPOSE_FILE line names that do not exist (the view is built without them). */
  missingFiles: string[];
  /** The .env.sample line that defined a compose-file view. */
  source?: { line: number; column: number; commented: boolean };
  /** The view's environment for interpolation (.env.sample, abra.sh, STACK_NAME). */
  env: (name: string) => string | undefined;
  /** The merged config; undefined when a file of the view failed to load, interpolate or validate. */
  config?: StackConfig;
  /** Why `config` is missing: the first failure, as docker would report it. */
  failure?: { file?: string; message: string };
  /** Per-file stage results (forbidden keys, interpolation, schema) in merge order; empty when a file failed to parse. */
  stages: FileStages[];
  /** Entries the merge silently lost (empty when `config` is undefined). */
  dropped: DroppedEntry[];
  /** The file and raw path that provided the value at a merged path (the last file that set it). */
  origin(path: Path): Origin | undefined;
  /** Every file that mentions the merged path, in merge order. */
  definedBy(path: Path): Origin[];
}

export interface RecipeInfo {
  /** Absolute directory. */
  dir: string;
  name: string;
  /** Recipe-relative paths of every file (bounded listing). */
  listFiles(): string[];
  exists(rel: string): boolean;
  /** Text of a recipe file; undefined when missing, unreadable, or outside the recipe (never read). */
  readText(rel: string): string | undefined;
  /** The same read with the reason it failed: `outside` for a path or link leaving the recipe (never read). */
  read?(rel: string): { ok: true; text: string } | { ok: false; reason: 'missing' | 'outside' | 'unreadable'; message: string; kind?: GuardedFailure };
  /** Every compose file of the recipe, parsed once. */
  composeFiles: ComposeFile[];
  composeFile(file: string): ComposeFile | undefined;
  envSample?: EnvFile;
  abraSh?: AbraShFile;
  composeFileLines: ComposeFileLine[];
  /** What stacklint left out: files it could not read, and where a listing or view limit cut the recipe short. */
  notAnalysed?: NotAnalysed;
}

export interface NotAnalysed {
  /** .env.sample / abra.sh that exist but could not be read (binary, too large, a link outside, …). */
  unreadable: Array<{ file: string; message: string }>;
  /** Directory listing limits hit (files or depth). */
  listing: string[];
  /** Views left out because the recipe defines more than the limit. */
  views?: { limit: number; dropped: number };
}

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
  view?: LintView;
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

export interface RuleContext {
  recipe: RecipeInfo;
  views: LintView[];
  settings: RuleSettings;
  /** This rule's options from the config file. */
  options: Record<string, unknown>;
  report(report: RuleReport): void;
}

export interface Rule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** Views whose merge succeeded, with their config. */
export function loadedViews(ctx: RuleContext): Array<LintView & { config: StackConfig }> {
  return ctx.views.filter((v): v is LintView & { config: StackConfig } => v.config !== undefined);
}

/** Joins a path for messages and logical paths: services.web.ports[0]. */
export function pathString(path: Path): string {
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join('');
}
