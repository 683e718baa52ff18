// Finds host names in the places a recipe clearly writes one: URLs (`scheme://host`), `*_HOST`-style
// environment values, proxy directives of mounted config files (Caddy `reverse_proxy app:3000`, nginx
// `proxy_pass http://app:3000` / `fastcgi_pass app:9000`), `key = host` assignments whose key names a
// host (`dbhost=db`, `"host": "db"`, `'DB_HOST' => 'db'`) and host arguments of commands (`-h db`,
// `db:5432`). Everything else — prose, comments, Go template expressions — is left alone: the rules that
// use this must not guess.
import { OPAQUE_MARK, STACK_MARK } from './raw-values.js';
import { pushAll } from '../load/collections.js';

export interface HostHit {
  /** The host as written (may contain STACK_MARK / OPAQUE_MARK). */
  host: string;
  /** Offsets of the host in the scanned text. */
  start: number;
  end: number;
  /** What made this a host position: `URL`, a directive (`reverse_proxy`), a key (`DB_HOST`), `-h`, `host:port`. */
  context: string;
}

export interface ShortName {
  /** The service name looked up (without `tasks.`). */
  name: string;
  /** Written as `tasks.<name>` (resolves to the tasks' IPs, of every stack on a shared network too). */
  tasks: boolean;
}

// Host characters: letters, digits, `_.-`, STACK_MARK (\x01) and OPAQUE_MARK (\x02), written out so that every
// pattern here is a constant eslint-plugin-regexp can check for backtracking.
if (STACK_MARK !== '\x01' || OPAQUE_MARK !== '\x02') throw new Error('util-net-hosts: the host patterns spell out other marks');
const HOST_PORT = /^([\w.\x01\x02-]+)(?::(\d+|\x02+))?$/;

const LOCAL_NAMES = new Set(['localhost', 'localhost4', 'localhost6', 'ip6-localhost', 'ip6-loopback', 'broadcasthost']);
/** Words that sit in host positions without being hosts (`SMTP_HOST=none`, `host: auto`). */
const NOT_HOSTS = new Set([
  'true', 'false', 'yes', 'no', 'on', 'off', 'none', 'null', 'nil', 'auto', 'default', 'any', 'all',
  'disabled', 'enabled', 'unix', 'tcp', 'udp', 'http', 'https', 'changeme', 'example', 'host', 'hostname',
]);

/**
 * A host that names a service by a short (unqualified) name, or undefined for anything else: FQDNs, IPs,
 * localhost, stack-qualified names (`${STACK_NAME}_app`, `{{ env "STACK_NAME" }}_app`), names built from
 * variables or template expressions, and words that are no host names.
 */
export function shortName(host: string): ShortName | undefined {
  if (host.includes(STACK_MARK) || host.includes(OPAQUE_MARK)) return undefined;
  let name = host;
  let tasks = false;
  if (/^tasks\./i.test(name)) {
    name = name.slice('tasks.'.length);
    tasks = true;
  }
  if (name.includes('.') || name.includes(':')) return undefined;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?$/.test(name)) return undefined;
  if (/^\d+$/.test(name) || /^[0-9a-f]{12,}$/i.test(name)) return undefined;
  const lower = name.toLowerCase();
  if (LOCAL_NAMES.has(lower) || NOT_HOSTS.has(lower)) return undefined;
  return { name, tasks };
}

/** What follows `scheme://`: an optional `user@`, then the host (a bracketed IPv6 address or host characters). */
const AFTER_SCHEME = /(?:[^\s/@'"`<>]*@)?(\[[^\]\s/]*\]|[\w.\x01\x02-]+)/y;
const NON_NETWORK_SCHEMES = new Set(['file', 'unix', 'data', 'npipe', 'jar', 'about']);
/** Object-storage URLs name a bucket or container after `://`, not a host (`s3://dags`, `gs://backups`). */
const BUCKET_SCHEMES = new Set(['s3', 's3a', 's3n', 'gs', 'gcs', 'az', 'azure', 'abfs', 'abfss', 'wasb', 'wasbs', 'b2', 'r2', 'oss', 'cos', 'swift']);

function isSchemeChar(c: string): boolean {
  return /[\w+.-]/.test(c) && c !== '_';
}

/**
 * Hosts of `scheme://[user@]host` URLs in text. Found from each `://` (a scheme is the run of letters, digits,
 * `+.-` before it, from its first letter): a pattern that looks for the scheme first tries every letter of a long
 * run, which is quadratic on a long word with no `://` after it.
 */
export function urlHosts(text: string): HostHit[] {
  const hits: HostHit[] = [];
  let from = 0; // URLs do not overlap: the next one starts after the last host
  for (let sep = text.indexOf('://'); sep >= 0; sep = text.indexOf('://', sep + 1)) {
    if (sep < from) continue;
    let start = sep;
    while (start > from && isSchemeChar(text[start - 1])) start--;
    while (start < sep && !/[A-Za-z]/.test(text[start])) start++;
    if (start === sep) continue;
    AFTER_SCHEME.lastIndex = sep + 3;
    const m = AFTER_SCHEME.exec(text);
    if (!m) continue;
    from = AFTER_SCHEME.lastIndex;
    const scheme = text.slice(start, sep).toLowerCase();
    if (NON_NETWORK_SCHEMES.has(scheme) || BUCKET_SCHEMES.has(scheme)) continue;
    const host = m[1];
    const hostStart = from - host.length;
    hits.push({ host, start: hostStart, end: from, context: 'URL' });
  }
  return hits;
}

/** An environment key that holds a host someone connects to (`DB_HOST`, `PGHOST`, `REDIS_ADDR`, `MEMCACHED_SERVERS`). */
const ENV_HOST_KEY = /^[A-Za-z0-9_.-]*?[A-Za-z0-9][_.-]?(HOST|HOSTS|HOSTNAME|ADDR|ADDRESS|SERVER|SERVERS)$/i;
/** Keys that list names the service answers to or skips, not names it looks up. */
const ENV_NOT_LOOKUP = /(ALLOWED|TRUSTED|ALLOW|NO_PROXY|PUBLIC|EXTERNAL|VIRTUAL|DOMAIN|CORS|ORIGIN|LISTEN|BIND)/i;

function needsPort(suffix: string): boolean {
  return /^(SERVER|SERVERS|ADDRESS)$/i.test(suffix);
}

/** Splits `a:1, b:2` into items with offsets. */
function items(text: string, base: number, separators: RegExp): Array<{ text: string; start: number }> {
  const out: Array<{ text: string; start: number }> = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && separators.test(text[i])) i++;
    const s = i;
    while (i < text.length && !separators.test(text[i])) i++;
    if (i > s) out.push({ text: text.slice(s, i), start: base + s });
  }
  return out;
}

/** A `host` or `host:port` value (quotes stripped), or undefined. */
function hostOfValue(value: string, start: number, context: string, requirePort: boolean): HostHit | undefined {
  let v = value;
  let s = start;
  const q = v[0];
  if ((q === '"' || q === "'") && v.endsWith(q) && v.length >= 2) {
    v = v.slice(1, -1);
    s++;
  }
  if (v.includes('://')) return undefined;
  const m = HOST_PORT.exec(v);
  if (!m) return undefined;
  if (requirePort && m[2] === undefined) return undefined;
  return { host: m[1], start: s, end: s + m[1].length, context };
}

/** Whether an environment key names a host the service looks up (its whole value is read as hosts). */
export function isHostEnvKey(key: string): boolean {
  return ENV_HOST_KEY.test(key) && !ENV_NOT_LOOKUP.test(key);
}

/** Hosts in one environment entry: URLs anywhere, and the whole value of a host-named key. */
export function envValueHosts(key: string, value: string): HostHit[] {
  const hits = urlHosts(value);
  const m = ENV_HOST_KEY.exec(key);
  if (m && !ENV_NOT_LOOKUP.test(key)) {
    for (const item of items(value, 0, /[\s,;]/)) {
      const hit = hostOfValue(item.text, item.start, key, needsPort(m[1]));
      if (hit) hits.push(hit);
    }
  }
  return dedupe(hits);
}

const SHELL_HOST_FLAG = /(?:^|\s)(-h|--host|--hostname|--dbhost|--db-host)(?:[ \t]+|=)["']?([\w.\x01\x02-]+)/g;
const NOT_HOST_PORT_LINE = /\b(chown|chgrp|usermod|useradd|groupadd|adduser|addgroup|gosu|su-exec|setpriv|s6-setuidgid|docker|podman|image)\b|--user\b/;
const SHELL_HOST_PORT = new RegExp(`(?:^|[\\s"'=])([A-Za-z][A-Za-z0-9_-]*):([1-9]\\d{1,4})(?=$|[\\s"';/])`, 'g');

/** Hosts in a command line or shell script: URLs, `-h host` / `--host=host`, and `host:port` words. */
export function commandHosts(text: string): HostHit[] {
  const hits = urlHosts(text);
  for (const m of text.matchAll(SHELL_HOST_FLAG)) {
    const host = m[2];
    const start = m.index! + m[0].length - host.length;
    hits.push({ host, start, end: start + host.length, context: m[1] });
  }
  for (const m of text.matchAll(SHELL_HOST_PORT)) {
    // `user:gid` of chown & co. looks like `host:port`.
    const lineStart = text.lastIndexOf('\n', m.index!) + 1;
    const lineEnd = text.indexOf('\n', m.index!);
    if (NOT_HOST_PORT_LINE.test(text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd))) continue;
    const host = m[1];
    // `name:number` alone is weak evidence: `rsa_keygen_bits:4096`, `max_connections:100` are settings.
    // Host names hold no `_`; a service whose name does is still found by URL, flag or host-named key.
    if (host.includes('_')) continue;
    const start = m.index! + m[0].length - (host.length + 1 + m[2].length);
    hits.push({ host, start, end: start + host.length, context: 'host:port' });
  }
  return dedupe(hits);
}

/**
 * Blanks what must not be read as configuration, keeping every offset: Go template actions become marks
 * (`{{ env "STACK_NAME" }}` → STACK_MARK, anything else → OPAQUE_MARK), comment lines and trailing
 * comments (`#`, `//`, `;` lines) become spaces.
 */
export function maskTemplate(text: string): string {
  // Each `{{` to the first `}}` after it, found with indexOf: a lazy `{{[\s\S]*?}}` rescans to the end of the
  // text from every `{{` that is never closed.
  const parts: string[] = [];
  let done = 0;
  for (let open = text.indexOf('{{'); open >= 0; open = text.indexOf('{{', done)) {
    const close = text.indexOf('}}', open + 2);
    if (close < 0) break;
    const action = text.slice(open, close + 2);
    const mark = /^\{\{-?\s*env\s+"STACK_NAME"\s*-?\}\}$/.test(action) ? STACK_MARK : OPAQUE_MARK;
    parts.push(text.slice(done, open), action.replace(/[^\n]/g, mark));
    done = close + 2;
  }
  parts.push(text.slice(done));
  let masked = parts.join('');
  // Whole comment lines, then the rest of a line from the first ` #` or ` //` (not a URL's `//`) on.
  masked = masked
    .replace(/(^|\n)([^\S\n]*(?:#|\/\/|;|<!--)[^\n]*)/g, (_all, start: string, line: string) => start + ' '.repeat(line.length))
    .replace(/[^\S\n](?:#|\/\/(?!\S*:\/\/))[^\n]*/g, (comment) => ' '.repeat(comment.length));
  return masked;
}

/** Proxy directives and whether a bare host (no port) is an upstream there. */
const DIRECTIVES: Record<string, 'bare' | 'port'> = {
  reverse_proxy: 'bare', // Caddy
  php_fastcgi: 'bare', // Caddy
  to: 'port', // Caddy reverse_proxy block
  fastcgi_pass: 'port', // nginx (a bare word is an upstream block's name)
  uwsgi_pass: 'port',
  scgi_pass: 'port',
  grpc_pass: 'port',
  memcached_pass: 'port',
  server: 'port', // nginx upstream block entry
};
// A directive starts a line or follows `{` / `;` (nginx, Caddy), never the middle of a sentence.
const DIRECTIVE_RE = new RegExp(`(?:^|[;{])[ \\t]*(${Object.keys(DIRECTIVES).join('|')})[ \\t]+([^;{}\\n]*)`, 'gm');

/** Keys of `key = value` / `key: value` / `'key' => 'value'` assignments that hold a host. */
// The key starts a line (YAML, ini, shell `export`, list item) or follows `{ , ( [ ;` (JSON, PHP arrays).
const ASSIGN_RE = /(?:^|[{,(\[;])[ \t]*(?:export[ \t]+|-[ \t]+)?(["']?)([A-Za-z][A-Za-z0-9_.-]*)\1[ \t]*(=>|=|:)[ \t]*(["']?)([^\s"',;(){}[\]]+)\4(?=$|[\s,;})\]])/gm;
const DEFINE_RE = /define\(\s*(["'])([A-Za-z0-9_]+)\1\s*,\s*(["'])([^"'\n]+)\3/g;
const TEMPLATE_HOST_KEY = /^(?:[A-Za-z0-9_.-]*?[A-Za-z0-9][_.-]?)?(host|hosts|hostname|addr|address|server|servers)$/i;

function templateKeyHost(key: string, value: string, start: number): HostHit | undefined {
  const m = TEMPLATE_HOST_KEY.exec(key);
  if (!m || ENV_NOT_LOOKUP.test(key)) return undefined;
  const suffix = m[1];
  // A bare `hostname:`/`server:`/`address:` key is usually the service's own identity: only `host:port` counts.
  const bare = key.length === suffix.length;
  const requirePort = needsPort(suffix) || (bare && /^hostname$/i.test(suffix));
  return hostOfValue(value, start, key, requirePort);
}

/**
 * Hosts in a mounted config file or template. `shell` also reads command-line arguments (`-h db`,
 * `db:5432`), for entrypoint scripts.
 */
export function templateHosts(text: string, shell: boolean): HostHit[] {
  const masked = maskTemplate(text);
  const upstreams = new Set<string>();
  for (const m of masked.matchAll(/\bupstream\s+([A-Za-z0-9_.-]+)\s*\{/g)) upstreams.add(m[1].toLowerCase());
  const hits: HostHit[] = [];
  pushAll(hits, urlHosts(masked));
  for (const m of masked.matchAll(DIRECTIVE_RE)) {
    const directive = m[1];
    if (directive === 'server' && upstreams.size === 0) continue; // nginx `server` entries live in upstream blocks
    const argsStart = m.index! + m[0].length - m[2].length;
    for (const arg of items(m[2], argsStart, /[\s]/)) {
      if (/^[/@:*{$]/.test(arg.text)) continue;
      const hit = hostOfValue(arg.text, arg.start, directive, DIRECTIVES[directive] === 'port');
      if (hit) hits.push(hit);
    }
  }
  for (const m of masked.matchAll(ASSIGN_RE)) {
    const key = m[2];
    const value = m[5];
    const start = m.index! + m[0].length - value.length - m[4].length;
    const hit = templateKeyHost(key, value, start);
    if (hit) hits.push(hit);
  }
  for (const m of masked.matchAll(DEFINE_RE)) {
    const value = m[4];
    const start = m.index! + m[0].length - value.length - 1;
    const hit = templateKeyHost(m[2], value, start);
    if (hit) hits.push(hit);
  }
  if (shell) pushAll(hits, commandHosts(masked));
  return dedupe(hits).filter((h) => !upstreams.has(h.host.toLowerCase()));
}

/** Whether a mounted file is a shell script (its arguments are read too). */
export function looksLikeShell(file: string, text: string): boolean {
  return /\.(sh|bash)(\.tmpl)?$/i.test(file) || /^#!.*\b(sh|bash|ash|dash)\b/.test(text);
}

function dedupe(hits: HostHit[]): HostHit[] {
  const seen = new Set<number>();
  const out: HostHit[] = [];
  for (const h of hits.sort((a, b) => a.start - b.start)) {
    if (seen.has(h.start)) continue;
    seen.add(h.start);
    out.push(h);
  }
  return out;
}
