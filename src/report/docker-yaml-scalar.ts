// How gopkg.in/yaml.v3 v3.0.1 (which `docker stack config` marshals with) writes a string, ported from its
// source: which strings it must quote (resolve.go), the scalar analysis and style choice (emitterc.go) and the
// four writers (plain, 'single', "double", |literal) run on a small model of the emitter's column and flags,
// so that its quirks come out the same (the lost leading line break of a literal block, `|2` indentation
// hints, every character escaped once a string starts with a byte-order mark, `...` after a final `|+`).
// Each part names the Go function it follows. docker's encoder never folds lines: yaml.v3 initialises
// best_width to -1 (yaml_emitter_initialize), which yaml_emitter_emit_stream_start turns into "unlimited".
import { goParseFloat, underscoreOK } from '../interpolate/go-strconv.js';

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal';

// ---------------------------------------------------------------------------------------------
// resolve.go: what an unquoted string would read back as

/** resolveTable: the first characters whose plain scalars may be something other than a string. */
function resolveHint(s: string): 'M' | 'D' | 'S' | '.' | 'N' | undefined {
  if (s === '') return 'N';
  const c = s[0];
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return undefined;
}

/** resolveMap: the words (booleans, nulls, special floats) looked up whole; "<<" is left out, its hint is 0. */
const RESOLVE_WORDS = new Set([
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);

/** yamlStyleFloat. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseUint(s, base, 64); base 0 reads 0x/0o/0b or a leading 0 (octal) and allows underscores. */
function goParseUint(s: string, base: 0 | 2 | 8): bigint | undefined {
  if (s === '') return undefined;
  let radix: number = base;
  let body = s;
  if (base === 0) {
    radix = 10;
    if (s[0] === '0') {
      const p = s[1]?.toLowerCase();
      if (s.length >= 3 && (p === 'b' || p === 'o' || p === 'x')) {
        radix = p === 'b' ? 2 : p === 'o' ? 8 : 16;
        body = s.slice(2);
      } else {
        radix = 8;
        body = s.slice(1);
      }
    }
  }
  let n = 0n;
  let underscores = false;
  for (const c of body) {
    if (c === '_' && base === 0) {
      underscores = true;
      continue;
    }
    const code = c.charCodeAt(0);
    const lower = code | 0x20;
    const d = c >= '0' && c <= '9' ? code - 48 : lower >= 0x61 && lower <= 0x7a ? lower - 0x61 + 10 : 99;
    if (d >= radix) return undefined;
    n = n * BigInt(radix) + BigInt(d);
    if (n > UINT64_MAX) return undefined;
  }
  return underscores && !underscoreOK(s) ? undefined : n;
}

/** Go's strconv.ParseInt(s, base, 64) succeeding: an optional sign, ParseUint, then the int64 range. */
function goParsesInt(s: string, base: 0 | 2 | 8): boolean {
  const negative = s[0] === '-';
  const n = goParseUint(s[0] === '+' || s[0] === '-' ? s.slice(1) : s, base);
  if (n === undefined) return false;
  return negative ? n <= -INT64_MIN : n <= INT64_MAX;
}

/** Go's strconv.ParseUint succeeding. */
function goParsesUint(s: string, base: 0 | 2 | 8): boolean {
  return goParseUint(s, base) !== undefined;
}

/** parseTimestamp: YYYY- then one of the four time.Parse layouts yaml.v3 allows. */
function isTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false;
  const m = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(\.[0-9]+)?(Z|[-+][0-9]{2}:[0-9]{2})?)?$/.exec(s);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  if (day > days[month - 1]) return false;
  if (m[4] === undefined) return true;
  if (m[4] === ' ' && m[9] !== undefined) return false; // "2006-1-2 15:4:5.999999999" has no zone
  if (m[4] !== ' ' && m[9] === undefined) return false; // the T forms require one
  if (m[8] !== undefined && m[8].length > 10) return false; // at most nine fractional digits
  if (m[9] !== undefined && m[9] !== 'Z' && (Number(m[9].slice(1, 3)) > 23 || Number(m[9].slice(4)) > 59)) return false;
  return Number(m[5]) < 24 && Number(m[6]) < 60 && Number(m[7]) < 60;
}

/** resolve("", s) returning a tag other than !!str. */
export function resolvesToNonString(s: string): boolean {
  const hint = resolveHint(s);
  if (hint === undefined) return false;
  if (RESOLVE_WORDS.has(s)) return true;
  switch (hint) {
    case '.':
      return goParseFloat(s).ok;
    case 'D':
    case 'S': {
      if (isTimestamp(s)) return true;
      const plain = s.replace(/_/g, '');
      if (goParsesInt(plain, 0) || goParsesUint(plain, 0)) return true;
      if (YAML_STYLE_FLOAT.test(plain) && goParseFloat(plain).ok) return true;
      if (plain.startsWith('0b')) return goParsesInt(plain.slice(2), 2) || goParsesUint(plain.slice(2), 2);
      if (plain.startsWith('-0b')) return goParsesInt(`-${plain.slice(3)}`, 2);
      if (plain.startsWith('0o')) return goParsesInt(plain.slice(2), 8) || goParsesUint(plain.slice(2), 8);
      if (plain.startsWith('-0o')) return goParsesInt(`-${plain.slice(3)}`, 8);
      return false;
    }
    default:
      return false;
  }
}

/** encode.go base60float: quoted on the way out for YAML 1.1 readers. */
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** encode.go isOldBool. */
const OLD_BOOLS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);

/** encoder.stringv: the style asked of the emitter (a line break asks for a literal block). */
function requestedStyle(s: string): ScalarStyle {
  const canUsePlain = !resolvesToNonString(s) && !BASE60_FLOAT.test(s) && !OLD_BOOLS.has(s);
  if (s.includes('\n')) return 'literal';
  return canUsePlain ? 'plain' : 'double';
}

// ---------------------------------------------------------------------------------------------
// yamlprivateh.go: character classes, on code points (Go tests UTF-8 bytes; the classes are the same)

/** is_printable: note that nothing above U+FFFF is printable, nor NEL, nor U+FFFE/U+FFFF. */
function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  );
}

/** is_break. */
function isBreak(cp: number | undefined): boolean {
  return cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
}

/** is_space: the space character only. */
function isSpace(cp: number | undefined): boolean {
  return cp === 0x20;
}

/** is_blank. */
function isBlank(cp: number | undefined): boolean {
  return cp === 0x20 || cp === 0x09;
}

/** is_blankz: blank, break, NUL, or past the end. */
function isBlankz(cp: number | undefined): boolean {
  return cp === undefined || cp === 0 || isBlank(cp) || isBreak(cp);
}

// ---------------------------------------------------------------------------------------------
// emitterc.go yaml_emitter_analyze_scalar

interface ScalarAnalysis {
  multiline: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** yaml_emitter_analyze_scalar (block context only: docker's output has no flow collections of scalars). */
function analyzeScalar(cps: number[]): ScalarAnalysis {
  if (cps.length === 0) return { multiline: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  const startsWith = (a: number) => cps.length >= 3 && cps[0] === a && cps[1] === a && cps[2] === a;
  let blockIndicators = startsWith(0x2d) || startsWith(0x2e); // "---" or "..."
  let lineBreaks = false;
  let special = false;
  let tabs = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  let precededByWhitespace = true;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    const followedByWhitespace = i + 1 >= cps.length || isBlank(cps[i + 1]);
    const ch = String.fromCodePoint(c);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) blockIndicators = true;
      else if ((ch === '?' || ch === ':' || ch === '-') && followedByWhitespace) blockIndicators = true;
    } else if (ch === ':' && followedByWhitespace) blockIndicators = true;
    else if (ch === '#' && precededByWhitespace) blockIndicators = true;

    if (c === 0x09) tabs = true;
    else if (!isPrintable(c)) special = true; // the encoder sets unicode: non-ASCII is not special by itself

    if (isSpace(c)) {
      if (i === 0) leadingSpace = true;
      if (i === cps.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === cps.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
  }
  let blockPlainAllowed = true;
  let singleQuotedAllowed = true;
  let blockAllowed = true;
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlainAllowed = false;
  if (trailingSpace) blockAllowed = false;
  if (breakSpace) blockPlainAllowed = singleQuotedAllowed = false;
  if (spaceBreak || tabs || special) blockPlainAllowed = singleQuotedAllowed = false;
  if (spaceBreak || special) blockAllowed = false;
  if (lineBreaks || blockIndicators) blockPlainAllowed = false;
  return { multiline: lineBreaks, blockPlainAllowed, singleQuotedAllowed, blockAllowed };
}

/** yaml_emitter_select_scalar_style for an implicit, untagged string in block context. */
function selectScalarStyle(requested: ScalarStyle, a: ScalarAnalysis, empty: boolean, simpleKey: boolean): ScalarStyle {
  let style = requested;
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain' && (!a.blockPlainAllowed || (empty && simpleKey))) style = 'single';
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

/** The style yaml.v3 writes a string in, as a value (simpleKey false) or as a simple mapping key. */
export function scalarStyle(s: string, simpleKey: boolean): ScalarStyle {
  const cps = Array.from(s, (c) => c.codePointAt(0)!);
  return selectScalarStyle(requestedStyle(s), analyzeScalar(cps), s.length === 0, simpleKey);
}

/** yaml_emitter_check_simple_key for a string key: single-line and at most 128 bytes. */
export function isSimpleKey(s: string): boolean {
  return !analyzeScalar(Array.from(s, (c) => c.codePointAt(0)!)).multiline && Buffer.byteLength(s, 'utf8') <= 128;
}

// ---------------------------------------------------------------------------------------------
// emitterc.go: the writers, on a model of the emitter's output position and flags

/** The parts of yaml_emitter_t the scalar writers read and change. */
class Emitter {
  out = '';
  constructor(
    /** emitter.column: characters written on the current line (a character counts 1 whatever its width). */
    public column: number,
    /** emitter.indent: the scalar's indentation (yaml_emitter_increase_indent before process_scalar). */
    public readonly indent: number,
    /** emitter.whitespace: the last thing written was whitespace (false after a `key:` or `-` indicator). */
    public whitespace = false,
    /** emitter.indention: only indentation so far on this line. */
    public indention = false,
    /** emitter.open_ended: set by a `+` chomping hint. */
    public openEnded = false,
  ) {}

  /** put. */
  put(ch: string): void {
    this.out += ch;
    this.column++;
  }

  /** put_break. */
  putBreak(): void {
    this.out += '\n';
    this.column = 0;
    this.indention = true;
  }

  /** write: one character copied from the value. */
  write(cp: number): void {
    this.out += String.fromCodePoint(cp);
    this.column++;
  }

  /** write_break: a \n becomes the configured line break, other breaks are copied. */
  writeBreak(cp: number): void {
    if (cp === 0x0a) {
      this.putBreak();
      return;
    }
    this.write(cp);
    this.column = 0;
    this.indention = true;
  }

  /** yaml_emitter_write_indent (no foot comments here). */
  writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
  }

  /** yaml_emitter_write_indicator. */
  writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const ch of indicator) this.put(ch);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
    this.openEnded = false;
  }
}

/** yaml_emitter_write_plain_scalar (no line folding: best_width is unlimited). */
function writePlain(e: Emitter, cps: number[]): void {
  if (cps.length > 0 && !e.whitespace) e.put(' ');
  let breaks = false;
  for (const c of cps) {
    if (isBreak(c)) {
      if (!breaks && c === 0x0a) e.putBreak();
      e.writeBreak(c);
      breaks = true;
    } else {
      if (breaks) e.writeIndent();
      e.write(c);
      if (!isSpace(c)) {
        e.indention = false;
        breaks = false;
      }
    }
  }
  if (cps.length > 0) e.whitespace = false;
  e.indention = false;
}

/** yaml_emitter_write_single_quoted_scalar: quotes doubled; a break other than \n is copied, then indented. */
function writeSingleQuoted(e: Emitter, cps: number[]): void {
  e.writeIndicator("'", true, false, false);
  let breaks = false;
  for (const c of cps) {
    if (isSpace(c)) {
      e.write(c);
    } else if (isBreak(c)) {
      if (!breaks && c === 0x0a) e.putBreak();
      e.writeBreak(c);
      breaks = true;
    } else {
      if (breaks) e.writeIndent();
      if (c === 0x27) e.put("'");
      e.write(c);
      e.indention = false;
      breaks = false;
    }
  }
  e.writeIndicator("'", false, false, false);
  e.whitespace = false;
  e.indention = false;
}

/** The short escapes of yaml_emitter_write_double_quoted_scalar. */
const ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

/**
 * yaml_emitter_write_double_quoted_scalar. Its is_bom test looks at the value's first three bytes whatever
 * the position, so a string that starts with U+FEFF has every character escaped.
 */
function writeDoubleQuoted(e: Emitter, cps: number[]): void {
  e.writeIndicator('"', true, false, false);
  const startsWithBom = cps[0] === 0xfeff;
  for (const c of cps) {
    if (!isPrintable(c) || startsWithBom || isBreak(c) || c === 0x22 || c === 0x5c) {
      e.put('\\');
      const short = ESCAPES[c];
      if (short !== undefined) e.put(short);
      else {
        const [letter, width] = c <= 0xff ? ['x', 2] : c <= 0xffff ? ['u', 4] : ['U', 8];
        e.put(letter);
        for (const d of c.toString(16).toUpperCase().padStart(width, '0')) e.put(d);
      }
    } else {
      e.write(c);
    }
  }
  e.writeIndicator('"', false, false, false);
  e.whitespace = false;
  e.indention = false;
}

/** yaml_emitter_write_block_scalar_hints: `2` when the text starts with a space or break, then `-` or `+`. */
function writeBlockScalarHints(e: Emitter, cps: number[], bestIndent: number): void {
  if (isSpace(cps[0]) || isBreak(cps[0])) e.writeIndicator(String(bestIndent), false, false, false);
  e.openEnded = false;
  let chomp = '';
  const last = cps.length - 1;
  if (cps.length === 0 || !isBreak(cps[last])) chomp = '-';
  else if (last === 0 || isBreak(cps[last - 1])) {
    chomp = '+';
    e.openEnded = true;
  }
  if (chomp) e.writeIndicator(chomp, false, false, false);
}

/**
 * yaml_emitter_write_literal_scalar. The header's line ends only through the first content line's
 * write_indent, or through a leading break of the text itself, which is then lost (yaml.v3 v3.0.1 bug).
 */
function writeLiteral(e: Emitter, cps: number[], bestIndent: number): void {
  e.writeIndicator('|', true, false, false);
  writeBlockScalarHints(e, cps, bestIndent);
  e.whitespace = true;
  let breaks = true;
  for (const c of cps) {
    if (isBreak(c)) {
      e.writeBreak(c);
      breaks = true;
    } else {
      if (breaks) e.writeIndent();
      e.write(c);
      e.indention = false;
      breaks = false;
    }
  }
}

export interface WrittenScalar {
  style: ScalarStyle;
  /** What the emitter writes from the current position on, the separating space included. */
  text: string;
  /** emitter.open_ended afterwards: a `|+` block that ends the stream is followed by `...`. */
  openEnded: boolean;
}

/**
 * A string as yaml.v3 writes it from `column`: right after a `key:`, `-`, `?` or `:` indicator, or (a simple
 * key, `afterIndent`) at the start of its line. `indent` is the scalar's own indentation (the enclosing
 * collection's plus 2).
 */
export function writeScalar(s: string, column: number, indent: number, simpleKey = false, afterIndent = false): WrittenScalar {
  const cps = Array.from(s, (c) => c.codePointAt(0)!);
  const style = selectScalarStyle(requestedStyle(s), analyzeScalar(cps), cps.length === 0, simpleKey);
  const e = new Emitter(column, indent, afterIndent, afterIndent);
  switch (style) {
    case 'plain':
      writePlain(e, cps);
      break;
    case 'single':
      writeSingleQuoted(e, cps);
      break;
    case 'double':
      writeDoubleQuoted(e, cps);
      break;
    case 'literal':
      writeLiteral(e, cps, 2);
      break;
  }
  return { style, text: e.out, openEnded: e.openEnded };
}

// ---------------------------------------------------------------------------------------------
// sorter.go keyList.Less: the order of map keys

function isLetter(ch: string): boolean {
  return /^\p{L}$/u.test(ch);
}

function isDigit(ch: string): boolean {
  return /^\p{Nd}$/u.test(ch);
}

/** yaml.v3's keyList.Less for string keys: letters before other runes, runs of digits compared as numbers. */
export function compareYamlKeys(a: string, b: string): number {
  if (a === b) return 0;
  return yamlKeyLess(a, b) ? -1 : 1;
}

function yamlKeyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  let digits = false;
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) {
      digits = isDigit(ar[i]);
      continue;
    }
    const al = isLetter(ar[i]);
    const bl = isLetter(br[i]);
    if (al && bl) return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
    if (al || bl) return digits ? al : bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai].codePointAt(0)! - 48)); // int64, wrapping as in Go
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi].codePointAt(0)! - 48));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i].codePointAt(0)! < br[i].codePointAt(0)!;
  }
  return ar.length < br.length;
}
