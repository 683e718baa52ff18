// The CLI's output (cli/output.ts): written synchronously to the file descriptors, all of it in order,
// whatever the pipe does — a full non-blocking pipe is waited for, a reader that closed it ends the output
// quietly, any other failure is one line on stderr and exit 2.
import { spawnSync } from 'node:child_process';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CLI, REPO } from './helpers.js';

type Step = { bytes: number } | { error: string };
const plan: { 1: Step[]; 2: Step[] } = { 1: [], 2: [] };
const written: { 1: string; 2: string } = { 1: '', 2: '' };

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  return {
    ...fs,
    // The descriptors as the plan says: each call takes the next step (a number of bytes, or an error).
    writeSync: (fd: 1 | 2, buffer: Buffer, offset: number) => {
      const step = plan[fd].shift() ?? { bytes: buffer.length - offset };
      if ('error' in step) throw Object.assign(new Error(`${step.error}: simulated`), { code: step.error });
      const n = Math.min(step.bytes, buffer.length - offset);
      written[fd] += buffer.subarray(offset, offset + n).toString('utf8');
      return n;
    },
  };
});

beforeEach(() => {
  vi.resetModules();
  plan[1] = [];
  plan[2] = [];
  written[1] = '';
  written[2] = '';
});

const load = () => import('../../cli/output.js');

describe('the CLI output', () => {
  it('writes everything in order through short writes and a full non-blocking pipe', async () => {
    const { stdio, outputFailed } = await load();
    plan[1] = [{ bytes: 3 }, { error: 'EAGAIN' }, { error: 'EAGAIN' }, { bytes: 1 }, { bytes: 100 }];
    stdio.out('héllo, ');
    stdio.out('wörld\n');
    expect(written[1]).toBe('héllo, wörld\n');
    expect(written[2]).toBe('');
    expect(outputFailed()).toBe(false);
  });

  it('drops the rest quietly once the reader closed the pipe', async () => {
    const { stdio, outputFailed } = await load();
    plan[1] = [{ bytes: 2 }, { error: 'EPIPE' }];
    stdio.out('first part');
    stdio.out('and more');
    stdio.err('a note\n');
    expect(written[1]).toBe('fi');
    expect(written[2]).toBe('a note\n');
    expect(outputFailed()).toBe(false);
  });

  it('says once on stderr that stdout failed, and the run fails', async () => {
    const { stdio, outputFailed } = await load();
    plan[1] = [{ error: 'ENOSPC' }];
    stdio.out('report');
    stdio.out('more report');
    expect(written[1]).toBe('');
    expect(written[2]).toBe('stacklint: cannot write to stdout: ENOSPC: simulated\n');
    expect(outputFailed()).toBe(true);
  });

  it('a failing stderr is not reported on itself', async () => {
    const { stdio, outputFailed } = await load();
    plan[2] = [{ error: 'EIO' }];
    stdio.err('a warning\n');
    stdio.out('report\n');
    expect(written[2]).toBe('');
    expect(written[1]).toBe('report\n');
    expect(outputFailed()).toBe(true);
  });

  it('the real command on a full disk: one line, exit 2', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" rules > /dev/full`], { cwd: REPO, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
    expect(r.stderr).toBe('stacklint: cannot write to stdout: ENOSPC: no space left on device, write\n');
    expect(r.status).toBe(2);
  });
});
