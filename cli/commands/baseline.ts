// `stacklint baseline`: records a recipe's current findings in .stacklint-baseline.json, so that
// `stacklint lint` reports them as known instead of failing, and only new findings fail.
import { safeLines } from '../../src/report/common.js';
import { relative } from 'node:path';
import { formatOptions, parseArgs } from '../args.js';
import type { OptionSpec } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { ConfigError } from '../../src/config/index.js';
import { BASELINE_FILE, BaselineError, buildBaseline, updateBaseline } from '../../src/gate/index.js';
import type { BaselineBuild } from '../../src/gate/index.js';
import { shown, WriteError } from '../../src/write/index.js';
import { runLint, TargetError } from '../../src/catalogue/run.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Command } from './index.js';
import { parseRuleOverrides } from './lint.js';
import { STACK_OPTIONS, stackSelection } from '../stack-args.js';
import { stdio } from '../output.js';

export const OPTIONS: OptionSpec[] = [
  ...STACK_OPTIONS,
  { name: 'reason', type: 'string', valueName: 'TEXT', description: 'why these findings are accepted: stored with each entry added now' },
  { name: 'rule', type: 'list', valueName: 'ID=LEVEL', description: 'set a rule level, as for lint (use the same settings as your lint runs)' },
  { name: 'online', type: 'boolean', description: 'run the rules that need the network (R006, R013)' },
  { name: 'git', type: 'boolean', description: "run the rules that read the recipe's git tags (R014)" },
];

const HELP = `Usage: stacklint baseline [options] [DIR|FILE...]
       stacklint baseline [options] -c FILE [-c FILE...] [--view A.yml,B.yml...]

Writes ${BASELINE_FILE} in each recipe: every current finding, by fingerprint (rule, file, logical
path, overlay combination; never line numbers). From then on \`stacklint lint\` shows those findings
as known and does not fail on them; new findings still fail. Commit the file with the recipe.

Rerunning it refreshes the file: entries for fixed findings are dropped, new findings are added, and
the "reason" of every entry that still matches is kept. Edit a reason in the file, or give --reason for
the entries added by this run. \`stacklint lint --no-baseline\` ignores the file.

FILE, -c, --view and --env-file choose the views and variables as for \`stacklint lint\`; the baseline
then holds the findings of those views only (entries of other views are dropped): write it and lint with
the same selection.

Options:
${formatOptions(OPTIONS)}

Examples:
  stacklint baseline                                          # the recipe in the current directory
  stacklint baseline --reason "sidekiq overlay: upstream issue #12" .

A baseline that is not valid JSON (or not a baseline) is moved to ${BASELINE_FILE}.bak, never
overwritten. The file is written atomically, under a lock shared with other stacklint runs, and only as
a regular file inside the recipe: a symbolic link, FIFO or directory in its place is refused (exit 2).

Exit codes: 0 written; 2 usage, configuration or internal error, or a baseline that could not be written.
`;

export const baselineCommand: Command = {
  name: 'baseline',
  summary: `accept the current findings: write ${BASELINE_FILE} (lint then fails only on new ones)`,
  help: () => HELP,
  async run(argv) {
    const { options, positionals } = parseArgs(argv, OPTIONS);
    const targets = positionals.length > 0 ? positionals : ['.'];
    const rules = parseRuleOverrides((options.rule as string[] | undefined) ?? []);
    const reason = options.reason as string | undefined;
    let failed = false;
    try {
      const selection = stackSelection(options, positionals);
      const result = await runLint(targets, {
        rules: ALL_RULES,
        online: !!options.online,
        git: !!options.git,
        overrides: { rules },
        ...(selection.namedViews.length > 0 ? { namedViews: selection.namedViews } : {}),
        ...(selection.env ? { env: selection.env } : {}),
        ...(selection.overlay ? { overlay: selection.overlay } : {}),
      });
      for (const recipe of result.recipes) {
        let built: BaselineBuild | undefined;
        let hadBaseline = false;
        try {
          const update = updateBaseline(
            recipe.recipeDir,
            (previous) => {
              hadBaseline = previous !== undefined;
              built = buildBaseline(recipe.findings, previous, reason);
              return built.baseline;
            },
            // This command exists to write a good baseline; a bad one is kept beside it, never overwritten.
            'move-aside',
          );
          if (update.movedAside) {
            const why = update.movedAside.why.replace(/; regenerate it with `stacklint baseline`$/, '');
            stdio.err(safeLines(`stacklint baseline: ${why}; moved it to ${shown(update.movedAside.to)} and wrote a new one\n`));
          }
          const changes = hadBaseline ? ` (${built!.added} added, ${built!.removed} removed, ${built!.kept} kept)` : '';
          const n = built!.baseline.entries.length;
          stdio.out(`wrote ${relative(process.cwd(), update.file) || update.file}: ${n} ${n === 1 ? 'finding' : 'findings'}${changes}\n`);
        } catch (err) {
          // One recipe's baseline that cannot be written (a link, a read-only file, a full disk) stops no other.
          if (!(err instanceof WriteError) && !(err instanceof BaselineError)) throw err;
          stdio.err(safeLines(`stacklint baseline: ${err.message}\n`));
          failed = true;
        }
      }
    } catch (err) {
      if (err instanceof TargetError || err instanceof ConfigError || err instanceof BaselineError) {
        stdio.err(safeLines(`stacklint baseline: ${err.message}\n`));
        return EXIT.usage;
      }
      throw err;
    }
    return failed ? EXIT.usage : EXIT.ok;
  },
};
