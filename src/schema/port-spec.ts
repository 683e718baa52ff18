// docker's "ports" format checker: nat.ParsePortSpec from docker/go-connections v0.5.0 (the
// version docker CLI 28.2.2 vendors), including Go's net.ParseIP. Numbers reach the checker as
// gojsonschema's *big.Rat, whose String() ("3/2") docker cuts at "/": only the numerator counts.

/** strconv.ParseUint(s, 10, 16). */
function parsePort(s: string): number | undefined {
  if (!/^[0-9]+$/.test(s)) return undefined;
  const significant = s.replace(/^0+(?=.)/, '');
  const n = Number(significant.length > 6 ? '999999' : significant);
  return n <= 0xffff ? n : undefined;
}

/** nat.ParsePortRange: "80" or "8000-9000" (anything after a second "-" is ignored). */
function parsePortRange(s: string): [number, number] | undefined {
  if (s === '') return undefined;
  if (!s.includes('-')) {
    const p = parsePort(s);
    return p === undefined ? undefined : [p, p];
  }
  const [a, b] = s.split('-');
  const start = parsePort(a);
  const end = parsePort(b);
  if (start === undefined || end === undefined || end < start) return undefined;
  return [start, end];
}

/** Go's netip IPv4 parser: four decimal fields, no leading zeros, each at most 255. */
function isIPv4(s: string): boolean {
  const fields = s.split('.');
  return fields.length === 4 && fields.every((f) => /^(0|[1-9][0-9]{0,2})$/.test(f) && Number(f) <= 255);
}

/** Go's netip IPv6 parser (no zone): hex fields of 1–4 digits, one `::`, optional trailing IPv4. */
function isIPv6(s: string): boolean {
  let rest = s;
  let filled = 0;
  let ellipsis = -1;
  if (rest.startsWith('::')) {
    ellipsis = 0;
    rest = rest.slice(2);
    if (rest === '') return true;
  }
  while (filled < 16) {
    const field = /^[0-9a-fA-F]*/.exec(rest)![0];
    if (field.length === 0 || field.length > 4) return false;
    if (rest[field.length] === '.') {
      if ((ellipsis < 0 && filled !== 12) || filled + 4 > 16) return false;
      if (!isIPv4(rest)) return false;
      filled += 4;
      rest = '';
      break;
    }
    filled += 2;
    rest = rest.slice(field.length);
    if (rest === '') break;
    if (rest[0] !== ':' || rest.length === 1) return false;
    rest = rest.slice(1);
    if (rest[0] === ':') {
      if (ellipsis >= 0) return false;
      ellipsis = filled;
      rest = rest.slice(1);
      if (rest === '') break;
    }
  }
  if (rest !== '') return false;
  return filled < 16 ? ellipsis >= 0 : ellipsis < 0;
}

/** Go's net.ParseIP (which rejects zones). */
function isIP(s: string): boolean {
  for (const c of s) {
    if (c === '.') return isIPv4(s);
    if (c === ':') return isIPv6(s);
    if (c === '%') return false;
  }
  return false;
}

/** net.SplitHostPort(ip + ":") for a bracketed address: the host inside the brackets. */
function unbracket(ip: string): string | undefined {
  const close = ip.indexOf(']');
  if (close !== ip.length - 1 || ip.indexOf('[', 1) >= 0) return undefined;
  return ip.slice(1, -1);
}

function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(':');
  const n = parts.length;
  if (n === 1) return ['', '', parts[0]];
  if (n === 2) return ['', parts[0], parts[1]];
  return [parts.slice(0, n - 2).join(':'), parts[n - 2], parts[n - 1]];
}

/** nat.SplitProtoPort (v0.5.0): "80/udp" → ["udp", "80"]; extra "/…" parts are ignored. */
function splitProtoPort(raw: string): [string, string] {
  const parts = raw.split('/');
  if (raw === '' || parts[0] === '') return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  return [parts[1] === '' ? 'tcp' : parts[1], parts[0]];
}

/** Whether nat.ParsePortSpec accepts `ip:host:container/proto` (each part optional but the last). */
export function isPortSpec(raw: string): boolean {
  const [rawIp, hostPort, containerWithProto] = splitParts(raw);
  const [proto, containerPort] = splitProtoPort(containerWithProto);
  let ip: string | undefined = rawIp;
  if (ip.startsWith('[')) ip = unbracket(ip);
  if (ip === undefined || (ip !== '' && !isIP(ip))) return false;
  const container = parsePortRange(containerPort);
  if (!container) return false;
  if (hostPort !== '') {
    const host = parsePortRange(hostPort);
    if (!host) return false;
    const containerIsRange = container[1] !== container[0];
    if (containerIsRange && container[1] - container[0] !== host[1] - host[0]) return false;
  }
  return ['tcp', 'udp', 'sctp'].includes(proto.toLowerCase());
}

function gcd(a: bigint, b: bigint): bigint {
  return b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b);
}

/** The numerator of the exact decimal value a JSON number has, as big.Rat prints it. */
function ratNumerator(n: number | bigint): string {
  if (typeof n === 'bigint' || Number.isInteger(n)) return BigInt(n).toString();
  const [mantissa, exp] = n.toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const scale = Number(exp) - (digits.replace('-', '').length - 1); // value = digits * 10^scale
  const num = BigInt(digits);
  if (scale >= 0) return (num * 10n ** BigInt(scale)).toString();
  return (num / gcd(num, 10n ** BigInt(-scale))).toString();
}

/** docker's portsFormatChecker.IsFormat. */
export function isPortsFormat(value: unknown): boolean {
  if (typeof value === 'string') return isPortSpec(value);
  if (typeof value === 'number' || typeof value === 'bigint') return isPortSpec(ratNumerator(value));
  return isPortSpec('');
}
