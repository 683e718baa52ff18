// What a directory is as a stack, decided in one place for `lint`, `config DIR`, catalogue discovery and the
// editor server: recipe or plain stack, its base file (a recipe's compose.yml; on a plain stack a swarm file
// — docker-stack.yml, stack.yml — wins over a `docker compose` file beside it), the views it declares (the
// config's `views:`; on a plain stack, or a recipe without a base file, its .env.example / .env.dist
// COMPOSE_FILE and the `-c` lines of its scripts) and the files it deploys when nothing else is said. A
// directory with neither a base file nor a declared view of its own is no stack; nor is a plain one whose only
// base files declare a version docker stack refuses (1, 2.x: docker-compose files). Only what the answer asked
// needs is read (lazily), and nothing is run.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { READ_LIMITS, readTextInside, realRoot } from '../load/read.js';
import { ABRA_SH_FILE, COMPOSE_DEFAULT_FILES, composeOnlyVersion, composeUpCommands, declaredViews, ENV_SAMPLE_FILE, EXAMPLE_ENV_FILES, findBaseFile, isDeployScript, plainBaseCandidates, SWARM_BASE_FILE_NAMES } from '../views/index.js';
import type { ComposeOnlyFile, DeclaredView } from '../views/index.js';

/** A Co-op Cloud recipe (abra's conventions apply) or a plain swarm stack (docker's rules only). */
export type StackKind = 'recipe' | 'plain';

/** A directory's entries, as the layout reads them. */
export interface StackSource {
  /** Names directly in `folder` ('' is the directory itself): files, links, folders, anything; folders marked. */
  entries(folder: string): ReadonlyArray<{ name: string; folder: boolean }>;
  /** A regular file inside the directory (links resolved, never leaving it), or an open buffer. */
  isFile(rel: string): boolean;
  /** A file's text when it is at most `maxBytes`; undefined when missing, larger, unreadable or outside. */
  read(rel: string, maxBytes: number): string | undefined;
}

/** What the stack's configuration says about it (its config file, `--preset abra`). */
export interface StackSettings {
  /** The config's `views:`, stack-relative: they are the stack's deploy views. */
  views?: readonly DeclaredView[];
  /** Lint as a recipe whatever the files say (`preset: abra`). */
  recipe?: boolean;
}

export interface LayoutOptions {
  /** Exactly these views (`lint -c`, `--view`, `lint FILE`): no base file, no declaration is looked for. */
  explicit?: readonly (readonly string[])[];
  /** The settings, or how to read them when the answer needs them (discovery reads a config file only then). */
  settings?: StackSettings | (() => StackSettings);
}

/**
 * Files that can declare views, and the bytes read of each: a directory is searched the same bounded way
 * whoever asks (a catalogue's discovery and the lint of the stack agree on its views).
 */
export const DECLARATION_LIMITS = { maxFiles: 64, maxBytes: 256 * 1024, maxFolders: 64 };

/** The one file abra deploys. */
const RECIPE_BASE_FILE = 'compose.yml';
/** Compose files at the top level whose text can carry a `coop-cloud.*` label. */
const COMPOSE_FILE_PATTERN = /^compose[^/]*\.ya?ml$/;
/** Co-op Cloud's marks: a `coop-cloud.<…>` label key, a README metadata block. */
const COOP_CLOUD_LABEL = /coop-cloud\.[A-Za-z0-9_${}.-]+/;
const README_METADATA = /<!--\s*metadata\s*-->/;
const README = /^readme(\.md)?$/i;
/** Folders never searched for declarations. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules']);

export interface StackLayout {
  /** Names at the directory's top level (buffers included), byte order. */
  readonly topLevel: readonly string[];
  readonly kind: StackKind;
  /** What made it a recipe (`abra.sh`, `.env.sample`, …) or a plain stack; for the summary line. */
  readonly kindReason: string;
  /**
   * The base file present in the directory (anything by a base name: a directory or a dangling link is the
   * lint's to report), chosen for its kind; undefined when there is none or the views are explicit.
   */
  readonly baseFile: string | undefined;
  /** A plain stack's swarm file beside a `docker compose` file (compose.yml, docker-compose.yml): the swarm file is the base. */
  readonly swarmBesideCompose: boolean;
  /**
   * A plain stack's base-named files that declare a version docker stack refuses (docker-compose files), other
   * than its base: not the stack's. When every base file is one, the first stays `baseFile` (docker's refusal
   * is what a lint of it says) but the directory is a stack only by declared views (`defaultFiles`).
   */
  readonly composeOnly: readonly ComposeOnlyFile[];
  /** The deploy views the stack declares: the config's `views:`, else a plain stack's own declarations. */
  readonly declared: readonly DeclaredView[];
  /**
   * The files deployed when nothing else is said: the first explicit view, the base file, else the first
   * declared view deployed from this directory (docker resolves paths from its first file's folder; a view
   * of `sub/app.yml` is `sub`'s). Undefined: the directory is no stack.
   */
  readonly defaultFiles: readonly string[] | undefined;
  readonly isStack: boolean;
}

/** The one decision of what a directory is as a stack (see the file's head). Lazy: reads only what is asked. */
export function stackLayout(source: StackSource, options: LayoutOptions = {}): StackLayout {
  const once = <T>(compute: () => T): (() => T) => {
    let done = false;
    let value: T;
    return () => {
      if (!done) {
        value = compute();
        done = true;
      }
      return value;
    };
  };
  const explicit = options.explicit;
  const settings = once((): StackSettings => (typeof options.settings === 'function' ? options.settings() : (options.settings ?? {})));
  const topLevel = once(() => source.entries('').map((e) => e.name));
  const mark = once(() => recipeMark(source, topLevel(), explicit, !!settings().recipe));
  const kind = (): StackKind => (mark() === undefined ? 'plain' : 'recipe');
  // The version each base-named file declares when docker stack refuses it (read from its text, bounded).
  const refused = once(() => {
    const out = new Map<string, ComposeOnlyFile>();
    const candidates = plainBaseCandidates(topLevel());
    for (const name of candidates) {
      const version = composeOnlyVersion(source.read(name, READ_LIMITS.maxFileBytes) ?? '');
      if (version !== undefined) out.set(name, { file: name, version });
    }
    // A base the directory's own README or scripts run with `docker compose up`, and nothing deploys as a
    // stack, is a docker-compose file too (a development setup beside the swarm stack of a subfolder).
    if (candidates.some((name) => !out.has(name)) && !topLevel().includes(ABRA_SH_FILE) && kind() === 'plain') {
      const deployed = new Set(declared().flatMap((view) => view.files.map((f) => f.replace(/^\.\//, ''))));
      for (const run of composeUpRuns(source, topLevel())) {
        if (candidates.includes(run.file) && !out.has(run.file) && !deployed.has(run.file)) out.set(run.file, run);
      }
    }
    return out;
  });
  const baseFile = once(() => {
    if (explicit) return undefined;
    if (kind() !== 'plain') return findBaseFile(topLevel());
    // A plain stack deploys its swarm file first; a file docker stack refuses is docker-compose's, not the stack's.
    const candidates = plainBaseCandidates(topLevel());
    return candidates.find((name) => !refused().has(name)) ?? candidates[0];
  });
  /** The base is one docker stack takes (any base of a recipe: abra deploys its compose.yml whatever it declares). */
  const deployableBase = () => baseFile() !== undefined && (kind() !== 'plain' || !refused().has(baseFile()!));
  const declared = once((): readonly DeclaredView[] => {
    if (explicit) return [];
    const configured = settings().views ?? [];
    if (configured.length > 0) return configured;
    // A recipe deploys its compose.yml; one without any base file is deployed as its scripts say.
    return kind() === 'plain' || findBaseFile(topLevel()) === undefined ? ownDeclarations(source) : [];
  });
  const declaredDefault = once((): readonly string[] | undefined => {
    const configured = (settings().views ?? []).length > 0;
    // A config names files for this directory: its first view whose first file is here. A script or example
    // env file deploys from this directory only a view whose first file lies directly in it.
    return declared().find((view) => source.isFile(view.files[0]) && (configured || !view.files[0].includes('/')))?.files;
  });
  const defaultFiles = once((): readonly string[] | undefined => {
    if (explicit) return explicit[0];
    const base = baseFile();
    return base !== undefined && deployableBase() ? [base] : declaredDefault();
  });
  return {
    get topLevel() {
      return topLevel();
    },
    get kind() {
      return kind();
    },
    get kindReason() {
      return mark() ?? 'no abra.sh, .env.sample beside compose.yml, coop-cloud.* label or README metadata';
    },
    get baseFile() {
      return baseFile();
    },
    get swarmBesideCompose() {
      const base = baseFile();
      return !explicit && kind() === 'plain' && base !== undefined && (SWARM_BASE_FILE_NAMES as readonly string[]).includes(base) && findBaseFile(topLevel()) !== base;
    },
    get composeOnly() {
      if (explicit || kind() !== 'plain') return [];
      const base = deployableBase() ? baseFile() : undefined;
      return [...refused()].filter(([file]) => file !== base).map(([, c]) => c);
    },
    get declared() {
      return declared();
    },
    get defaultFiles() {
      return defaultFiles();
    },
    get isStack() {
      if (explicit !== undefined) return true;
      // A base file makes a stack whatever its kind, unless every one is a docker-compose file of a plain
      // directory: then only its declared views do. What decides the kind is read only in that case.
      const candidates = plainBaseCandidates(topLevel());
      if (candidates.length > 0 && (topLevel().includes(ABRA_SH_FILE) || candidates.some((name) => !refused().has(name)) || kind() !== 'plain')) return true;
      return declaredDefault() !== undefined;
    },
  };
}

/**
 * Why a directory is a recipe, or undefined for a plain stack. `.env.sample` alone is a convention well beyond
 * Co-op Cloud: it marks a recipe only beside `compose.yml`, the one file abra deploys.
 */
function recipeMark(source: StackSource, topLevel: readonly string[], explicit: LayoutOptions['explicit'], forced: boolean): string | undefined {
  if (forced) return 'preset abra';
  const top = new Set(topLevel);
  if (top.has(ABRA_SH_FILE)) return ABRA_SH_FILE;
  if (top.has(ENV_SAMPLE_FILE) && top.has(RECIPE_BASE_FILE)) return `${ENV_SAMPLE_FILE} beside ${RECIPE_BASE_FILE}`;
  // The label is looked for in the files the stack deploys: the named ones, or compose.yml's family.
  const candidates = explicit ? [...new Set(explicit.flat())] : [findBaseFile(topLevel) ?? 'compose.yml', ...topLevel.filter((f) => COMPOSE_FILE_PATTERN.test(f))];
  if (candidates.some((file) => COOP_CLOUD_LABEL.test(source.read(file, READ_LIMITS.maxFileBytes) ?? ''))) return 'a coop-cloud.* label';
  const readme = topLevel.find((f) => README.test(f));
  if (readme !== undefined && README_METADATA.test(source.read(readme, READ_LIMITS.maxFileBytes) ?? '')) return 'README metadata block';
  return undefined;
}

/**
 * What the directory's own top-level README, Makefile, scripts and CI files — those whose deploy lines declare
 * views (isDeployScript) — run with `docker compose up`.
 */
function composeUpRuns(source: StackSource, topLevel: readonly string[]): Array<ComposeOnlyFile & { file: string }> {
  const out: Array<ComposeOnlyFile & { file: string }> = [];
  const defaultFile = COMPOSE_DEFAULT_FILES.find((name) => topLevel.includes(name));
  for (const doc of topLevel.filter((name) => isDeployScript(name)).slice(0, DECLARATION_LIMITS.maxFiles)) {
    const text = source.read(doc, DECLARATION_LIMITS.maxBytes);
    if (text === undefined) continue;
    for (const command of composeUpCommands(text)) {
      const files = command.files.length > 0 ? command.files : defaultFile !== undefined ? [defaultFile] : [];
      for (const file of files) out.push({ file, upAt: { file: doc, line: command.line } });
    }
  }
  return out;
}

/** A plain stack's declarations: its example env files' COMPOSE_FILE and its scripts' deploy commands. */
function ownDeclarations(source: StackSource): DeclaredView[] {
  return declaredViews({
    files: declarationFiles(source),
    read: (rel) => source.read(rel, DECLARATION_LIMITS.maxBytes),
    exists: (rel) => source.isFile(rel),
  });
}

/**
 * The directory's files that can declare a view (see isDeployScript), bounded by DECLARATION_LIMITS: its own,
 * its folders' one level down (`scripts/deploy.sh`, `.woodpecker/*.yml`) and `.github/workflows`.
 */
function declarationFiles(source: StackSource): string[] {
  const declaring = (rel: string) => isDeployScript(rel) || (EXAMPLE_ENV_FILES as readonly string[]).includes(rel);
  const out: string[] = [];
  let folders = 0;
  for (const e of source.entries('')) {
    if (out.length >= DECLARATION_LIMITS.maxFiles) break;
    if (!e.folder) {
      if (declaring(e.name)) out.push(e.name);
      continue;
    }
    if (SKIPPED_FOLDERS.has(e.name) || folders++ >= DECLARATION_LIMITS.maxFolders) continue;
    const below = e.name === '.github' ? '.github/workflows' : e.name;
    for (const f of source.entries(below)) {
      if (!f.folder && declaring(`${below}/${f.name}`) && out.length < DECLARATION_LIMITS.maxFiles) out.push(`${below}/${f.name}`);
    }
  }
  return out;
}

export interface DirectorySourceOptions {
  /** Open buffers (absolute path → unsaved text): files of the directory even when the disk lacks them. */
  overlay?: ReadonlyMap<string, string>;
  /** Open buffers whose text is not at hand (absolute paths): they exist. */
  buffers?: ReadonlySet<string>;
  /** Reads a file instead of the guarded read here (the pipeline's cached reader); `maxBytes` is applied after. */
  read?: (rel: string) => string | undefined;
}

/** A directory on disk (plus open buffers) as a StackSource: listings by readdir, reads guarded inside it. */
export function directorySource(dir: string, options: DirectorySourceOptions = {}): StackSource {
  const buffered = [...(options.overlay?.keys() ?? []), ...(options.buffers ?? [])].flatMap((abs) => {
    const rel = relative(dir, abs).split(sep).join('/');
    return rel === '' || rel === '..' || rel.startsWith('../') || isAbsolute(rel) ? [] : [rel];
  });
  const bufferSet = new Set(buffered);
  const listings = new Map<string, Array<{ name: string; folder: boolean }>>();
  let realDir: string | undefined;
  const real = () => (realDir ??= realRoot(dir));
  return {
    entries(folder) {
      let listed = listings.get(folder);
      if (listed) return listed;
      const byName = new Map<string, boolean>();
      try {
        for (const e of readdirSync(join(dir, folder), { withFileTypes: true })) byName.set(e.name, e.isDirectory());
      } catch {
        // missing or unreadable: only its buffers
      }
      const prefix = folder === '' ? '' : `${folder}/`;
      for (const rel of buffered) {
        if (!rel.startsWith(prefix)) continue;
        const [name, ...rest] = rel.slice(prefix.length).split('/');
        if (!byName.has(name)) byName.set(name, rest.length > 0);
      }
      listed = [...byName].map(([name, isFolder]) => ({ name, folder: isFolder })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      listings.set(folder, listed);
      return listed;
    },
    isFile(rel) {
      if (bufferSet.has(rel)) return true;
      try {
        const target = realpathSync.native(join(dir, rel));
        const inside = relative(real(), target);
        return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) && statSync(target).isFile();
      } catch {
        return false;
      }
    },
    read(rel, maxBytes) {
      const given = options.overlay?.get(resolve(dir, rel)) ?? options.read?.(rel);
      if (given !== undefined || options.read) return given !== undefined && Buffer.byteLength(given) <= maxBytes ? given : undefined;
      const read = readTextInside(real(), rel, { maxBytes });
      return read.ok ? read.text : undefined;
    },
  };
}
