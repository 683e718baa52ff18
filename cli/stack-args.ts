// The options that say which files make a stack's views and which variables they are interpolated with,
// shared by every command that takes a stack: -c FILE…, --view a.yml,b.yml, --env-file FILE.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decodeUtf8, READ_LIMITS, readTextFile } from '../src/load/read.js';
import { namedViewsDir, STDIN_FILE, TargetError } from '../src/catalogue/run.js';
import type { NamedView } from '../src/catalogue/run.js';
import { parseGivenEnvFile } from '../src/views/index.js';
import type { EnvVariable } from '../src/views/index.js';
import { UsageError } from './args.js';
import type { OptionSpec, ParsedArgs } from './args.js';

export const COMPOSE_FILE_OPTION: OptionSpec = {
  name: 'compose-file',
  short: 'c',
  type: 'list',
  valueName: 'FILE',
  description: 'the one view `docker stack deploy -c FILE…` deploys (repeatable, in order; paths from the current directory, anywhere in one repository; "-" reads stdin)',
};

export const VIEW_OPTION: OptionSpec = {
  name: 'view',
  type: 'list',
  valueName: 'A.yml,B.yml',
  description: 'a view of its own: these files merged in this order, as -c would (repeatable: one view each)',
};

export const ENV_FILE_OPTION: OptionSpec = {
  name: 'env-file',
  type: 'list',
  valueName: 'FILE',
  description: "variables for interpolation, as the deploying shell would hold them (docker env-file syntax, parsed, never run; repeatable, later files win)",
};

export const STACK_OPTIONS: readonly OptionSpec[] = [COMPOSE_FILE_OPTION, VIEW_OPTION, ENV_FILE_OPTION];

export interface StackSelection {
  /** Views named with -c / --view (empty: the stacks' own views). */
  namedViews: NamedView[];
  /** Variables from --env-file, in file order (later entries win). */
  env?: EnvVariable[];
  /** `-c -`: the text read from stdin, keyed by the absolute path the stack names it by (`<stack dir>/-`). */
  overlay?: Map<string, string>;
}

/** Reads -c, --view and --env-file; a file that cannot be read or parsed is a TargetError (one line, exit 2). */
export function stackSelection(options: ParsedArgs['options'], positionals: readonly string[]): StackSelection {
  const namedViews: NamedView[] = [];
  const composeFiles = (options['compose-file'] as string[] | undefined) ?? [];
  if (composeFiles.length > 0) namedViews.push({ option: '-c', files: composeFiles });
  for (const value of (options.view as string[] | undefined) ?? []) {
    const files = value.split(',').map((f) => f.trim());
    if (files.some((f) => f === '')) throw new UsageError(`--view ${value}: an empty file name (give files separated by commas, e.g. --view compose.yml,compose.prod.yml)`);
    namedViews.push({ option: '--view', files });
  }
  if (namedViews.length > 0 && positionals.length > 0) {
    throw new UsageError('-c and --view name the stack by its files: give either -c files or directories/files, not both');
  }
  const envFiles = options['env-file'] as string[] | undefined;
  const stdin = namedViews.flatMap((v) => v.files.map((file) => ({ file, option: v.option }))).filter((f) => f.file === STDIN_FILE);
  if (stdin.length > 1) throw new TargetError(`${stdin[1].option} -: stdin is named more than once; it can be read once`);
  const overlay = stdin.length === 1 ? new Map([[resolve(namedViewsDir(namedViews), STDIN_FILE), readStdin(stdin[0].option)]]) : undefined;
  return { namedViews, ...(envFiles ? { env: readEnvFiles(envFiles) } : {}), ...(overlay ? { overlay } : {}) };
}

/**
 * The compose file `-c -` names: stdin, read once and whole, as docker reads it (the stack's directory is then
 * the current one). A terminal is refused rather than waited on.
 */
function readStdin(option: string): string {
  if (process.stdin.isTTY) throw new TargetError(`${option} -: stdin is a terminal; pipe the compose file in (e.g. \`stacklint lint -c - < docker-stack.yml\`)`);
  let bytes: Buffer;
  try {
    bytes = readFileSync(0);
  } catch (err) {
    throw new TargetError(`${option} -: cannot read stdin (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  if (bytes.length > READ_LIMITS.maxFileBytes) throw new TargetError(`${option} -: stdin holds more than ${READ_LIMITS.maxFileBytes / 1024 / 1024} MiB; over the limit for a compose file`);
  const decoded = decodeUtf8(bytes, 'stdin');
  if (!decoded.ok) throw new TargetError(`${option} -: ${decoded.message}`);
  return decoded.text;
}

/** Parses each --env-file in order; a bare `KEY` line takes KEY from stacklint's environment, as docker does. */
export function readEnvFiles(files: readonly string[]): EnvVariable[] {
  const variables: EnvVariable[] = [];
  const env = process.env;
  for (const file of files) {
    const read = readTextFile(file);
    if (!read.ok) {
      const reason = read.kind === 'missing' ? 'no such file' : read.kind === 'directory' ? 'is a directory (give an env file)' : read.message;
      throw new TargetError(`--env-file ${file}: ${reason}`);
    }
    const parsed = parseGivenEnvFile(read.text, file, (name) => (Object.hasOwn(env, name) ? env[name] : undefined));
    if (!parsed.ok) throw new TargetError(`--env-file ${file}: ${parsed.message}`);
    variables.push(...parsed.variables);
  }
  return variables;
}
