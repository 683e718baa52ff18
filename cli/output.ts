// What the CLI prints, written to stdout and stderr synchronously with fs.writeSync. node's process.stdout and
// process.stderr are streams: the first use of one loads node's stream, socket and tty modules (~2 ms on a
// pipe, a pre-commit hook's or CI's stdout), more than printing a lint report costs. The commands that
// stream (the TUI of `review`, the language server, `ladder`'s progress) use node's streams after
// `guardStreams()`.
import { fstatSync, writeSync } from 'node:fs';
import { EXIT } from './exit-codes.js';

export interface Output {
  /** Writes `text` to stdout. */
  out(text: string): void;
  /** Writes `text` to stderr. */
  err(text: string): void;
}

const NAMES = { 1: 'stdout', 2: 'stderr' } as const;
type Fd = keyof typeof NAMES;

/** Outputs a reader closed (EPIPE): what is left for them is dropped. */
const closed = new Set<Fd>();
let failed = false;

/** A pipe or terminal someone else left non-blocking is full: wait a millisecond for its reader. */
function pause(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
}

/**
 * All of `text` to `fd`. A reader that stops early (`stacklint rules | head -1`) closes the pipe: the rest of
 * the output is dropped quietly and the command finishes with its own exit code. Any other failure (a full
 * disk) is one line on stderr and exit 2 (see `outputFailed`).
 */
function write(fd: Fd, text: string): void {
  if (closed.has(fd) || text === '') return;
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += writeSync(fd, bytes, offset);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        pause();
        continue;
      }
      closed.add(fd);
      if (code === 'EPIPE') return;
      failed = true;
      if (fd !== 2) write(2, `stacklint: cannot write to ${NAMES[fd]}: ${(err as Error).message}\n`);
      return;
    }
  }
}

/** stdout and stderr. An object, so that tests can catch what a command prints. */
export const stdio: Output = {
  out: (text) => write(1, text),
  err: (text) => write(2, text),
};

/** Whether writing to stdout or stderr failed other than by a reader closing it: the run exits 2. */
export function outputFailed(): boolean {
  return failed;
}

/**
 * Whether stdout (1) or stderr (2) is a terminal. A terminal is a character device: a pipe or a file, what
 * hooks and CI give, is answered without node's tty modules.
 */
export function isTerminal(fd: Fd): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  return !!(fd === 1 ? process.stdout : process.stderr).isTTY;
}

/**
 * stderr for what only a person at a terminal sees (a catalogue's progress line): written like the rest,
 * and nothing at all when stderr is not a terminal.
 */
export function terminalStderr(): { isTTY: boolean; readonly columns?: number; write(text: string): void } {
  if (!isTerminal(2)) return { isTTY: false, write: () => {} };
  return {
    isTTY: true,
    get columns() {
      return process.stderr.columns;
    },
    write: (text) => stdio.err(text),
  };
}

let guarded = false;

/**
 * For commands that write through node's streams: a reader that closes stdout or stderr ends their output
 * quietly (the command finishes with its own exit code); any other write failure is one line and exit 2.
 */
export function guardStreams(): void {
  if (guarded) return;
  guarded = true;
  for (const [stream, name] of [
    [process.stdout, 'stdout'],
    [process.stderr, 'stderr'],
  ] as const) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') return;
      if (stream !== process.stderr) process.stderr.write(`stacklint: cannot write to ${name}: ${err.message}\n`);
      failed = true;
      process.exitCode = EXIT.internal;
    });
  }
}
