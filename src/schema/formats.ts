// The custom JSON-schema formats docker registers with gojsonschema (cli/compose/schema/schema.go):
// "duration" is Go's time.ParseDuration, "ports" is nat.ParsePortSpec, "expose" accepts everything.
import { isPortsFormat } from './port-spec.js';

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  '\u00b5s': 1_000n, // micro sign
  '\u03bcs': 1_000n, // Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const LIMIT = 1n << 63n;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** One `[0-9]*(\.[0-9]*)?unit` component of a duration, in nanoseconds, or undefined if invalid. */
function parseComponent(s: string, at: number): { nanos: bigint; next: number } | undefined {
  let i = at;
  let whole = 0n;
  for (; isDigit(s[i]); i++) {
    whole = whole * 10n + BigInt(s.charCodeAt(i) - 48);
    if (whole > LIMIT) return undefined;
  }
  const pre = i > at;
  let fraction = 0n;
  let scale = 1;
  let post = false;
  if (s[i] === '.') {
    let overflow = false;
    for (i++; isDigit(s[i]); i++) {
      post = true;
      if (overflow) continue;
      const next = fraction * 10n + BigInt(s.charCodeAt(i) - 48);
      // Go stops adding precision once the fraction would overflow, without failing.
      if (fraction > (LIMIT - 1n) / 10n || next > LIMIT) overflow = true;
      else {
        fraction = next;
        scale *= 10;
      }
    }
  }
  if (!pre && !post) return undefined;
  const unitStart = i;
  while (i < s.length && s[i] !== '.' && !isDigit(s[i])) i++;
  const unit = UNITS[s.slice(unitStart, i)];
  if (unit === undefined || whole > LIMIT / unit) return undefined;
  let nanos = whole * unit;
  if (fraction > 0n) {
    // Go computes this part in float64 and truncates it.
    nanos += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
    if (nanos > LIMIT) return undefined;
  }
  return { nanos, next: i };
}

/** Whether Go's time.ParseDuration accepts s, e.g. "1h30m", "-1.5s", "0". */
export function isGoDuration(s: string): boolean {
  let i = 0;
  const negative = s[0] === '-';
  if (s[0] === '-' || s[0] === '+') i = 1;
  if (s.slice(i) === '0') return true;
  if (i === s.length) return false;
  let total = 0n;
  while (i < s.length) {
    if (s[i] !== '.' && !isDigit(s[i])) return false;
    const component = parseComponent(s, i);
    if (!component) return false;
    total += component.nanos;
    if (total > LIMIT) return false;
    i = component.next;
  }
  return negative || total <= LIMIT - 1n;
}

/** docker's format checkers, by format name. */
export const DOCKER_FORMATS: Record<string, (value: unknown) => boolean> = {
  duration: (value) => typeof value === 'string' && isGoDuration(value),
  ports: isPortsFormat,
  expose: () => true,
};
