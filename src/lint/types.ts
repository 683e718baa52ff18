// What linting a recipe produces: findings (a rule's reports, placed, merged across views, fingerprinted),
// the rules skipped, and a summary.
import type { Severity, TextEdit } from '../rules/types.js';

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

