// Go standard-library behaviour docker's typed load relies on: fmt's %v for numbers, time.Duration,
// path/filepath joins, go-units sizes, google/shlex. Written from the Go semantics, not ported.
import { trimTrailing } from '../load/text-scan.js';

/** Go's strconv.FormatFloat(v, 'g', -1, bits): shortest digits, exponent form below 1e-4 or from 1e6. */
export function goFormatFloat(v: number, bits: 32 | 64 = 64): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [digits, exp] = shortestDigits(v, bits);
  const neg = v < 0 ? '-' : '';
  if (exp < -4 || exp >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${neg}${mantissa}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  const point = exp + 1; // digits before the decimal point
  if (point <= 0) return `${neg}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${neg}${digits}${'0'.repeat(point - digits.length)}`;
  return `${neg}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Shortest decimal digits that read back as the same float (of `bits` precision), and the decimal exponent. */
function shortestDigits(v: number, bits: 32 | 64): [string, number] {
  const abs = Math.abs(v);
  let text = abs.toExponential();
  if (bits === 32) {
    const target = Math.fround(abs);
    for (let p = 1; p <= 9; p++) {
      const candidate = target.toExponential(p - 1);
      if (Math.fround(Number(candidate)) === target) {
        text = candidate;
        break;
      }
    }
  }
  const [mantissa, exp] = text.split('e');
  return [trimTrailing(mantissa.replace('.', ''), '0') || '0', Number(exp)];
}

/**
 * Go's fmt %v of a decoded YAML scalar. `isFloat` tells an integral float (YAML `1e6`, `1.0`) from an int:
 * JS numbers do not keep the difference. Integral numbers beyond 2^53 can only be floats (ints load as bigint).
 */
export function goSprint(value: unknown, isFloat = false): string {
  if (value === null || value === undefined) return '<nil>';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'number') {
    const integral = Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 53;
    return integral && !isFloat ? String(value) : goFormatFloat(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => goSprint(v)).join(' ')}]`;
  const entries = Object.keys(value as object).sort(compareGoStrings);
  return `map[${entries.map((k) => `${k}:${goSprint((value as Record<string, unknown>)[k])}`).join(' ')}]`;
}

/** Go's fmt %s of a decoded value: strings as is, anything else as `%!s(type=value)`. */
export function goSprintS(value: unknown, isFloat = false): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '%!s(<nil>)';
  if (typeof value === 'boolean') return `%!s(bool=${value})`;
  if (typeof value === 'bigint') return `%!s(${value < 0n ? 'int' : value > 2n ** 63n - 1n ? 'uint64' : 'int'}=${value})`;
  if (typeof value === 'number') {
    const integral = Number.isInteger(value) && !Object.is(value, -0) && Math.abs(value) < 2 ** 53;
    return integral && !isFloat ? `%!s(int=${value})` : `%!s(float64=${goFormatFloat(value)})`;
  }
  return goSprint(value, isFloat);
}

/** Go's string comparison: byte-wise on UTF-8, i.e. by code point (JS compares UTF-16 units). */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length - b.length;
}

// ---------------------------------------------------------------------------------------------
// time.Duration

const NS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5
  'μs': 1_000n, // U+03BC
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};
const MAX_INT64 = 2n ** 63n - 1n;

export type GoResult<T> = { ok: true; value: T } | { ok: false; error: string };

function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** time.ParseDuration, in nanoseconds. */
export function parseGoDuration(text: string): GoResult<bigint> {
  const invalid = (): GoResult<bigint> => ({ ok: false, error: `time: invalid duration ${goQuote(text)}` });
  let s = text;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return { ok: true, value: 0n };
  if (s === '') return invalid();
  let total = 0n;
  while (s !== '') {
    if (!(s[0] === '.' || (s[0] >= '0' && s[0] <= '9'))) return invalid();
    const intMatch = /^[0-9]*/.exec(s)![0];
    s = s.slice(intMatch.length);
    let v = intMatch === '' ? 0n : BigInt(intMatch);
    if (v > 2n ** 63n) return invalid();
    let fraction = 0n;
    let scale = 1;
    let post = false;
    if (s[0] === '.') {
      const fracMatch = /^[0-9]*/.exec(s.slice(1))![0];
      s = s.slice(1 + fracMatch.length);
      post = fracMatch.length > 0;
      for (const digit of fracMatch) {
        if (fraction > (2n ** 63n - 1n) / 10n) break; // Go stops accumulating on overflow
        fraction = fraction * 10n + BigInt(digit);
        scale *= 10;
      }
    }
    if (intMatch === '' && !post) return invalid();
    const unitMatch = /^[^0-9.]*/.exec(s)![0];
    if (unitMatch === '') return { ok: false, error: `time: missing unit in duration ${goQuote(text)}` };
    s = s.slice(unitMatch.length);
    const unit = NS[unitMatch];
    if (unit === undefined) {
      return { ok: false, error: `time: unknown unit ${goQuote(unitMatch)} in duration ${goQuote(text)}` };
    }
    if (v > 2n ** 63n / unit) return invalid();
    v *= unit;
    if (fraction > 0n) {
      v += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
      if (v > 2n ** 63n) return invalid();
    }
    total += v;
    if (total > 2n ** 63n) return invalid();
  }
  if (neg) return { ok: true, value: -total };
  if (total > MAX_INT64) return invalid();
  return { ok: true, value: total };
}

/** time.Duration.String(): 1h30m0s, 1m0s, 10s, 1.5s, 500ms, 1µs, 0s. */
export function formatGoDuration(ns: bigint): string {
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u === 0n) return '0s';
    let prec: number;
    let unit: string;
    if (u < 1_000n) {
      prec = 0;
      unit = 'ns';
    } else if (u < 1_000_000n) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    out = `${fraction(u, prec)}${unit}`;
  } else {
    const seconds = fraction(u, 9); // "90.5" etc: integer part = total seconds
    const [whole, frac] = seconds.split('.');
    u = BigInt(whole);
    out = `${u % 60n}${frac ? `.${frac}` : ''}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** v / 10^prec with the fraction's trailing zeros (and a bare point) dropped. */
function fraction(v: bigint, prec: number): string {
  if (prec === 0) return String(v);
  const scale = 10n ** BigInt(prec);
  const frac = trimTrailing(String(v % scale).padStart(prec, '0'), '0');
  return frac ? `${v / scale}.${frac}` : String(v / scale);
}

// ---------------------------------------------------------------------------------------------
// paths

/** Go's path.Clean. */
export function goClean(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(seg);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** filepath.Join on unix: empty elements skipped, the result cleaned. */
export function goJoin(...elems: string[]): string {
  const parts = elems.filter((e) => e !== '');
  return parts.length === 0 ? '' : goClean(parts.join('/'));
}

/** docker's absPath: absolute paths as they are, others joined with the working dir. */
export function dockerAbsPath(workingDir: string, file: string): string {
  return file.startsWith('/') ? file : goJoin(workingDir, file);
}

function isSlash(c: string | undefined): boolean {
  return c === '/' || c === '\\';
}

/** filepath.IsAbs for Windows (docker checks it too, so `C:\data` stays as it is on a unix client). */
export function isWindowsAbs(p: string): boolean {
  const l = windowsVolumeNameLength(p);
  if (l === 0) return false;
  return isSlash(p[l]);
}

function windowsVolumeNameLength(p: string): number {
  if (p.length < 2) return 0;
  if (p[1] === ':' && /[a-zA-Z]/.test(p[0])) return 2;
  const l = p.length;
  if (l >= 5 && isSlash(p[0]) && isSlash(p[1]) && !isSlash(p[2]) && p[2] !== '.') {
    for (let n = 3; n < l - 1; n++) {
      if (!isSlash(p[n])) continue;
      n++;
      if (isSlash(p[n]) || p[n] === '.') return 0;
      while (n < l && !isSlash(p[n])) n++;
      return n;
    }
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
// go-units RAMInBytes

const BINARY_UNITS: Record<string, number> = { k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** go-units RAMInBytes: "512M" -> 536870912 (binary units, `b`/`ib` suffix optional). */
export function ramInBytes(text: string): GoResult<number | bigint> {
  let sep = -1;
  for (let i = text.length - 1; i >= 0; i--) {
    if ('0123456789. '.includes(text[i])) {
      sep = i;
      break;
    }
  }
  if (sep === -1) return { ok: false, error: `invalid size: '${text}'` };
  const num = text[sep] === ' ' ? text.slice(0, sep) : text.slice(0, sep + 1);
  let suffix = text.slice(sep + 1);
  const size = parseGoFloat(num);
  if (!size.ok) return size;
  if (size.value < 0) return { ok: false, error: `invalid size: '${text}'` };
  if (suffix === '') return { ok: true, value: toInt64(size.value) };
  const bad = (): GoResult<number | bigint> => ({ ok: false, error: `invalid suffix: '${suffix}'` });
  if (suffix.length > 3) return bad();
  suffix = suffix.toLowerCase();
  if (suffix[0] === 'b') return suffix.length > 1 ? bad() : { ok: true, value: toInt64(size.value) };
  const mul = BINARY_UNITS[suffix[0]];
  if (mul === undefined) return bad();
  if (suffix.length === 2 && suffix[1] !== 'b') return bad();
  if (suffix.length === 3 && suffix.slice(1) !== 'ib') return bad();
  return { ok: true, value: toInt64(size.value * mul) };
}

function toInt64(f: number): number | bigint {
  const t = Math.trunc(f);
  if (Number.isSafeInteger(t)) return t;
  const big = BigInt(t);
  return big > MAX_INT64 ? -(2n ** 63n) : big; // Go's out-of-range conversion on amd64
}

/** strconv.ParseFloat(s, 64) for the plain decimal forms sizes use. */
function parseGoFloat(s: string): GoResult<number> {
  const plain = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(s);
  const special = /^[+-]?(inf|infinity|nan)$/i.test(s);
  if (!plain && !special) return { ok: false, error: `strconv.ParseFloat: parsing ${goQuote(s)}: invalid syntax` };
  if (special) return { ok: true, value: /nan/i.test(s) ? NaN : s.startsWith('-') ? -Infinity : Infinity };
  return { ok: true, value: Number(s) };
}

// ---------------------------------------------------------------------------------------------
// google/shlex

/** google/shlex Split: whitespace-separated words, '…' literal, "…" with \ escapes, # comments. */
export function shlexSplit(input: string): GoResult<string[]> {
  const words: string[] = [];
  const chars = Array.from(input);
  let i = 0;
  const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  while (i < chars.length) {
    while (i < chars.length && isSpace(chars[i])) i++;
    if (i >= chars.length) break;
    if (chars[i] === '#') {
      while (i < chars.length && chars[i] !== '\n') i++;
      continue;
    }
    let word = '';
    let state: 'word' | 'single' | 'double' = 'word';
    for (; i < chars.length; i++) {
      const c = chars[i];
      if (state === 'single') {
        if (c === "'") state = 'word';
        else word += c;
      } else if (state === 'double') {
        if (c === '"') state = 'word';
        else if (c === '\\') {
          if (++i >= chars.length) return { ok: false, error: 'EOF found after escape character' };
          word += chars[i];
        } else word += c;
      } else if (isSpace(c)) break;
      else if (c === '"') state = 'double';
      else if (c === "'") state = 'single';
      else if (c === '\\') {
        if (++i >= chars.length) return { ok: false, error: 'EOF found after escape character' };
        word += chars[i];
      } else word += c;
    }
    if (state !== 'word') return { ok: false, error: 'EOF found when expecting closing quote' };
    words.push(word);
  }
  return { ok: true, value: words };
}
