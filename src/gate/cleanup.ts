// What a run must undo when it is interrupted: temporary trees and running child processes. node's default
// for SIGINT/SIGTERM/SIGHUP is to die at once, skipping 'exit' listeners; while anything is registered here
// the signal is caught, everything is undone (children killed with their process group, trees removed), and
// the signal is raised again with the default action restored, so the exit status still says "interrupted".
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const active = new Set<() => void>();
let installed = false;

function undoAll(): void {
  for (const undo of [...active]) {
    try {
      undo();
    } catch {
      // Best effort: one failure must not keep the rest from being undone.
    }
  }
  active.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  undoAll();
  uninstall();
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of SIGNALS) process.removeListener(s, onSignal);
}

/** Runs `undo` if the process is interrupted before the returned function is called. */
export function undoOnInterrupt(undo: () => void): () => void {
  active.add(undo);
  install();
  return () => {
    active.delete(undo);
    if (active.size === 0) uninstall();
  };
}
