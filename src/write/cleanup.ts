// Files a write has made but not yet finished with (temporary files, held locks). They are removed when the
// process exits or is stopped by SIGINT/SIGTERM/SIGHUP, so an interrupted run leaves nothing behind. A
// SIGKILL cannot be caught: what it leaves is swept by the next write to the same file (safe-write.ts).
import { unlinkSync } from 'node:fs';

const pending = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

/**
 * Installs the handlers before a file is created: with none installed a signal kills the process at once,
 * between creating the file and tracking it; with them, it waits for the synchronous write to finish.
 */
export function armCleanup(): void {
  install();
}

export function track(path: string): void {
  install();
  pending.add(path);
}

export function untrack(path: string): void {
  pending.delete(path);
}

/** Paths still pending (for tests of the registry itself). */
export function pendingPaths(): string[] {
  return [...pending];
}

function removeAll(): void {
  for (const path of pending) {
    try {
      unlinkSync(path);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

/**
 * Installed on the first write and kept: a signal that arrives during a write waits for the write's
 * synchronous code to finish, and a handler removed in the meantime would swallow it. The handler runs
 * before any other (prepended), cleans up and steps aside: when no one else listens, the process then dies
 * of the same signal, as it would have without it (exit 130/143); otherwise the others decide, in the same
 * delivery, and see the listeners they would have seen without it (ink's signal-exit counts them).
 */
function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', removeAll);
  const handlers = new Map<NodeJS.Signals, () => void>();
  for (const signal of SIGNALS) {
    const onSignal = (): void => {
      removeAll();
      for (const [s, h] of handlers) process.removeListener(s, h);
      process.removeListener('exit', removeAll);
      installed = false;
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    handlers.set(signal, onSignal);
    process.prependListener(signal, onSignal);
  }
}

/** True unless the process is certainly gone (another user's process counts as alive). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
