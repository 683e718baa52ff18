// The pipeline step for a whole recipe: reads its files once (compose files parsed, .env.sample and abra.sh
// read statically), computes its views, and builds each view through the stages in docker's order (sharing
// per-file work across views). The lint engine, `graph`, `network` and the review UI all start here.
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import type { GuardedFailure } from '../load/read.js';
import type { FileDoc, Origin, Path } from '../load/types.js';
import { loadYamlText } from '../load/yaml.js';
import { typedConfig } from '../merge/index.js';
import type { DroppedEntry, StackConfig } from '../merge/index.js';
import { computeViews, parseAbraSh, parseEnvFile, ABRA_SH_FILE, ENV_SAMPLE_FILE } from '../views/index.js';
import { directorySource, stackLayout } from './stack-layout.js';
import type { StackKind } from './stack-layout.js';
import { standaloneOverlay } from './standalone.js';
import type { AbraShFile, ComposeFileLine, ComposeOnlyFile, DeclaredView, EnvFile, EnvVariable, ViewDefinition } from '../views/index.js';
import { RecipeFiles } from './recipe-files.js';
import { repositoryFacts } from './repository-facts.js';
import type { AbsentReason } from './repository-facts.js';
import { repositoryTraefikServices } from './repository-traefik.js';
import type { RepositoryTraefik } from './repository-traefik.js';
import { workTreeOf } from '../load/git.js';
import { loadStack, StackCache } from './stack.js';
import type { FileStages, StackResult } from './stack.js';

export interface ComposeFile {
  /** Recipe-relative path, e.g. `compose.smtpauth.yml`. */
  file: string;
  doc: FileDoc;
}

/** One view of a recipe, built: its files, environment, and (when every file loaded) the merged config. */
export interface RecipeView {
  /** e.g. `abra`, `compose.yml`, `compose.yml+compose.smtpauth.yml`. */
  name: string;
  kind: 'abra' | 'base' | 'overlay' | 'compose-file';
  files: string[];
  /** Files a COMPOSE_FILE line names that do not exist (the view is built without them). */
  missingFiles: string[];
  /** The .env.sample line that defined a compose-file view. */
  source?: { line: number; column: number; commented: boolean };
  /** The view's environment for interpolation (.env.sample, abra.sh, STACK_NAME). */
  env: (name: string) => string | undefined;
  /** The merged config; undefined when a file of the view failed to load, interpolate or validate. */
  config?: StackConfig;
  /** Why `config` is missing: the first failure, as docker would report it. */
  failure?: { file?: string; message: string };
  /** Per-file stage results (forbidden keys, interpolation, schema) in merge order; empty when a file failed to parse. */
  stages: FileStages[];
  /** Entries the merge silently lost (empty when `config` is undefined). */
  dropped: DroppedEntry[];
  /** The file and raw path that provided the value at a merged path (the last file that set it). */
  origin(path: Path): Origin | undefined;
  /** Every file that mentions the merged path, in merge order. */
  definedBy(path: Path): Origin[];
  /**
   * When `config` is missing though every file parsed: what loaded of each file (without the values docker
   * refused), merged, with its provenance. The linter's rules judge it (see `asLoaded`); nothing prints it.
   */
  partial?: Pick<RecipeView, 'origin' | 'definedBy' | 'dropped'> & { config: StackConfig };
}

/**
 * The views as the linter's rules see them: a view that failed (its `failure` stays set) judged on what loaded,
 * so that one refused value does not hide every other finding of the view.
 */
export function asLoaded(views: readonly RecipeView[]): RecipeView[] {
  return views.map((view) => (view.config || !view.partial ? view : { ...view, ...view.partial }));
}

/** A view whose merge succeeded. */
export type MergedView = RecipeView & { config: StackConfig };

/** Views whose merge succeeded, with their config. */
export function mergedViews(views: readonly RecipeView[]): MergedView[] {
  return views.filter((v): v is MergedView => v.config !== undefined);
}

export type { StackKind };

export interface RecipeInfo {
  /** Absolute directory. */
  dir: string;
  name: string;
  kind: StackKind;
  /** What made it a recipe (`abra.sh`, `.env.sample`, …) or a plain stack; for the summary line. */
  kindReason: string;
  /** The files deployed when nothing else is said: the first view named on the command line, or the base file (see stackLayout). */
  defaultFiles: string[];
  /** The base file present in the directory, as stackLayout chose it for the stack's kind; unset without one or with named views. */
  baseFile?: string;
  /**
   * The read boundary (absolute): the recipe's directory; for a plain stack its git work tree; or `--root`.
   * A path that leaves it is never read.
   */
  root: string;
  /** Recipe-relative paths of every file (bounded listing). */
  listFiles(): string[];
  exists(rel: string): boolean;
  /** Text of a recipe file; undefined when missing, unreadable, or outside the recipe (never read). */
  readText(rel: string): string | undefined;
  /** The same read with the reason it failed: `outside` for a path or link leaving the recipe (never read). */
  read?(rel: string): { ok: true; text: string } | { ok: false; reason: 'missing' | 'outside' | 'unreadable'; message: string; kind?: GuardedFailure };
  /** Every compose file of the recipe, parsed once. */
  composeFiles: ComposeFile[];
  composeFile(file: string): ComposeFile | undefined;
  envSample?: EnvFile;
  abraSh?: AbraShFile;
  composeFileLines: ComposeFileLine[];
  /** Where the deploy views came from when the repository declares them (`.stacklintrc.yml views:`, a script's `-c` line, …). */
  viewsDeclaredBy?: string[];
  /** A plain stack's compose files beside its swarm file (for `docker compose`): not linted. */
  composeBeside?: string[];
  /** A plain stack's base-named files that declare a version docker stack refuses (docker-compose files): not linted. */
  composeOnly?: ComposeOnlyFile[];
  /**
   * Why a missing file (stack-relative) is expected to be missing: a submodule, `.gitignore`, an example, a CI
   * write; or, when every compose file in `namedBy` (those naming it) is deployed inside a clone of another
   * repository (a plain stack's documents say so), that clone.
   */
  absentReason(rel: string, namedBy?: readonly string[]): AbsentReason | undefined;
  /**
   * A plain stack's: the Traefik services of every stack file of its repository (the read boundary), each file
   * loaded alone; read on the first ask. Which Traefik routes a stack whose own views run none.
   */
  repositoryTraefik?(): RepositoryTraefik[];
  /** What stacklint left out: files it could not read, and where a listing or view limit cut the recipe short. */
  notAnalysed?: NotAnalysed;
}

export interface NotAnalysed {
  /** .env.sample / abra.sh that exist but could not be read (binary, too large, a link outside, …). */
  unreadable: Array<{ file: string; message: string }>;
  /** Directory listing limits hit (files or depth). */
  listing: string[];
  /** Views left out because the recipe defines more than the limit. */
  views?: { limit: number; dropped: number };
}

/** A recipe's files and its views, built. */
export interface LoadedRecipe {
  recipe: RecipeInfo;
  views: RecipeView[];
}

export interface RecipeOptions {
  /** File texts to use instead of the disk's, keyed by absolute path (fixes not yet written). */
  overlay?: ReadonlyMap<string, string>;
  /** Exactly these views (stack-relative file lists in merge order), as `docker stack deploy -c …` takes them. */
  views?: readonly (readonly string[])[];
  /** Lint as a recipe whatever the files say (config `preset: abra`, `--preset abra`). */
  recipe?: boolean;
  /** The read boundary (`--root`): files above the stack's directory but inside it are read. */
  root?: string;
  /** Variables given for the run (`--env-file`), over the stack's own in every deploy view. */
  env?: readonly EnvVariable[];
  /** The config's `views:` (stack-relative file lists, with the config file's position): the stack's deploy views. */
  configViews?: readonly DeclaredView[];
}

const COMPOSE_FILE_PATTERN = /^compose[^/]*\.ya?ml$/;
const BASE_COMPOSE_FILE = 'compose.yml';

/** Reads a recipe and builds every one of its views. */
export function recipeViews(dir: string, options: RecipeOptions = {}): LoadedRecipe {
  const { info, views } = readRecipe(dir, options);
  return { recipe: info, views: buildViews(info, views) };
}

function readRecipe(dir: string, options: RecipeOptions): { info: RecipeInfo; views: ViewDefinition[] } {
  const files = new RecipeFiles(dir, options.overlay);
  const listing = files.list();
  const readText = (rel: string) => {
    const r = files.read(rel);
    return r.ok ? r.text : undefined;
  };
  const unreadable: NotAnalysed['unreadable'] = [];
  const readShellFile = (rel: string) => {
    if (!files.exists(rel)) return undefined;
    const r = files.read(rel);
    if (!r.ok) unreadable.push({ file: rel, message: r.message });
    return r.ok ? r.text : undefined;
  };
  const envText = readShellFile(ENV_SAMPLE_FILE);
  const abraText = readShellFile(ABRA_SH_FILE);
  const envSample = envText !== undefined ? parseEnvFile(envText) : undefined;
  const abraSh = abraText !== undefined ? parseAbraSh(abraText) : undefined;
  const topLevel = listing.filter((f) => !f.includes('/'));
  // The one decision of base, kind and declared views, shared with config DIR, discovery and the editor.
  const layout = stackLayout(directorySource(dir, { overlay: options.overlay, read: readText }), {
    ...(options.views ? { explicit: options.views } : {}),
    settings: { recipe: !!options.recipe, ...(options.configViews ? { views: options.configViews } : {}) },
  });
  const kind = layout.kind;
  const baseFile = options.views ? undefined : (layout.baseFile ?? BASE_COMPOSE_FILE);
  // A plain stack deploys its swarm file: a compose.yml / docker-compose.yml beside docker-stack.yml is for
  // `docker compose` (development), neither its base nor one of its files.
  const composeBeside = layout.swarmBesideCompose;
  // docker stack refuses a version 1 / 2.x file: such a base-named file beside a plain stack's base is docker-compose's.
  const composeOnly = layout.composeOnly;
  // docker reads what a plain stack names anywhere in its repository (`env_file: ../../configs/app.env`).
  if (kind === 'plain') files.markPlain();
  const root = options.root ?? (kind === 'plain' ? workTreeOf(dir) : undefined);
  if (root !== undefined) files.widen(root);
  // Parsed once, for the standalone check and the views alike.
  const docs = new Map<string, FileDoc>();
  const docOf = (file: string) => docs.get(file) ?? docs.set(file, loadComposeFile(files, file)).get(file)!;
  // Views the repository declares: its config's `views:`; a plain stack's example env files and deploy scripts.
  const declared = layout.declared;
  const computed = computeViews({ files: listing, exists: (rel) => files.exists(rel) }, envSample, abraSh, {
    ...(baseFile !== undefined ? { baseFile } : {}),
    ...(options.views ? { explicit: options.views } : {}),
    plain: kind === 'plain',
    ...(options.env ? { env: options.env } : {}),
    ...(declared.length > 0 ? { declared } : {}),
    ...(kind === 'plain' && baseFile !== undefined ? { standalone: (overlay: string) => files.exists(baseFile) && standaloneOverlay(docOf(baseFile), docOf(overlay)) } : {}),
  });
  // Views named or declared: their files are the stack (a development compose.yml beside them is not deployed).
  const onlyViewFiles = !!options.views || (declared.length > 0 && kind === 'plain');
  const composeNames = new Set(onlyViewFiles || composeBeside ? [] : listing.filter((f) => COMPOSE_FILE_PATTERN.test(f) && !composeOnly.some((c) => c.file === f)));
  for (const view of computed.views) for (const f of view.files) if (files.exists(f)) composeNames.add(f);
  // A base file that is a directory, a FIFO, … is not listed, but must be reported, not skipped.
  const baseName = baseFile ?? BASE_COMPOSE_FILE;
  const base = files.read(baseName);
  if (!onlyViewFiles && (base.ok || base.reason !== 'missing' || files.exists(baseName))) composeNames.add(baseName);
  const composeFiles: ComposeFile[] = [...composeNames].sort().map((file) => ({ file, doc: docOf(file) }));
  const byName = new Map(composeFiles.map((c) => [c.file, c]));
  // Read on the first missing file a rule asks about: most stacks have none, and their runs read no CI file
  // and no guide.
  let facts: ReturnType<typeof repositoryFacts> | undefined;
  let traefik: RepositoryTraefik[] | undefined;
  // A development compose file beside the swarm file runs no Traefik of the swarm's.
  const notDeployed = new Set(composeBeside ? topLevel.filter((f) => /^(docker-)?compose[^/]*\.ya?ml$/.test(f) && !composeNames.has(f)) : []);
  const given = new Map((options.env ?? []).map((v) => [v.name, v.value]));
  const info: RecipeInfo = {
    dir,
    name: basename(resolve(dir)),
    kind,
    kindReason: layout.kindReason,
    root: files.root,
    // A stack named only by its declarations deploys its first declared view.
    defaultFiles: [...(layout.defaultFiles ?? [baseName])],
    ...(layout.baseFile !== undefined ? { baseFile: layout.baseFile } : {}),
    listFiles: () => listing,
    exists: (rel) => files.exists(rel),
    readText,
    read: (rel) => files.read(rel),
    composeFiles,
    composeFile: (file) => byName.get(file),
    envSample,
    abraSh,
    composeFileLines: computed.composeFileLines,
    ...(composeOnly.some((c) => !composeNames.has(c.file)) ? { composeOnly: composeOnly.filter((c) => !composeNames.has(c.file)) } : {}),
    ...(composeBeside && !onlyViewFiles ? { composeBeside: topLevel.filter((f) => /^(docker-)?compose[^/]*\.ya?ml$/.test(f) && !composeNames.has(f)) } : {}),
    ...(declared.length > 0 ? { viewsDeclaredBy: [...new Set(declared.map((d) => `${d.source.file}:${d.source.line}`))] } : {}),
    absentReason: (rel, namedBy) => (facts ??= repositoryFacts(files, { plain: kind === 'plain' })).absentReason(rel, namedBy),
    // A recipe's Traefik is the server's, another recipe: its own files are its views.
    ...(kind === 'plain' ? { repositoryTraefik: () => (traefik ??= repositoryTraefikServices(files, notDeployed, (name) => given.get(name))) } : {}),
    notAnalysed: { unreadable, listing: files.notes, ...(computed.capped ? { views: computed.capped } : {}) },
  };
  return { info, views: computed.views };
}

function loadComposeFile(files: RecipeFiles, file: string): FileDoc {
  const read = files.read(file);
  if (read.ok) return loadYamlText(read.text, file, { absPath: resolve(files.dir, file) });
  const failed = loadYamlText('', file);
  return {
    ...failed,
    errors: [{ kind: 'read-error', message: read.message, dockerMessage: read.message }],
  };
}

function buildViews(recipe: RecipeInfo, views: ViewDefinition[]): RecipeView[] {
  const cache = new StackCache();
  return views.map((view) => {
    const base = {
      name: view.name,
      kind: view.kind,
      files: view.files,
      missingFiles: view.missingFiles,
      source: view.source,
      env: recipe.kind === 'plain' && view.files.length > 0 ? withDeployShell(view.env.lookup, resolve(recipe.dir, dirname(view.files[0]))) : view.env.lookup,
    };
    if (view.missingFiles.length > 0 || view.files.length === 0) {
      const message = view.files.length === 0 ? 'no compose files' : `missing ${view.missingFiles.join(', ')}`;
      return { ...base, failure: { message }, stages: [], dropped: [], origin: () => undefined, definedBy: () => [] };
    }
    const docs = view.files.map((f) => recipe.composeFile(f)!.doc);
    const result = loadStack(docs, {
      lookup: base.env,
      workingDir: dirname(docs[0].absPath),
      home: OPERATOR_HOME,
      readEnvFile: (abs, namedBy) => readEnvFileInside(recipe, abs, namedBy),
      cache,
    });
    return withResult(base, result);
  });
}

/** The deploying operator's home directory, for `~` and `$HOME` (a placeholder: the machine is not known). */
const OPERATOR_HOME = '/home/operator';

/**
 * What every login shell exports, with placeholders for the operator's machine (`$HOME/data` is a path there,
 * whatever it is). PWD is set apart: see withDeployShell.
 */
const LOGIN_SHELL_VARIABLES: ReadonlyMap<string, string> = new Map([
  ['HOME', OPERATOR_HOME],
  ['USER', 'operator'],
  ['LOGNAME', 'operator'],
  ['SHELL', '/bin/sh'],
  ['PATH', '/usr/local/bin:/usr/bin:/bin'],
]);

/**
 * A plain stack's variables come from the shell that runs `docker stack deploy`, and that shell always sets
 * `PWD` — the directory the operator deploys from, taken to be the stack's (its first file's folder), so that
 * `file: $PWD/app.conf` names the committed file — and what a login shell exports (`HOME`, `USER`, …): none of
 * them is a variable the stack forgot. A value the environment gives wins.
 */
function withDeployShell(lookup: (name: string) => string | undefined, dir: string): (name: string) => string | undefined {
  return (name) => lookup(name) ?? (name === 'PWD' ? dir : LOGIN_SHELL_VARIABLES.get(name));
}

function withResult(base: Omit<RecipeView, 'origin' | 'definedBy' | 'config' | 'failure' | 'stages' | 'dropped'>, result: StackResult): RecipeView {
  const merged = result.merged;
  if (!merged) {
    const partial = result.partial;
    return {
      ...base,
      stages: result.files,
      dropped: [],
      failure: result.failure ? { file: result.failure.file, message: result.failure.message } : { message: 'failed to load' },
      origin: () => undefined,
      definedBy: () => [],
      ...(partial
        ? { partial: { config: typedConfig(partial.config), origin: (path: Path) => partial.origin(path), definedBy: (path: Path) => partial.definedBy(path), dropped: partial.dropped } }
        : {}),
    };
  }
  return {
    ...base,
    stages: result.files,
    config: typedConfig(merged.config),
    origin: (path) => merged.origin(path),
    definedBy: (path) => merged.definedBy(path),
    dropped: merged.dropped,
  };
}

function readEnvFileInside(recipe: RecipeInfo, abs: string, namedBy: string): { ok: true; text: string } | { ok: false; message: string } {
  const fromRoot = relative(recipe.root, abs);
  if (fromRoot.startsWith('..') || isAbsolute(fromRoot)) {
    // A plain stack's deploy reads it on the operator's machine: loaded empty, named by load-failure, never read.
    if (recipe.kind === 'plain') return { ok: true, text: '' };
    return { ok: false, message: `open ${abs}: outside the ${recipe.root === recipe.dir ? 'recipe' : 'repository'}, not read` };
  }
  const rel = relative(recipe.dir, abs);
  const read = recipe.read?.(rel) ?? { ok: false, reason: 'missing', message: '' };
  if (read.ok) return read;
  // Created before deploy (a submodule, .gitignore, an example, a CI write) or read in the clone of another
  // repository the naming file is deployed from: loaded empty, named by load-failure.
  if (read.reason === 'missing' && recipe.absentReason(rel, [namedBy]) !== undefined) return { ok: true, text: '' };
  return { ok: false, message: read.reason === 'missing' ? `open ${abs}: no such file or directory` : read.message };
}
