// Static parser for .env.sample / .env files. Nothing is ever sourced or executed: the text is read the way
// abra's env reader (a godotenv fork) reads it, and commented `#KEY=value` lines are kept too, flagged
// `commented`, because recipes document optional settings that way.

export type EnvQuote = '' | "'" | '"';

export interface EnvEntry {
  key: string;
  /**
   * The value as abra's reader yields it: quotes removed, `\n`/`\r`/`\"` escapes applied in double quotes,
   * and `$VAR` / `${VAR}` expanded from earlier entries (not in single quotes). For a commented line it is
   * the value the line would have if the operator uncommented it (see `parseEnvFile`).
   */
  value: string;
  /** The value as written: between the quotes, or before an inline comment; no escapes, no expansion. */
  raw: string;
  quote: EnvQuote;
  commented: boolean;
  exported: boolean;
  /** Position of the key: 1-based line and column (UTF-16 code units, like the rest of stacklint). */
  line: number;
  column: number;
  /** Position of the value's first character (the opening quote when quoted). */
  valueLine: number;
  valueColumn: number;
  /** Last line of the entry (later than `line` for a multi-line quoted value). */
  endLine: number;
  /** Inline comment after the value, without the '#', trimmed. */
  comment?: string;
  /** abra's modifiers in the inline comment, e.g. `# length=128 charset=hex`. */
  modifiers: Record<string, string>;
}

export interface EnvNotUnderstood {
  line: number;
  column: number;
  /** The line's text (cut to 200 characters). */
  text: string;
  reason: string;
}

export interface EnvFile {
  entries: EnvEntry[];
  notUnderstood: EnvNotUnderstood[];
}

/** Limits that keep hostile input bounded: `$A$A` chains can double a value on every line. */
export const ENV_LIMITS = {
  maxValueLength: 64 * 1024,
  /** Characters that expansion may produce over the whole file. */
  maxExpandedTotal: 8 * 1024 * 1024,
  maxReportedTextLength: 200,
};

const ACTIVE_KEY = /^(export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=/;
// Stricter for comments, so prose is not mistaken for a value: one '#', no space before '='.
const COMMENTED_KEY = /^#[ \t]*(export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)=/;
// godotenv's expansion pattern, kept byte for byte so quirks (`${X:-d}` → value + ":-d}") match abra.
const EXPAND_VAR = /(\\)?(\$)(\()?\{?([A-Z0-9_]+)?\}?/g;

interface Line {
  /** The line without its line break (and without a trailing '\r'). */
  text: string;
}

interface Scope {
  /** Values of active entries so far (what godotenv has in its map). */
  active: Map<string, string>;
  /** Commented entries of the current paragraph: uncommenting a block makes them visible to each other. */
  paragraph: Map<string, string>;
  budget: { left: number; exhausted: boolean };
}

interface ValueScan {
  raw: string;
  quote: EnvQuote;
  /** 0-based column of the value's first character (the opening quote when quoted). */
  column: number;
  /** 0-based index of the value's last line. */
  endLine: number;
  /** Text after the closing quote on the last line (empty for unquoted values). */
  trailing: string;
  trailingColumn: number;
  comment?: string;
}

/**
 * Parses .env text. Never throws; linear in the input size.
 *
 * Commented entries: a line `#KEY=value` or `# KEY=value` (exactly one '#'; `##` lines are prose). Its
 * `value` is expanded as if the operator uncommented it together with the commented lines above it in the
 * same paragraph (a run of non-blank lines), since that is how recipes write optional blocks, e.g. bonfire's
 * `#COMPOSE_FILE="$COMPOSE_FILE:compose.s3.yml"` followed by the s3 tokenfile line.
 */
export function parseEnvFile(text: string): EnvFile {
  const lines = splitLines(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  const out: EnvFile = { entries: [], notUnderstood: [] };
  const scope: Scope = {
    active: new Map(),
    paragraph: new Map(),
    budget: { left: ENV_LIMITS.maxExpandedTotal, exhausted: false },
  };
  for (let i = 0; i < lines.length; i++) {
    const lineText = lines[i].text;
    const indent = lineText.length - lineText.trimStart().length;
    const rest = lineText.slice(indent);
    if (rest === '') {
      scope.paragraph.clear();
    } else if (rest[0] === '#') {
      i = parseCommentedLine(lines, i, indent, scope, out);
    } else {
      i = parseActiveLine(lines, i, indent, scope, out);
    }
  }
  return out;
}

/** Values of the uncommented entries, later ones winning: what abra reads from the file. */
export function activeEnvValues(file: EnvFile): Map<string, string> {
  const values = new Map<string, string>();
  for (const e of file.entries) if (!e.commented) values.set(e.key, e.value);
  return values;
}

function parseActiveLine(lines: Line[], i: number, indent: number, scope: Scope, out: EnvFile): number {
  const lineText = lines[i].text;
  const m = ACTIVE_KEY.exec(lineText.slice(indent));
  if (!m) {
    notUnderstood(out, i, indent, lineText, 'not a KEY=value line');
    return i;
  }
  const scan = scanValue(lines, i, indent + m[0].length, true);
  if (!scan) {
    notUnderstood(out, i, indent + m[0].length, lineText, 'unterminated quoted value (abra cannot read this file)');
    return i;
  }
  const keyColumn = indent + (m[1] ? m[1].length : 0);
  const entry = makeEntry(m[2], Boolean(m[1]), false, i, keyColumn, scan);
  entry.value = resolveValue(entry, (name) => scope.active.get(name), scope, out);
  checkTrailing(scan, out, lines);
  out.entries.push(entry);
  scope.active.set(entry.key, entry.value);
  return scan.endLine;
}

/** Reads a commented line (an assignment, or prose); returns the index of the last line it took. */
function parseCommentedLine(lines: Line[], i: number, indent: number, scope: Scope, out: EnvFile): number {
  const lineText = lines[i].text;
  const m = COMMENTED_KEY.exec(lineText.slice(indent));
  if (!m) return i; // prose
  const scan = scanValue(lines, i, indent + m[0].length, false) ?? scanCommentedBlock(lines, i, indent + m[0].length, indent);
  if (!scan) {
    notUnderstood(out, i, indent + m[0].length, lineText, 'commented assignment with an unterminated quote');
    return i;
  }
  const keyColumn = indent + m[0].length - 1 - m[2].length;
  const entry = makeEntry(m[2], Boolean(m[1]), true, i, keyColumn, scan);
  const lookup = (name: string) => scope.paragraph.get(name) ?? scope.active.get(name);
  entry.value = resolveValue(entry, lookup, scope, out);
  checkTrailing(scan, out, lines);
  out.entries.push(entry);
  scope.paragraph.set(entry.key, entry.value);
  return scan.endLine;
}

/** A commented multi-line value longer than this is not read (it keeps the scan linear on hostile files). */
const MAX_COMMENTED_VALUE_LINES = 100;

/**
 * Scans the value of the commented assignment on line `i` as it reads once its block is uncommented (each '#'
 * taken off), so a quoted value spanning commented lines (`#EXTRA="\` … `#  more"`) reads as it will when
 * enabled. The first line's '#' becomes a blank (columns stay); the block ends at the first line that is not a
 * comment, or after MAX_COMMENTED_VALUE_LINES.
 */
function scanCommentedBlock(lines: Line[], i: number, afterEq: number, indent: number): ValueScan | undefined {
  const first = lines[i].text;
  const block: Line[] = [{ text: `${first.slice(0, indent)} ${first.slice(indent + 1)}` }];
  for (let j = i + 1; j < lines.length && block.length < MAX_COMMENTED_VALUE_LINES; j++) {
    const text = lines[j].text;
    const at = text.length - text.trimStart().length;
    if (text[at] !== '#') break;
    block.push({ text: text.slice(0, at) + text.slice(at + 1) });
  }
  const scan = scanValue(block, 0, afterEq, true);
  return scan && { ...scan, endLine: scan.endLine + i };
}

function makeEntry(key: string, exported: boolean, commented: boolean, i: number, keyColumn: number, scan: ValueScan): EnvEntry {
  const entry: EnvEntry = {
    key,
    value: scan.raw,
    raw: scan.raw,
    quote: scan.quote,
    commented,
    exported,
    line: i + 1,
    column: keyColumn + 1,
    valueLine: i + 1,
    valueColumn: scan.column + 1,
    endLine: scan.endLine + 1,
    modifiers: scan.comment === undefined ? {} : parseModifiers(scan.comment),
  };
  if (scan.comment !== undefined) entry.comment = scan.comment;
  return entry;
}

function parseModifiers(comment: string): Record<string, string> {
  const modifiers: Record<string, string> = {};
  for (const word of comment.split(/\s+/)) {
    const eq = word.indexOf('=');
    if (eq > 0) modifiers[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return modifiers;
}

function checkTrailing(scan: ValueScan, out: EnvFile, lines: Line[]): void {
  const t = scan.trailing.trim();
  if (t !== '' && !t.startsWith('#')) {
    notUnderstood(out, scan.endLine, scan.trailingColumn, lines[scan.endLine].text, 'unexpected text after the closing quote');
  }
}

/**
 * Reads the value that follows the '=' at `afterEq` on line `i`. Unquoted values run to the end of the
 * line, an inline comment starting at the first blank followed by '#' (so `KEY=   # note` is empty, as in
 * a shell). Quoted values may span lines when `multiLine` (godotenv allows it); returns undefined for an
 * unterminated quote.
 */
function scanValue(lines: Line[], i: number, afterEq: number, multiLine: boolean): ValueScan | undefined {
  const lineText = lines[i].text;
  const col = skipBlanks(lineText, afterEq);
  const q = lineText[col];
  if (q !== '"' && q !== "'") return scanUnquoted(lineText, i, afterEq, col);
  const close = findClosingQuote(lineText, col + 1, q);
  if (close >= 0) return quoted(lineText.slice(col + 1, close), q, i, col, lineText, close);
  if (!multiLine) return undefined;
  const found = findOnLaterLines(lines, i + 1, q);
  if (!found) return undefined;
  const parts = [lineText.slice(col + 1)];
  for (let k = i + 1; k < found.line; k++) parts.push(lines[k].text);
  const last = lines[found.line].text;
  parts.push(last.slice(0, found.column));
  return quoted(parts.join('\n'), q, found.line, col, last, found.column);
}

function scanUnquoted(lineText: string, i: number, afterEq: number, col: number): ValueScan {
  const rest = lineText.slice(afterEq);
  const hash = rest.search(/[ \t]#/);
  const raw = (hash >= 0 ? rest.slice(0, hash) : rest).trim();
  const scan: ValueScan = { raw, quote: '', column: col, endLine: i, trailing: '', trailingColumn: lineText.length };
  if (hash >= 0) scan.comment = rest.slice(hash + 2).trim();
  return scan;
}

function quoted(raw: string, q: EnvQuote, endLine: number, col: number, lastLine: string, close: number): ValueScan {
  const trailing = lastLine.slice(close + 1);
  const scan: ValueScan = { raw, quote: q, column: col, endLine, trailing, trailingColumn: close + 1 };
  const t = trailing.trim();
  if (t.startsWith('#')) scan.comment = t.slice(1).trim();
  return scan;
}

/** godotenv skips a quote preceded by a backslash, in both quote styles. */
function findClosingQuote(s: string, from: number, q: string): number {
  for (let k = s.indexOf(q, from); k >= 0; k = s.indexOf(q, k + 1)) {
    if (s[k - 1] !== '\\') return k;
  }
  return -1;
}

/**
 * The first closing quote on a later line. Linear overall: an opening quote is never escaped, so a search
 * that fails proves no later line opens that quote style again.
 */
function findOnLaterLines(lines: Line[], fromLine: number, q: string): { line: number; column: number } | undefined {
  for (let k = fromLine; k < lines.length; k++) {
    const column = findClosingQuote(lines[k].text, 0, q);
    if (column >= 0) return { line: k, column };
  }
  return undefined;
}

function resolveValue(entry: EnvEntry, lookup: (name: string) => string | undefined, scope: Scope, out: EnvFile): string {
  if (entry.quote === "'") return entry.raw;
  const unescaped = entry.quote === '"' ? expandEscapes(entry.raw) : entry.raw;
  if (!unescaped.includes('$')) return unescaped;
  if (scope.budget.exhausted) return entry.raw;
  const expanded = expandVariables(unescaped, lookup);
  scope.budget.left -= expanded.length;
  if (expanded.length > ENV_LIMITS.maxValueLength || scope.budget.left < 0) {
    scope.budget.exhausted = scope.budget.left < 0;
    notUnderstood(out, entry.line - 1, entry.valueColumn - 1, `${entry.key}=${entry.raw}`, 'value too long after expansion; kept unexpanded');
    return entry.raw;
  }
  return expanded;
}

function expandEscapes(s: string): string {
  const newlines = s.replace(/\\./g, (m) => (m === '\\n' ? '\n' : m === '\\r' ? '\r' : m));
  return newlines.replace(/\\([^$])/g, '$1');
}

/** godotenv's expandVariables: `\$X` stays literal, unknown names become empty, `$(` is left alone. */
export function expandVariables(value: string, lookup: (name: string) => string | undefined): string {
  return value.replace(EXPAND_VAR, (match, backslash: string | undefined, _dollar, _paren, name: string | undefined) => {
    if (backslash) return match.slice(1);
    if (name) return lookup(name) ?? '';
    return match;
  });
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    lines.push({ text: raw.endsWith('\r') ? raw.slice(0, -1) : raw });
    start = end + 1;
  }
  return lines;
}

function skipBlanks(s: string, from: number): number {
  let k = from;
  while (s[k] === ' ' || s[k] === '\t') k++;
  return k;
}

function notUnderstood(out: EnvFile, lineIndex: number, col: number, text: string, reason: string): void {
  out.notUnderstood.push({
    line: lineIndex + 1,
    column: col + 1,
    text: text.length > ENV_LIMITS.maxReportedTextLength ? text.slice(0, ENV_LIMITS.maxReportedTextLength) + '…' : text,
    reason,
  });
}
