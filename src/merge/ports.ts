// Short-syntax ports as docker expands them: go-connections nat.ParsePortSpec, then
// opts.ConvertPortToPortConfig (host ranges expanded, host IP dropped with a warning).
import { compareGoStrings } from './go.js';
import type { GoResult } from './go.js';

export interface PortConfig {
  mode: string;
  target: number;
  published: number;
  protocol: string;
}

interface PortBinding {
  hostIp: string;
  hostPort: string;
}

function parsePortRange(ports: string): GoResult<[number, number]> {
  const parseUint16 = (s: string): number | undefined => (/^[0-9]+$/.test(s) && Number(s) <= 65535 ? Number(s) : undefined);
  if (ports === '') return { ok: false, error: 'empty string specified for ports' };
  if (!ports.includes('-')) {
    const p = parseUint16(ports);
    return p === undefined ? { ok: false, error: `invalid port ${ports}` } : { ok: true, value: [p, p] };
  }
  const parts = ports.split('-');
  const start = parseUint16(parts[0]);
  const end = parseUint16(parts[1]);
  if (start === undefined || end === undefined) return { ok: false, error: `invalid port ${ports}` };
  if (end < start) return { ok: false, error: `invalid range specified for port: ${ports}` };
  return { ok: true, value: [start, end] };
}

function splitParts(raw: string): [string, string, string] {
  const parts = raw.split(':');
  const n = parts.length;
  const containerPort = parts[n - 1];
  if (n === 1) return ['', '', containerPort];
  if (n === 2) return ['', parts[0], containerPort];
  if (n === 3) return [parts[0], parts[1], containerPort];
  return [parts.slice(0, n - 2).join(':'), parts[n - 2], containerPort];
}

function splitProtoPort(raw: string): [string, string] {
  const parts = raw.split('/');
  if (raw === '' || parts[0] === '') return ['', ''];
  if (parts.length === 1) return ['tcp', raw];
  if (parts[1] === '') return ['tcp', parts[0]];
  return [parts[1], parts[0]];
}

const IPV4 = /^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$/;

/** Roughly net.ParseIP: IPv4 dotted quads or an IPv6 literal. */
function isIp(ip: string): boolean {
  if (IPV4.test(ip)) return true;
  return ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip) && (ip.match(/::/g)?.length ?? 0) <= 1;
}

function isUnspecifiedIp(ip: string): boolean {
  return ip === '0.0.0.0' || /^[0:]+$/.test(ip);
}

/** net.JoinHostPort. */
function joinHostPort(host: string, port: string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** nat.ParsePortSpec: one spec to (container port "80/tcp", binding) pairs. */
function parsePortSpec(raw: string): GoResult<Array<[string, PortBinding]>> {
  let [ip, hostPort, containerPort] = splitParts(raw);
  const [protoRaw, port] = splitProtoPort(containerPort);
  containerPort = port;
  if (ip !== '' && ip[0] === '[') {
    const close = ip.indexOf(']');
    if (close !== ip.length - 1) return { ok: false, error: `invalid IP address ${ip}` };
    ip = ip.slice(1, -1);
  }
  if (ip !== '' && !isIp(ip)) return { ok: false, error: `invalid IP address: ${ip}` };
  if (containerPort === '') return { ok: false, error: `no port specified: ${raw}<empty>` };
  const container = parsePortRange(containerPort);
  if (!container.ok) return { ok: false, error: `invalid containerPort: ${containerPort}` };
  const [startPort, endPort] = container.value;
  let [startHost, endHost] = [0, 0];
  if (hostPort !== '') {
    const host = parsePortRange(hostPort);
    if (!host.ok) return { ok: false, error: `invalid hostPort: ${hostPort}` };
    [startHost, endHost] = host.value;
  }
  if (hostPort !== '' && endPort - startPort !== endHost - startHost && endPort !== startPort) {
    return { ok: false, error: `invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}` };
  }
  const proto = protoRaw.toLowerCase();
  if (!['tcp', 'udp', 'sctp'].includes(proto)) return { ok: false, error: `invalid proto: ${proto}` };
  const out: Array<[string, PortBinding]> = [];
  for (let i = 0; i <= endPort - startPort; i++) {
    let host = hostPort;
    if (hostPort !== '') host = String(startHost + i);
    if (startPort === endPort && startHost !== endHost) host = `${host}-${endHost}`;
    out.push([`${startPort + i}/${proto}`, { hostIp: ip, hostPort: host }]);
  }
  return { ok: true, value: out };
}

/**
 * docker's toServicePortConfigs for one short-syntax entry: ports in the string order of their
 * "port/proto" keys (so "8-10" gives 10, 8, 9), each host port of a range as its own entry.
 */
export function expandShortPort(raw: string, warn: (message: string) => void): GoResult<PortConfig[]> {
  const parsed = parsePortSpec(raw);
  if (!parsed.ok) return parsed;
  const bindings = new Map<string, PortBinding[]>();
  for (const [port, binding] of parsed.value) {
    const list = bindings.get(port) ?? [];
    list.push(binding);
    bindings.set(port, list);
  }
  const out: PortConfig[] = [];
  for (const port of [...bindings.keys()].sort(compareGoStrings)) {
    const [number, protocol] = port.split('/');
    for (const binding of bindings.get(port)!) {
      if (isIp(binding.hostIp) && !isUnspecifiedIp(binding.hostIp)) {
        warn(`ignoring IP-address (${joinHostPort(binding.hostIp, binding.hostPort)}:${port}) service will listen on '0.0.0.0'`);
      }
      let [start, end] = [0, 0];
      if (binding.hostPort !== '') {
        const range = parsePortRange(binding.hostPort);
        if (!range.ok) return { ok: false, error: `invalid hostport binding (${binding.hostPort}) for port (${number})` };
        [start, end] = range.value;
      }
      for (let published = start; published <= end; published++) {
        out.push({ mode: 'ingress', target: Number(number), published, protocol });
      }
    }
  }
  return { ok: true, value: out };
}
