// `stacklint review`: walk a recipe's findings in a terminal UI and decide on each (fix in $EDITOR,
// suppress with a reason, accept into the baseline). Without a terminal it prints the lint report.
// The UI (ink, react) is imported only here, on demand, so `lint` starts without it.
import { safeLines } from '../../src/report/common.js';
import { basename } from 'node:path';
import { formatOptions, parseArgs, UsageError } from '../args.js';
import type { OptionSpec } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { ConfigError } from '../../src/config/index.js';
import { applyBaselines, BASELINE_FILE, BaselineError } from '../../src/gate/index.js';
import { findStacks, runLint, TargetError } from '../../src/catalogue/run.js';
import type { RunOptions } from '../../src/catalogue/run.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Finding } from '../../src/lint/types.js';
import type { Command } from './index.js';
import { lintCommand, parseRuleOverrides } from './lint.js';
import { STACK_OPTIONS, stackSelection } from '../stack-args.js';
import { guardStreams, stdio } from '../output.js';

export const OPTIONS: OptionSpec[] = [
  ...STACK_OPTIONS,
  { name: 'rule', type: 'list', valueName: 'ID=LEVEL', description: 'set a rule level, as for lint, e.g. --rule R004=off (repeatable)' },
  { name: 'online', type: 'boolean', description: 'run the rules that need the network (R006, R013)' },
  { name: 'git', type: 'boolean', description: "run the rules that read the recipe's git tags (R014)" },
  { name: 'no-baseline', type: 'boolean', description: `ignore ${BASELINE_FILE}: show accepted findings as open` },
  { name: 'no-color', type: 'boolean', description: 'no colours in the report printed without a terminal' },
  { name: 'color', type: 'boolean', description: 'colours in the report printed without a terminal' },
];

const HELP = `Usage: stacklint review [options] [DIR|FILE]
       stacklint review [options] -c FILE [-c FILE...] [--view A.yml,B.yml...]

Lints one recipe or stack (default: the current directory; FILE, -c and --view name its views as for
\`stacklint lint\`; --env-file gives the variables) and lets you walk its findings in the terminal:
the list (grouped by rule or by file), and for the selected finding the source around it, how the
overlay merge produced it (which file defined what, in which views), the views it occurs in, the
rule's explanation and how to fix it.

Keys:
  ↑/↓ or j/k     move (in the detail: scroll)      enter or →   read the detail (← or esc: back)
  /              filter by text                    g            group by rule / by file
  s              suppress: asks for a reason and writes
                 # stacklint-disable-next-line RULE -- reason   above the finding's line
  b              accept into ${BASELINE_FILE} (asks for a reason)
  o              open the file at the line in $VISUAL / $EDITOR (then re-lints)
  r              re-lint                           q            quit

Suppressions go into files that take \`#\` comments (compose files, .env, shell, Caddyfile, nginx
and their templates); a finding elsewhere can be accepted into the baseline instead. Only the one
line is inserted: the rest of the file, its formatting and comments, stay as they are. A file changed
since the last lint is not written (press r first); a link, FIFO or read-only file is never written, and
a file outside the recipe is never opened.

Options:
${formatOptions(OPTIONS)}

Without a terminal (stdin and stdout not a TTY, or CI set) it prints the \`stacklint lint\` report
instead, after one line on stderr saying that review needs a terminal.

Exit codes: as \`stacklint lint\`, for the findings left when you quit (or, without a terminal, for the
report): 0 no error-level finding; 1 error findings; 2 usage, configuration or internal error.
`;

/** ink draws only in a real, interactive terminal (it renders nothing until exit under CI). */
export function canReview(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = (key: string) => key in env && env[key] !== '0' && env[key] !== 'false';
  return !!process.stdin.isTTY && !!process.stdout.isTTY && env.TERM !== 'dumb' && !ci('CI') && !ci('CONTINUOUS_INTEGRATION');
}

export const reviewCommand: Command = {
  name: 'review',
  summary: 'walk the findings in the terminal: suppress, accept into the baseline, open in $EDITOR',
  help: () => HELP,
  async run(argv) {
    const { options, positionals } = parseArgs(argv, OPTIONS);
    if (positionals.length > 1) throw new UsageError('review takes one recipe directory');
    if (!canReview()) {
      stdio.err('stacklint review: needs an interactive terminal; printing the lint report instead\n');
      return lintCommand.run(argv);
    }
    const target = positionals[0] ?? '.';
    const rules = parseRuleOverrides((options.rule as string[] | undefined) ?? []);
    const runOptions: RunOptions = { rules: ALL_RULES, online: !!options.online, git: !!options.git, overrides: { rules } };
    let recipeDir = '';
    let findings: Finding[];
    let lintStartedMs = 0;
    const lint = async (): Promise<Finding[]> => {
      const result = await runLint(runOptions.namedViews ? [] : [recipeDir], runOptions);
      if (!options['no-baseline']) applyBaselines(result);
      return result.findings;
    };
    try {
      const selection = stackSelection(options, positionals);
      if (selection.namedViews.length > 0) runOptions.namedViews = selection.namedViews;
      if (selection.env) runOptions.env = selection.env;
      if (selection.overlay) runOptions.overlay = selection.overlay;
      const stacks = findStacks([target], runOptions.namedViews);
      // A file given as the target is the stack's one view: lint it that way on every re-lint.
      if (!runOptions.namedViews && stacks.views[stacks.dirs[0]]) runOptions.namedViews = [{ option: '-c', files: [target] }];
      const recipes = stacks.dirs;
      if (recipes.length > 1) {
        throw new UsageError(`${target} is a catalogue of ${recipes.length} recipes; review one: stacklint review ${target}/<recipe>`);
      }
      recipeDir = recipes[0];
      lintStartedMs = Date.now();
      findings = await lint();
    } catch (err) {
      if (err instanceof TargetError || err instanceof ConfigError || err instanceof BaselineError) {
        stdio.err(safeLines(`stacklint review: ${err.message}\n`));
        return EXIT.usage;
      }
      throw err;
    }
    // A chunk of its own in the bundle (ink, react): only this command loads it.
    const { runReview } = await import('../review/run.js');
    guardStreams(); // ink draws through node's streams
    const end = await runReview({ recipeDir, recipeName: basename(recipeDir), findings, rules: ALL_RULES.map((r) => r.meta), lint, lintStartedMs });
    return end.findings.some((f) => f.severity === 'error' && f.state !== 'known') ? EXIT.findings : EXIT.ok;
  },
};
