// Stack names carry their owner, so a run can tell a killed run's leftovers from a live run's stacks.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { currentOwner, hostTag, newStackName, ownership, parseStackName, startTag } from '../../src/ladder/owner.js';

describe('ladder stack names', () => {
  it('encode host, pid and start time, and stay short enough for secret names', () => {
    const name = newStackName({ host: 'beef', pid: 12345, start: '1a2b3c' });
    expect(name).toMatch(/^stacklint_beef_12345_1a2b3c_[0-9a-f]{4}$/);
    expect(parseStackName(name)).toEqual({ host: 'beef', pid: 12345, start: '1a2b3c' });
    expect(newStackName()).not.toBe(newStackName());
    // abra keeps STACK_NAME within 45 characters so that `<stack>_<secret>_<version>` fits swarm's 64:
    // the largest pid and a year of uptime in clock ticks still fit.
    expect(newStackName({ host: 'beef', pid: 4_194_304, start: (100 * 86_400 * 366).toString(36) }).length).toBeLessThanOrEqual(45);
  });

  it('tell mine, a live run, a dead run, a reused pid, another host and foreign stacks apart', () => {
    const self = currentOwner();
    const exited = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(exited.stdout);
    const parent = { host: self.host, pid: process.ppid, start: startTag(process.ppid)! };
    expect(ownership(newStackName(self), self)).toBe('mine');
    expect(ownership(newStackName(parent), self)).toBe('live');
    expect(ownership(newStackName({ ...self, pid: deadPid }), self)).toBe('dead');
    // The pid runs, but it is not the process that made the stack (it started at another time).
    expect(ownership(newStackName({ ...parent, start: 'zzzz' }), self)).toBe(process.platform === 'linux' ? 'dead' : 'live');
    expect(ownership(newStackName({ ...self, pid: deadPid, host: hostTag('elsewhere.example') }), self)).toBe('other-host');
    expect(ownership('example_com', self)).toBe('foreign');
    expect(ownership('stacklint_beef_1_x', self)).toBe('foreign');
  });
});
