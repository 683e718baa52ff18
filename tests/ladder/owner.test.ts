// Stack names carry their owner, so a run can tell a killed run's leftovers from a live run's stacks.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hostTag, newStackName, ownership, parseStackName } from '../../src/ladder/owner.js';

describe('ladder stack names', () => {
  it('encode host and pid, and stay short enough for secret names', () => {
    const name = newStackName(12345, 'beef');
    expect(name).toMatch(/^stacklint_beef_12345_[0-9a-f]{4}$/);
    expect(parseStackName(name)).toEqual({ host: 'beef', pid: 12345 });
    expect(newStackName()).not.toBe(newStackName());
    // abra keeps STACK_NAME within 45 characters so that `<stack>_<secret>_<version>` fits swarm's 64.
    expect(newStackName(4_194_304).length).toBeLessThanOrEqual(45);
  });

  it('tell mine, a dead run, another host and foreign stacks apart', () => {
    const self = { pid: process.pid, host: hostTag() };
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(exited.stdout);
    expect(ownership(newStackName(process.pid), self)).toBe('mine');
    expect(ownership(newStackName(process.ppid), self)).toBe('live');
    expect(ownership(newStackName(deadPid), self)).toBe('dead');
    expect(ownership(newStackName(deadPid, hostTag('elsewhere.example')), self)).toBe('other-host');
    expect(ownership('example_com', self)).toBe('foreign');
    expect(ownership('stacklint_beef_1_x', self)).toBe('foreign');
  });
});
