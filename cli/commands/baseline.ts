// `stacklint baseline`: records a recipe's current findings in .stacklint-baseline.json, so that
// `stacklint lint` reports them as known instead of failing, and only new findings fail.
import { safeLines } from '../../src/report/common.js';
import { relative } from 'node:path';
import { formatOptions, parseArgs } from '../args.js';
import type { OptionSpec } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { ConfigError } from '../../src/config/index.js';
import { BASELINE_FILE, BaselineError, buildBaseline, readBaseline, writeBaseline } from '../../src/gate/index.js';
import { runLint, TargetError } from '../../src/catalogue/run.js';
import { ALL_RULES } from '../../src/rules/index.js';
import type { Command } from './index.js';
import { parseRuleOverrides } from './lint.js';

export const OPTIONS: OptionSpec[] = [
  { name: 'reason', type: 'string', valueName: 'TEXT', description: 'why these findings are accepted: stored with each entry added now' },
  { name: 'rule', type: 'list', valueName: 'ID=LEVEL', description: 'set a rule level, as for lint (use the same settings as your lint runs)' },
  { name: 'online', type: 'boolean', description: 'run the rules that need the network (R006, R013)' },
  { name: 'git', type: 'boolean', description: "run the rules that read the recipe's git tags (R014)" },
];

const HELP = `Usage: stacklint baseline [options] [DIR...]

Writes ${BASELINE_FILE} in each recipe: every current finding, by fingerprint (rule, file, logical
path, overlay combination; never line numbers). From then on \`stacklint lint\` shows those findings
as known and does not fail on them; new findings still fail. Commit the file with the recipe.

Rerunning it refreshes the file: entries for fixed findings are dropped, new findings are added, and
the "reason" of every entry that still matches is kept. Edit a reason in the file, or give --reason for
the entries added by this run. \`stacklint lint --no-baseline\` ignores the file.

Options:
${formatOptions(OPTIONS)}

Examples:
  stacklint baseline                                          # the recipe in the current directory
  stacklint baseline --reason "sidekiq overlay: upstream issue #12" .

Exit codes: 0 written; 2 usage, configuration or internal error.
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
    try {
      const result = await runLint(targets, { rules: ALL_RULES, online: !!options.online, git: !!options.git, overrides: { rules } });
      for (const recipe of result.recipes) {
        let previous;
        try {
          previous = readBaseline(recipe.recipeDir);
        } catch (err) {
          // An unreadable baseline is replaced: this command exists to write a good one.
          if (!(err instanceof BaselineError) || err.notAFile) throw err;
          process.stderr.write(safeLines(`stacklint baseline: ${err.message}; replacing it\n`));
        }
        const built = buildBaseline(recipe.findings, previous, reason);
        const file = writeBaseline(recipe.recipeDir, built.baseline);
        const changes = previous ? ` (${built.added} added, ${built.removed} removed, ${built.kept} kept)` : '';
        const n = built.baseline.entries.length;
        process.stdout.write(`wrote ${relative(process.cwd(), file) || file}: ${n} ${n === 1 ? 'finding' : 'findings'}${changes}\n`);
      }
    } catch (err) {
      if (err instanceof TargetError || err instanceof ConfigError || err instanceof BaselineError) {
        process.stderr.write(safeLines(`stacklint baseline: ${err.message}\n`));
        return EXIT.usage;
      }
      throw err;
    }
    return EXIT.ok;
  },
};
