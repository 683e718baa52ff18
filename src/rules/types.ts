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
  /** The rule can attach safe edits to its findings, which `lint --fix` applies. */
  fixable?: boolean;
  /**
   * Rules that need something not always available. `base`: an upgrade rule, which compares the recipe with
   * itself at a base revision (`lint --base REF` / `--upgrade-from REF`) and gets that side as `ctx.base`.
   */
  requires?: 'online' | 'git' | 'base';
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

export type { FileDoc, Path, SourceRange };
