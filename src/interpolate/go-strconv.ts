// Go standard-library behaviour that docker's messages and casts depend on: strconv.Quote (used by
// %q and %#v), strconv.Atoi and strconv.ParseFloat, with Go's exact error texts.

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isGoPrint(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

const CONTROL_ESCAPES: Record<number, string> = { 7: '\\a', 8: '\\b', 12: '\\f', 10: '\\n', 13: '\\r', 9: '\\t', 11: '\\v' };

function quoteCodePoint(cp: number): string {
  if (cp === 0x22) return '\\"';
  if (cp === 0x5c) return '\\\\';
  if (isGoPrint(cp)) return String.fromCodePoint(cp);
  if (CONTROL_ESCAPES[cp]) return CONTROL_ESCAPES[cp];
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  if (cp < 0x10000) return `\\u${hex(cp, 4)}`;
  return `\\U${hex(cp, 8)}`;
}

/** A lone surrogate reaches Go as three invalid UTF-8 bytes, which Quote prints as \x escapes. */
function quoteLoneSurrogate(cp: number): string {
  const bytes = [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)];
  return bytes.map((b) => `\\x${hex(b, 2)}`).join('');
}

/** Go's strconv.Quote: what `%q` and `%#v` print for a string. */
export function goQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    out += cp >= 0xd800 && cp <= 0xdfff ? quoteLoneSurrogate(cp) : quoteCodePoint(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return out + '"';
}

export type GoParse<T> = { ok: true; value: T } | { ok: false; error: string };

function numError(fn: string, input: string, reason: 'syntax' | 'range'): { ok: false; error: string } {
  const why = reason === 'syntax' ? 'invalid syntax' : 'value out of range';
  return { ok: false, error: `strconv.${fn}: parsing ${goQuote(input)}: ${why}` };
}

function utf8Length(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function toJsInteger(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_CUTOFF = 1n << 63n;

/** strconv.ParseUint(s, 10, 64) as ParseInt uses it: the first bad byte or the first overflow decides. */
function parseDecimalUint(s: string): { value: bigint } | { reason: 'syntax' | 'range' } {
  if (s === '') return { reason: 'syntax' };
  let n = 0n;
  for (const c of s) {
    if (!isDigit(c)) return { reason: 'syntax' }; // letters parse as digits >= 10, which base 10 rejects too
    n = n * 10n + BigInt(c.charCodeAt(0) - 48);
    if (n > UINT64_MAX) return { reason: 'range' };
  }
  return { value: n };
}

/** Go's strconv.Atoi on a 64-bit platform (int is int64). */
export function goAtoi(s: string): GoParse<number | bigint> {
  const len = utf8Length(s);
  const neg = s[0] === '-';
  const digits = neg || s[0] === '+' ? s.slice(1) : s;
  if (len > 0 && len < 19) {
    // Go's fast path: sign, then ASCII digits only.
    if (digits === '' || ![...digits].every(isDigit)) return numError('Atoi', s, 'syntax');
    const n = BigInt(digits);
    return { ok: true, value: toJsInteger(neg ? -n : n) };
  }
  if (s === '') return numError('Atoi', s, 'syntax');
  const parsed = parseDecimalUint(digits);
  if ('reason' in parsed && parsed.reason === 'syntax') return numError('Atoi', s, 'syntax');
  const un = 'value' in parsed ? parsed.value : UINT64_MAX;
  if ((!neg && un >= INT64_CUTOFF) || (neg && un > INT64_CUTOFF)) return numError('Atoi', s, 'range');
  return { ok: true, value: toJsInteger(neg ? -un : un) };
}

/** strconv's underscoreOK: underscores only between digits (or after a base prefix). */
export function underscoreOK(input: string): boolean {
  let s = input;
  let saw = '^';
  let i = 0;
  if (s[0] === '-' || s[0] === '+') s = s.slice(1);
  let hexDigits = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1])) {
    i = 2;
    saw = '0';
    hexDigits = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i];
    if (isDigit(c) || (hexDigits && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** The (possibly signed) inf/infinity/nan prefix Go's ParseFloat accepts, and its length. */
function specialFloat(s: string): { value: number; length: number } | undefined {
  let sign = 1;
  let rest = s;
  let signLen = 0;
  if (s[0] === '+' || s[0] === '-') {
    sign = s[0] === '-' ? -1 : 1;
    rest = s.slice(1);
    signLen = 1;
  }
  const lower = rest.toLowerCase();
  if (signLen === 1 || rest[0] === 'i' || rest[0] === 'I') {
    let n = 0;
    while (n < 8 && n < lower.length && lower[n] === 'infinity'[n]) n++;
    if (n > 3 && n < 8) n = 3;
    if (n === 3 || n === 8) return { value: sign * Infinity, length: signLen + n };
    return undefined;
  }
  if (lower.startsWith('nan')) return { value: NaN, length: 3 };
  return undefined;
}

interface FloatSyntax {
  consumed: number;
  hex: boolean;
}

/** Go's readFloat: how much of s is a float literal (decimal, or hex with a p exponent). */
function readFloat(s: string): FloatSyntax | undefined {
  let i = 0;
  let underscores = false;
  if (s[i] === '+' || s[i] === '-') i++;
  let hexMode = false;
  if (i + 2 < s.length && s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X')) {
    hexMode = true;
    i += 2;
  }
  let sawDot = false;
  let sawDigits = false;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '_') {
      underscores = true;
      continue;
    }
    if (c === '.') {
      if (sawDot) break;
      sawDot = true;
      continue;
    }
    if (isDigit(c) || (hexMode && /[a-fA-F]/.test(c))) {
      sawDigits = true;
      continue;
    }
    break;
  }
  if (!sawDigits) return undefined;
  const expChar = hexMode ? 'p' : 'e';
  if (i < s.length && s[i].toLowerCase() === expChar) {
    i++;
    if (i >= s.length) return undefined;
    if (s[i] === '+' || s[i] === '-') i++;
    if (!isDigit(s[i])) return undefined;
    for (; i < s.length && (isDigit(s[i]) || s[i] === '_'); i++) if (s[i] === '_') underscores = true;
  } else if (hexMode) {
    return undefined; // a hex float must have an exponent
  }
  if (underscores && !underscoreOK(s.slice(0, i))) return undefined;
  return { consumed: i, hex: hexMode };
}

/** Value of a hex float literal (already syntax-checked); close to Go's rounding, exact outside subnormals. */
function hexFloatValue(literal: string): number {
  const m = /^([+-]?)0[xX]([0-9a-fA-F_]*)(?:\.([0-9a-fA-F_]*))?[pP]([+-]?[0-9_]+)$/.exec(literal);
  if (!m) return NaN;
  const intPart = m[2].replace(/_/g, '');
  const fracPart = (m[3] ?? '').replace(/_/g, '');
  const mantissa = BigInt('0x' + (intPart + fracPart || '0'));
  const exponent = Math.max(-100000, Math.min(100000, Number(m[4].replace(/_/g, '')) - 4 * fracPart.length));
  let value: number;
  if (mantissa === 0n) value = 0;
  else if (exponent >= 0) value = exponent > 2000 ? Infinity : Number(mantissa << BigInt(exponent));
  else {
    // Scale in steps so that 2**exponent never underflows to zero on its own.
    value = Number(mantissa);
    let e = exponent;
    while (e < 0 && value !== 0) {
      const step = Math.max(e, -1000);
      value *= 2 ** step;
      e -= step;
    }
  }
  return m[1] === '-' ? -value : value;
}

/** Go's strconv.ParseFloat(s, 64). NaN and ±Inf are valid results, as in Go. */
export function goParseFloat(s: string): GoParse<number> {
  const special = specialFloat(s);
  if (special) return special.length === s.length ? { ok: true, value: special.value } : numError('ParseFloat', s, 'syntax');
  const syntax = readFloat(s);
  if (!syntax || syntax.consumed !== s.length) return numError('ParseFloat', s, 'syntax');
  const value = syntax.hex ? hexFloatValue(s) : Number(s.replace(/_/g, ''));
  if (!Number.isFinite(value)) return numError('ParseFloat', s, 'range');
  return { ok: true, value };
}
