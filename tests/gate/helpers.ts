// Temporary git repositories for the gate's tests: one per scenario, removed afterwards.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { vi } from 'vitest';
import type { Command } from '../../cli/commands/index.js';
import { stdio } from '../../cli/output.js';

export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'stacklint tests',
  GIT_AUTHOR_EMAIL: 'tests@stacklint.invalid',
  GIT_COMMITTER_NAME: 'stacklint tests',
  GIT_COMMITTER_EMAIL: 'tests@stacklint.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export class TempRepo {
  readonly dir: string;

  constructor(label = 'stacklint-test-') {
    this.dir = realpathSync(mkdtempSync(join(tmpdir(), label)));
    git(this.dir, 'init', '-q', '-b', 'main');
  }

  path(rel = ''): string {
    return rel ? join(this.dir, rel) : this.dir;
  }

  write(files: Record<string, string>, under = ''): this {
    for (const [rel, text] of Object.entries(files)) {
      const abs = join(this.dir, under, rel);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, text);
    }
    return this;
  }

  remove(rel: string): this {
    rmSync(join(this.dir, rel), { recursive: true, force: true });
    return this;
  }

  commit(message: string): string {
    git(this.dir, 'add', '-A');
    git(this.dir, 'commit', '-q', '--allow-empty', '-m', message);
    return git(this.dir, 'rev-parse', 'HEAD').trim();
  }

  status(): string {
    return git(this.dir, 'status', '--porcelain', '--untracked-files=all');
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in-process, capturing what it writes. */
export async function runCommand(command: Command, argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(stdio, 'out').mockImplementation((text: string) => {
    stdout += text;
  });
  const err = vi.spyOn(stdio, 'err').mockImplementation((text: string) => {
    stderr += text;
  });
  try {
    const code = await command.run(argv);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
