import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { safeLines } from '../../src/report/common.js';
import { formatOptions, parseArgs, UsageError } from '../args.js';
import type { OptionSpec } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { VERSION } from '../version.js';
import { ConfigError, LEVELS } from '../../src/config/index.js';
import type { Level } from '../../src/config/index.js';
import { recipeSummaries, runLint, TargetError } from '../../src/catalogue/run.js';
import type { RunOptions } from '../../src/catalogue/run.js';
import { applyBaselines, BASELINE_FILE, BaselineError, compareWithBase, GateError, gateOutput, upgradeFrom, upgradeOutput } from '../../src/gate/index.js';
import { ALL_RULES, findRule } from '../../src/rules/index.js';
import { parsePresets, PRESET_NAMES } from '../../src/rules/presets.js';
import { displayPath, fixTargets, unifiedDiff } from '../../src/fix/index.js';
import type { ComposeOnlyFile } from '../../src/views/index.js';
import { composeOnlyReason } from '../../src/views/index.js';
import { summarise } from '../../src/lint/engine.js';
import { FORMATS, isFormatName } from '../../src/report/index.js';
import type { Command } from './index.js';
import { useColor } from '../tty.js';
import { catalogueProgress } from '../progress.js';
import { writeUserFile } from '../../src/write/index.js';
import { STACK_OPTIONS, stackSelection } from '../stack-args.js';
import { stdio, terminalStderr } from '../output.js';

export const OPTIONS: OptionSpec[] = [
  ...STACK_OPTIONS,
  { name: 'root', type: 'string', valueName: 'DIR', description: "read boundary: files a stack names above its directory are read when inside DIR (default: a plain stack's git work tree; a recipe's own directory)" },
  { name: 'format', short: 'f', type: 'string', valueName: 'NAME', description: `output format: ${Object.keys(FORMATS).join(', ')} (default stylish)` },
  { name: 'output', short: 'o', type: 'string', valueName: 'FILE', description: 'write the report to FILE instead of stdout' },
  { name: 'quiet', short: 'q', type: 'boolean', description: 'report errors only' },
  { name: 'max-warnings', type: 'string', valueName: 'N', description: 'exit 1 when there are more than N warnings' },
  { name: 'rule', type: 'list', valueName: 'ID=LEVEL', description: 'set a rule level, e.g. --rule R004=off (repeatable)' },
  { name: 'online', type: 'boolean', description: 'run the rules that need the network (R006, R013)' },
  { name: 'git', type: 'boolean', description: "run the rules that read the recipe's git tags (R014)" },
  { name: 'base', type: 'string', valueName: 'REF', description: 'report only findings new since git revision REF (branch, tag, commit); fail on those' },
  { name: 'upgrade-from', type: 'string', valueName: 'REF', description: 'also run the upgrade rules: what this change breaks for apps deployed from git revision REF (--base does this too)' },
  { name: 'no-baseline', type: 'boolean', description: `ignore ${BASELINE_FILE} (by default its findings are reported as known, not failing)` },
  { name: 'no-color', type: 'boolean', description: 'no colours (also NO_COLOR=1); --color forces them' },
  { name: 'color', type: 'boolean', description: 'colours even when stdout is not a terminal' },
  { name: 'jobs', short: 'j', type: 'string', valueName: 'N', description: 'lint a catalogue on N threads (default: the CPUs available; the report is the same for any N)' },
  { name: 'preset', type: 'string', valueName: 'NAMES', description: `rule preset(s), comma-separated: ${PRESET_NAMES.join(', ')} (default recommended; overrides the config's preset)` },
  { name: 'fix', type: 'boolean', description: 'apply the safe fixes in place, then report what remains' },
  { name: 'fix-dry-run', type: 'boolean', description: 'print the safe fixes as a unified diff (apply with patch -p1); change nothing' },
];

const HELP = `Usage: stacklint lint [options] [DIR|FILE...]
       stacklint lint [options] -c FILE [-c FILE...] [--view A.yml,B.yml...]

Lints Docker swarm stacks and Co-op Cloud recipes: every compose file, every overlay combination
("view"), and for recipes .env.sample, abra.sh and the config templates the recipe mounts.
DIR is a stack (a directory with compose.yml, compose.yaml, docker-compose.yml|yaml,
docker-stack.yml|yaml or stack.yml|yaml; on a plain stack a swarm file wins over a compose file
beside it, which is for docker compose and is not linted, and a file declaring version 1 or 2.x is a
docker-compose file, not a stack; or a directory that declares views of its own — its config's
\`views:\`, .env.example COMPOSE_FILE, or a README, script, Makefile or CI running
\`docker stack deploy -c FILE\` on a file of it: then exactly the declared views) or a catalogue (a
directory of stacks, and of the folders its own declarations deploy from); default: the current
directory. FILE is linted as a view of its own. -c FILE... is exactly what \`docker stack deploy -c
FILE...\` deploys: the files merged in that order, relative paths resolved from the first file's
directory (the stack's directory); the files may lie anywhere in one repository (the view's read
boundary; --root DIR or, outside git, their common directory), a link out of it is refused (exit 2);
-c - reads stdin, as docker does.
--view A.yml,B.yml names one more view (repeatable): the files merged in that order, as -c would.

Recipe or plain stack: a directory with abra.sh, .env.sample beside compose.yml, a coop-cloud.* label or a README
metadata block (or \`preset: abra\` / --preset abra) is a Co-op Cloud recipe; anything else is a
plain stack: abra's conventions (R001-R015, version-label, compose-file-list, secret-version-var) are
off, there is no \`abra\` view, and no network is assumed shared unless sharedNetworks names it.
The line under the summary says which it took.

Views: \`abra\` (recipes only: all top-level compose*yml in byte order, as abra recipe lint merges
them), the base file alone, \`<base>+<overlay>\` for each overlay named after the base
(compose.*.yml, docker-compose.prod.yml, …), and one per COMPOSE_FILE line of .env.sample
(commented lines count). A finding lists the views it occurs in. On a plain stack a file named after
the base that shares no service with it and is complete (every service has an image; every network,
volume, secret, config and depends_on it uses is its own) is a view alone, not an overlay.

Declared views: when none is named on the command line, the views a repository declares are linted,
and only those: \`views:\` in the stacklint config (a list of file lists); on a plain stack without it,
COMPOSE_FILE in .env.example / .env.dist, and the literal -c files of \`docker stack deploy\` commands in
its *.sh, Makefile, *.mk, .github/workflows/*.yml, .gitlab-ci.yml, .drone.yml, .woodpecker.yml and
README (read as text, never run; a command with $VARS, globs or a missing file is skipped). The line
under the summary names them.

Variables: docker stack reads no .env; it interpolates with the deploying shell's environment.
stacklint does not read its own environment for that: --env-file FILE gives the variables (docker
env-file syntax, KEY=VALUE literal, parsed, never sourced; repeatable, later files win; over
.env.sample, abra.sh and STACK_NAME in every deploy view). Node itself reads --env-file too and stops
with "node: FILE: not found" on a missing one; \`node -- $(which stacklint) lint --env-file …\` avoids it.

Options:
${formatOptions(OPTIONS)}

Baseline: when a recipe has ${BASELINE_FILE} (written by \`stacklint baseline\`), the findings it
lists are shown as known and don't fail the run; --no-baseline ignores it.

Gate: --base REF lints the recipe as it is and as it was at git revision REF (read from git's objects,
nothing is checked out; with -c, --view or FILE, the same files on both sides), reports only the findings that are new, and fails only on those. It prints
"N new, M fixed, K unchanged"; with --format json, \`findings\` holds the new findings and \`fixed\` and
\`unchanged\` the others. Findings are matched by fingerprint (rule, file, logical path, overlay
combination), never by line number. Both sides are linted with the working tree's configuration.
REF... (three dots, e.g. origin/main...) means where this branch forked from REF, as a pull request's
diff does.

Upgrades: --base REF also runs the upgrade rules (stacklint rules: immutable-config-changed,
secret-renamed, volume-replaced, service-renamed, version-not-advanced, image-downgrade). They compare
the recipe at REF with the working tree and report what the change breaks for apps already deployed
from REF (a config edited without its version bump, a renamed secret or volume, …), placed at the
working tree with the base's file:line in the message; the notes list them apart ("breaks upgrades of
deployed apps") from the findings "introduced by this change". --upgrade-from REF runs them on their
own, beside an ordinary lint (every finding, not only new ones).

Presets: recommended (default) runs every rule at its own level; strict adds the opt-in strict rules
(image digests, resource limits); style adds the opt-in style rules (quoted ports); abra runs exactly
abra's R001-R015. Combine with commas (--preset strict,style); \`rules:\` and --rule still win.

Fixes: --fix applies the fixes that cannot change what the recipe means beyond the finding ("$" → "$$",
short sibling names → \${STACK_NAME}_name, a missing version: "3.8", Traefik labels moved under
deploy.labels, a secret name's version suffix and its .env.sample line), as small text edits: comments,
quoting and order elsewhere stay byte for byte. It re-lints until nothing fixable is left, reports what
remains and "fixed N findings in M files"; a fix that would make a file invalid is not applied, and a
file that cannot be read or written is reported without stopping the others (exit 2). Files are written
atomically and only as regular files inside the recipe (a link, FIFO, directory or read-only file is
refused); a file changed on disk since it was read is not written, nor is any other (exit 2: run again).
Suggestions (e.g. a renamed base service) are shown, never applied.

Configuration: .stacklintrc.yml / .stacklintrc.json / stacklint.config.ts in the recipe or a parent
directory (rules levels, options, ignored paths, shared network names). Suppress a finding with a
comment above its line: # stacklint-disable-next-line R011 -- reason

Examples:
  stacklint lint                              # the stack or recipe in the current directory
  stacklint lint -c docker-stack.yml -c docker-stack.prod.yml   # what docker stack deploy deploys
  stacklint lint docker-compose.yml stack.yml # each file as a view of its own
  stacklint lint --view stack.yml --view stack.yml,stack.prod.yml --env-file ci.env
  stacklint lint --format json ~/recipes      # a whole catalogue, as JSON
  stacklint lint --rule R004=off --quiet .    # errors only, without R004
  stacklint lint --base origin/main...        # CI: fail only on what this branch introduced
  stacklint lint --upgrade-from v1.2.0+2.4    # what breaks for apps deployed from that release
  stacklint lint --fix-dry-run > fixes.diff  # review first; patch -p1 < fixes.diff

Exit codes: 0 no error-level finding; 1 error findings (or more warnings than --max-warnings) — with
--base, new ones and error-level upgrade findings only, and never known (baselined) ones; 2 usage,
configuration or internal error (also: --base/--upgrade-from REF not found, not a git repository, an
unreadable baseline).
`;

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Says how the run took its stacks: "plain stack" (abra's conventions off) or "recipe". */
export function stackKindNote(
  stacks: ReadonlyArray<{ kind: 'recipe' | 'plain'; kindReason: string; viewsDeclaredBy?: string[]; composeBeside?: string[]; composeOnly?: readonly ComposeOnlyFile[] }>,
  notStacks: readonly ComposeOnlyFile[] = [],
): string {
  const plain = stacks.filter((s) => s.kind === 'plain').length;
  const recipes = stacks.length - plain;
  // docker-compose files where a stack file was looked for: named, so that nobody takes their silence for a pass.
  const composeOnly = [...notStacks, ...(stacks.length === 1 ? (stacks[0].composeOnly ?? []) : [])];
  const dockerCompose = composeOnly.length > 0
    ? `; ${composeOnly.slice(0, 3).map((c) => `${c.file} (${composeOnlyReason(c)})`).join(', ')}${composeOnly.length > 3 ? ` and ${composeOnly.length - 3} more` : ''} not linted (docker-compose files: docker stack refuses versions 1 and 2.x, and what only \`docker compose up\` runs is no stack; lint one with -c FILE)`
    : '';
  if (stacks.length === 1) {
    const declared = stacks[0].viewsDeclaredBy;
    const views = declared ? `; views as declared in ${declared.slice(0, 3).join(', ')}${declared.length > 3 ? ` and ${declared.length - 3} more` : ''}` : '';
    const beside = stacks[0].composeBeside;
    const skipped = beside?.length ? `; ${beside.slice(0, 3).join(', ')}${beside.length > 3 ? ` and ${beside.length - 3} more` : ''} not linted (for docker compose, beside the swarm file; lint them with -c FILE)` : '';
    return (plain ? 'linted as a plain stack (Co-op Cloud recipe conventions off)' : `linted as a recipe (${stacks[0].kindReason}: Co-op Cloud conventions on)`) + views + skipped + dockerCompose;
  }
  return `linted ${recipes} recipe${recipes === 1 ? '' : 's'} and ${plain} plain stack${plain === 1 ? '' : 's'} (recipe conventions off on plain stacks)${dockerCompose}`;
}

/** A stack's files named in the summary (stack-relative), as paths from the current directory, as the report shows files. */
function shownFromCwd<T extends { recipeDir: string; viewsDeclaredBy?: string[]; composeBeside?: string[]; composeOnly?: ComposeOnlyFile[] }>(stack: T): T {
  const cwd = process.cwd();
  const shown = (file: string) => displayPath(resolve(stack.recipeDir, file), cwd);
  return {
    ...stack,
    ...(stack.viewsDeclaredBy ? { viewsDeclaredBy: stack.viewsDeclaredBy.map((at) => at.replace(/^(.*)(:\d+)$/, (_, file: string, line: string) => shown(file) + line)) } : {}),
    ...(stack.composeBeside ? { composeBeside: stack.composeBeside.map(shown) } : {}),
    ...(stack.composeOnly ? { composeOnly: stack.composeOnly.map((c) => ({ ...c, file: shown(c.file) })) } : {}),
  };
}

export function parseRuleOverrides(values: readonly string[]): Record<string, { level: Level }> {
  const out: Record<string, { level: Level }> = {};
  for (const v of values) {
    const [id, level] = v.split('=');
    const rule = findRule(id ?? '');
    if (!rule && id !== 'unused-suppression') throw new UsageError(`--rule ${v}: unknown rule '${id}' (see \`stacklint rules\`)`);
    if (!LEVELS.includes(level as Level)) throw new UsageError(`--rule ${v}: level must be one of ${LEVELS.join(', ')}`);
    out[rule?.meta.id ?? id] = { level: level as Level };
  }
  return out;
}

export const lintCommand: Command = {
  name: 'lint',
  summary: 'lint recipes: every overlay combination, abra parity, and what abra misses',
  help: () => HELP,
  async run(argv) {
    const { options, positionals } = parseArgs(argv, OPTIONS);
    const format = (options.format as string | undefined) ?? 'stylish';
    if (!isFormatName(format)) throw new UsageError(`unknown format '${format}' (one of ${Object.keys(FORMATS).join(', ')})`);
    const maxWarnings = options['max-warnings'] === undefined ? undefined : Number(options['max-warnings']);
    if (maxWarnings !== undefined && !(Number.isInteger(maxWarnings) && maxWarnings >= 0)) {
      throw new UsageError('--max-warnings takes a whole number');
    }
    const targets = positionals.length > 0 ? positionals : ['.'];
    const rules = parseRuleOverrides((options.rule as string[] | undefined) ?? []);
    const base = options.base as string | undefined;
    if (base !== undefined && (base === '' || base.startsWith('-'))) throw new UsageError(`--base needs a git revision, not '${base}'`);
    const upgradeRef = options['upgrade-from'] as string | undefined;
    if (upgradeRef !== undefined && (upgradeRef === '' || upgradeRef.startsWith('-'))) throw new UsageError(`--upgrade-from needs a git revision, not '${upgradeRef}'`);
    if (upgradeRef !== undefined && base !== undefined) throw new UsageError('--upgrade-from and --base exclude each other (--base runs the upgrade rules too)');
    const jobs = options.jobs === undefined ? undefined : Number(options.jobs);
    if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new UsageError('--jobs takes a whole number, at least 1');
    const preset = options.preset as string | undefined;
    if (preset !== undefined) {
      try {
        parsePresets(preset);
      } catch (err) {
        throw new UsageError(`--preset ${preset}: ${(err as Error).message}`);
      }
    }
    const fix = !!options.fix;
    const fixDryRun = !!options['fix-dry-run'];
    if (fix && fixDryRun) throw new UsageError('--fix and --fix-dry-run exclude each other');
    if ((fix || fixDryRun) && base !== undefined) throw new UsageError('--fix cannot be combined with --base (fix, then compare)');
    if ((fix || fixDryRun) && upgradeRef !== undefined) throw new UsageError('--fix cannot be combined with --upgrade-from (fix, then compare)');
    const rootOption = options.root as string | undefined;
    if (rootOption !== undefined && !isDirectory(rootOption)) throw new UsageError(`--root ${rootOption}: not a directory`);
    let selection;
    try {
      selection = stackSelection(options, positionals);
    } catch (err) {
      if (!(err instanceof TargetError)) throw err;
      stdio.err(safeLines(`stacklint lint: ${err.message}\n`));
      return EXIT.usage;
    }
    if (selection.overlay && (base !== undefined || upgradeRef !== undefined)) throw new UsageError(`-c - (stdin) has no revision to compare with: give the files by name with ${base !== undefined ? '--base' : '--upgrade-from'}`);
    if (selection.overlay && (fix || fixDryRun)) throw new UsageError('--fix cannot write back to stdin (-c -): give the files by name');
    const runOptions: RunOptions = { ...(selection.namedViews.length > 0 ? { namedViews: selection.namedViews } : {}), ...(selection.env ? { env: selection.env } : {}), ...(selection.overlay ? { overlay: selection.overlay } : {}), ...(rootOption !== undefined ? { root: rootOption } : {}), rules: ALL_RULES, online: !!options.online, git: !!options.git, overrides: { rules, ...(preset !== undefined ? { preset } : {}) }, jobs };
    const fixNotes: string[] = [];
    let fixProblems = false;
    if (fix || fixDryRun) {
      let outcome;
      try {
        outcome = await fixTargets(targets, runOptions, { write: fix });
      } catch (err) {
        if (err instanceof TargetError || err instanceof ConfigError) {
          stdio.err(safeLines(`stacklint lint: ${err.message}\n`));
          return EXIT.usage;
        }
        throw err;
      }
      const cwd = process.cwd();
      for (const p of outcome.problems) {
        const where = displayPath(p.path, cwd);
        stdio.err(safeLines(`stacklint lint: ${p.message.startsWith(`${where}`) ? p.message : `${where}: ${p.message}`}\n`));
      }
      fixProblems = outcome.problems.some((p) => p.failed);
      const files = outcome.changes.length;
      if (fixDryRun) {
        const diff = outcome.changes.map((c) => unifiedDiff(c.before, c.after, displayPath(c.path, cwd))).join('');
        if (options.output) {
          writeUserFile(options.output as string, diff);
        } else {
          stdio.out(diff);
        }
        const remaining = outcome.result.findings.length;
        stdio.err(`would fix ${outcome.fixed} finding${outcome.fixed === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}; ${remaining} finding${remaining === 1 ? '' : 's'} would remain\n`);
        if (fixProblems) return EXIT.usage;
        if (!options['no-baseline']) applyBaselines(outcome.result);
        const summary = summarise(outcome.result.findings, outcome.result.summary.recipes, outcome.result.summary.files, outcome.result.summary.views);
        return summary.errors > 0 ? EXIT.findings : EXIT.ok;
      }
      fixNotes.push(`fixed ${outcome.fixed} finding${outcome.fixed === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}`);
    }
    let output;
    let root: string;
    // Catalogue runs: a progress line and, at the end, a per-recipe table on stderr (terminals only).
    const progress = catalogueProgress(terminalStderr(), { color: !options['no-color'] && !process.env.NO_COLOR });
    let recipes: ReturnType<typeof recipeSummaries> = [];
    let head: Awaited<ReturnType<typeof runLint>>;
    try {
      head = await runLint(targets, { ...runOptions, onProgress: progress.onProgress });
      progress.stop();
      root = head.root;
      if (head.recipes.length > 1) recipes = recipeSummaries(head);
      const baseline = options['no-baseline'] ? undefined : applyBaselines(head);
      const comparison = base !== undefined ? await compareWithBase(head, targets, base, runOptions) : undefined;
      output = gateOutput(format, head, comparison, baseline);
      if (upgradeRef !== undefined) output = upgradeOutput(output, await upgradeFrom(head, targets, upgradeRef, runOptions));
    } catch (err) {
      progress.stop();
      if (err instanceof TargetError || err instanceof ConfigError || err instanceof BaselineError || err instanceof GateError) {
        // The gate words its errors for --base; --upgrade-from reads the revision the same way.
        const message = err instanceof GateError && upgradeRef !== undefined ? err.message.replace(/--base\b/g, '--upgrade-from') : err.message;
        stdio.err(safeLines(`stacklint lint: ${message}\n`));
        return EXIT.usage;
      }
      throw err;
    }
    let result = output.result;
    if (options.quiet) result = { ...result, findings: result.findings.filter((f) => f.severity === 'error') };
    const color = useColor(options);
    let text = FORMATS[format](result, {
      color,
      root,
      cwd: process.cwd(),
      quiet: !!options.quiet,
      rules: ALL_RULES.map((r) => r.meta),
      toolVersion: VERSION,
      helpUriBase: 'https://git.coopcloud.tech/toolshed/stacklint/src/branch/main/docs/rules.md#{id}',
      extra: recipes.length > 0 ? { ...output.extra, recipes } : output.extra,
    });
    // People read the gate's counts: after the report in stylish, on stderr beside machine formats.
    // Which it took (plain stack or recipe) is for people: after the stylish report only.
    const notStacks = (head.composeOnly ?? []).map((c) => ({ ...c, file: displayPath(c.file, process.cwd()) }));
    const notes = [...(format === 'stylish' ? [stackKindNote(head.recipes.map((r) => shownFromCwd(r)), notStacks)] : []), ...fixNotes, ...output.notes].map((line) => `${line}\n`).join('');
    if (format === 'stylish') text += safeLines(notes);
    else stdio.err(safeLines(notes));
    if (options.output) {
      writeUserFile(options.output as string, text);
    } else {
      stdio.out(text);
    }
    progress.table(recipes);
    if (fixProblems) return EXIT.usage;
    if (result.summary.errors > 0) return EXIT.findings;
    if (maxWarnings !== undefined && result.summary.warnings > maxWarnings) return EXIT.findings;
    return EXIT.ok;
  },
};
