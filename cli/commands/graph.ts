import { safeLines } from '../../src/report/common.js';
import { resolve } from 'node:path';
import { formatOptions, parseArgs, UsageError } from '../args.js';
import type { OptionSpec } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { ConfigError } from '../../src/config/index.js';
import { findRecipes, findStacks, TargetError } from '../../src/catalogue/run.js';
import { COMPOSE_FILE_OPTION, ENV_FILE_OPTION, stackSelection } from '../stack-args.js';
import { toDot, toMermaid } from '../../src/graph/model.js';
import { recipeGraph, loadGraphRecipe, UnknownViewError } from '../../src/graph/recipe.js';
import type { Command } from './index.js';
import { writeUserFile } from '../../src/write/index.js';
import { stdio } from '../output.js';

const FORMATS = ['dot', 'mermaid'] as const;
type Format = (typeof FORMATS)[number];

export const OPTIONS: OptionSpec[] = [
  { name: 'format', short: 'f', type: 'string', valueName: 'NAME', description: `output format: ${FORMATS.join(', ')} (default dot)` },
  { name: 'output', short: 'o', type: 'string', valueName: 'FILE', description: 'write to FILE instead of stdout' },
  { name: 'view', type: 'list', valueName: 'NAME', description: 'only this view, e.g. compose.yml, compose.yml+compose.prod.yml or abra (repeatable; default: every view)' },
  COMPOSE_FILE_OPTION,
  ENV_FILE_OPTION,
  { name: 'root', type: 'string', valueName: 'DIR', description: 'read boundary, as for lint' },
];

const HELP = `Usage: stacklint graph [options] [DIR|FILE...]
       stacklint graph [options] -c FILE [-c FILE...]

Draws one recipe or stack (default: the current directory; FILE... draws each file as a view of its
own, -c FILE... the one view \`docker stack deploy -c FILE...\` deploys; --env-file gives the
variables, as for \`stacklint lint\`) as a graph, one box per view (\`abra\`, \`compose.yml\`,
\`compose.yml+<overlay>\`, each COMPOSE_FILE line): its services (with their image), the networks they
join (shared external ones in bold, aliases on the edge), the volumes and host paths they mount (target
on the edge), the secrets and configs they use, and depends_on between services. A name a view uses but
never defines is drawn in red; a view that does not merge shows docker's error instead.

Options:
${formatOptions(OPTIONS)}

Examples:
  stacklint graph | dot -Tsvg > recipe.svg         # Graphviz
  stacklint graph --format mermaid --view abra      # a Mermaid flowchart for a README or an issue

Exit codes: 0 drawn; 2 usage, configuration or internal error (e.g. no such view).
`;

export const graphCommand: Command = {
  name: 'graph',
  summary: "one recipe's services, networks, volumes, secrets, configs and depends_on as a graph, per view",
  help: () => HELP,
  async run(argv) {
    const { options, positionals } = parseArgs(argv, OPTIONS);
    const format = ((options.format as string | undefined) ?? 'dot') as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`unknown format '${format}' (one of ${FORMATS.join(', ')})`);
    const filter = options.view as string[] | undefined;
    let text: string;
    try {
      const selection = stackSelection({ ...options, view: undefined }, positionals);
      const root = options.root as string | undefined;
      const load = { ...(selection.env ? { env: selection.env } : {}), ...(selection.overlay ? { overlay: selection.overlay } : {}), ...(root !== undefined ? { root: resolve(root) } : {}) };
      let recipe;
      const named = findStacks(positionals, selection.namedViews, root);
      if (selection.namedViews.length > 0 || Object.keys(named.views).length > 0) {
        if (named.dirs.length !== 1) throw new TargetError('the files named belong to different directories; draw one stack at a time');
        const dir = named.dirs[0];
        recipe = await loadGraphRecipe(dir, { ...load, views: named.views[dir], ...(named.roots[dir] !== undefined ? { root: named.roots[dir] } : {}) });
      } else {
        if (positionals.length > 1) throw new UsageError('give one recipe directory');
        const target = positionals[0] ?? '.';
        const dirs = findRecipes(target);
        if (dirs.length !== 1 || dirs[0] !== resolve(target)) {
          throw new TargetError(`${target}: a catalogue; give one recipe (a directory with compose.yml), or use \`stacklint network\``);
        }
        recipe = await loadGraphRecipe(dirs[0], load);
      }
      const graph = recipeGraph(recipe, filter);
      text = format === 'mermaid' ? toMermaid(graph) : toDot(graph);
    } catch (err) {
      if (err instanceof TargetError || err instanceof ConfigError || err instanceof UnknownViewError) {
        stdio.err(safeLines(`stacklint graph: ${err.message}\n`));
        return EXIT.usage;
      }
      throw err;
    }
    if (options.output) {
      writeUserFile(options.output as string, text);
    } else {
      stdio.out(text);
    }
    return EXIT.ok;
  },
};
