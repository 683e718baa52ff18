// Shared by the hostile-input tests: temporary directories, git without the user's config, the built CLI.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GIT_ENV } from '../gate/helpers.js';

export const REPO = join(__dirname, '../..');
export const CLI = join(REPO, 'bin/stacklint.js');

const made: string[] = [];

/** A fresh real directory, removed by `cleanup()`. */
export function scratch(label: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), `stacklint-safety-${label}-`)));
  made.push(dir);
  return dir;
}

export function cleanup(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function write(root: string, files: Record<string, string | Buffer>): void {
  for (const [rel, text] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
}

export function git(cwd: string, args: string[], input?: string | Buffer): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

export function initRepo(dir: string): void {
  git(dir, ['init', '-q', '-b', 'main']);
}

export function commitAll(dir: string, message: string): string {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--allow-empty', '--no-verify', '-m', message]);
  return git(dir, ['rev-parse', 'HEAD']).trim();
}

export interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The built CLI, with a bound on time generous enough for a busy machine (a hang fails, slowness doesn't). */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 20_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export const RECIPE = {
  'compose.yml': 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.25\n    deploy:\n      labels:\n        - "coop-cloud.${STACK_NAME}.version=1.0.0+1.25"\n',
  '.env.sample': 'TYPE=app\n',
  'README.md': '# app\n\n<!-- metadata -->\n* **Category**: Apps\n<!-- endmetadata -->\n',
};

/** Every file (and link) under `dir`, recursively, relative. */
export function listAll(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string, rel: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      out.push(r);
      if (e.isDirectory()) visit(join(d, e.name), r);
    }
  };
  visit(dir, '');
  return out.sort();
}

/** Live processes whose process group is `pgid` (Linux /proc). */
export function processesInGroup(pgid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && Number(fields[2]) === pgid) pids.push(Number(name));
  }
  return pids;
}
