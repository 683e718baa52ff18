// docker's compose *convert* step for networks and names: what `docker stack deploy` creates from a merged
// view — the name each network, secret and config gets (stack-scoped `<stack>_<key>`, or its own name when
// external or named), the networks each service joins, and which short names (service keys, aliases)
// resolve to which service on which network.
import { isExternal } from '../merge/index.js';
import type { ServiceConfig, StackConfig } from '../merge/index.js';
import type { MergedView } from '../pipeline/recipe.js';

/** A top-level definition as far as its deployed name goes. After docker's typed load an external one always has `name`. */
export interface NamedDefinition {
  name?: string;
  external?: boolean | { name?: string };
}

/** The name docker gives a stack's service or definition: `<stack>_<key>` (docker's namespace scoping). */
export function scopedName(stack: string, key: string): string {
  return `${stack}_${key}`;
}

/**
 * The name docker gives a top-level network, secret or config of stack `stack`: its `name:` (or the external
 * name), the key itself for an external definition, else the stack-scoped `<stack>_<key>`. `escape` is applied
 * to the key and names, not to `stack` (for building a template with a `${STACK_NAME}` placeholder).
 */
export function deployedName(key: string, def: NamedDefinition | null | undefined, stack: string, escape: (text: string) => string = (t) => t): string {
  if (def && typeof def.name === 'string' && def.name !== '') return escape(def.name);
  const externalName = def && typeof def.external === 'object' && def.external !== null ? def.external.name : undefined;
  if (externalName) return escape(externalName);
  if (isExternal(def)) return escape(key);
  return scopedName(stack, escape(key));
}

/** The name docker gives a view's network `key`, the stack being named by the view's STACK_NAME. */
export function networkDockerName(view: Pick<MergedView, 'config' | 'env'>, key: string): string {
  return deployedName(key, view.config.networks?.[key], view.env('STACK_NAME') ?? '');
}

/** The name of an external network (`proxy`; `external: {name: x}` or `name: x` renames it). */
export function externalNetworkName(key: string, def: NamedDefinition | null | undefined): string {
  return deployedName(key, { ...def, external: true }, '');
}

/**
 * The network keys on which a service takes part in the stack's name resolution: those it lists, or
 * `default` when it lists none; none with `network_mode` (the service does not use the stack's networks).
 */
export function serviceNetworkKeys(svc: ServiceConfig | undefined): string[] {
  if (!svc) return [];
  if (svc.network_mode) return [];
  const nets = svc.networks ? Object.keys(svc.networks) : [];
  return nets.length > 0 ? nets : ['default'];
}

/** The network keys a service's definition attaches it to: those it lists, or `default` when it has no `networks:`. */
export function attachedNetworkKeys(svc: ServiceConfig | undefined): string[] {
  return svc?.networks && typeof svc.networks === 'object' ? Object.keys(svc.networks) : ['default'];
}

/** Network keys of the view that are shared external networks (`sharedNetworks`, matched by key or docker name). */
export function sharedNetworkKeys(sharedNetworks: readonly string[], view: Pick<MergedView, 'config'>): Set<string> {
  const wanted = new Set(sharedNetworks);
  const out = new Set<string>();
  for (const [key, def] of Object.entries(view.config.networks ?? {})) {
    if (!isExternal(def)) continue;
    if (wanted.has(key) || wanted.has(externalNetworkName(key, def))) out.add(key);
  }
  return out;
}

/** A service that answers to a name, and the networks on which it does. */
export interface NameTarget {
  service: string;
  networks: string[];
}

const NO_TARGETS: readonly NameTarget[] = [];
const nameIndexes = new WeakMap<StackConfig, Map<string, NameTarget[]>>();

/** Services of the view a short name resolves to, and on which networks (service keys and network aliases). */
export function servicesNamed(config: StackConfig, name: string): readonly NameTarget[] {
  let index = nameIndexes.get(config);
  if (!index) {
    index = nameIndex(config);
    nameIndexes.set(config, index);
  }
  return index.get(name.toLowerCase()) ?? NO_TARGETS;
}

/**
 * Every short name of a view → the services it resolves to, in service order, built once per merged config:
 * a look-up per reference that walked every service cost references × services.
 */
function nameIndex(config: StackConfig): Map<string, NameTarget[]> {
  const index = new Map<string, NameTarget[]>();
  const add = (name: string, target: NameTarget) => {
    const list = index.get(name);
    if (list) list.push(target);
    else index.set(name, [target]);
  };
  for (const [svcName, svc] of Object.entries(config.services ?? {})) {
    const nets = serviceNetworkKeys(svc);
    const own = svcName.toLowerCase();
    add(own, { service: svcName, networks: nets });
    // An alias resolves on the networks that declare it; the service's own name wins over an alias of it.
    const byAlias = new Map<string, string[]>();
    for (const n of nets) {
      for (const alias of svc.networks?.[n]?.aliases ?? []) {
        const lower = alias.toLowerCase();
        if (lower === own) continue;
        const on = byAlias.get(lower);
        if (!on) byAlias.set(lower, [n]);
        else if (on[on.length - 1] !== n) on.push(n);
      }
    }
    for (const [alias, networks] of byAlias) add(alias, { service: svcName, networks });
  }
  return index;
}

/** Every name the stack itself answers to in a view: service keys, network aliases, extra_hosts entries (lower case). */
export function namesOfStack(config: StackConfig): Set<string> {
  const out = new Set<string>();
  for (const [svcName, svc] of Object.entries(config.services ?? {})) {
    out.add(svcName.toLowerCase());
    for (const net of Object.values(svc.networks ?? {})) for (const a of net?.aliases ?? []) out.add(a.toLowerCase());
    const extra = svc['extra_hosts'];
    const entries = Array.isArray(extra) ? extra.map(String) : extra && typeof extra === 'object' ? Object.keys(extra) : [];
    for (const e of entries) out.add(e.split(/[:=]/)[0].trim().toLowerCase());
  }
  return out;
}

/** A name a service answers to on one of its networks. */
export interface NetworkName {
  /** The network's key in the view. */
  network: string;
  /** As written: the service key or an alias. */
  name: string;
  service: string;
  kind: 'service' | 'alias';
}

/** The names each service answers to on the networks `keys` (all of a service's networks when omitted), in service order. */
export function namesOnNetworks(config: StackConfig, keys?: ReadonlySet<string>): NetworkName[] {
  const out: NetworkName[] = [];
  for (const [svcName, svc] of Object.entries(config.services ?? {})) {
    for (const key of serviceNetworkKeys(svc)) {
      if (keys && !keys.has(key)) continue;
      out.push({ network: key, name: svcName, service: svcName, kind: 'service' });
      for (const alias of svc.networks?.[key]?.aliases ?? []) out.push({ network: key, name: alias, service: svcName, kind: 'alias' });
    }
  }
  return out;
}
