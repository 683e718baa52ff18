// Finding and loading stacklint's own configuration. Throws nothing but ConfigError.
import { existsSync, lstatSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { readTextInside, realRoot } from '../load/read.js';
import type { Located } from './located.js';
import { locateJson, locateYaml } from './located.js';
import { locateTsConfig } from './ts-config.js';
import type { LoadedConfig, StacklintConfig } from './types.js';
import { ConfigError, defaultConfig } from './types.js';
import type { ValidateOptions } from './validate.js';
import { validateConfig } from './validate.js';

/** Looked for in this order; two of them in one directory is an error (which one would win is unclear). */
export const CONFIG_FILE_NAMES = ['.stacklintrc.yml', '.stacklintrc.yaml', '.stacklintrc.json', 'stacklint.config.ts'] as const;

export interface FindOptions {
  /** Do not look above this directory (inclusive bound). */
  stopAt?: string;
  /** Shares what was found in each directory with other look-ups of the same run. */
  seen?: ConfigDirectories;
}

/**
 * What one run found in the directories it searched for config files. The recipes of a catalogue share their
 * parent directories: each is searched once per run, not once per recipe (five stat calls a directory).
 */
export class ConfigDirectories {
  private readonly dirs = new Map<string, { found: string[]; repositoryRoot: boolean }>();

  get(dir: string): { found: string[]; repositoryRoot: boolean } {
    let entry = this.dirs.get(dir);
    if (!entry) this.dirs.set(dir, (entry = searchDirectory(dir)));
    return entry;
  }
}

function searchDirectory(dir: string): { found: string[]; repositoryRoot: boolean } {
  const found = configFilesIn(dir);
  return { found, repositoryRoot: found.length === 0 && existsSync(join(dir, '.git')) };
}

/** Larger config files are refused rather than parsed. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * The nearest config file at `startDir` or above. The search stops at the filesystem root, at `stopAt`, and
 * after a directory that contains `.git` (the repository root): a recipe's lint result must not depend on
 * files outside its repository. Returns undefined when there is none.
 */
export function findConfigFile(startDir: string, options: FindOptions = {}): string | undefined {
  const stopAt = options.stopAt !== undefined ? resolve(options.stopAt) : undefined;
  for (let dir = resolve(startDir); ; dir = dirname(dir)) {
    const { found, repositoryRoot } = options.seen?.get(dir) ?? searchDirectory(dir);
    if (found.length > 1) {
      throw ConfigError.at(dir, `several config files in one directory (${found.map((f) => basename(f)).join(', ')}); keep one`);
    }
    if (found.length === 1) return found[0];
    if (dir === stopAt || repositoryRoot || dirname(dir) === dir) return undefined;
  }
}

/** Loads the config that applies to `recipeDir`, or the defaults when there is none. */
export async function loadConfigFor(recipeDir: string, options: FindOptions & ValidateOptions = {}): Promise<LoadedConfig> {
  return loadConfigForSync(recipeDir, options);
}

/**
 * loadConfigFor without a promise, for callers that must answer at once (whether a directory is a stack, for
 * catalogue discovery and the editor server). Nothing in a config's load waits: the same work either way.
 */
export function loadConfigForSync(recipeDir: string, options: FindOptions & ValidateOptions = {}): LoadedConfig {
  const file = guard(undefined, () => findConfigFile(recipeDir, options));
  if (!file) return { config: defaultConfig() };
  const text = guard(file, () => readConfigText(file));
  return { config: parseConfigTextSync(text, file, options), file };
}

/** Reads, parses and validates one config file. */
export async function loadConfigFile(file: string, options: ValidateOptions = {}): Promise<StacklintConfig> {
  const text = guard(file, () => readConfigText(file));
  return parseConfigTextSync(text, file, options);
}

/** Parses config text; the format follows the file name (.yml/.yaml, .json, .ts). */
export async function parseConfigText(text: string, file: string, options: ValidateOptions = {}): Promise<StacklintConfig> {
  return parseConfigTextSync(text, file, options);
}

function parseConfigTextSync(text: string, file: string, options: ValidateOptions): StacklintConfig {
  const located = locate(text, file);
  return guard(file, () => validateConfig(located, file, options));
}

function locate(text: string, file: string): Located {
  if (/\.ya?ml$/.test(file)) return guard(file, () => locateYaml(text, file));
  if (file.endsWith('.json')) return guard(file, () => locateJson(text, file));
  if (file.endsWith('.ts')) {
    // The TypeScript parser is loaded only here (ts-config.ts): it costs ~0.3 s, and most recipes use YAML.
    return guard(file, () => locateTsConfig(text, file));
  }
  throw ConfigError.at(file, `unknown config file type (expected ${CONFIG_FILE_NAMES.join(', ')})`);
}

/**
 * Reads a config file through the guarded path: a regular file, at most MAX_CONFIG_BYTES. A config that is a
 * link is followed only to a file inside its repository (the nearest directory above holding `.git`, or the
 * config's own directory outside git): a link to a config elsewhere could silently turn a recipe's errors
 * off. A directory, FIFO, device, dangling link or link loop is a configuration error saying which.
 */
function readConfigText(file: string): string {
  const dir = dirname(file);
  const root = lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink() ? repositoryOf(dir) : dir;
  const rel = relative(root, file).split(sep).join('/');
  const read = readTextInside(realRoot(root), rel, { maxBytes: MAX_CONFIG_BYTES, limitFor: 'a config file', rootName: 'its repository' }, basename(file));
  if (!read.ok) throw ConfigError.at(file, read.message);
  return read.text.replace(/^\uFEFF/, '');
}

function repositoryOf(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (lstatSync(join(d, '.git'), { throwIfNoEntry: false }) !== undefined) return d;
    if (dirname(d) === d) return dir;
  }
}

/** Config files present in `dir`, whatever they are: one that is a directory or a FIFO is an error when read, not skipped. */
function configFilesIn(dir: string): string[] {
  return CONFIG_FILE_NAMES.map((name) => join(dir, name)).filter(isPresent);
}

function isPresent(path: string): boolean {
  try {
    // No exception for a missing file (the usual case, 4 names × every parent of every recipe): cheaper.
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

/** Runs `fn`, turning any other exception into a ConfigError so callers see one error type. */
function guard<T>(file: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw asConfigError(file, e);
  }
}

function asConfigError(file: string | undefined, e: unknown): ConfigError {
  if (e instanceof ConfigError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return ConfigError.at(file, `cannot read config: ${message.split('\n')[0]}`);
}
