// Which file lists stacklint merges for a recipe (its "views"), computed from the recipe's directory listing
// and its parsed .env.sample. See docs/rules.md "Views".
import { posix } from 'node:path';
import type { AbraShFile } from './abra-sh.js';
import type { EnvFile } from './env-file.js';
import { compareBytes, goGlob } from './go-glob.js';
import type { EnvVariable, ViewEnvironment } from './view-env.js';
import type { DeclaredView } from './declared.js';
import { abraEnvironment, DEFAULT_STACK_NAME, deployEnvironment } from './view-env.js';

export type ViewKind = 'abra' | 'base' | 'overlay' | 'compose-file';

export interface ViewDefinition {
  /** `abra`, or the files joined by '+', e.g. `compose.yml+compose.smtpauth.yml`. */
  name: string;
  kind: ViewKind;
  /** Recipe-relative files in merge order (may be empty for `abra` when nothing matches). */
  files: string[];
  /**
   * The .env.sample COMPOSE_FILE line that defines this list (the first, when several do); `file` is set
   * when another file declares it (the config's `views:`, .env.example, a deploy script).
   */
  source?: { line: number; column: number; commented: boolean; file?: string };
  /** Files of `files` that do not exist: the view cannot be merged (compose-file-list reports them). */
  missingFiles: string[];
  env: ViewEnvironment;
}

/** One COMPOSE_FILE assignment in .env.sample, commented or not, as abra would split it. */
export interface ComposeFileLine {
  line: number;
  column: number;
  commented: boolean;
  /** The value after `$COMPOSE_FILE` chains are expanded (see parseEnvFile). */
  value: string;
  /** Entries in written order, normalised (`./x.yml` → `x.yml`), empty segments dropped. */
  files: string[];
  missingFiles: string[];
  /** Empty segments (`a::b`, or a leading ':' when `$COMPOSE_FILE` was unset), which abra cannot load. */
  emptySegments: number;
}

export interface RecipeListing {
  /** Recipe-relative paths of the recipe's files; only top-level names (no '/') are globbed. */
  files: readonly string[];
  /** Existence check for COMPOSE_FILE entries not in `files` (nested paths); defaults to `files` only. */
  exists?: (relPath: string) => boolean;
}

/**
 * The file a stack directory deploys with `-c`, first match wins: stacklint's own name, then docker's and the
 * community's. Overlays are named after the base (`docker-compose.prod.yml` beside `docker-compose.yml`).
 */
export const BASE_FILE_NAMES = ['compose.yml', 'compose.yaml', 'docker-compose.yml', 'docker-compose.yaml', 'docker-stack.yml', 'docker-stack.yaml', 'stack.yml', 'stack.yaml'] as const;

/** The base compose file among a directory's top-level names, or undefined. */
export function findBaseFile(topLevel: readonly string[]): string | undefined {
  const names = new Set(topLevel);
  return BASE_FILE_NAMES.find((name) => names.has(name));
}

/** Names only swarm deploys use: beside one of them, a plain stack's compose.yml / docker-compose.yml is for `docker compose`. */
export const SWARM_BASE_FILE_NAMES = ['docker-stack.yml', 'docker-stack.yaml', 'stack.yml', 'stack.yaml'] as const;

/** A plain stack's base: its swarm file when it has one (docker-stack.yml beside a development docker-compose.yml), else findBaseFile's. */
export function findPlainBaseFile(topLevel: readonly string[]): string | undefined {
  const names = new Set(topLevel);
  return SWARM_BASE_FILE_NAMES.find((name) => names.has(name)) ?? findBaseFile(topLevel);
}

/** A plain stack's base names in the order they are taken: its swarm files, then findBaseFile's. */
export function plainBaseCandidates(topLevel: readonly string[]): string[] {
  const names = new Set(topLevel);
  return [...new Set<string>([...SWARM_BASE_FILE_NAMES, ...BASE_FILE_NAMES])].filter((name) => names.has(name));
}

/**
 * A docker-compose file, not the stack's: it declares a version docker stack refuses (`unsupported Compose
 * file version: 2`), or the directory's own README / Makefile / scripts run it with `docker compose up` and
 * nothing deploys it with `docker stack deploy`.
 */
export interface ComposeOnlyFile {
  file: string;
  /** As written: `2`, `2.4`, `1`. */
  version?: string;
  /** Where it is run with `docker compose up` (stack-relative file, 1-based line). */
  upAt?: { file: string; line: number };
}

/** Why a file is docker-compose's, for summaries: `version 2`, or `run with docker compose up at README.md:4`. */
export function composeOnlyReason(c: ComposeOnlyFile): string {
  if (c.version !== undefined) return `version ${c.version}`;
  return c.upAt ? `run with \`docker compose up\` at ${c.upAt.file}:${c.upAt.line}` : 'a docker-compose file';
}

/** A top-level `version:` of 1, 1.x, 2 or 2.x, quoted or not. */
const COMPOSE_ONLY_VERSION = /^version[ \t]*:[ \t]*(["']?)([12](?:\.[0-9]+)?)\1[ \t]*(?:#.*)?\r?$/m;

/**
 * The version a compose file declares when it is one docker stack refuses (1, 1.x, 2, 2.x): such a file is a
 * docker-compose file, deployed with `docker-compose up`, never with `docker stack deploy`. Read from the text,
 * so that finding stacks in a catalogue parses nothing.
 */
export function composeOnlyVersion(text: string): string | undefined {
  return COMPOSE_ONLY_VERSION.exec(text)?.[2];
}

/** Top-level overlays of a base: `<stem>.<anything>.yml|yaml`, e.g. `docker-compose.prod.yml` for `docker-compose.yml`. */
export function overlaysOf(base: string, topLevel: readonly string[]): string[] {
  const stem = base.replace(/\.ya?ml$/, '');
  const prefix = `${stem}.`;
  return topLevel.filter((f) => f !== base && f.startsWith(prefix) && /\.ya?ml$/.test(f) && f.length > prefix.length + 4 && !f.slice(prefix.length).startsWith('.'));
}

export interface ViewOptions {
  /** The base file (default `compose.yml`); see findBaseFile. */
  baseFile?: string;
  /** No `abra` view: a plain swarm stack, not a Co-op Cloud recipe. */
  plain?: boolean;
  /** Exactly these file lists, each one view (`lint -c`, `lint FILE`): nothing else is added. */
  explicit?: readonly (readonly string[])[];
  /** Placeholder STACK_NAME of the deploy views (default `example_com`). */
  stackName?: string;
  /** At most this many views, `abra` included (default 256). */
  maxViews?: number;
  /** Variables given for the run (`--env-file`): they win in every deploy view's environment. */
  env?: readonly EnvVariable[];
  /**
   * Views the repository declares (the config's `views:`; on a plain stack also .env.example and deploy
   * scripts): when any is given, these are the deploy views, and no combination is added.
   */
  declared?: readonly DeclaredView[];
  /** Overlays that are stacks of their own (no service shared with the base, every service complete): linted alone. */
  standalone?: (overlay: string) => boolean;
}

export interface RecipeViews {
  views: ViewDefinition[];
  composeFileLines: ComposeFileLine[];
  /** Top-level overlay files (compose.*.yml / .yaml), byte order. */
  overlays: string[];
  abraEnv: ViewEnvironment;
  deployEnv: ViewEnvironment;
  /** Set when views were left out because of `maxViews`: how many distinct views were dropped. */
  capped?: { limit: number; dropped: number };
}

export const BASE_FILE = 'compose.yml';
/** The pattern abra globs (`compose**yml` in its source; Go collapses `**` to `*`). */
export const ABRA_GLOB = 'compose*yml';
export const DEFAULT_MAX_VIEWS = 256;

const OVERLAY = /^compose\.[^/]+\.ya?ml$/;

export function computeViews(listing: RecipeListing, envSample: EnvFile | undefined, abraSh: AbraShFile | undefined, options: ViewOptions = {}): RecipeViews {
  const exists = existenceCheck(listing);
  const topLevel = listing.files.filter((f) => !f.includes('/'));
  const baseFile = options.baseFile ?? BASE_FILE;
  const overlays = [...new Set(baseFile === BASE_FILE ? topLevel.filter((f) => OVERLAY.test(f)) : overlaysOf(baseFile, topLevel))].sort(compareBytes);
  const composeFileLines = readComposeFileLines(envSample, exists);
  const abraEnv = abraEnvironment(envSample);
  const deployEnv = deployEnvironment(envSample, abraSh, options.stackName ?? DEFAULT_STACK_NAME, options.env);
  if (options.explicit) {
    // Files named on the command line may lie above the stack's directory (a sibling folder's overlay): the
    // listing's own check, which knows the read boundary, says whether they exist.
    const named = new ViewList(options.maxViews ?? DEFAULT_MAX_VIEWS, (p) => exists(p) || listing.exists?.(p) === true);
    for (const files of options.explicit) named.add(deployView('compose-file', [...files], deployEnv));
    return { views: named.views, composeFileLines, overlays, abraEnv, deployEnv };
  }
  const builder = new ViewList(options.maxViews ?? DEFAULT_MAX_VIEWS, exists);
  if (!options.plain) builder.add({ name: 'abra', kind: 'abra', files: goGlob(ABRA_GLOB, topLevel), env: abraEnv });
  if (options.declared && options.declared.length > 0) {
    for (const d of options.declared) builder.add({ ...deployView('compose-file', d.files.map(normaliseEntry), deployEnv), source: { ...d.source, commented: false } });
    addComposeFileLines(builder, composeFileLines, deployEnv);
    const result: RecipeViews = { views: builder.views, composeFileLines, overlays, abraEnv, deployEnv };
    if (builder.dropped.size > 0) result.capped = { limit: builder.limit, dropped: builder.dropped.size };
    return result;
  }
  builder.add({ name: baseFile, kind: 'base', files: [baseFile], env: deployEnv });
  for (const overlay of overlays) {
    if (options.standalone?.(overlay)) builder.add(deployView('base', [overlay], deployEnv));
    else builder.add(deployView('overlay', [baseFile, overlay], deployEnv));
  }
  addComposeFileLines(builder, composeFileLines, deployEnv);
  const result: RecipeViews = { views: builder.views, composeFileLines, overlays, abraEnv, deployEnv };
  if (builder.dropped.size > 0) result.capped = { limit: builder.limit, dropped: builder.dropped.size };
  return result;
}

function addComposeFileLines(builder: ViewList, lines: readonly ComposeFileLine[], env: ViewEnvironment): void {
  for (const cf of lines) {
    const source = { line: cf.line, column: cf.column, commented: cf.commented };
    builder.add({ ...deployView('compose-file', cf.files, env), source });
  }
}

/** Every COMPOSE_FILE assignment of .env.sample, in written order. */
export function readComposeFileLines(envSample: EnvFile | undefined, exists: (relPath: string) => boolean): ComposeFileLine[] {
  const lines: ComposeFileLine[] = [];
  for (const e of envSample?.entries ?? []) {
    if (e.key !== 'COMPOSE_FILE') continue;
    const segments = e.value.split(':');
    const files = segments.filter((s) => s !== '').map(normaliseEntry);
    lines.push({
      line: e.line,
      column: e.column,
      commented: e.commented,
      value: e.value,
      files,
      missingFiles: [...new Set(files.filter((f) => !exists(f)))],
      emptySegments: segments.length - files.length,
    });
  }
  return lines;
}

/** abra joins each entry onto the recipe directory, so `./x` and `/x` both name the recipe's `x`. */
function normaliseEntry(entry: string): string {
  return posix.normalize(entry.replace(/^\/+/, ''));
}

function existenceCheck(listing: RecipeListing): (relPath: string) => boolean {
  const known = new Set(listing.files.map((f) => posix.normalize(f)));
  return (p) => known.has(p) || (!p.startsWith('../') && p !== '..' && listing.exists?.(p) === true);
}

function deployView(kind: ViewKind, files: string[], env: ViewEnvironment): Omit<ViewDefinition, 'missingFiles'> {
  return { name: files.join('+'), kind, files, env };
}

/** Keeps views in insertion order, deduplicated by name, up to a limit. */
class ViewList {
  readonly views: ViewDefinition[] = [];
  readonly dropped = new Set<string>();
  private readonly byName = new Map<string, ViewDefinition>();

  constructor(readonly limit: number, private readonly exists: (relPath: string) => boolean) {}

  add(candidate: Omit<ViewDefinition, 'missingFiles'>): void {
    if (candidate.kind !== 'abra' && candidate.files.length === 0) return; // COMPOSE_FILE="" names nothing to merge
    const key = `${candidate.kind === 'abra' ? 'abra' : 'deploy'}:${candidate.name}`;
    const known = this.byName.get(key);
    if (known) {
      if (!known.source && candidate.source) known.source = candidate.source;
      return;
    }
    if (this.views.length >= this.limit) {
      this.dropped.add(key);
      return;
    }
    const view: ViewDefinition = { ...candidate, missingFiles: [...new Set(candidate.files.filter((f) => !this.exists(f)))] };
    this.views.push(view);
    this.byName.set(key, view);
  }
}
