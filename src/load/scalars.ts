// yaml.v3's reading of plain scalars and its mapping assignment, shared by the full loader (yaml.ts) and the
// compose-subset fast path (yaml-subset.ts) so that both decode a file to the same data.
import type { YamlValue } from './types.js';

const NULL_WORDS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE_WORDS = new Set(['true', 'True', 'TRUE']);
const FALSE_WORDS = new Set(['false', 'False', 'FALSE']);
const FLOAT_WORDS: Record<string, number> = {
  '.inf': Infinity, '.Inf': Infinity, '.INF': Infinity,
  '+.inf': Infinity, '+.Inf': Infinity, '+.INF': Infinity,
  '-.inf': -Infinity, '-.Inf': -Infinity, '-.INF': -Infinity,
  '.nan': NaN, '.NaN': NaN, '.NAN': NaN,
};
/** First characters of the words above and of numbers (NaN: the empty text). */
const MAYBE_NOT_STRING = new Set([NaN, ...'~nNtTfF.+-0123456789'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0))));
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const TIMESTAMP_PREFIX = /^[0-9]{4}-/;

/** Resolves a plain (unquoted, untagged) scalar as yaml.v3 does when decoding into interface{}. */
export function resolvePlainScalar(text: string): YamlValue {
  // Most scalars are words: only these first characters can start anything but a string.
  if (!MAYBE_NOT_STRING.has(text.charCodeAt(0))) return text;
  if (NULL_WORDS.has(text)) return null;
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  if (Object.hasOwn(FLOAT_WORDS, text)) return FLOAT_WORDS[text];
  const first = text[0];
  const numeric = (first >= '0' && first <= '9') || first === '-' || first === '+' || first === '.';
  if (!numeric) return text;
  // yaml.v3 keeps timestamps as their original text when decoding into interface{}.
  if (TIMESTAMP_PREFIX.test(text)) return text;
  const plain = text.replace(/_/g, '');
  const asInt = parseGoInt(plain);
  if (asInt !== undefined) return asInt;
  if (YAML_STYLE_FLOAT.test(plain)) {
    // ParseFloat fails with a range error beyond float64 (1e400): the scalar stays a string.
    const f = Number(plain);
    if (Number.isFinite(f)) return f;
  }
  return text;
}

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt(s, 0, 64) falling back to ParseUint: prefixes 0x, 0o, 0b and a leading 0 for octal. */
function parseGoInt(s: string): number | bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const [, sign, body] = m;
  let digits = body;
  let radix = 10;
  if (/^0[xX]/.test(body)) { radix = 16; digits = body.slice(2); }
  else if (/^0[oO]/.test(body)) { radix = 8; digits = body.slice(2); }
  else if (/^0[bB]/.test(body)) { radix = 2; digits = body.slice(2); }
  else if (body.length > 1 && body[0] === '0') { radix = 8; digits = body.slice(1); }
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  let big = BigInt(prefix + digits);
  if (sign === '-') big = -big;
  if (big < INT64_MIN || big > UINT64_MAX || (sign === '-' && big > 0n)) return undefined;
  return Number.isSafeInteger(Number(big)) ? Number(big) : big;
}

/** Like obj[k] = v, but safe for keys such as __proto__. */
export function setOwn(obj: Record<string, YamlValue>, key: string, value: YamlValue): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
