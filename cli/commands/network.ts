import { safeLines } from '../../src/report/common.js';
import { resolve } from 'node:path';
import { formatOptions, parseArgs, UsageError } from '../args.js';
import type { OptionSpec } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { ConfigError } from '../../src/config/index.js';
import { TargetError } from '../../src/catalogue/run.js';
import { analyseCatalogue, networkGraph, networkJson, networkText } from '../../src/catalogue/index.js';
import { toDot, toMermaid } from '../../src/graph/model.js';
import type { Command } from './index.js';
import { writeUserFile } from '../../src/write/index.js';
import { stdio } from '../output.js';

const FORMATS = ['text', 'json', 'dot', 'mermaid'] as const;
type Format = (typeof FORMATS)[number];

export const OPTIONS: OptionSpec[] = [
  { name: 'format', short: 'f', type: 'string', valueName: 'NAME', description: `output format: ${FORMATS.join(', ')} (default text)` },
  { name: 'output', short: 'o', type: 'string', valueName: 'FILE', description: 'write to FILE instead of stdout' },
  { name: 'network', short: 'n', type: 'list', split: true, valueName: 'NAME', description: "shared network(s) to analyse (default: each recipe's sharedNetworks setting, proxy)" },
  { name: 'recipe', short: 'r', type: 'list', split: true, valueName: 'NAME', description: 'only these recipes, e.g. the apps of one server (repeatable, or comma-separated)' },
  { name: 'jobs', short: 'j', type: 'string', valueName: 'N', description: 'threads to use (default: the CPUs available)' },
];

const HELP = `Usage: stacklint network [options] CATALOGUE_DIR...

Every Co-op Cloud app on a server joins one shared overlay network, \`proxy\`, and docker gives each of
its services there its short name (\`app\`, \`db\`) and aliases. A look-up of such a name from the shared
network is answered by every stack's service of that name. This reads every view of every recipe in a
catalogue (a directory of recipes) and reports:

  - which services of which recipes join the shared network, under which short names and aliases;
  - every name that two or more recipes put there (the collision set);
  - for each recipe, the look-ups of its services (and of Traefik, for their labels) on the shared
    network that another recipe's service would answer: on a server running both, they can misroute.

Names and look-ups are read as \`stacklint lint\` reads them for proxy-alias-collision (environment
values, command, entrypoint, healthcheck, backupbot hooks, URL-valued Traefik labels, mounted configs).
Give --recipe for the apps of one server to see what goes wrong there.

Options:
${formatOptions(OPTIONS)}

Formats: text (default), json (everything, per recipe and per name; a look-up lists 8 of the services
answering it and counts all in answeredByCount), dot (Graphviz: \`| dot -Tsvg\`)
and mermaid: recipes as boxes holding their services, names on the shared network as ovals (red when
several recipes share one), dashed red edges for look-ups another recipe answers.

Examples:
  stacklint network ~/recipes                              # the whole catalogue
  stacklint network ~/recipes -r nextcloud,wordpress,matrix # the apps of one server
  stacklint network ~/recipes --format dot | dot -Tsvg > proxy.svg

Exit codes: 0 no look-up is answered by another recipe's service; 1 some are; 2 usage, configuration
or internal error.
`;

export const networkCommand: Command = {
  name: 'network',
  summary: 'the shared proxy network across a catalogue: names several recipes use, look-ups that misroute',
  help: () => HELP,
  async run(argv) {
    const { options, positionals } = parseArgs(argv, OPTIONS);
    const format = ((options.format as string | undefined) ?? 'text') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${format}' (one of ${FORMATS.join(', ')})`);
    if (positionals.length === 0) throw new UsageError('give the catalogue directory (a directory of recipes)');
    const jobs = options.jobs === undefined ? undefined : Number(options.jobs);
    if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError('--jobs takes a whole number, at least 1');
    const networks = options.network as string[] | undefined;
    let result;
    try {
      result = await analyseCatalogue(positionals, { sharedNetworks: networks, only: options.recipe as string[] | undefined, jobs });
    } catch (err) {
      if (err instanceof TargetError || err instanceof ConfigError) {
        stdio.err(safeLines(`stacklint network: ${err.message}\n`));
        return EXIT.usage;
      }
      throw err;
    }
    const { analysis } = result;
    const text =
      format === 'json'
        ? networkJson(analysis, result.networks)
        : format === 'dot'
          ? toDot(networkGraph(analysis))
          : format === 'mermaid'
            ? toMermaid(networkGraph(analysis))
            : networkText(analysis, result.networks);
    if (options.output) {
      writeUserFile(options.output as string, text);
    } else {
      stdio.out(text);
    }
    return analysis.crossLookups.length > 0 ? EXIT.findings : EXIT.ok;
  },
};
