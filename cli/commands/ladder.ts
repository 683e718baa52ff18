// `stacklint ladder`: static lint → abra recipe lint → a real deploy, stopping at the first failing rung.
// Draws a spinner with elapsed time on a terminal and plain lines otherwise; Ctrl-C cleans up first.
import { safeLines } from '../../src/report/common.js';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { formatOptions, parseArgs, UsageError } from '../args.js';
import type { OptionSpec } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { useColor } from '../tty.js';
import { ConfigError } from '../../src/config/index.js';
import { TargetError } from '../../src/catalogue/run.js';
import { checkLadderOptions, LadderUsageError, RUNGS, runLadder } from '../../src/ladder/ladder.js';
import type { LadderEvents, RungName, RungResult } from '../../src/ladder/ladder.js';
import { parseImageMapping } from '../../src/ladder/plan.js';
import type { ImageMapping } from '../../src/ladder/plan.js';
import { formatSeconds, summaryTable } from '../../src/ladder/report.js';
import { paint } from '../../src/report/index.js';
import type { Command } from './index.js';
import { guardStreams } from '../output.js';

const OPTIONS: OptionSpec[] = [
  { name: 'rungs', type: 'list', split: true, valueName: 'LIST', description: `rungs to run, in ladder order whatever the order given: ${RUNGS.join(',')} (default: all)` },
  { name: 'require', type: 'list', split: true, valueName: 'RUNG', description: 'a skipped RUNG (no abra, no swarm) fails the ladder (repeatable or comma-separated)' },
  { name: 'views', type: 'list', split: true, valueName: 'LIST', description: "views to deploy, named as `stacklint lint` names them (default: .env.sample's COMPOSE_FILE views)" },
  { name: 'image-map', type: 'list', valueName: 'FROM=TO', description: 'deploy image TO where the recipe says FROM (a reference, a repository for any tag, or *; repeatable)' },
  { name: 'engine-compat', type: 'boolean', description: 'for engines without IPVS: deploy.endpoint_mode dnsrr and host-mode ports on every service' },
  { name: 'timeout', type: 'string', valueName: 'SECONDS', description: 'convergence timeout per view (default: the coop-cloud.${STACK_NAME}.timeout label, else 300)' },
  { name: 'no-color', type: 'boolean', description: 'no colours (also NO_COLOR=1); --color forces them' },
  { name: 'color', type: 'boolean', description: 'colours even when stdout is not a terminal' },
];

const HELP = `Usage: stacklint ladder [options] [DIR]

Runs a recipe up a ladder of checks, cheapest first, and stops at the first rung that fails:

  static  stacklint's own lint (every view; what \`stacklint lint\` reports, baseline included)
  abra    \`abra recipe lint\` on a clean clone in a private ABRA_DIR (skipped when abra is not on PATH);
          shows where abra and stacklint disagree
  deploy  on the swarm manager DOCKER_HOST / the docker context points at: for each view, deploys the
          merged config \`stacklint config\` prints for it under a unique stack name (external secrets
          get random values; missing external networks, configs and volumes are created), waits until
          every service runs its replicas and is healthy, reports per service, then removes the stack
          and what it created (skipped when no swarm manager is reachable)

DIR is a recipe (a directory with compose.yml); default: the current directory. Everything the ladder
changes in what it deploys is printed. Leftovers of a killed run are found (by their stack name) and
removed by the next run. Ctrl-C removes what the run deployed before exiting. Details: docs/ladder.md.

Options:
${formatOptions(OPTIONS)}

Examples:
  stacklint ladder                                   # all rungs on the recipe here
  stacklint ladder --rungs static,abra               # no deploy
  DOCKER_HOST=ssh://test-swarm stacklint ladder --require deploy --views compose.yml+compose.smtp.yml
  stacklint ladder --engine-compat --image-map '*=local/busybox:1'

Exit codes: 0 no rung failed; 1 a rung failed (or a --require'd rung was skipped); 2 usage or
configuration error; 130 interrupted (after cleaning up).
`;

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

interface Progress extends LadderEvents {
  stop(): void;
}

function plainProgress(write: (text: string) => void, color: boolean): Progress {
  const pc = paint(color);
  return {
    rungStart: (rung) => write(`${rung}: running\n`),
    note: (rung, line) => write(`${rung}: ${line}\n`),
    rungEnd: (result) => write(`${resultLine(result, pc)}\n${result.report ? `${result.report}\n` : ''}`),
    stop: () => undefined,
  };
}

function ttyProgress(write: (text: string) => void, color: boolean): Progress {
  const pc = paint(color);
  let rung: RungName | undefined;
  let started = 0;
  let text = '';
  let frame = 0;
  const draw = () => {
    if (!rung) return;
    const elapsed = formatSeconds((performance.now() - started) / 1000);
    const head = `${SPINNER[frame % SPINNER.length]} ${rung}  ${elapsed}  `;
    // One terminal line, or the next redraw cannot overwrite it.
    const room = Math.max(0, (process.stdout.columns || 80) - head.length - 1);
    const shown = text.length > room ? `${text.slice(0, Math.max(0, room - 1))}…` : text;
    write(`\r\u001b[2K${pc.cyan(SPINNER[frame++ % SPINNER.length])} ${rung}  ${pc.dim(elapsed)}  ${shown}`);
  };
  const timer = setInterval(draw, 100);
  timer.unref();
  const clear = () => write('\r\u001b[2K');
  return {
    rungStart: (r) => {
      rung = r;
      started = performance.now();
      text = '';
      draw();
    },
    status: (_r, t) => {
      text = t;
      draw();
    },
    note: (r, line) => {
      clear();
      write(`${pc.dim(`${r}:`)} ${line}\n`);
      draw();
    },
    rungEnd: (result) => {
      rung = undefined;
      clear();
      write(`${resultLine(result, pc)}\n${result.report ? `${result.report}\n` : ''}`);
    },
    stop: () => {
      clearInterval(timer);
      if (rung) clear();
    },
  };
}

function resultLine(result: RungResult, pc: ReturnType<typeof paint>): string {
  const mark = result.verdict === 'pass' ? pc.green('✔') : result.verdict === 'fail' ? pc.red('✖') : pc.yellow('–');
  const time = result.verdict === 'skipped' && result.seconds === 0 ? '' : ` (${formatSeconds(result.seconds)})`;
  return `${mark} ${result.rung}: ${result.verdict}${time} — ${result.reason}`;
}

function rungList(values: readonly string[], option: string): RungName[] {
  for (const v of values) {
    if (!(RUNGS as readonly string[]).includes(v)) throw new UsageError(`--${option}: unknown rung '${v}' (one of ${RUNGS.join(', ')})`);
  }
  return values as RungName[];
}

export const ladderCommand: Command = {
  name: 'ladder',
  summary: 'static lint → abra recipe lint → a real deploy on a swarm, stopping at the first failure',
  help: () => HELP,
  async run(argv) {
    const { options, positionals } = parseArgs(argv, OPTIONS);
    if (positionals.length > 1) throw new UsageError('give one recipe directory');
    const dir = resolve(positionals[0] ?? '.');
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${positionals[0] ?? '.'}: no such directory`);
    if (!existsSync(join(dir, 'compose.yml'))) throw new UsageError(`${positionals[0] ?? '.'}: not a recipe (no compose.yml)`);
    const rungs = options.rungs ? rungList(options.rungs as string[], 'rungs') : undefined;
    if (rungs && rungs.length === 0) throw new UsageError('--rungs names no rung');
    const require = rungList((options.require as string[] | undefined) ?? [], 'require');
    const imageMap: ImageMapping[] = ((options['image-map'] as string[] | undefined) ?? []).map((text) => {
      const m = parseImageMapping(text);
      if (!m) throw new UsageError(`--image-map ${text}: expected FROM=TO`);
      return m;
    });
    let timeoutSeconds: number | undefined;
    if (options.timeout !== undefined) {
      timeoutSeconds = Number(options.timeout);
      if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError('--timeout takes a positive number of seconds');
    }
    const color = useColor(options);
    const ladderOptions = {
      recipeDir: dir,
      rungs,
      require,
      views: options.views as string[] | undefined,
      imageMap,
      engineCompat: !!options['engine-compat'],
      timeoutSeconds,
      env: process.env,
      color,
    };
    try {
      checkLadderOptions(ladderOptions);
    } catch (err) {
      if (err instanceof LadderUsageError) throw new UsageError(err.message);
      throw err;
    }

    guardStreams(); // the ladder's progress and messages go through node's streams
    const write = (text: string) => process.stdout.write(text);
    const progress = process.stdout.isTTY ? ttyProgress(write, color) : plainProgress(write, color);
    const abort = new AbortController();
    let interrupts = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      interrupts++;
      if (interrupts === 1) {
        process.stderr.write(`\nstacklint ladder: ${signal}: cleaning up what this run deployed (again to exit at once; the next run removes what is left)\n`);
        abort.abort();
        return;
      }
      process.stderr.write('stacklint ladder: exiting without cleanup; the next `stacklint ladder` run removes the leftovers\n');
      process.exit(130);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let results: RungResult[];
    try {
      results = await runLadder({ ...ladderOptions, signal: abort.signal }, progress);
    } catch (err) {
      if (err instanceof TargetError || err instanceof ConfigError) {
        process.stderr.write(safeLines(`stacklint ladder: ${err.message}\n`));
        return EXIT.usage;
      }
      throw err;
    } finally {
      progress.stop();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    write(`\n${summaryTable(results)}\n`);
    if (abort.signal.aborted) return 130;
    return results.some((r) => r.verdict === 'fail') ? EXIT.findings : EXIT.ok;
  },
};
