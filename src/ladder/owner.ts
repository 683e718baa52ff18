// Names and labels of what a ladder run creates on the engine. The stack name encodes its owner (a hash of
// the host name and the process id), so a later run can tell a killed run's leftovers from a live run's
// resources: `stacklint_<host>_<pid>_<random>`.
import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export const STACK_PREFIX = 'stacklint';
/** Label on the resources the ladder creates itself (external secrets, configs, networks, volumes): the stack name. */
export const LADDER_LABEL = 'stacklint.ladder.stack';
/** Label docker stack deploy puts on everything of a stack. */
export const NAMESPACE_LABEL = 'com.docker.stack.namespace';

const STACK_PATTERN = /^stacklint_([0-9a-f]{4})_(\d+)_([0-9a-f]{4})$/;

export interface StackOwner {
  host: string;
  pid: number;
}

export function hostTag(name = hostname()): string {
  return createHash('sha256').update(name).digest('hex').slice(0, 4);
}

/** A fresh stack name owned by this process. */
export function newStackName(pid = process.pid, host = hostTag()): string {
  return `${STACK_PREFIX}_${host}_${pid}_${randomBytes(2).toString('hex')}`;
}

export function parseStackName(name: string): StackOwner | undefined {
  const m = STACK_PATTERN.exec(name);
  return m ? { host: m[1], pid: Number(m[2]) } : undefined;
}

export type Ownership = 'mine' | 'live' | 'dead' | 'other-host' | 'foreign';

/**
 * Whose a stack name is: this process's (`mine`), another live process on this host (`live`), a process
 * that no longer runs (`dead`: leftovers to remove), another host's run (`other-host`: left alone), or
 * not a ladder stack at all (`foreign`).
 */
export function ownership(stack: string, self: { pid: number; host: string } = { pid: process.pid, host: hostTag() }): Ownership {
  const owner = parseStackName(stack);
  if (!owner) return 'foreign';
  if (owner.host !== self.host) return 'other-host';
  if (owner.pid === self.pid) return 'mine';
  return processAlive(owner.pid) ? 'live' : 'dead';
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
