// Which labels the stack's own Traefik reads: its docker provider outside swarm mode reads *container* labels
// (Traefik v2's `--providers.docker` without `swarmMode`, v3's `--providers.docker` — v3 moved swarm to
// `--providers.swarm` — and v1's `--docker` without `swarmMode`); in swarm mode (v2's and v1's `swarmMode`, v3's
// swarm provider) it reads *service* labels (`deploy.labels`). Set by flags, environment or its static file.
import { basename } from 'node:path';
import { parse } from 'yaml';
import type { ServiceConfig } from '../../merge/index.js';
import type { MergedView, RuleContext } from '../rule.js';
import { recipeRelative } from '../../swarm/index.js';

/** How a source of Traefik's static configuration sets up the docker provider (and v3's swarm provider). */
interface DockerProvider {
  enabled: boolean;
  swarmMode: boolean;
  /** v3's `providers.swarm`: reads service labels. */
  swarm?: boolean;
}

/** Which labels a Traefik service reads: container labels (`labels:`), service labels (`deploy.labels`). */
export interface LabelSources {
  container: boolean;
  service: boolean;
}

const STATIC_FILE = /^traefik\.(?:ya?ml|toml)$/i;
/** `--providers.docker`, `--providers.docker=true`, `--providers.docker.<option>=…` (v2/v3); v1's `--docker…`. */
const DOCKER_FLAG = /^--(?:providers\.)?docker(?:=(\w+)|\.([\w.]+)(?:=(.*))?)?$/i;
const DOCKER_ENV = /^TRAEFIK_(?:PROVIDERS_)?DOCKER(?:_(\w+))?$/i;
/** v3's swarm provider: `--providers.swarm`, `--providers.swarm=true`, `--providers.swarm.<option>=…`. */
const SWARM_FLAG = /^--providers\.swarm(?:=(\w+)|\.[\w.]+(?:=.*)?)?$/i;
const SWARM_ENV = /^TRAEFIK_PROVIDERS_SWARM(?:_\w+)?$/i;

const truthy = (value: string | undefined): boolean => value === undefined || value.trim().toLowerCase() !== 'false';

/** Flags and environment: any docker-provider option enables the provider; `swarmMode` switches it to service labels. */
function fromFlags(traefik: ServiceConfig): DockerProvider {
  const out = { enabled: false, swarmMode: false, swarm: false };
  for (const arg of [...(traefik.entrypoint ?? []), ...(traefik.command ?? [])]) {
    const swarm = SWARM_FLAG.exec(arg.trim());
    if (swarm) out.swarm ||= truthy(swarm[1]);
    const m = DOCKER_FLAG.exec(arg.trim());
    if (!m) continue;
    if (m[2] === undefined) out.enabled ||= truthy(m[1]);
    else if (m[2].toLowerCase() === 'swarmmode') out.swarmMode ||= truthy(m[3]);
    else out.enabled = true;
  }
  for (const [key, value] of Object.entries(traefik.environment ?? {})) {
    if (SWARM_ENV.test(key)) out.swarm ||= /_SWARM$/i.test(key) ? truthy(value ?? undefined) : true;
    const m = DOCKER_ENV.exec(key);
    if (!m) continue;
    if (m[1] === undefined) out.enabled ||= truthy(value ?? undefined);
    else if (m[1].toLowerCase() === 'swarmmode') out.swarmMode ||= truthy(value ?? undefined);
    else out.enabled = true;
  }
  return out;
}

/** A static file's `providers.docker` (v2/v3) or top-level `docker` (v1), YAML or TOML. */
function fromStaticFile(text: string, toml: boolean): DockerProvider {
  if (toml) {
    let section = '';
    const out = { enabled: false, swarmMode: false, swarm: false };
    for (const line of text.split('\n')) {
      const header = /^\[{1,2}([^[\]]*)\]/.exec(line.trim());
      if (header) {
        section = header[1].trim().toLowerCase();
        if (/^(?:providers\.)?docker(?:\.|$)/.test(section)) out.enabled = true;
        if (/^providers\.swarm(?:\.|$)/.test(section)) out.swarm = true;
        continue;
      }
      if (/^(?:providers\.)?docker$/.test(section) && /^\s*swarmMode\s*=\s*true\b/i.test(line)) out.swarmMode = true;
    }
    return out;
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return { enabled: false, swarmMode: false, swarm: false };
  }
  const child = (node: unknown, key: string): unknown =>
    node && typeof node === 'object' && !Array.isArray(node) ? Object.entries(node).find(([k]) => k.toLowerCase() === key)?.[1] : undefined;
  const has = (node: unknown, key: string): boolean =>
    !!node && typeof node === 'object' && !Array.isArray(node) && Object.keys(node).some((k) => k.toLowerCase() === key);
  const providers = child(doc, 'providers');
  const swarmProvider = has(providers, 'swarm');
  const [holder, key] = has(providers, 'docker') ? [providers, 'docker'] : [doc, 'docker'];
  if (!has(holder, key)) return { enabled: false, swarmMode: false, swarm: swarmProvider };
  const swarm = child(child(holder, key), 'swarmmode');
  return { enabled: true, swarmMode: swarm === true || String(swarm).toLowerCase() === 'true', swarm: swarmProvider };
}

/** The recipe files of a Traefik service's static configuration: its mounted or config `traefik.yml|yaml|toml`, or its --configFile. */
function staticFiles(ctx: RuleContext, view: MergedView, traefik: ServiceConfig): string[] {
  const configFile = [...(traefik.entrypoint ?? []), ...(traefik.command ?? [])]
    .map((arg) => /^--configfile=(.+)$/i.exec(arg.trim())?.[1])
    .find((v) => v !== undefined);
  const named = (source: string | undefined, target: string | undefined): boolean =>
    !!source && (STATIC_FILE.test(basename(source)) || (configFile !== undefined && target === configFile));
  const sources: string[] = [];
  for (const mount of traefik.volumes ?? []) if (mount.type === 'bind' && named(mount.source, mount.target)) sources.push(mount.source!);
  for (const ref of traefik.configs ?? []) {
    const file = ref.source === undefined ? undefined : view.config.configs?.[ref.source]?.file;
    if (file && named(file, ref.target ?? `/${ref.source}`)) sources.push(file);
  }
  return sources.map((s) => recipeRelative(ctx.recipe, s)).filter((rel): rel is string => rel !== undefined);
}

/**
 * Which labels a Traefik service reads: container labels when its docker provider runs outside swarm mode,
 * service labels in swarm mode (or with v3's swarm provider). Flags and environment are checked first, then a
 * static file the stack itself holds (a file outside it is not read). Neither when nothing says (the rules
 * then take the swarm default: service labels).
 */
export function labelSources(ctx: RuleContext, view: MergedView, traefik: ServiceConfig): LabelSources {
  const of = (p: DockerProvider): LabelSources => ({ container: p.enabled && !p.swarmMode, service: p.swarmMode || !!p.swarm });
  const flags = fromFlags(traefik);
  if (flags.enabled || flags.swarmMode || flags.swarm) return of(flags);
  const out = { container: false, service: false };
  for (const rel of staticFiles(ctx, view, traefik)) {
    const text = ctx.recipe.readText(rel);
    if (text === undefined) continue;
    const found = of(fromStaticFile(text, /\.toml$/i.test(rel)));
    out.container ||= found.container;
    out.service ||= found.service;
  }
  return out;
}

