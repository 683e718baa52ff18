// References between services and top-level definitions, for dangling-reference and unused-definition:
// what each service of a merged view uses, and where a raw compose file mentions a reference.
import type { Path, PathSeg, YamlValue } from '../../load/types.js';
import type { StackConfig } from '../../merge/index.js';
import type { RuleContext } from '../rule.js';
import { asMapping } from '../kit/files.js';

export type RefKind = 'depends_on' | 'networks' | 'volumes' | 'secrets' | 'configs';

export interface Reference {
  service: string;
  kind: RefKind;
  name: string;
}

/** The top-level section a reference kind must be defined in ('services' for depends_on). */
export function sectionOf(kind: RefKind): 'services' | 'networks' | 'volumes' | 'secrets' | 'configs' {
  return kind === 'depends_on' ? 'services' : kind;
}

export const KIND_WORD: Record<RefKind, string> = {
  depends_on: 'service',
  networks: 'network',
  volumes: 'volume',
  secrets: 'secret',
  configs: 'config',
};

/** Every reference of every service of a merged config. A service without `networks` uses `default`. */
export function referencesOf(config: StackConfig): Reference[] {
  const out: Reference[] = [];
  for (const [service, svc] of Object.entries(config.services ?? {})) {
    if (!svc || typeof svc !== 'object') continue;
    for (const name of svc.depends_on ?? []) if (typeof name === 'string') out.push({ service, kind: 'depends_on', name });
    const networks = svc.networks && typeof svc.networks === 'object' ? Object.keys(svc.networks) : [];
    if (networks.length === 0 && svc.network_mode === undefined) out.push({ service, kind: 'networks', name: 'default' });
    for (const name of networks) out.push({ service, kind: 'networks', name });
    for (const v of svc.volumes ?? []) {
      if (v && v.type === 'volume' && typeof v.source === 'string' && v.source !== '') out.push({ service, kind: 'volumes', name: v.source });
    }
    for (const s of svc.secrets ?? []) if (s && typeof s.source === 'string') out.push({ service, kind: 'secrets', name: s.source });
    for (const c of svc.configs ?? []) if (c && typeof c.source === 'string') out.push({ service, kind: 'configs', name: c.source });
  }
  return out;
}

/** Whether the merged config defines what a reference names. `default` networks need no definition. */
export function resolves(config: StackConfig, ref: Reference): boolean {
  if (ref.kind === 'networks' && ref.name === 'default') return true;
  const section = (config as unknown as Record<string, unknown>)[sectionOf(ref.kind)];
  return !!section && typeof section === 'object' && Object.hasOwn(section, ref.name);
}

/** The source of a short-syntax volume (`name:/target:ro`), or undefined for a target-only volume. */
function shortVolumeSource(spec: string): string | undefined {
  const parts = spec.split(':');
  return parts.length >= 2 ? parts[0] : undefined;
}

/** Where a raw file mentions a service's reference: paths to point at (list items or map keys). */
export function rawMentions(data: YamlValue | undefined, ref: Reference): Array<{ path: Path; at: 'key' | 'value' }> {
  const service = asMapping(asMapping(asMapping(data)?.services)?.[ref.service]);
  if (!service) return [];
  const field = service[ref.kind];
  const base: PathSeg[] = ['services', ref.service, ref.kind];
  const out: Array<{ path: Path; at: 'key' | 'value' }> = [];
  if (Array.isArray(field)) {
    field.forEach((item, i) => {
      if (typeof item === 'string') {
        const name = ref.kind === 'volumes' ? shortVolumeSource(item) : item;
        if (name === ref.name) out.push({ path: [...base, i], at: 'value' });
      } else {
        const m = asMapping(item);
        if (m && m.source === ref.name) out.push({ path: [...base, i, 'source'], at: 'value' });
      }
    });
  } else {
    const m = asMapping(field);
    if (m && Object.hasOwn(m, ref.name)) out.push({ path: [...base, ref.name], at: 'key' });
  }
  return out;
}

/** Files of the recipe that define `name` in a top-level section. */
export function filesDefining(ctx: RuleContext, section: string, name: string): string[] {
  const out: string[] = [];
  for (const { file, doc } of ctx.recipe.composeFiles) {
    const sec = asMapping(asMapping(doc.data)?.[section]);
    if (sec && Object.hasOwn(sec, name)) out.push(file);
  }
  return out;
}

/** Names a raw file's services use for a kind (no merge, no interpolation; for views that failed to load). */
export function rawNames(data: YamlValue | undefined, kind: RefKind): Set<string> {
  const out = new Set<string>();
  const services = asMapping(asMapping(data)?.services);
  for (const name of Object.keys(services ?? {})) {
    const service = asMapping(services![name]);
    if (!service) continue;
    const field = service[kind];
    if (kind === 'networks' && field === undefined) out.add('default');
    if (Array.isArray(field)) {
      for (const item of field) {
        if (typeof item === 'string') {
          const n = kind === 'volumes' ? shortVolumeSource(item) : item;
          if (n !== undefined) out.add(n);
        } else {
          const source = asMapping(item)?.source;
          if (typeof source === 'string') out.add(source);
        }
      }
    } else {
      for (const key of Object.keys(asMapping(field) ?? {})) out.add(key);
    }
  }
  return out;
}
