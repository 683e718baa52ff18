// Which labels the stack's own Traefik reads: its docker provider outside swarm mode reads *container* labels
// (Traefik v2's `--providers.docker` without `swarmMode`, v3's `--providers.docker` — v3 moved swarm to
// `--providers.swarm` — and v1's `--docker` without `swarmMode`); in swarm mode (v2's and v1's `swarmMode`, v3's
// swarm provider) it reads *service* labels (`deploy.labels`). Set by flags, environment or its static file.
import { basename, isAbsolute, relative } from 'node:path';
import { parse } from 'yaml';
import type { ServiceConfig, StackConfig } from '../../merge/index.js';
import type { RuleContext } from '../rule.js';

/** The stack a Traefik service is defined in: a view, or a repository's stack file loaded alone. */
type TraefikStack = { config: Pick<StackConfig, 'configs'> };

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
function staticFiles(ctx: RuleContext, view: TraefikStack, traefik: ServiceConfig): string[] {
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
  // Stack-relative, `../` included: the read itself refuses what lies outside the read boundary.
  return sources.map((s) => (isAbsolute(s) ? relative(ctx.recipe.dir, s) : s).split('\\').join('/'));
}

/**
 * Which labels a Traefik service reads: container labels when its docker provider runs outside swarm mode,
 * service labels in swarm mode (or with v3's swarm provider). Flags and environment are checked first, then a
 * static file the stack itself holds (a file outside it is not read). Neither when nothing says (the rules
 * then take the swarm default: service labels).
 */
export function labelSources(ctx: RuleContext, view: TraefikStack, traefik: ServiceConfig): LabelSources {
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

/** A provider option: `--providers.docker.<option>[=…]`, `--providers.swarm.<option>[=…]`, v1's `--docker.<option>[=…]`. */
const OPTION_FLAG = /^--(?:providers\.(?:docker|swarm)|docker)\.(\w+)(?:=(.*))?$/i;
const OPTION_ENV = /^TRAEFIK_(?:PROVIDERS_(?:DOCKER|SWARM)|DOCKER)_(\w+)$/i;
/** `option = "value"` in a TOML section. */
const TOML_OPTION = /^[ \t]*(\w+)[ \t]*=[ \t]*(?:"([^"]*)"|'([^']*)'|([^\s#]+))/;

/** A provider option in a static file: `providers.docker|swarm.<option>` (v2/v3) or v1's top-level `docker.<option>`, YAML or TOML. */
function staticOption(text: string, toml: boolean, option: string): string | undefined {
  if (toml) {
    let section = '';
    for (const row of text.split('\n')) {
      const header = /^\[{1,2}([^[\]]*)\]/.exec(row.trim());
      if (header) section = header[1].trim().toLowerCase();
      else if (/^(?:providers\.)?(?:docker|swarm)$/.test(section)) {
        const m = TOML_OPTION.exec(row);
        if (m && m[1].toLowerCase() === option) return m[2] ?? m[3] ?? m[4];
      }
    }
    return undefined;
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch {
    return undefined;
  }
  const child = (node: unknown, key: string): unknown =>
    node && typeof node === 'object' && !Array.isArray(node) ? Object.entries(node).find(([k]) => k.toLowerCase() === key)?.[1] : undefined;
  for (const provider of [child(child(doc, 'providers'), 'docker'), child(child(doc, 'providers'), 'swarm'), child(doc, 'docker')]) {
    const value = child(provider, option);
    if (value !== undefined && value !== null && typeof value !== 'object') return String(value);
  }
  return undefined;
}

/**
 * The value a Traefik service gives an option of its docker/swarm provider (`exposedByDefault`, `defaultRule`,
 * v1's `domain`; lower case): by flag (`--providers.docker.<option>`, `--providers.swarm.<option>`, v1's
 * `--docker.<option>`; a flag without a value is `true`), variable, or the static file it mounts. Undefined when unset.
 */
export function providerOption(ctx: RuleContext, stack: TraefikStack, traefik: ServiceConfig, option: string): string | undefined {
  for (const arg of [...(traefik.entrypoint ?? []), ...(traefik.command ?? [])]) {
    const m = OPTION_FLAG.exec(arg.trim());
    if (m && m[1].toLowerCase() === option) return m[2] ?? 'true';
  }
  for (const [key, value] of Object.entries(traefik.environment ?? {})) {
    if (OPTION_ENV.exec(key)?.[1].toLowerCase() === option) return value ?? '';
  }
  for (const rel of staticFiles(ctx, stack, traefik)) {
    const text = ctx.recipe.readText(rel);
    const set = text === undefined ? undefined : staticOption(text, /\.toml$/i.test(rel), option);
    if (set !== undefined) return set;
  }
  return undefined;
}

/** Whether a Traefik service routes to containers that carry no `traefik.enable` label (`exposedByDefault`, on unless set false). */
export function exposesByDefault(ctx: RuleContext, stack: TraefikStack, traefik: ServiceConfig): boolean {
  return truthy(providerOption(ctx, stack, traefik, 'exposedbydefault'));
}

/**
 * Whether a Traefik service gives a router without `rule` a deliberate default: v2+'s `defaultRule`, or v1's
 * `domain` (v1 then routes `Host:<service>.<domain>`; without it a service with no frontend rule is skipped).
 */
export function setsDefaultRule(ctx: RuleContext, stack: TraefikStack, traefik: ServiceConfig): boolean {
  // Present is enough: `--docker.domain=${DOMAIN}` takes its value from the deploying shell.
  return ['defaultrule', 'domain'].some((option) => providerOption(ctx, stack, traefik, option) !== undefined);
}
