// The merged stack as later stages read it: docker's normalised config (the shape `docker stack config`
// prints), keyed like the YAML. Rules read it through these types; they never see raw files here.
import type { ComposeConfig } from './types.js';

export interface StackConfig {
  version: string;
  services: Record<string, ServiceConfig>;
  networks?: Record<string, NetworkConfig>;
  volumes?: Record<string, VolumeConfig>;
  secrets?: Record<string, FileObjectConfig>;
  configs?: Record<string, FileObjectConfig>;
  [extension: `x-${string}`]: unknown;
}

export interface ServiceConfig {
  image?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string | null>;
  env_file?: string[];
  labels?: Record<string, string>;
  deploy?: DeployConfig;
  networks?: Record<string, ServiceNetworkConfig | null>;
  ports?: PortConfig[];
  volumes?: VolumeMount[];
  secrets?: FileReference[];
  configs?: FileReference[];
  depends_on?: string[];
  healthcheck?: HealthcheckConfig;
  hostname?: string;
  user?: string;
  privileged?: boolean;
  network_mode?: string;
  pid?: string;
  ipc?: string;
  cap_add?: string[];
  cap_drop?: string[];
  build?: Record<string, unknown>;
  restart?: string;
  container_name?: string;
  links?: string[];
  expose?: string[];
  read_only?: boolean;
  [other: string]: unknown;
}

export interface DeployConfig {
  mode?: string;
  replicas?: number;
  labels?: Record<string, string>;
  resources?: { limits?: Record<string, unknown>; reservations?: Record<string, unknown> };
  endpoint_mode?: string;
  placement?: { constraints?: string[]; preferences?: unknown[]; max_replicas_per_node?: number };
  [other: string]: unknown;
}

export interface ServiceNetworkConfig {
  aliases?: string[];
  ipv4_address?: string;
  ipv6_address?: string;
}

export interface PortConfig {
  mode?: string;
  target?: number;
  published?: number;
  protocol?: string;
}

export interface VolumeMount {
  type: string;
  source?: string;
  target: string;
  read_only?: boolean;
  [other: string]: unknown;
}

export interface FileReference {
  /** Absent in a long-syntax entry that leaves it out (the schema accepts that; docker fails the deploy). */
  source?: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export interface HealthcheckConfig {
  test?: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  start_period?: string;
  disable?: boolean;
}

export interface NetworkConfig {
  name?: string;
  driver?: string;
  external?: boolean | { name?: string };
  internal?: boolean;
  attachable?: boolean;
  [other: string]: unknown;
}

export interface VolumeConfig {
  name?: string;
  driver?: string;
  external?: boolean | { name?: string };
  [other: string]: unknown;
}

export interface FileObjectConfig {
  name?: string;
  file?: string;
  external?: boolean | { name?: string };
  template_driver?: string;
  [other: string]: unknown;
}

/** Deploy labels and container labels of a service, as maps (missing → empty). */
export function deployLabels(service: ServiceConfig): Record<string, string> {
  return service.deploy?.labels ?? {};
}

export function isExternal(def: { external?: boolean | { name?: string } } | undefined | null): boolean {
  return !!def && (def.external === true || (typeof def.external === 'object' && def.external !== null));
}

/**
 * The merged config as the typed shape above. The typed load builds every service and definition from
 * SERVICE_SPEC / DEFINITION_SPECS (spec.ts), which give each field the type declared here; this is the one
 * place the generic `ComposeConfig` is read as that shape.
 */
export function typedConfig(config: ComposeConfig): StackConfig {
  return config as unknown as StackConfig;
}

/** Whether an image is Traefik's (`traefik:v3.1`, `containous/traefik:v1.7`, `traefik@sha256:…`). */
export function isTraefikImage(image: string | undefined): boolean {
  return !!image && /(^|\/)traefik(:|@|$)/.test(image);
}

/** Whether Traefik routes to the service (`traefik.enable=true` among its deploy labels). */
export function traefikEnabled(service: ServiceConfig): boolean {
  // Traefik reads label keys case-insensitively (`traefik.Enable=true` counts).
  const labels = deployLabels(service);
  const key = Object.keys(labels).find((k) => k.toLowerCase() === 'traefik.enable');
  return key !== undefined && labels[key].trim().toLowerCase() === 'true';
}
