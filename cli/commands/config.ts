// `stacklint config`: the drop-in for `docker stack config` (same stdout, stderr, exit code),
// plus --provenance to show which file:line each merged value came from.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { formatOptions, parseArgs, UsageError } from '../args.js';
import { safeLines } from '../../src/report/common.js';
import { NO_STACK_HERE, TargetError } from '../../src/catalogue/run.js';
import { directoryLayout } from '../../src/lint/stack-layout.js';
import type { EnvVariable } from '../../src/views/index.js';
import { composeOnlyReason } from '../../src/views/index.js';
import { ENV_FILE_OPTION, readEnvFiles } from '../stack-args.js';
import type { OptionSpec } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { decodeUtf8, readTextFile } from '../../src/load/read.js';
import { loadYamlText } from '../../src/load/yaml.js';
import type { FileDoc } from '../../src/load/types.js';
import { loadStack } from '../../src/pipeline/stack.js';
import { printDockerYaml } from '../../src/report/docker-yaml.js';
import type { Command } from './index.js';
import { stdio } from '../output.js';

const OPTIONS: OptionSpec[] = [
  { name: 'compose-file', short: 'c', type: 'list', split: true, valueName: 'FILE', description: 'a compose file (repeatable, or comma-separated); "-" reads stdin' },
  { name: 'skip-interpolation', type: 'boolean', description: 'do not interpolate ${VARIABLES} (still validates)' },
  { name: 'provenance', type: 'boolean', description: 'append `# file:line` (and `# replaced file:line`) to each line' },
  { ...ENV_FILE_OPTION, description: 'variables over the process environment (docker env-file syntax, parsed, never run; repeatable, later files win)' },
];

const HELP = `Usage: stacklint config -c FILE [-c FILE...] [--skip-interpolation] [--provenance]
       stacklint config [options] DIR|FILE...

Prints the merged configuration exactly as \`docker stack config\` does (docker CLI 28): the files are
interpolated with the process environment, validated against docker's schema for their version, and
merged left to right with docker's rules. Same stdout, stderr and exit code as docker. Relative paths
resolve against the first file's directory as docker sees it: through $PWD when $PWD names the current
directory (a symlinked path stays as the shell shows it). A YAML syntax error is docker's \`yaml: line N: …\`,
where N is often the line of the mapping being parsed, not of the offending token (\`stacklint lint\` points at
the token).

Beyond docker: FILE... is the same as -c FILE... (docker takes no arguments); DIR prints the stack's base
file as \`docker stack config -c DIR/<base>\` would — the file \`stacklint lint DIR\` takes as the base: a
recipe's compose.yml; on a plain stack docker-stack.yml|yaml or stack.yml|yaml before a \`docker compose\`
file (compose.yml|yaml, docker-compose.yml|yaml) beside it. A directory without one prints its first
declared view: its config's \`views:\`, COMPOSE_FILE of .env.example / .env.dist, or a
\`docker stack deploy -c A.yml -c B.yml\` of its README / scripts / CI. --env-file adds variables over the
process environment (docker stack reads none: these stand for the deploying shell's).

Options:
${formatOptions(OPTIONS)}

Examples:
  stacklint config -c compose.yml -c compose.smtpauth.yml
  DOMAIN=example.org stacklint config --provenance -c compose.yml,compose.mail.yml

Exit codes: 0 success; 1 docker would fail (its message is printed on stderr); 2 usage error.
`;

/**
 * Go's os.Getwd: $PWD when it is absolute and names the current directory (a path through a symlink stays
 * as the shell shows it), else the physical directory. docker resolves relative paths against it.
 */
function goGetwd(): string {
  const pwd = process.env.PWD;
  if (pwd && isAbsolute(pwd)) {
    try {
      const logical = statSync(pwd);
      const physical = statSync('.');
      if (logical.dev === physical.dev && logical.ino === physical.ino) return pwd;
    } catch {
      // fall through to the physical directory
    }
  }
  return process.cwd();
}

function logrusWarning(message: string): string {
  return `time="${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}" level=warning msg=${JSON.stringify(message)}\n`;
}

function readStdin(): string | { error: string } {
  try {
    const result = decodeUtf8(readFileSync(0), '-');
    return result.ok ? result.text : { error: result.dockerMessage };
  } catch (err) {
    return { error: `read -: ${(err as Error).message}` };
  }
}

/**
 * `config DIR|FILE…`: files are -c files; a directory stands for the files its stack deploys when nothing else
 * is said — the base file `lint` takes (a recipe's compose.yml, a plain stack's swarm file first), or without
 * one its first declared view (config `views:`, .env.example, `docker stack deploy -c a.yml -c b.yml` in its
 * scripts / README). The same decision as lint's and the editor's (stackLayout).
 */
function positionalFiles(positionals: readonly string[]): string[] {
  return positionals.flatMap((p) => {
    let directory = false;
    try {
      directory = statSync(p).isDirectory();
    } catch {
      return p; // docker's own "open p: no such file or directory"
    }
    if (!directory) return p;
    const layout = directoryLayout(p);
    const files = layout.defaultFiles;
    const composeOnly = layout.composeOnly.map((c) => (c.version !== undefined ? `${join(p, c.file)} declares version ${c.version}, which docker stack refuses` : `${join(p, c.file)} is ${composeOnlyReason(c)}, not deployed as a stack`));
    if (files === undefined) throw new UsageError(`${p}: ${NO_STACK_HERE}${composeOnly.length > 0 ? `; ${composeOnly.join('; ')}` : ''}); or name the files: -c FILE`);
    return files.map((file) => join(p, file));
  });
}

export const configCommand: Command = {
  name: 'config',
  summary: 'print the merged config exactly as `docker stack config` does (--provenance: with origins)',
  help: () => HELP,
  async run(argv) {
    const { options, positionals } = parseArgs(argv, OPTIONS);
    let files = (options['compose-file'] as string[] | undefined) ?? [];
    if (positionals.length > 0) {
      if (files.length > 0) throw new UsageError('give either -c files or DIR/FILE arguments, not both');
      files = positionalFiles(positionals);
    }
    let given: EnvVariable[] = [];
    try {
      given = options['env-file'] ? readEnvFiles(options['env-file'] as string[]) : [];
    } catch (err) {
      if (!(err instanceof TargetError)) throw err;
      stdio.err(safeLines(`stacklint config: ${err.message}\n`));
      return EXIT.usage;
    }
    const givenValues = new Map(given.map((v) => [v.name, v.value]));
    if (files.length === 0) {
      stdio.err('Specify a Compose file (with --compose-file)\n');
      return EXIT.findings;
    }
    const cwd = goGetwd();
    const workingDir = files[0] === '-' && files.length === 1 ? cwd : dirname(resolve(cwd, files[0]));
    const docs: FileDoc[] = [];
    for (const file of files) {
      const text = file === '-' ? readStdin() : readTextFile(file);
      const failure = typeof text === 'string' ? undefined : 'error' in text ? text.error : text.ok ? undefined : text.dockerMessage;
      if (failure !== undefined) {
        stdio.err(`${failure}\n`);
        return EXIT.findings;
      }
      const content = typeof text === 'string' ? text : (text as { text: string }).text;
      docs.push(loadYamlText(content, file, { absPath: file === '-' ? '-' : resolve(cwd, file) }));
    }
    const env = process.env;
    const result = loadStack(docs, {
      lookup: (name) => givenValues.get(name) ?? (Object.hasOwn(env, name) ? env[name] : undefined),
      skipInterpolation: !!options['skip-interpolation'],
      workingDir,
      home: env.HOME,
      readEnvFile: (abs) => {
        const read = readTextFile(abs);
        return read.ok ? read : { ok: false, message: read.dockerMessage };
      },
    });
    for (const warning of result.warnings) stdio.err(logrusWarning(warning));
    if (!result.merged) {
      stdio.err(`${result.failure?.message ?? 'failed to load the compose files'}\n`);
      return EXIT.findings;
    }
    const byFile = new Map(docs.map((d) => [d.file, d]));
    stdio.out(printDockerYaml(result.merged, options.provenance ? { provenance: true, docs: byFile } : {}));
    return EXIT.ok;
  },
};
