// Suppression comments in linted files:
//   # stacklint-disable-next-line RULE[, RULE] -- reason
//   # stacklint-disable-line RULE[, RULE] -- reason      (trailing comment on the offending line)
//   # stacklint-disable-file RULE[, RULE] -- reason
// The engine asks `isSuppressed(ruleId, file, line)` for each finding; afterwards `unused()` lists every
// rule named in a directive that suppressed nothing, so stale suppressions can be reported.

import { pushAll } from '../load/collections.js';

/** A comment as the loader reports it: `column` is the 1-based column of '#', `text` what follows it. */
export interface SourceComment {
  line: number;
  column: number;
  text: string;
}

export type DirectiveKind = 'disable-next-line' | 'disable-line' | 'disable-file';

export interface SuppressionRule {
  /** The rule as written in the comment. */
  written: string;
  /** The rule id it resolved to (equals `written` unless a resolver mapped a name to an id). */
  rule: string;
  line: number;
  /** 1-based column of the rule name in the file. */
  column: number;
}

export interface Directive {
  kind: DirectiveKind;
  file: string;
  /** Line and column of the comment's '#'. */
  line: number;
  column: number;
  rules: SuppressionRule[];
  reason?: string;
  /** The line the directive applies to (undefined for disable-file). */
  targetLine?: number;
}

export interface UnusedSuppression {
  kind: DirectiveKind;
  file: string;
  rule: string;
  written: string;
  line: number;
  column: number;
}

export interface DirectiveProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface SuppressionOptions {
  /**
   * Maps a rule as written (an id like `R011` or a name like `image-present`) to its id; undefined marks it
   * unknown (reported in `problems`). Default: every written rule is taken as an id.
   */
  resolveRule?: (written: string) => string | undefined;
}

// Comments starting like a directive are checked, so a misspelt one is reported instead of ignored.
const LOOKS_LIKE_DIRECTIVE = /^stacklint-(disable|enable)/;
const DIRECTIVE = /^stacklint-(disable-next-line|disable-line|disable-file)(?=\s|$)/;
const RULE_TOKEN = /^[A-Za-z][A-Za-z0-9_-]*$/;

export class Suppressions {
  readonly directives: Directive[] = [];
  readonly problems: DirectiveProblem[] = [];
  private readonly byLine = new Map<string, SuppressionRule[]>();
  private readonly byFile = new Map<string, SuppressionRule[]>();
  private readonly used = new Set<SuppressionRule>();

  constructor(private readonly options: SuppressionOptions = {}) {}

  /** Reads the directives among one file's comments. */
  addFile(file: string, comments: readonly SourceComment[]): this {
    for (const comment of comments) {
      const directive = parseDirective(file, comment, this.options, this.problems);
      if (directive) this.register(directive);
    }
    return this;
  }

  /** True when a directive covers this finding; marks that directive's rule as used. */
  isSuppressed(ruleId: string, file: string, line: number): boolean {
    if (this.directives.length === 0) return false; // most recipes have none
    const candidates = [...(this.byLine.get(lineKey(file, line)) ?? []), ...(this.byFile.get(file) ?? [])];
    const hits = candidates.filter((r) => r.rule === ruleId);
    for (const hit of hits) this.used.add(hit);
    return hits.length > 0;
  }

  /** Every rule named in a directive that has suppressed nothing so far, in file order. */
  unused(): UnusedSuppression[] {
    const out: UnusedSuppression[] = [];
    for (const d of this.directives) {
      for (const r of d.rules) {
        if (!this.used.has(r)) out.push({ kind: d.kind, file: d.file, rule: r.rule, written: r.written, line: r.line, column: r.column });
      }
    }
    return out;
  }

  private register(d: Directive): void {
    this.directives.push(d);
    if (d.targetLine === undefined) {
      push(this.byFile, d.file, d.rules);
    } else {
      push(this.byLine, lineKey(d.file, d.targetLine), d.rules);
    }
  }
}

/** Parses every comment of every file in one go. */
export function collectSuppressions(files: Iterable<[string, readonly SourceComment[]]>, options: SuppressionOptions = {}): Suppressions {
  const s = new Suppressions(options);
  for (const [file, comments] of files) s.addFile(file, comments);
  return s;
}

/** One comment's directive, or undefined when the comment is not one (problems are recorded). */
export function parseDirective(file: string, comment: SourceComment, options: SuppressionOptions = {}, problems: DirectiveProblem[] = []): Directive | undefined {
  const lead = comment.text.length - comment.text.trimStart().length;
  const text = comment.text.slice(lead);
  if (!LOOKS_LIKE_DIRECTIVE.test(text)) return undefined;
  const textColumn = comment.column + 1 + lead; // column of `text[0]` in the file
  const problem = (offset: number, message: string) => problems.push({ file, line: comment.line, column: textColumn + offset, message });
  const m = DIRECTIVE.exec(text);
  if (!m) {
    problem(0, `unknown directive '${text.split(/\s/)[0]}' (use stacklint-disable-next-line, stacklint-disable-line or stacklint-disable-file)`);
    return undefined;
  }
  const kind = m[1] as DirectiveKind;
  const { list, reason } = splitReason(text, m[0].length);
  const rules = parseRuleList(list.text, list.offset, comment.line, textColumn, options, problem);
  if (rules.length === 0) {
    problem(0, `stacklint-${kind} needs the rule(s) to disable, e.g. \`# stacklint-${kind} R011 -- reason\``);
    return undefined;
  }
  const directive: Directive = { kind, file, line: comment.line, column: comment.column, rules };
  if (reason !== undefined) directive.reason = reason;
  if (kind !== 'disable-file') directive.targetLine = kind === 'disable-next-line' ? comment.line + 1 : comment.line;
  return directive;
}

/** Splits `RULES -- reason` after the directive word. */
function splitReason(text: string, from: number): { list: { text: string; offset: number }; reason?: string } {
  const rest = text.slice(from);
  const sep = rest.search(/(^|\s)--(\s|$)/);
  if (sep < 0) return { list: { text: rest, offset: from } };
  const reason = rest.slice(sep).replace(/^\s*--/, '').trim();
  return { list: { text: rest.slice(0, sep), offset: from }, reason: reason === '' ? undefined : reason };
}

function parseRuleList(
  list: string,
  offset: number,
  line: number,
  textColumn: number,
  options: SuppressionOptions,
  problem: (offset: number, message: string) => void,
): SuppressionRule[] {
  const rules: SuppressionRule[] = [];
  const seen = new Set<string>();
  // Rules are separated by commas and/or blanks.
  for (const m of list.matchAll(/[^\s,]+/g)) {
    const written = m[0];
    const at = offset + (m.index ?? 0);
    if (!RULE_TOKEN.test(written)) {
      problem(at, `'${written}' is not a rule id`);
      continue;
    }
    const rule = options.resolveRule ? options.resolveRule(written) : written;
    if (rule === undefined) {
      problem(at, `unknown rule '${written}'`);
      continue;
    }
    if (seen.has(rule)) continue;
    seen.add(rule);
    rules.push({ written, rule, line, column: textColumn + at });
  }
  return rules;
}

function lineKey(file: string, line: number): string {
  return `${line}\0${file}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, values: V[]): void {
  const list = map.get(key);
  if (list) pushAll(list, values);
  else map.set(key, [...values]);
}
