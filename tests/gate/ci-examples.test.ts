// The CI examples in docs/ci-examples/ are copy-paste-ready: each is parsed, every stacklint command in
// it must exist with options that parse, and its script is run for real (install lines aside, checked
// separately) in a simulated CI checkout: an origin with the recipe on main (baselined) and a
// pull-request branch that adds the R011 regression, or only adds comments. The CI's variables and
// `${{ }}` expressions are given the values the CI would give them.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { parseArgs } from '../../cli/args.js';
import type { OptionSpec } from '../../cli/args.js';
import { OPTIONS as BASELINE_OPTIONS } from '../../cli/commands/baseline.js';
import { COMMANDS } from '../../cli/commands/index.js';
import { OPTIONS as LINT_OPTIONS } from '../../cli/commands/lint.js';
import { git } from './helpers.js';
import { COMMENTED, RECIPE, WITHOUT_SIDEKIQ } from './recipes.js';

const REPO_ROOT = resolve(__dirname, '../..');
const EXAMPLES = join(REPO_ROOT, 'docs/ci-examples');
const INSTALL_SPEC = 'git+https://git.coopcloud.tech/toolshed/stacklint.git#main';
const OPTIONS_OF: Record<string, OptionSpec[]> = { lint: LINT_OPTIONS, baseline: BASELINE_OPTIONS };

type Event = 'pull_request' | 'push';

interface Step {
  name: string;
  shell: 'sh' | 'bash';
  script: string;
  env: Record<string, string>;
}

interface Example {
  file: string;
  /** The steps that run for an event, given the CI's variables. */
  steps(event: Event, ctx: Ctx): Step[];
  /** Variables the CI sets, for an event. */
  env(event: Event, ctx: Ctx): Record<string, string>;
  /** Whether the CI checkout has every branch (actions/checkout with fetch-depth 0) or only the PR's. */
  allBranches: boolean;
}

interface Ctx {
  mergeBase: string;
}

function read(file: string): string {
  return readFileSync(join(EXAMPLES, file), 'utf8');
}

/** GitHub/Forgejo expressions this test knows; any other is an error (the example would not be checked). */
function expr(text: string, event: Event): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => {
    if (e === 'github.base_ref') return event === 'pull_request' ? 'main' : '';
    if (e === 'github.event_name') return event;
    throw new Error(`unknown expression \${{ ${e} }}`);
  });
}

function actionsCondition(cond: unknown, event: Event): boolean {
  if (cond === undefined || cond === 'always()') return true;
  const m = /^github\.event_name == '(\w+)'$/.exec(String(cond));
  if (!m) throw new Error(`unknown if: ${String(cond)}`);
  return m[1] === event;
}

function actionsSteps(file: string, shell: 'sh' | 'bash') {
  return (event: Event): Step[] => {
    const doc = parse(read(file));
    const jobs = Object.values(doc.jobs) as Array<{ steps: Array<Record<string, unknown>> }>;
    expect(jobs).toHaveLength(1);
    return jobs[0].steps
      .filter((s) => s.run !== undefined && actionsCondition(s.if, event))
      .map((s, i) => ({
        name: String(s.name ?? `step ${i}`),
        shell,
        script: expr(String(s.run), event),
        env: Object.fromEntries(Object.entries((s.env as Record<string, string>) ?? {}).map(([k, v]) => [k, expr(String(v), event)])),
      }));
  };
}

const EXAMPLES_UNDER_TEST: Example[] = [
  {
    file: 'drone.yml',
    allBranches: false,
    steps: () => {
      const docs = parseAllDocuments(read('drone.yml')).map((d) => d.toJS());
      const pipeline = docs.find((d) => d?.kind === 'pipeline');
      expect(pipeline).toMatchObject({ type: 'docker', trigger: { event: expect.arrayContaining(['pull_request', 'push']) } });
      return pipeline.steps.map((s: { name: string; commands: string[] }) => ({ name: s.name, shell: 'sh', script: s.commands.join('\n'), env: {} }));
    },
    env: (event) => ({ DRONE_BUILD_EVENT: event, DRONE_TARGET_BRANCH: 'main' }),
  },
  {
    file: 'woodpecker.yml',
    allBranches: false,
    steps: () => {
      const doc = parse(read('woodpecker.yml'));
      expect(doc.when).toEqual([{ event: ['pull_request', 'push'] }]);
      return doc.steps.map((s: { name: string; commands: string[] }) => ({ name: s.name, shell: 'sh', script: s.commands.join('\n'), env: {} }));
    },
    env: (event) => ({ CI_PIPELINE_EVENT: event, CI_COMMIT_TARGET_BRANCH: 'main' }),
  },
  {
    file: 'forgejo-actions.yml',
    allBranches: true,
    steps: (event) => actionsSteps('forgejo-actions.yml', 'sh')(event),
    env: () => ({}),
  },
  {
    file: 'github-actions.yml',
    allBranches: true,
    steps: (event) => actionsSteps('github-actions.yml', 'bash')(event),
    env: () => ({}),
  },
  {
    file: 'gitlab-ci.yml',
    allBranches: true,
    steps: () => {
      const job = parse(read('gitlab-ci.yml')).stacklint;
      expect(job.variables).toEqual({ GIT_DEPTH: '0' });
      return [{ name: 'stacklint', shell: 'sh', script: [...job.before_script, ...job.script].join('\n'), env: {} }];
    },
    env: (event, ctx): Record<string, string> =>
      event === 'pull_request'
        ? { CI_PIPELINE_SOURCE: 'merge_request_event', CI_MERGE_REQUEST_DIFF_BASE_SHA: ctx.mergeBase }
        : { CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main' },
  },
];

const INSTALL_LINE = /^\s*(npm install .*|ln -s .*|echo .*GITHUB_PATH.*)$/;

/** Splits off the lines that install stacklint (checked, not run: the test puts stacklint on PATH). */
function withoutInstall(script: string): { script: string; install: string[] } {
  const install: string[] = [];
  const kept = script.split('\n').filter((line) => {
    if (INSTALL_LINE.test(line)) {
      install.push(line.trim());
      return false;
    }
    return true;
  });
  return { script: kept.join('\n'), install };
}

/** Shell words of a command line, quotes removed, variables and $(…) replaced by a placeholder. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    const w = m[1] ?? m[2] ?? m[3];
    if (/^(\|\||&&|;|\||>|>>|2>&1)$/.test(w)) break;
    out.push(w.replace(/\$\{?\w+\}?/g, 'X'));
  }
  return out;
}

function stacklintInvocations(script: string): string[][] {
  return script
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^stacklint\s/.test(l))
    .map((l) => words(l).slice(1));
}

let work: string;
let shimPath: string;

beforeAll(() => {
  work = realpathSync(mkdtempSync(join(tmpdir(), 'stacklint-test-ci-')));
  const bin = join(work, 'bin');
  mkdirSync(bin);
  // stacklint on PATH, from this checkout's sources.
  const tsx = join(REPO_ROOT, 'node_modules/tsx/dist/esm/index.mjs');
  writeFileSync(join(bin, 'stacklint'), `#!/bin/sh\nexec node --import ${JSON.stringify(tsx)} ${JSON.stringify(join(REPO_ROOT, 'cli/main.ts'))} "$@"\n`);
  chmodSync(join(bin, 'stacklint'), 0o755);
  shimPath = bin;
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

let counter = 0;
/**
 * An origin whose main holds the recipe and its baseline, a pull-request branch with `change` applied, and
 * the CI's checkout of that branch (every branch when `allBranches`, else only the PR's, as Drone does).
 */
function ciCheckout(change: string, allBranches: boolean): { dir: string; mergeBase: string } {
  const root = join(work, `case-${counter++}`);
  const dev = join(root, 'dev');
  mkdirSync(dev, { recursive: true });
  git(dev, 'init', '-q', '-b', 'main');
  git(dev, 'config', 'user.email', 'tests@stacklint.invalid');
  git(dev, 'config', 'user.name', 'stacklint tests');
  for (const [f, text] of Object.entries(RECIPE)) writeFileSync(join(dev, f), text);
  const baseline = spawnSync(join(shimPath, 'stacklint'), ['baseline', '--reason', 'accepted before CI was set up', '.'], { cwd: dev, encoding: 'utf8' });
  expect(baseline.status, baseline.stderr).toBe(0);
  git(dev, 'add', '-A');
  git(dev, 'commit', '-q', '-m', 'recipe');
  const mergeBase = git(dev, 'rev-parse', 'HEAD').trim();
  git(dev, 'checkout', '-q', '-b', 'feature');
  writeFileSync(join(dev, 'compose.yml'), change);
  git(dev, 'commit', '-q', '-am', 'change');
  git(root, 'clone', '-q', '--bare', dev, join(root, 'origin.git'));
  const ci = join(root, 'ci');
  git(root, 'clone', '-q', ...(allBranches ? [] : ['--single-branch']), '--branch', 'feature', join(root, 'origin.git'), ci);
  return { dir: ci, mergeBase };
}

function runSteps(example: Example, event: Event, checkout: { dir: string; mergeBase: string }) {
  const ctx = { mergeBase: checkout.mergeBase };
  const outputs: string[] = [];
  for (const step of example.steps(event, ctx)) {
    const { script } = withoutInstall(step.script);
    if (script.trim() === '') continue;
    const args = step.shell === 'bash' ? ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script] : ['-e', '-c', script];
    const r = spawnSync(step.shell, args, {
      cwd: checkout.dir,
      encoding: 'utf8',
      env: { ...process.env, ...example.env(event, ctx), ...step.env, PATH: `${shimPath}:${process.env.PATH}`, NO_COLOR: '1' },
    });
    outputs.push(`${r.stdout}${r.stderr}`);
    if (r.status !== 0) return { code: r.status, output: outputs.join('\n'), step: step.name };
  }
  return { code: 0, output: outputs.join('\n'), step: undefined };
}

describe.each(EXAMPLES_UNDER_TEST.map((e) => [e.file, e] as const))('docs/ci-examples/%s', (_, example) => {
  it('parses; installs a pinned-able stacklint; every stacklint command and option exists', () => {
    const commands = new Set(COMMANDS.map((c) => c.name));
    const seen: string[][] = [];
    for (const event of ['pull_request', 'push'] as const) {
      for (const step of example.steps(event, { mergeBase: 'X' })) {
        const { script, install } = withoutInstall(step.script);
        for (const line of install.filter((l) => l.startsWith('npm install'))) {
          expect(line).toContain(INSTALL_SPEC);
          expect(line).toMatch(/--prefix /); // npm install --global of a git URL can't build it (npm runs prepare globally)
        }
        for (const argv of stacklintInvocations(script)) {
          seen.push(argv);
          expect(commands.has(argv[0]), `stacklint ${argv[0]}`).toBe(true);
          expect(() => parseArgs(argv.slice(1), OPTIONS_OF[argv[0]] ?? []), argv.join(' ')).not.toThrow();
        }
      }
    }
    expect(seen.some((a) => a[0] === 'lint' && a.includes('--base')), 'the example gates pull requests with --base').toBe(true);
    expect(read(example.file)).toContain(INSTALL_SPEC);
  });

  it('pull request with the R011 regression: fails, naming one new finding', () => {
    const checkout = ciCheckout(WITHOUT_SIDEKIQ, example.allBranches);
    const r = runSteps(example, 'pull_request', checkout);
    expect(r.code, r.output).toBe(1);
    expect(r.output).toMatch(/\b1 new, 0 fixed, [1-9]\d* unchanged/);
    expect(r.output).toMatch(/new: compose\.smtpauth\.yml:\d+:\d+: error R011/);
    if (example.file === 'github-actions.yml') expect(r.output).toMatch(/^::error file=compose\.smtpauth\.yml,line=\d+,.*title=R011/m);
    if (example.file === 'gitlab-ci.yml') {
      const junit = readFileSync(join(checkout.dir, 'stacklint-junit.xml'), 'utf8');
      expect(junit).toMatch(/<failure type="error"[^>]*>[^<]*R011/);
    }
  });

  it('pull request that only adds comments: passes, nothing new', () => {
    const checkout = ciCheckout(COMMENTED, example.allBranches);
    const r = runSteps(example, 'pull_request', checkout);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/\b0 new, 0 fixed, [1-9]\d* unchanged/);
    if (example.file === 'github-actions.yml') {
      const sarif = JSON.parse(readFileSync(join(checkout.dir, 'stacklint.sarif'), 'utf8'));
      expect(sarif.version).toBe('2.1.0');
      const upload = parse(read('github-actions.yml')).jobs.stacklint.steps.find((s: { uses?: string }) => s.uses?.startsWith('github/codeql-action/upload-sarif'));
      expect(upload.with.sarif_file).toBe('stacklint.sarif');
    }
  });

  it('push of the baselined recipe: passes (known findings do not fail)', () => {
    const checkout = ciCheckout(COMMENTED, example.allBranches);
    const r = runSteps(example, 'push', checkout);
    expect(r.code, r.output).toBe(0);
    expect(existsSync(join(checkout.dir, '.stacklint-baseline.json'))).toBe(true);
  });
});
