// Files a write has made but not yet finished with (temporary files, held locks). They are removed when the
// process exits or is stopped by SIGINT/SIGTERM/SIGHUP, so an interrupted run leaves nothing behind. A
// SIGKILL cannot be caught: what it leaves is swept by the next write to the same file (safe-write.ts).
import { unlinkSync } from 'node:fs';

const pending = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

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
 * Installed once, on the first write, and kept: a signal that arrives during a write waits for the write's
 * synchronous code to finish, and a handler removed in the meantime would swallow it. When no one else
 * listens, the handler then dies of the same signal, as the process would have without it (exit 130/143).
 */
function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', removeAll);
  for (const signal of SIGNALS) {
    const onSignal = (): void => {
      removeAll();
      if (process.listenerCount(signal) > 1) return; // another handler decides how the process ends
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
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
