import type { Level } from '../rules/types.js';

export type { Level };

/** A rule's setting as written by the user: a level, or `[level, options]`. */
export type RuleSettingInput = Level | [Level] | [Level, Record<string, unknown>];

/** The shape of .stacklintrc.{yml,yaml,json} and of `export default` in stacklint.config.ts. */
export interface StacklintConfigInput {
  rules?: Record<string, RuleSettingInput>;
  /** Globs of recipe-relative paths to skip. */
  ignore?: string[];
  /** External networks shared between stacks (default ['proxy']). */
  sharedNetworks?: string[];
  preset?: string;
  /** The views the stack is deployed with: each a list of stack-relative files (or one string, comma-separated), merged in order. */
  views?: Array<string | string[]>;
}

/** One entry of `views:`: its files and where the config file names it. */
export interface ConfiguredView {
  files: string[];
  /** The config file (absolute) that names it. */
  file?: string;
  line?: number;
  column?: number;
}

export interface RuleSetting {
  level: Level;
  options?: Record<string, unknown>;
}

/** A validated configuration with defaults applied. */
export interface StacklintConfig {
  rules: Record<string, RuleSetting>;
  ignore: string[];
  sharedNetworks: string[];
  /** Set when the configuration names `sharedNetworks` (a plain stack assumes none otherwise). */
  sharedNetworksSet?: boolean;
  preset?: string;
  /** `views:` — when set, exactly these deploy views (no overlay combinations are guessed). */
  views?: ConfiguredView[];
}

export interface LoadedConfig {
  config: StacklintConfig;
  /** Absolute path of the file it came from; absent when no config file was found. */
  file?: string;
}

export const LEVELS: readonly Level[] = ['off', 'info', 'warn', 'error'];

export function defaultConfig(): StacklintConfig {
  return { rules: {}, ignore: [], sharedNetworks: ['proxy'] };
}

/** For typed stacklint.config.ts files; stacklint never calls it (the file is read, not run). */
export function defineConfig(config: StacklintConfigInput): StacklintConfigInput {
  return config;
}

export interface ConfigProblem {
  message: string;
  line?: number;
  column?: number;
}

/** The only error the config loader throws. `message` reads `file:line:column: problem` for the first problem. */
export class ConfigError extends Error {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  /** Every problem found (validation reports them all at once); the first one is also `line`/`column`. */
  readonly problems: ConfigProblem[];

  constructor(file: string | undefined, problems: ConfigProblem[]) {
    const all = problems.length > 0 ? problems : [{ message: 'invalid configuration' }];
    super(all.map((p) => formatProblem(file, p)).join('\n'));
    this.name = 'ConfigError';
    this.file = file;
    this.line = all[0].line;
    this.column = all[0].column;
    this.problems = all;
  }

  static at(file: string | undefined, message: string, line?: number, column?: number): ConfigError {
    return new ConfigError(file, [{ message, line, column }]);
  }
}

function formatProblem(file: string | undefined, p: ConfigProblem): string {
  const where = [file, p.line, p.line !== undefined ? p.column : undefined].filter((x) => x !== undefined).join(':');
  // One line per problem: a key's line breaks are shown as \n, not started anew.
  const message = p.message.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return where ? `${where}: ${message}` : message;
}
