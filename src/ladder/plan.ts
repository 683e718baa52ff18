// What the deploy rung deploys for one view: the merged configuration `stacklint config` prints for the
// view's files, interpolated with the view's environment (STACK_NAME = the run's unique stack name),
// plus the changes the ladder makes — each one listed in `changes` so the run can print it.
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { FileDoc } from '../load/types.js';
import { loadYamlText } from '../load/yaml.js';
import { READ_LIMITS, readTextInside, realRoot } from '../load/read.js';
import { RecipeFiles } from '../pipeline/recipe-files.js';
import { loadStack } from '../pipeline/stack.js';
import type { ComposeConfig, ConfigObject, ConfigValue } from '../merge/types.js';
import { printDockerYaml } from '../report/docker-yaml.js';
import { ABRA_SH_FILE, computeViews, ENV_SAMPLE_FILE, parseAbraSh, parseEnvFile } from '../views/index.js';
import type { AbraShFile, EnvFile, ViewDefinition } from '../views/index.js';

export interface LadderRecipe {
  dir: string;
  files: RecipeFiles;
  envSample?: EnvFile;
  abraSh?: AbraShFile;
}

export function readRecipe(dir: string): LadderRecipe {
  const files = new RecipeFiles(dir);
  const read = (rel: string) => {
    if (!files.exists(rel)) return undefined;
    const r = files.read(rel);
    return r.ok ? r.text : undefined;
  };
  const envText = read(ENV_SAMPLE_FILE);
  const abraText = read(ABRA_SH_FILE);
  return {
    dir,
    files,
    envSample: envText !== undefined ? parseEnvFile(envText) : undefined,
    abraSh: abraText !== undefined ? parseAbraSh(abraText) : undefined,
  };
}

/** The recipe's deployable views (everything but `abra`), with STACK_NAME set to `stackName`. */
export function deployViews(recipe: LadderRecipe, stackName?: string): ViewDefinition[] {
  const listing = recipe.files.list();
  const computed = computeViews({ files: listing, exists: (rel) => recipe.files.exists(rel) }, recipe.envSample, recipe.abraSh, { stackName });
  return computed.views.filter((v) => v.kind !== 'abra');
}

/** Default views to deploy: every COMPOSE_FILE line of .env.sample; `compose.yml` alone when there is none. */
export function defaultViewNames(views: readonly ViewDefinition[]): string[] {
  const fromEnv = views.filter((v) => v.kind === 'compose-file' || (v.source !== undefined && v.kind !== 'abra'));
  return (fromEnv.length > 0 ? fromEnv : views.filter((v) => v.kind === 'base')).map((v) => v.name);
}

export interface ImageMapping {
  from: string;
  to: string;
}

/** `FROM=TO`; FROM is an exact reference, a repository without tag (any tag or digest of it), or `*`. */
export function parseImageMapping(text: string): ImageMapping | undefined {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) return undefined;
  const from = text.slice(0, eq).trim();
  const to = text.slice(eq + 1).trim();
  if (from === '' || to === '' || /\s/.test(from) || /\s/.test(to)) return undefined;
  return { from, to };
}

/** The repository part of an image reference (without `:tag` and `@digest`). */
export function imageRepository(ref: string): string {
  const at = ref.indexOf('@');
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = noDigest.lastIndexOf(':');
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
}

export function mapImage(image: string, mappings: readonly ImageMapping[]): string | undefined {
  for (const m of mappings) {
    if (m.from === '*' || m.from === image) return m.to;
    if (imageRepository(m.from) === m.from && imageRepository(image) === m.from) return m.to;
  }
  return undefined;
}

export interface PlanOptions {
  imageMap?: readonly ImageMapping[];
  engineCompat?: boolean;
  /** Overrides the recipe's timeout label. */
  timeoutSeconds?: number;
  /** $HOME for `~` in bind sources (default: the process's). */
  home?: string;
}

export interface ExternalResource {
  /** The key in the compose file. */
  key: string;
  /** The engine's name for it. */
  name: string;
}

export interface ExternalSecret extends ExternalResource {
  /** Length of the random value: from the `# length=N` modifier of its SECRET_<KEY>_VERSION line, else 32. */
  length: number;
}

export interface DeployPlan {
  view: string;
  files: string[];
  stack: string;
  /** The file `docker stack deploy -c` reads. */
  yaml: string;
  /** Everything the ladder changed in what it deploys, one line each. */
  changes: string[];
  /** docker's interpolation/load warnings for the view. */
  warnings: string[];
  services: Array<{ key: string; image: string }>;
  externals: { secrets: ExternalSecret[]; configs: ExternalResource[]; networks: ExternalResource[]; volumes: ExternalResource[] };
  timeout: { seconds: number; source: string };
}

export const DEFAULT_TIMEOUT_SECONDS = 300;
const DEFAULT_SECRET_LENGTH = 32;

export function buildDeployPlan(recipe: LadderRecipe, viewName: string, stack: string, options: PlanOptions = {}): DeployPlan | { error: string } {
  const view = deployViews(recipe, stack).find((v) => v.name === viewName);
  if (!view) return { error: `no view named ${viewName}` };
  if (view.missingFiles.length > 0) return { error: `view ${view.name}: missing ${view.missingFiles.join(', ')}` };
  const docs: FileDoc[] = [];
  for (const file of view.files) {
    const read = recipe.files.read(file);
    if (!read.ok) return { error: read.message };
    docs.push(loadYamlText(read.text, file, { absPath: resolve(recipe.dir, file) }));
  }
  const result = loadStack(docs, {
    lookup: view.env.lookup,
    workingDir: dirname(docs[0].absPath),
    home: options.home ?? process.env.HOME,
    readEnvFile: (abs) => readInside(recipe.dir, abs),
  });
  if (!result.merged) return { error: `${result.failure?.file ?? view.files[0]}: ${result.failure?.message ?? 'failed to load'}` };
  const imageless = Object.entries(result.merged.config.services).filter(([, s]) => typeof s.image !== 'string' || s.image === '');
  if (imageless.length > 0) {
    // docker stack deploy refuses it (CLI 20.10 only after creating part of the stack).
    return { error: `service ${imageless.map(([k]) => k).join(', ')} has no image: docker stack deploy refuses the view (R011)` };
  }
  const config = structuredClone(result.merged.config);
  const changes: string[] = [`STACK_NAME=${stack} (a unique name for this run; the view's other variables come from .env.sample and abra.sh)`];
  applyImageMap(config, options.imageMap ?? [], changes);
  if (options.engineCompat) applyEngineCompat(config, changes);
  const escaped = escapeDollars(config);
  if (escaped > 0) {
    changes.push(`\`$\` written as \`$$\` in ${escaped} value${escaped === 1 ? '' : 's'}, so docker's second interpolation of the file leaves them as linted`);
  }
  return {
    view: view.name,
    files: view.files,
    stack,
    yaml: printDockerYaml({ config }),
    changes,
    warnings: result.warnings,
    services: Object.entries(result.merged.config.services).map(([key, s]) => ({ key, image: String(config.services[key].image ?? s.image ?? '') })),
    externals: externals(result.merged.config, recipe.envSample),
    timeout: timeoutOf(result.merged.config, stack, options.timeoutSeconds),
  };
}

function readInside(dir: string, abs: string): { ok: true; text: string } | { ok: false; message: string } {
  const rel = relative(dir, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) return { ok: false, message: `open ${abs}: outside the recipe, not read` };
  const read = readTextInside(realRoot(dir), rel, { maxBytes: READ_LIMITS.maxFileBytes, limitFor: 'a recipe file' });
  return read.ok ? { ok: true, text: read.text } : { ok: false, message: read.message };
}

function isObject(v: ConfigValue | undefined): v is ConfigObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

function applyImageMap(config: ComposeConfig, mappings: readonly ImageMapping[], changes: string[]): void {
  if (mappings.length === 0) return;
  for (const [key, service] of Object.entries(config.services)) {
    const image = typeof service.image === 'string' ? service.image : '';
    const mapped = mapImage(image, mappings);
    if (mapped === undefined || mapped === image) continue;
    service.image = mapped;
    changes.push(`services.${key}.image: ${image || '(none)'} → ${mapped} (--image-map)`);
  }
}

/** Engines without IPVS (no service VIPs, no ingress routing mesh): DNS round robin and host-mode ports. */
function applyEngineCompat(config: ComposeConfig, changes: string[]): void {
  const [major, minor] = config.version.split('.').map(Number);
  if (major === 3 && (minor ?? 0) < 2) {
    changes.push(`version: ${config.version} → 3.2 (--engine-compat: endpoint_mode and long-syntax port modes need 3.2)`);
    config.version = '3.2';
  }
  for (const [key, service] of Object.entries(config.services)) {
    const deploy = isObject(service.deploy) ? service.deploy : (service.deploy = {});
    if (deploy.endpoint_mode !== 'dnsrr') {
      changes.push(`services.${key}.deploy.endpoint_mode: ${String(deploy.endpoint_mode ?? 'vip')} → dnsrr (--engine-compat)`);
      deploy.endpoint_mode = 'dnsrr';
    }
    if (!Array.isArray(service.ports)) continue;
    service.ports.forEach((port, i) => {
      if (!isObject(port) || port.mode === 'host') return;
      changes.push(`services.${key}.ports[${i}] (${String(port.published ?? '')}:${String(port.target ?? '')}) mode: ${String(port.mode ?? 'ingress')} → host (--engine-compat)`);
      port.mode = 'host';
    });
  }
}

/** Doubles every `$` in string values; returns how many values changed. */
function escapeDollars(config: ComposeConfig): number {
  let count = 0;
  const walk = (value: ConfigValue): ConfigValue => {
    if (typeof value === 'string') {
      if (!value.includes('$')) return value;
      count++;
      return value.replaceAll('$', '$$$$');
    }
    if (Array.isArray(value)) return value.map(walk);
    if (isObject(value)) {
      for (const k of Object.keys(value)) value[k] = walk(value[k]);
      return value;
    }
    return value;
  };
  for (const key of Object.keys(config) as Array<keyof ComposeConfig>) {
    if (key === 'version') continue;
    const section = config[key];
    if (isObject(section as ConfigValue)) walk(section as ConfigValue);
  }
  return count;
}

function externals(config: ComposeConfig, envSample: EnvFile | undefined): DeployPlan['externals'] {
  const pick = (section: Record<string, ConfigObject> | undefined): ExternalResource[] =>
    Object.entries(section ?? {})
      .filter(([, def]) => def.external === true)
      .map(([key, def]) => ({ key, name: typeof def.name === 'string' && def.name !== '' ? def.name : key }));
  return {
    secrets: pick(config.secrets).map((s) => ({ ...s, length: secretLength(s.key, envSample) })),
    configs: pick(config.configs),
    networks: pick(config.networks),
    volumes: pick(config.volumes),
  };
}

function secretLength(key: string, envSample: EnvFile | undefined): number {
  const variable = `SECRET_${key.toUpperCase()}_VERSION`;
  const entry = envSample?.entries.find((e) => e.key === variable);
  const length = Number(entry?.modifiers.length);
  return Number.isInteger(length) && length > 0 && length <= 4096 ? length : DEFAULT_SECRET_LENGTH;
}

/** abra's convention: a `coop-cloud.${STACK_NAME}.timeout` deploy label gives the convergence timeout in seconds. */
function timeoutOf(config: ComposeConfig, stack: string, override: number | undefined): DeployPlan['timeout'] {
  if (override !== undefined) return { seconds: override, source: '--timeout' };
  const label = `coop-cloud.${stack}.timeout`;
  for (const [key, service] of Object.entries(config.services)) {
    const labels = isObject(service.deploy) && isObject(service.deploy.labels) ? service.deploy.labels : undefined;
    const value = labels?.[label];
    if (value === undefined) continue;
    const seconds = Number(value);
    if (Number.isFinite(seconds) && seconds > 0) return { seconds, source: `label coop-cloud.\${STACK_NAME}.timeout on ${key}` };
  }
  return { seconds: DEFAULT_TIMEOUT_SECONDS, source: 'default' };
}
