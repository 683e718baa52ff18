// docker's forbidden-properties check (cli/compose/loader/loader.go validateForbidden), which runs
// on each raw file before interpolation, and the two ways docker words its failure.
import { NonStringKeyMap } from '../load/types.js';
import type { Path, YamlValue } from '../load/types.js';

/** cli/compose/types ForbiddenProperties, with docker's explanations. */
export const FORBIDDEN_PROPERTIES: Readonly<Record<string, string>> = {
  extends: 'Support for `extends` is not implemented yet.',
  volume_driver:
    'Instead of setting the volume driver on the service, define a volume using the top-level `volumes` option and specify the driver there.',
  volumes_from:
    'To share a volume between services, define it using the top-level `volumes` option and reference it from each service that shares it using the service-level `volumes` option.',
  cpu_quota: 'Set resource limits using deploy.resources',
  cpu_shares: 'Set resource limits using deploy.resources',
  cpuset: 'Set resource limits using deploy.resources',
  mem_limit: 'Set resource limits using deploy.resources',
  memswap_limit: 'Set resource limits using deploy.resources',
};

export interface ForbiddenProperty {
  service: string;
  property: string;
  /** ['services', service, property]: the key to point at. */
  path: Path;
  description: string;
}

export interface ForbiddenCheck {
  /** Every forbidden key, services in document order. */
  properties: ForbiddenProperty[];
  /** What `docker stack config` prints: `Configuration contains forbidden properties`. */
  dockerMessage?: string;
  /** What `docker stack deploy` prints (multi-line, ends with a newline). */
  deployMessage?: string;
}

type Mapping = { [key: string]: YamlValue };

function asMapping(value: YamlValue | undefined): Mapping | undefined {
  if (value === null || value === undefined || typeof value !== 'object') return undefined;
  if (Array.isArray(value) || value instanceof NonStringKeyMap) return undefined;
  return value;
}

/** docker's propertyWarnings: one `name: description` per property, sorted, blank-line separated. */
function deployText(properties: ForbiddenProperty[]): string {
  const lines = [...new Set(properties.map((p) => `${p.property}: ${p.description}`))].sort();
  return `Compose file contains unsupported options:\n\n${lines.join('\n\n')}\n`;
}

/**
 * The forbidden keys in one raw file. Like docker, only a `services` mapping is looked at, and
 * only services that are mappings; a key counts even when its value is null.
 */
export function findForbiddenProperties(data: YamlValue): ForbiddenCheck {
  const services = asMapping(asMapping(data)?.services);
  const properties: ForbiddenProperty[] = [];
  for (const service of Object.keys(services ?? {})) {
    const definition = asMapping(services![service]);
    for (const property of Object.keys(definition ?? {})) {
      if (!Object.hasOwn(FORBIDDEN_PROPERTIES, property)) continue;
      properties.push({ service, property, path: ['services', service, property], description: FORBIDDEN_PROPERTIES[property] });
    }
  }
  if (properties.length === 0) return { properties };
  return { properties, dockerMessage: 'Configuration contains forbidden properties', deployMessage: deployText(properties) };
}
