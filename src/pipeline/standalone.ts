// Whether a file beside a stack's base is a stack of its own rather than an overlay: a standalone
// `compose.swarm.yml` next to a development `compose.yml` is deployed alone, never merged onto it.
import type { FileDoc, YamlValue } from '../load/types.js';

type Mapping = Record<string, YamlValue>;

function mapping(value: YamlValue | undefined): Mapping | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Mapping) : undefined;
}

/**
 * True when `overlay` shares no service with `base`, has at least one service, every service names an image,
 * and every network, volume, secret, config and service its services use (depends_on, links) is defined in
 * the file itself — merged onto the base it would only add a second, unrelated stack.
 */
export function standaloneOverlay(base: FileDoc, overlay: FileDoc): boolean {
  if (base.errors.length > 0 || overlay.errors.length > 0) return false;
  const top = mapping(overlay.data as YamlValue);
  const services = mapping(top?.services);
  if (!top || !services || Object.keys(services).length === 0) return false;
  const baseServices = mapping(mapping(base.data as YamlValue)?.services) ?? {};
  const defined = (kind: string) => new Set(Object.keys(mapping(top[kind]) ?? {}));
  const networks = defined('networks');
  networks.add('default');
  const volumes = defined('volumes');
  const secrets = defined('secrets');
  const configs = defined('configs');
  for (const [name, value] of Object.entries(services)) {
    if (Object.hasOwn(baseServices, name)) return false;
    const service = mapping(value);
    if (!service || typeof service.image !== 'string' || service.image === '') return false;
    if (!namesIn(service.networks).every((n) => networks.has(n))) return false;
    if (!volumeNamesIn(service.volumes).every((v) => volumes.has(v))) return false;
    if (!namesIn(service.secrets, 'source').every((s) => secrets.has(s))) return false;
    if (!namesIn(service.configs, 'source').every((c) => configs.has(c))) return false;
    // A service that waits for or links to one the file does not define runs beside the base's.
    if (!namesIn(service.depends_on).every((d) => Object.hasOwn(services, d))) return false;
    if (!namesIn(service.links).every((l) => Object.hasOwn(services, l.split(':')[0]))) return false;
  }
  return true;
}

/** Names a service lists: `[a, b]`, `{a: …, b: …}`, or `[{source: a}]` when `key` is given. */
function namesIn(value: YamlValue | undefined, key?: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (typeof item === 'string') return [item];
      const named = key !== undefined ? mapping(item)?.[key] : undefined;
      return typeof named === 'string' ? [named] : [];
    });
  }
  return Object.keys(mapping(value) ?? {});
}

/** Named volumes a service mounts (`name:/path`, `{type: volume, source: name}`); host paths are not names. */
function volumeNamesIn(value: YamlValue | undefined): string[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (typeof item === 'string') {
      const source = item.split(':')[0];
      return item.includes(':') && !/^[./~$]/.test(source) ? [source] : [];
    }
    const m = mapping(item);
    return m && (m.type === undefined || m.type === 'volume') && typeof m.source === 'string' ? [m.source] : [];
  });
}
