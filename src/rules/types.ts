import type { FileDoc, Path, SourceRange } from '../load/types.js';

/** How loud a finding is. `info` never fails a run. */
export type Severity = 'error' | 'warning' | 'info';
/** A rule's configured level; `off` disables it. */
export type Level = 'off' | 'info' | 'warn' | 'error';

export interface RuleMeta {
  /** Stable id, part of the user interface (R011, proxy-alias-collision, …). */
  id: string;
  /** Short kebab-case name (for abra rules: image-present, …). */
  name: string;
  /** Default level. */
  level: Level;
  /** One line: what the rule checks. */
  description: string;
  /** Longer explanation for `stacklint explain` and the generated docs (markdown). */
  details?: string;
  /** How to fix a finding, as advice to the maintainer. */
  fix: string;
  /** Rules that need something not always available. */
  requires?: 'online' | 'git';
  /** Presets the rule belongs to besides its default level (recommended is implicit for non-off). */
  presets?: string[];
}

/**
 * A safe text edit that fixes a finding (`lint --fix`): replace [start, end) of a recipe file's text — UTF-16
 * offsets into the text as stacklint read it — with `text`. A finding's edits apply together or not at all.
 */
export interface TextEdit {
  /** Recipe-relative path of the file to edit (may differ from the finding's file, e.g. .env.sample). */
  file: string;
  start: number;
  end: number;
  text: string;
}

/** One finding, once per recipe, listing every view it occurs in. Lines and columns are 1-based. */
export interface Finding {
  rule: string;
  name: string;
  severity: Severity;
  message: string;
  /** Recipe-relative path of the file to edit. */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Views the finding occurs in, e.g. ["compose.yml+compose.smtpauth.yml", "abra"]. */
  views: string[];
  /** Stable across unrelated edits: rule + file + logical path + view set, never line numbers. */
  fingerprint: string;
  /** How to fix it. */
  fix: string;
  /** The logical path the finding is about, e.g. `services.sidekiq` (part of the fingerprint). */
  logicalPath: string;
  /** Recipe directory the finding belongs to (relative to the directory linted), for catalogue runs. */
  recipe?: string;
  /** Set when a baseline or `--base` comparison classified it. */
  state?: 'new' | 'known' | 'fixed';
  /** Baseline reason, when known. */
  reason?: string;
  /** Safe edits `lint --fix` applies (the finding is "fixable"). */
  edits?: TextEdit[];
  /** A fix that needs a decision: shown, never applied. */
  suggestion?: string;
}

export interface SkippedRule {
  rule: string;
  reason: string;
}

export interface LintSummary {
  errors: number;
  warnings: number;
  infos: number;
  recipes: number;
  files: number;
  views: number;
}

export interface LintResult {
  findings: Finding[];
  skipped: SkippedRule[];
  summary: LintSummary;
}

export type { FileDoc, Path, SourceRange };
