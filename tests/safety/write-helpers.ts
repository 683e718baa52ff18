// A world for write-safety tests: a temporary directory holding a recipe and, beside it, files a hostile
// recipe might point at (`outside/`, and a file in the recipe's parent). Every test hashes everything
// outside the recipe before and after, so a byte written anywhere else is caught.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterEach } from 'vitest';

export const REPO = resolve(__dirname, '../..');
export const CLI = join(REPO, 'bin/stacklint.js');
export const EXAMPLE_RECIPE = join(REPO, 'fixtures/example-recipe');
export const TSX = join(REPO, 'node_modules/tsx/dist/esm/index.mjs');
export const REVIEW_DRIVER = join(__dirname, 'review-driver.ts');

/** A compose file with one fixable finding (the missing `version:` line). */
export const NO_VERSION = '# my recipe\nservices:\n  app:\n    image: nginx:1.27\n';
export const NO_VERSION_FIXED = '# my recipe\nversion: "3.8"\nservices:\n  app:\n    image: nginx:1.27\n';

export interface World {
  root: string;
  recipe: string;
  outside: string;
  /** A file in the recipe's parent directory (a link "into the parent" points here). */
  parentFile: string;
  /** The test's own tools and logs (a recording $EDITOR): not part of the hashed outside. */
  scratch: string;
  path: (rel: string) => string;
  /** Hash of every file, link and directory outside the recipe (names, kinds, modes, bytes, link targets). */
  outsideHash: () => string;
  dispose: () => void;
}

export function makeWorld(files: Record<string, string | Buffer> | 'example' = 'example'): World {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'stacklint-safety-')));
  const recipe = join(root, 'recipe');
  if (files === 'example') cpSync(EXAMPLE_RECIPE, recipe, { recursive: true });
  else {
    mkdirSync(recipe);
    for (const [name, text] of Object.entries(files)) {
      mkdirSync(join(recipe, name, '..'), { recursive: true });
      writeFileSync(join(recipe, name), text);
    }
  }
  const outside = join(root, 'outside');
  mkdirSync(outside);
  writeFileSync(join(outside, 'victim.txt'), 'SECRET=keep\n');
  writeFileSync(join(outside, 'next.txt'), 'services: {}\n');
  const parentFile = join(root, 'parent-victim.txt');
  writeFileSync(parentFile, 'in the parent\n');
  const scratch = join(root, 'scratch');
  mkdirSync(scratch);
  return {
    root,
    recipe,
    outside,
    parentFile,
    scratch,
    path: (rel) => join(recipe, rel),
    outsideHash: () => treeHash(root, (p) => p === recipe || p === scratch),
    dispose: () => {
      makeWritable(root);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function makeWritable(dir: string): void {
  try {
    chmodSync(dir, 0o755);
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) makeWritable(join(dir, e.name));
  } catch {
    // gone
  }
}

/** For a test file: a `world()` maker whose worlds are disposed after each test. */
export function worldsPerTest(): (files?: Parameters<typeof makeWorld>[0]) => World {
  const made: World[] = [];
  afterEach(() => {
    for (const w of made.splice(0)) w.dispose();
  });
  return (files) => {
    const w = makeWorld(files);
    made.push(w);
    return w;
  };
}

/** Everything under `dir` except what `skip` names, as one hash (never follows a link). */
export function treeHash(dir: string, skip: (abs: string) => boolean = () => false): string {
  const h = createHash('sha256');
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name);
      if (skip(abs)) continue;
      const st = lstatSync(abs);
      h.update(`${relative(dir, abs)}\0${st.mode}\0`);
      if (st.isSymbolicLink()) h.update(`link:${readlinkSync(abs)}\0`);
      else if (st.isDirectory()) walk(abs);
      else if (st.isFile()) h.update(readFileSync(abs)).update(`\0${st.mtimeMs}\0`);
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** The hostile things a recipe can put where stacklint expects to write a file. */
export const HOSTILE_KINDS = [
  'link-relative',
  'link-absolute',
  'link-chain',
  'link-into-parent',
  'link-dangling',
  'fifo',
  'directory',
  'read-only-file',
  'read-only-dir',
] as const;
export type HostileKind = (typeof HOSTILE_KINDS)[number];

/** What the error must say for each kind (the file's name is checked separately). */
export const HOSTILE_SAYS: Record<HostileKind, RegExp> = {
  'link-relative': /symbolic link to \.\.\/outside\/victim\.txt, which leads outside the recipe/,
  'link-absolute': /symbolic link to \/.*\/outside\/victim\.txt, which leads outside the recipe/,
  'link-chain': /symbolic link to chain-1, which leads outside the recipe \(.*\/outside\/victim\.txt\)/,
  'link-into-parent': /symbolic link to \.\.\/parent-victim\.txt, which leads outside the recipe/,
  'link-dangling': /symbolic link to \.\.\/outside\/missing\.txt, which does not exist/,
  fifo: /is a FIFO \(named pipe\), not a regular file/,
  directory: /is a directory, not a regular file/,
  'read-only-file': /is read-only \(mode 0444\)/,
  'read-only-dir': /directory .* is read-only \(mode 0555\)/,
};

/**
 * Puts a hostile `kind` at `rel` inside the recipe. For a file that should keep content (read-only cases),
 * `content` is what it holds. Returns the check that the thing is still exactly as planted.
 */
export function plant(world: World, rel: string, kind: HostileKind, content = 'services: {}\n'): () => void {
  const at = world.path(rel);
  rmSync(at, { force: true, recursive: true });
  switch (kind) {
    case 'link-relative':
      spawnOk('ln', ['-s', relative(join(at, '..'), join(world.outside, 'victim.txt')), at]);
      break;
    case 'link-absolute':
      spawnOk('ln', ['-s', join(world.outside, 'victim.txt'), at]);
      break;
    case 'link-chain':
      spawnOk('ln', ['-s', relative(join(at, '..'), join(world.outside, 'victim.txt')), join(at, '..', 'chain-2')]);
      spawnOk('ln', ['-s', 'chain-2', join(at, '..', 'chain-1')]);
      spawnOk('ln', ['-s', 'chain-1', at]);
      break;
    case 'link-into-parent':
      spawnOk('ln', ['-s', relative(join(at, '..'), world.parentFile), at]);
      break;
    case 'link-dangling':
      spawnOk('ln', ['-s', relative(join(at, '..'), join(world.outside, 'missing.txt')), at]);
      break;
    case 'fifo':
      spawnOk('mkfifo', [at]);
      break;
    case 'directory':
      mkdirSync(at);
      writeFileSync(join(at, 'inside.txt'), 'keep\n');
      break;
    case 'read-only-file':
      writeFileSync(at, content);
      chmodSync(at, 0o444);
      break;
    case 'read-only-dir':
      writeFileSync(at, content);
      chmodSync(join(at, '..'), 0o555);
      break;
  }
  const before = treeHash(world.recipe, (p) => p.endsWith('.stacklint-lock'));
  return () => {
    if (treeHash(world.recipe, (p) => p.endsWith('.stacklint-lock')) !== before) throw new Error(`the recipe changed around ${rel} (${kind})`);
  };
}

function spawnOk(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
}

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

const CLEAN_ENV = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', NO_COLOR: '1' });

/** The built CLI, synchronously. */
export function cli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...CLEAN_ENV(), ...options.env }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/** The built CLI (or any argv after node), started without waiting. */
export function start(args: string[], options: { cwd?: string; env?: Record<string, string>; node?: string[] } = {}): { child: ChildProcess; done: Promise<Run> } {
  const child = spawn(process.execPath, [...(options.node ?? []), ...args], { cwd: options.cwd, env: { ...CLEAN_ENV(), ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Run>((resolveRun) => child.on('close', (status, signal) => resolveRun({ status, signal, stdout, stderr })));
  return { child, done };
}

export interface DriverJob {
  recipe: string;
  action: 'suppress' | 'baseline' | 'open' | 'findings';
  file?: string;
  rule?: string;
  finding?: object;
  reason?: string;
}

/** The status line review would show after the action (tone info or error), or the findings for 'findings'. */
export interface DriverResult {
  tone?: string;
  text?: string;
}

/** Runs review's actions in one child process (tests/safety/review-driver.ts, from sources); one result per job. */
export async function reviewActions(jobs: DriverJob[], env: Record<string, string> = {}): Promise<{ results: DriverResult[]; run: Run }> {
  const { done } = start([REVIEW_DRIVER, JSON.stringify(jobs)], { node: ['--import', TSX], env });
  const run = await done;
  const line = run.stdout.trim().split('\n').pop() ?? '';
  try {
    return { results: JSON.parse(line) as DriverResult[], run };
  } catch {
    throw new Error(`review driver: no result (exit ${run.status})\n${run.stdout}\n${run.stderr}`);
  }
}

/** A recipe large enough that writing its fixed compose file or its baseline takes a while (~180 KB, 200 services, no version line). */
export function largeRecipe(services = 200): Record<string, string> {
  let compose = '# a large recipe\nservices:\n';
  for (let i = 0; i < services; i++) {
    compose += `  svc${i}:\n    image: nginx:1.27\n    environment:\n      - A${i}=value ${'x'.repeat(400)}\n      - B${i}=other ${'y'.repeat(400)}\n`;
  }
  return { 'compose.yml': compose, '.env.sample': 'TYPE=large\n' };
}

/** Temporary files and locks stacklint left in `dir`. */
export function leftovers(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.stacklint-tmp') || n.endsWith('.stacklint-lock') || n.endsWith('.stacklint-lock.break'));
}

/** A long-lived review driver: `act` sends one job and resolves with its result. */
export function reviewServer(env: Record<string, string> = {}): { act: (job: DriverJob) => Promise<DriverResult>; close: () => Promise<void> } {
  const child = spawn(process.execPath, ['--import', TSX, REVIEW_DRIVER, '--serve'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', NO_COLOR: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let buffer = '';
  let stderr = '';
  const waiting: Array<(line: string) => void> = [];
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.on('data', (d) => {
    buffer += d;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      waiting.shift()?.(line);
    }
  });
  const exited = new Promise<void>((resolveExit) => child.on('close', () => resolveExit()));
  return {
    act: (job) =>
      new Promise<DriverResult>((resolveAct, reject) => {
        waiting.push((line) => resolveAct(JSON.parse(line) as DriverResult));
        child.stdin!.write(`${JSON.stringify(job)}\n`);
        void exited.then(() => reject(new Error(`review driver exited: ${stderr}`)));
      }),
    close: async () => {
      child.stdin!.end();
      await exited;
    },
  };
}
