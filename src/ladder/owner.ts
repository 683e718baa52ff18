// Names and labels of what a ladder run creates on the engine. The stack name encodes its owner — a hash of
// the host name, the process id and the process's start time — so a later run can tell a killed run's
// leftovers from a live run's resources, even after the pid was reused: `stacklint_<host>_<pid>_<start>_<random>`.
import { nodeCrypto } from '../load/node-builtins.js';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export const STACK_PREFIX = 'stacklint';
/** Label on the resources the ladder creates itself (external secrets, configs, networks, volumes): the stack name. */
export const LADDER_LABEL = 'stacklint.ladder.stack';
/** Label docker stack deploy puts on everything of a stack. */
export const NAMESPACE_LABEL = 'com.docker.stack.namespace';

const STACK_PATTERN = /^stacklint_([0-9a-f]{4})_(\d+)_([0-9a-z]+)_([0-9a-f]{4})$/;

export interface StackOwner {
  host: string;
  pid: number;
  /** The process's start time (clock ticks since boot, base 36) where the system tells it; '0' elsewhere. */
  start: string;
}

export function hostTag(name = hostname()): string {
  return nodeCrypto().createHash('sha256').update(name).digest('hex').slice(0, 4);
}

/** Start time of a process from /proc (Linux); '0' when unknown, undefined when the process is gone. */
export function startTag(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // No /proc (or no such process): all that can be told is whether the pid runs.
    return processAlive(pid) ? '0' : undefined;
  }
  // Fields after the command name (which may hold spaces and parentheses): state is field 3, starttime 22.
  const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  return Number.isSafeInteger(ticks) ? ticks.toString(36) : '0';
}

export function currentOwner(): StackOwner {
  return { host: hostTag(), pid: process.pid, start: startTag(process.pid) ?? '0' };
}

/** A fresh stack name owned by `owner` (this process by default). */
export function newStackName(owner: StackOwner = currentOwner()): string {
  return `${STACK_PREFIX}_${owner.host}_${owner.pid}_${owner.start}_${nodeCrypto().randomBytes(2).toString('hex')}`;
}

export function parseStackName(name: string): StackOwner | undefined {
  const m = STACK_PATTERN.exec(name);
  return m ? { host: m[1], pid: Number(m[2]), start: m[3] } : undefined;
}

export type Ownership = 'mine' | 'live' | 'dead' | 'other-host' | 'foreign';

/**
 * Whose a stack name is: this process's (`mine`), another live process on this host (`live`), a process
 * that no longer runs (`dead`: leftovers to remove), another host's run (`other-host`: left alone), or
 * not a ladder stack at all (`foreign`). A pid now held by a process that started later counts as dead.
 */
export function ownership(stack: string, self: StackOwner = currentOwner()): Ownership {
  const owner = parseStackName(stack);
  if (!owner) return 'foreign';
  if (owner.host !== self.host) return 'other-host';
  if (owner.pid === self.pid && owner.start === self.start) return 'mine';
  const start = startTag(owner.pid);
  if (start === undefined) return 'dead';
  return owner.start === '0' || start === '0' || start === owner.start ? 'live' : 'dead';
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
