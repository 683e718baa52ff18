// The ladder: cheap static checks first, then `abra recipe lint`, then a real deploy on a swarm. Rungs run
// in that order and the ladder stops at the first failing one, so a broken overlay costs a second rather
// than a deploy timeout. Events report progress; nothing here writes to the terminal.
import { applyBaselines } from '../gate/index.js';
import { runLint } from '../catalogue/run.js';
import type { RunResult } from '../catalogue/run.js';
import { formatStylish } from '../report/index.js';
import { ALL_RULES } from '../rules/index.js';
import { runAbra } from './abra.js';
import { DeploySession, sweepLeftovers } from './deploy.js';
import type { ServiceReport } from './deploy.js';
import { Docker, probeEngine } from './docker.js';
import { newStackName } from './owner.js';
import { buildDeployPlan, defaultViewNames, deployViews, readRecipe } from './plan.js';
import type { ImageMapping } from './plan.js';
import { serviceTable } from './report.js';

export const RUNGS = ['static', 'abra', 'deploy'] as const;
export type RungName = (typeof RUNGS)[number];

export interface RungResult {
  rung: RungName;
  verdict: 'pass' | 'fail' | 'skipped';
  /** One line for the summary table: why it failed or was skipped, or what passed. */
  reason: string;
  seconds: number;
  /** Text shown under the rung's progress line (findings, per-service table, disagreements). */
  report?: string;
}

export interface LadderOptions {
  recipeDir: string;
  /** Rungs to run; the ladder order is kept whatever order they are given in. */
  rungs?: readonly RungName[];
  /** Rungs whose skipping counts as a failure. */
  require?: readonly RungName[];
  /** Views to deploy (names as `stacklint lint` shows them); default: the COMPOSE_FILE views of .env.sample. */
  views?: readonly string[];
  imageMap?: readonly ImageMapping[];
  engineCompat?: boolean;
  timeoutSeconds?: number;
  /** Environment for docker, abra and git (DOCKER_HOST, PATH, …). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  color?: boolean;
  /** Called once per view while its stack runs (tests look inside it here). */
  whileDeployed?: (session: DeploySession) => Promise<void>;
}

export interface LadderEvents {
  rungStart?: (rung: RungName) => void;
  /** Transient state for a spinner. */
  status?: (rung: RungName, text: string) => void;
  /** A line worth keeping. */
  note?: (rung: RungName, line: string) => void;
  rungEnd?: (result: RungResult) => void;
}

export class LadderUsageError extends Error {}

/** Checks what can be checked before anything runs (view names), so a typo is a usage error. */
export function checkLadderOptions(options: LadderOptions): void {
  if (!options.views || options.views.length === 0) return;
  const names = deployViews(readRecipe(options.recipeDir)).map((v) => v.name);
  const unknown = options.views.filter((v) => !names.includes(v));
  if (unknown.length > 0) {
    throw new LadderUsageError(`unknown view${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}; this recipe's deploy views: ${names.join(', ')}`);
  }
}

export async function runLadder(options: LadderOptions, events: LadderEvents = {}): Promise<RungResult[]> {
  const chosen = RUNGS.filter((r) => !options.rungs || options.rungs.includes(r));
  const results: RungResult[] = [];
  let failedAt: RungName | undefined;
  for (const rung of chosen) {
    if (failedAt) {
      const result: RungResult = { rung, verdict: 'skipped', reason: `not attempted: the ${failedAt} rung failed`, seconds: 0 };
      results.push(result);
      events.rungEnd?.(result);
      continue;
    }
    events.rungStart?.(rung);
    const started = performance.now();
    const status = (text: string) => events.status?.(rung, text);
    const note = (line: string) => events.note?.(rung, line);
    let outcome: Omit<RungResult, 'rung' | 'seconds'>;
    if (options.signal?.aborted) outcome = { verdict: 'fail', reason: 'interrupted' };
    else if (rung === 'static') outcome = staticOutcome(await lintRecipeDir(options.recipeDir), options);
    else if (rung === 'abra') outcome = await abraOutcome(options, status, note);
    else outcome = await deployOutcome(options, status, note);
    if (outcome.verdict === 'skipped' && options.require?.includes(rung)) {
      outcome = { ...outcome, verdict: 'fail', reason: `${outcome.reason} (required by --require ${rung})` };
    }
    const result: RungResult = { rung, ...outcome, seconds: (performance.now() - started) / 1000 };
    results.push(result);
    events.rungEnd?.(result);
    if (result.verdict === 'fail') failedAt = rung;
  }
  return results;
}

async function lintRecipeDir(dir: string): Promise<RunResult> {
  const result = await runLint([dir], { rules: ALL_RULES });
  applyBaselines(result);
  return result;
}

function staticOutcome(lint: RunResult, options: LadderOptions): Omit<RungResult, 'rung' | 'seconds'> {
  const { errors, warnings } = lint.summary;
  const counts = `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} in ${lint.summary.views} views`;
  if (errors === 0) return { verdict: 'pass', reason: counts };
  const report = formatStylish(lint, { color: !!options.color, root: lint.root, cwd: process.cwd(), quiet: true });
  return { verdict: 'fail', reason: counts, report };
}

async function abraOutcome(options: LadderOptions, status: (text: string) => void, note: (line: string) => void): Promise<Omit<RungResult, 'rung' | 'seconds'>> {
  const outcome = await runAbra({ recipeDir: options.recipeDir, env: options.env, signal: options.signal, note, status });
  if (outcome.kind === 'skipped') return { verdict: 'skipped', reason: outcome.reason };
  if (outcome.kind === 'error') return { verdict: 'fail', reason: outcome.reason, report: tail(outcome.output, 20) };
  const lines: string[] = [];
  for (const r of [...outcome.failedErrors, ...outcome.failedWarnings]) lines.push(`  ${r.ref} ${r.severity.padEnd(5)} ${r.rule}${r.resolve ? ` — ${r.resolve}` : ''}`);
  if (outcome.disagreements.length > 0) {
    lines.push('  where stacklint and abra disagree:');
    for (const d of outcome.disagreements) lines.push(`    ${d.ref} ${d.rule}: abra ${d.abra}, stacklint ${d.stacklint}`);
  }
  if (outcome.notRunByStacklint.length > 0) lines.push(`  not compared (stacklint did not run them: --online / --git): ${outcome.notRunByStacklint.join(', ')}`);
  if (outcome.note) lines.push(`  ${outcome.note}`);
  const summary = `${outcome.rows.length} rules: ${outcome.failedErrors.length} error${outcome.failedErrors.length === 1 ? '' : 's'}, ${outcome.failedWarnings.length} warning${outcome.failedWarnings.length === 1 ? '' : 's'}; ${outcome.disagreements.length === 0 ? 'agrees with stacklint' : `${outcome.disagreements.length} disagreement${outcome.disagreements.length === 1 ? '' : 's'} with stacklint`}`;
  return { verdict: outcome.failedErrors.length > 0 ? 'fail' : 'pass', reason: summary, report: lines.length > 0 ? lines.join('\n') : undefined };
}

function tail(text: string, lines: number): string | undefined {
  const all = text.split('\n').filter((l) => l.trim() !== '');
  return all.length > 0 ? all.slice(-lines).map((l) => `  ${l}`).join('\n') : undefined;
}

async function deployOutcome(options: LadderOptions, status: (text: string) => void, note: (line: string) => void): Promise<Omit<RungResult, 'rung' | 'seconds'>> {
  const docker = new Docker(options.env ?? process.env);
  status('looking for a swarm manager');
  const engine = await probeEngine(docker);
  if (!engine.ok) return { verdict: 'skipped', reason: engine.reason };
  note(`engine ${engine.serverVersion} (API ${engine.apiVersion}), swarm manager`);
  const recipe = readRecipe(options.recipeDir);
  const names = options.views && options.views.length > 0 ? [...options.views] : defaultViewNames(deployViews(recipe));
  if (names.length === 0) return { verdict: 'skipped', reason: 'no deploy view (no compose.yml)' };
  status('looking for leftovers of killed runs');
  const sweep = await sweepLeftovers(docker, { note, status });
  for (const p of sweep.problems) note(`leftover cleanup: ${p}`);
  const reports: string[] = [];
  const hooks = { note, status };
  for (const [i, view] of names.entries()) {
    if (options.signal?.aborted) return { verdict: 'fail', reason: 'interrupted', report: reports.join('\n') };
    const stack = newStackName();
    const plan = buildDeployPlan(recipe, view, stack, { imageMap: options.imageMap, engineCompat: options.engineCompat, timeoutSeconds: options.timeoutSeconds });
    if ('error' in plan) return { verdict: 'fail', reason: `${view}: ${plan.error}`, report: reports.join('\n') || undefined };
    note(`view ${view} (${i + 1}/${names.length}) as stack ${stack}; timeout ${plan.timeout.seconds} s (${plan.timeout.source})`);
    for (const change of plan.changes) note(`  changed: ${change}`);
    for (const warning of plan.warnings) note(`  docker warns: ${warning}`);
    const session = new DeploySession(docker, plan, hooks);
    let failure: string | undefined;
    let serviceReports: ServiceReport[] = [];
    try {
      const prepared = await session.prepare(options.signal);
      if (!prepared.ok) failure = prepared.error;
      if (!failure) {
        status(`${view}: docker stack deploy`);
        const deployed = await session.deploy(options.signal);
        if (!deployed.ok) failure = deployed.error;
      }
      if (!failure) {
        const waited = await session.waitConverged(options.signal);
        serviceReports = await session.report();
        if (waited.interrupted) failure = 'interrupted';
        else if (!waited.converged) failure = convergenceFailure(view, plan.timeout.seconds, serviceReports);
        else {
          note(`${view}: converged in ${waited.seconds.toFixed(1)} s`);
          if (options.whileDeployed) await options.whileDeployed(session);
        }
      }
    } catch (err) {
      failure = `${view}: ${(err as Error).message}`;
    } finally {
      status(`${view}: removing stack ${stack}`);
      const down = await session.teardown();
      if (down.problems.length === 0) note(`${view}: removed stack ${stack} and what the run created in ${down.seconds.toFixed(1)} s`);
      for (const p of down.problems) note(`${view}: cleanup: ${p}`);
      if (down.problems.length > 0 && !failure) failure = `${view}: cleanup left something behind: ${down.problems[0]}`;
    }
    if (serviceReports.length > 0) reports.push(`  ${view} (stack ${stack}):\n${serviceTable(serviceReports, '    ')}`);
    if (failure) return { verdict: 'fail', reason: failure, report: reports.join('\n') };
  }
  return { verdict: 'pass', reason: `${names.length} view${names.length === 1 ? '' : 's'} deployed, converged and removed`, report: reports.join('\n') };
}

function convergenceFailure(view: string, timeout: number, reports: readonly ServiceReport[]): string {
  const stuck = reports.filter((r) => !r.ready);
  const parts = stuck.map((r) => {
    let text = `${r.service} ${r.replicas}, health ${r.health}`;
    if (r.lastHealthOutput) text += `, last health output: ${r.lastHealthOutput}`;
    else if (r.lastTaskError) text += `, last task error: ${r.lastTaskError}`;
    return text;
  });
  return `${view}: not converged after ${timeout} s: ${parts.join('; ') || 'services missing'}`;
}
