// `stacklint rules | head -1`: a reader that closes the pipe early must not get a Node stack trace. The read
// end is closed before the CLI writes anything, so every write fails with EPIPE.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CLI, REPO } from './helpers.js';

function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a closed stdout is a quiet end, with the command\'s own exit code', () => {
  it.each([
    [['rules'], 0],
    [['explain', 'R011'], 0],
    [['lint', 'fixtures/example-recipe'], 1],
    [['lint', '--format', 'json', 'fixtures/example-recipe'], 1],
  ])('%j', async (args, code) => {
    const r = await runWithClosedStdout(args as string[]);
    expect(r).toEqual({ code, stderr: '' });
  }, 30_000);
});
