// Static reader for a recipe's abra.sh. The file is shell code that abra sources; stacklint never runs it.
// It only collects plain top-level assignments (`export APP_ENTRYPOINT_VERSION=v1`) whose values need no
// evaluation, and reports everything else (functions, compound commands, `$(…)`, `${…}`, backticks, other
// commands) as not understood, by line.

export interface AbraShAssignment {
  name: string;
  /** The value after shell quote removal; never contains an unevaluated expansion. */
  value: string;
  /** The value as written. */
  raw: string;
  /** `export NAME=value`, or `NAME=value` later named by `export NAME`. */
  exported: boolean;
  line: number;
  /** Column of the name (1-based). */
  column: number;
  valueColumn: number;
}

export type AbraShSkipReason =
  | 'function'
  | 'compound'
  | 'expansion'
  | 'command'
  | 'multi-line'
  | 'unterminated'
  | 'too-deep';

export interface AbraShNotUnderstood {
  line: number;
  endLine: number;
  column: number;
  reason: AbraShSkipReason;
  /** Human-readable reason. */
  message: string;
  /** First line of the construct (cut to 200 characters). */
  text: string;
}

export interface AbraShFile {
  assignments: AbraShAssignment[];
  notUnderstood: AbraShNotUnderstood[];
}

/** Assignments by name while parsing, so `export NAME` marks earlier ones without a pass over all of them. */
type AssignmentsByName = Map<string, AbraShAssignment[]>;

const MAX_NESTING = 256;
const MAX_TEXT = 200;

const MESSAGES: Record<AbraShSkipReason, string> = {
  function: 'function definition (not evaluated)',
  compound: 'compound command (if/case/loop/group; not evaluated)',
  expansion: 'value needs shell expansion ($…, `…`, ~); not evaluated',
  command: 'command other than a plain assignment (not evaluated)',
  'multi-line': 'command spanning several lines (not evaluated)',
  unterminated: 'unterminated quote, substitution or block',
  'too-deep': 'nesting too deep to follow; rest of file skipped',
};

/** Parses abra.sh text. Never throws; linear in the input size. */
export function parseAbraSh(text: string): AbraShFile {
  const out: AbraShFile = { assignments: [], notUnderstood: [] };
  const byName: AssignmentsByName = new Map();
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  for (const unit of splitCommands(text)) {
    if (!unit.hasCode) continue;
    if (unit.failure) {
      skip(out, lines, unit.startLine, unit.endLine, unit.failure);
    } else if (unit.startLine !== unit.endLine) {
      skip(out, lines, unit.startLine, unit.endLine, structuralReason(lines[unit.startLine]) ?? 'multi-line');
    } else {
      classifyLine(out, byName, lines, unit.startLine);
    }
  }
  return out;
}

/** Names abra.sh exports with a statically known value, later assignments winning. */
export function abraShExports(file: AbraShFile): Map<string, AbraShAssignment> {
  const exports = new Map<string, AbraShAssignment>();
  for (const a of file.assignments) if (a.exported) exports.set(a.name, a);
  return exports;
}

function classifyLine(out: AbraShFile, byName: AssignmentsByName, lines: string[], index: number): void {
  const lineText = lines[index];
  const parsed = parseAssignmentLine(lineText);
  if (typeof parsed === 'string') {
    skip(out, lines, index, index, structuralReason(lineText) ?? parsed);
    return;
  }
  for (const stmt of parsed) applyStatement(out, byName, stmt, index + 1);
}

function applyStatement(out: AbraShFile, byName: AssignmentsByName, stmt: Statement, line: number): void {
  for (const w of stmt.words) {
    if (w.value === undefined) {
      // `export NAME`: marks the earlier assignments as exported (once: later ones are exported as they come).
      const earlier = byName.get(w.name);
      if (earlier) for (const a of earlier) a.exported = true;
      continue;
    }
    const assignment: AbraShAssignment = {
      name: w.name,
      value: w.value,
      raw: w.raw,
      exported: stmt.exported,
      line,
      column: w.column + 1,
      valueColumn: w.valueColumn + 1,
    };
    out.assignments.push(assignment);
    const same = byName.get(w.name);
    if (same) same.push(assignment);
    else byName.set(w.name, [assignment]);
  }
}

/**
 * Names shell text sets somewhere, whether or not stacklint can follow it (inside a function, an `if`…),
 * found in one pass: `NAME=` after a line start or one of ` ;&|(` (`export NAME=`, `declare -x NAME=`
 * included), and each name listed after `export` (`export A B C`). Where a regular expression per name would
 * rescan the file for every name asked about, this reads it once.
 */
export function namesSetInShell(text: string): Set<string> {
  const names = new Set<string>();
  let runStart = 0; // start of the current run of non-delimiters
  let runIsName = true; // that run, so far, is a name (or empty)
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (isShellDelimiter(c)) {
      runStart = i + 1;
      runIsName = true;
      continue;
    }
    if (c === '=' && runIsName && i > runStart) names.add(text.slice(runStart, i));
    runIsName = runIsName && isNameChar(c) && !(i === runStart && isDigit(c));
    if (i === runStart && text.startsWith('export', i) && isBlank(text[i + 6])) {
      // `export A B C…`: each name of the list up to the first word that is not a name followed by a blank.
      let j = i + 6;
      let lastWord = -1;
      for (;;) {
        while (isBlank(text[j])) j++;
        const start = j;
        while (j < text.length && isNameChar(text[j])) j++;
        if (j === start) break;
        names.add(text.slice(start, j));
        lastWord = start;
        if (isDigit(text[start]) || !isBlank(text[j])) break;
      }
      // The list is read: go on from its last word (an `=` after it still counts), never reading it twice.
      if (lastWord > i) {
        i = lastWord - 1;
        runStart = lastWord;
        runIsName = true;
      }
    }
  }
  return names;
}

function isShellDelimiter(c: string): boolean {
  return c === ';' || c === '&' || c === '|' || c === '(' || c.trim() === '';
}

function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isNameChar(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || isDigit(c) || c === '_');
}

/** Names written `NAME=` with a non-word character (or nothing) before them: a `\bNAME=` search for all names at once. */
export function namesAssignedInText(text: string): Set<string> {
  const names = new Set<string>();
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (isNameChar(c)) continue;
    if (c === '=' && i > runStart) names.add(text.slice(runStart, i));
    runStart = i + 1;
  }
  return names;
}

function structuralReason(lineText: string): AbraShSkipReason | undefined {
  const t = lineText.trim();
  if (/^function\s/.test(t) || /^[A-Za-z_][\w.:-]*\s*\(\s*\)/.test(t)) return 'function';
  if (/^(if|case|for|while|until|select)\b/.test(t) || /^[{(]/.test(t) || /^\[\[/.test(t)) return 'compound';
  return undefined;
}

function skip(out: AbraShFile, lines: string[], start: number, end: number, reason: AbraShSkipReason): void {
  const lineText = lines[start] ?? '';
  const column = lineText.length - lineText.trimStart().length + 1;
  const text = lineText.length > MAX_TEXT ? lineText.slice(0, MAX_TEXT) + '…' : lineText;
  out.notUnderstood.push({ line: start + 1, endLine: end + 1, column, reason, message: MESSAGES[reason], text });
}

// ---------------------------------------------------------------------------------------------------------
// One line of plain assignments: `[export] NAME=value [NAME=value…] [; …] [# comment]`.

interface AssignWord {
  name: string;
  value?: string;
  raw: string;
  column: number;
  valueColumn: number;
}

interface Statement {
  exported: boolean;
  words: AssignWord[];
}

interface Word {
  raw: string;
  decoded: string;
  column: number;
}

const NAME_EQ = /^([A-Za-z_][A-Za-z0-9_]*)=/;
const NAME_ONLY = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Bash expands an unquoted `~` at the start of an assignment value and after each ':'.
const TILDE = /(^|:)~/;

/** Statements of the line, or why it is not a line of plain assignments. */
function parseAssignmentLine(lineText: string): Statement[] | AbraShSkipReason {
  const groups = tokenize(lineText);
  if (typeof groups === 'string') return groups;
  const statements: Statement[] = [];
  for (const words of groups) {
    if (words.length === 0) continue;
    const stmt = toStatement(words);
    if (typeof stmt === 'string') return stmt;
    statements.push(stmt);
  }
  return statements;
}

function toStatement(words: Word[]): Statement | AbraShSkipReason {
  const exported = words[0].raw === 'export';
  const rest = exported ? words.slice(1) : words;
  if (rest.length === 0) return 'command';
  const out: AssignWord[] = [];
  for (const w of rest) {
    const m = NAME_EQ.exec(w.raw);
    if (m) {
      const prefix = m[0].length;
      if (TILDE.test(w.raw.slice(prefix))) return 'expansion';
      out.push({ name: m[1], value: w.decoded.slice(prefix), raw: w.raw.slice(prefix), column: w.column, valueColumn: w.column + prefix });
    } else if (exported && NAME_ONLY.test(w.raw)) {
      out.push({ name: w.raw, raw: '', column: w.column, valueColumn: w.column });
    } else {
      return 'command';
    }
  }
  return { exported, words: out };
}

const BLANK = /[ \t]/;
const OPERATOR = /[&|<>(){}]/;

/** Splits a line into `;`-separated groups of words, decoding quotes; fails on anything that needs evaluation. */
function tokenize(s: string): Word[][] | AbraShSkipReason {
  const groups: Word[][] = [[]];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (BLANK.test(c)) { i++; continue; }
    if (c === '#') break;
    if (c === ';') { groups.push([]); i++; continue; }
    const word = readWord(s, i);
    if (typeof word === 'string') return word;
    groups[groups.length - 1].push(word.word);
    i = word.end;
  }
  return groups;
}

function readWord(s: string, start: number): { word: Word; end: number } | AbraShSkipReason {
  let decoded = '';
  let i = start;
  while (i < s.length && !BLANK.test(s[i]) && s[i] !== ';') {
    const c = s[i];
    if (c === "'") {
      const close = s.indexOf("'", i + 1);
      if (close < 0) return 'unterminated';
      decoded += s.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      const dq = readDoubleQuoted(s, i + 1);
      if (typeof dq === 'string') return dq;
      decoded += dq.text;
      i = dq.end;
    } else if (c === '\\') {
      if (i + 1 >= s.length) return 'multi-line';
      decoded += s[i + 1];
      i += 2;
    } else if (c === '$' || c === '`') {
      return 'expansion';
    } else if (OPERATOR.test(c)) {
      return 'command';
    } else {
      decoded += c;
      i++;
    }
  }
  return { word: { raw: s.slice(start, i), decoded, column: start }, end: i };
}

function readDoubleQuoted(s: string, from: number): { text: string; end: number } | AbraShSkipReason {
  let text = '';
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"') return { text, end: i + 1 };
    if (c === '$' || c === '`') return 'expansion';
    if (c === '\\' && i + 1 < s.length && '\\"$`'.includes(s[i + 1])) {
      text += s[++i];
    } else {
      text += c;
    }
  }
  return 'unterminated';
}

// ---------------------------------------------------------------------------------------------------------
// Splitting the file into top-level commands: a command ends at a newline outside quotes, substitutions,
// heredocs and compound commands. Good enough to skip function bodies without evaluating anything.

interface CommandUnit {
  startLine: number; // 0-based
  endLine: number;
  hasCode: boolean;
  failure?: AbraShSkipReason;
}

type Ctx = 'sq' | 'dq' | 'bt' | 'subst' | 'param' | 'paren' | 'brace' | 'if' | 'case' | 'loop';

const OPENERS = new Map<string, Ctx>([['if', 'if'], ['case', 'case'], ['do', 'loop'], ['{', 'brace']]);
const CLOSERS = new Map<string, Ctx>([['fi', 'if'], ['esac', 'case'], ['done', 'loop'], ['}', 'brace']]);
const KEEP_COMMAND_START = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'fi', 'done', 'esac']);
const WORD_END = /[\s;&|()<>'"`$\\]/;

class CommandSplitter {
  private i = 0;
  private line = 0;
  private stack: Ctx[] = [];
  private commandStart = true;
  private wordStart = true;
  /** After `function`: the next word is the name, and a `{` may follow it. */
  private functionName = false;
  private heredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];
  private unit: CommandUnit = { startLine: 0, endLine: 0, hasCode: false };
  readonly units: CommandUnit[] = [];

  constructor(private readonly s: string) {}

  run(): CommandUnit[] {
    while (this.i < this.s.length) {
      if (this.stack.length > MAX_NESTING) return this.abort('too-deep');
      this.step();
    }
    if (this.stack.length > 0) this.unit.failure = 'unterminated';
    this.finishUnit();
    return this.units;
  }

  private step(): void {
    const top = this.stack[this.stack.length - 1];
    if (top === 'sq') return this.inSingleQuotes();
    if (top === 'dq') return this.inDoubleQuotes();
    if (top === 'bt') return this.inBackticks();
    if (top === 'param') return this.inParameter();
    this.inCode(top);
  }

  private inSingleQuotes(): void {
    if (this.s[this.i] === "'") this.stack.pop();
    this.advance(1);
  }

  private inDoubleQuotes(): void {
    const c = this.s[this.i];
    if (c === '\\') return this.advance(2);
    if (c === '"') this.stack.pop();
    else if (this.openSubstitution()) return;
    this.advance(1);
  }

  private inBackticks(): void {
    const c = this.s[this.i];
    if (c === '\\') return this.advance(2);
    if (c === '`') this.stack.pop();
    this.advance(1);
  }

  private inParameter(): void {
    const c = this.s[this.i];
    if (c === '\\') return this.advance(2);
    if (c === '}') this.stack.pop();
    else if (c === "'") this.stack.push('sq');
    else if (c === '"') this.stack.push('dq');
    else if (this.openSubstitution()) return;
    this.advance(1);
  }

  /** `$(`, `${` or a backtick: pushes the context and consumes the opener. */
  private openSubstitution(): boolean {
    const c = this.s[this.i];
    const next = this.s[this.i + 1];
    if (c === '$' && next === '(') { this.stack.push('subst'); this.advance(2); this.commandStart = true; return true; }
    if (c === '$' && next === '{') { this.stack.push('param'); this.advance(2); return true; }
    if (c === '`') { this.stack.push('bt'); this.advance(1); return true; }
    return false;
  }

  private inCode(top: Ctx | undefined): void {
    const c = this.s[this.i];
    if (c === '\n') return this.newline();
    if (c === ' ' || c === '\t' || c === '\r') { this.wordStart = true; return this.advance(1); }
    if (c === '#' && this.wordStart) return this.skipComment();
    this.unit.hasCode = true;
    if (c === '\\') { this.wordStart = false; this.commandStart = false; return this.advance(2); }
    if (c === "'" || c === '"') { this.stack.push(c === "'" ? 'sq' : 'dq'); this.afterWordChar(); return this.advance(1); }
    if (this.openSubstitution()) { this.wordStart = false; return; }
    if (c === '(') { this.stack.push('paren'); this.afterOperator(); return this.advance(1); }
    if (c === ')') {
      if (top === 'subst' || top === 'paren') this.stack.pop(); // in a case arm it ends a pattern
      this.afterOperator();
      return this.advance(1);
    }
    if (c === '<' && this.s.startsWith('<<', this.i) && this.s[this.i + 2] !== '<') return this.heredocOperator();
    if (c === ';' || c === '&' || c === '|' || c === '<' || c === '>') { this.afterOperator(); return this.advance(1); }
    this.readWord();
  }

  private readWord(): void {
    const start = this.i;
    let end = start;
    while (end < this.s.length && !WORD_END.test(this.s[end])) end++;
    if (end === start) end++; // a lone `$` or similar
    const word = this.s.slice(start, end);
    const whole = this.wordStart && (end >= this.s.length || /[\s;&|)]/.test(this.s[end]));
    const wasCommandStart = this.commandStart;
    const wasFunctionName = this.functionName;
    this.advance(end - start);
    this.wordStart = false;
    this.commandStart = wasFunctionName;
    this.functionName = false;
    if (!whole || !wasCommandStart) return;
    const opens = OPENERS.get(word);
    const closes = CLOSERS.get(word);
    if (opens) this.stack.push(opens);
    else if (closes && this.stack[this.stack.length - 1] === closes) this.stack.pop();
    if (KEEP_COMMAND_START.has(word)) this.commandStart = true;
    if (word === 'function') this.functionName = true;
  }

  private heredocOperator(): void {
    this.unit.hasCode = true;
    this.advance(2);
    const m = /^(-?)[ \t]*(?:'([^'\n]*)'|"([^"\n]*)"|([^\s;&|<>()]+))/.exec(this.s.slice(this.i, this.i + 512));
    if (!m) return;
    this.heredocs.push({ delimiter: m[2] ?? m[3] ?? (m[4] ?? '').replace(/\\/g, ''), stripTabs: m[1] === '-' });
    this.advance(m[0].length);
    this.wordStart = false;
  }

  private newline(): void {
    this.advance(1);
    this.skipHeredocBodies();
    this.commandStart = true;
    this.wordStart = true;
    if (this.stack.length === 0) {
      this.finishUnit();
      this.unit = { startLine: this.line, endLine: this.line, hasCode: false };
    }
  }

  private skipHeredocBodies(): void {
    for (const doc of this.heredocs) {
      while (this.i < this.s.length) {
        let end = this.s.indexOf('\n', this.i);
        if (end < 0) end = this.s.length;
        let bodyLine = this.s.slice(this.i, end).replace(/\r$/, '');
        if (doc.stripTabs) bodyLine = bodyLine.replace(/^\t+/, '');
        this.advance(Math.min(end + 1, this.s.length) - this.i);
        if (bodyLine === doc.delimiter) break;
      }
    }
    this.heredocs = [];
  }

  private skipComment(): void {
    const end = this.s.indexOf('\n', this.i);
    this.advance((end < 0 ? this.s.length : end) - this.i);
  }

  private afterOperator(): void {
    this.unit.hasCode = true;
    this.commandStart = true;
    this.wordStart = true;
  }

  private afterWordChar(): void {
    this.wordStart = false;
    this.commandStart = false;
  }

  private advance(n: number): void {
    const end = Math.min(this.i + n, this.s.length);
    for (let k = this.i; k < end; k++) if (this.s.charCodeAt(k) === 10) this.line++;
    this.i = end;
    this.unit.endLine = Math.max(this.unit.startLine, this.s[end - 1] === '\n' ? this.line - 1 : this.line);
  }

  private finishUnit(): void {
    if (this.unit.hasCode || this.unit.failure) this.units.push(this.unit);
  }

  private abort(reason: AbraShSkipReason): CommandUnit[] {
    this.unit.failure = reason;
    this.unit.hasCode = true;
    this.unit.endLine = this.s.split('\n').length - 1;
    this.finishUnit();
    return this.units;
  }
}

function splitCommands(text: string): CommandUnit[] {
  return new CommandSplitter(text).run();
}
