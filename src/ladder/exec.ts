// Runs an external program with an argument array (never through a shell), optionally feeding stdin,
// with a time limit and an abort signal. Never throws for a non-zero exit: callers read `code`.
import { childProcess } from '../load/node-builtins.js';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

export interface CommandResult {
  /** Exit code; null when the program was killed or could not start. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the program could not be started at all (e.g. ENOENT). */
  spawnError?: string;
  timedOut?: boolean;
  aborted?: boolean;
}

export interface CommandOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string | Buffer;
  /** Kill the program after this many milliseconds. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Pipe this command's stdout into the program's stdin (for `tar … | docker import -`). */
  stdinFrom?: NodeJS.ReadableStream;
  /** Bytes kept per stream; the rest is dropped (the head is what matters for errors). */
  maxOutput?: number;
}

const DEFAULT_MAX_OUTPUT = 8 * 1024 * 1024;

export function runCommand(program: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolvePromise) => {
    if (options.signal?.aborted) {
      resolvePromise({ code: null, stdout: '', stderr: '', aborted: true });
      return;
    }
    const max = options.maxOutput ?? DEFAULT_MAX_OUTPUT;
    const child = childProcess().spawn(program, [...args], {
      env: options.env ?? process.env,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLength = 0;
    let errLength = 0;
    let timedOut = false;
    let aborted = false;
    let spawnError: string | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (outLength < max) out.push(chunk);
      outLength += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errLength < max) err.push(chunk);
      errLength += chunk.length;
    });
    const kill = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    };
    const timer = options.timeoutMs ? setTimeout(() => ((timedOut = true), kill()), options.timeoutMs) : undefined;
    const onAbort = () => ((aborted = true), kill());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.stdin.on('error', () => {
      // The program exited before reading all input; its exit code says what happened.
    });
    if (options.stdinFrom) options.stdinFrom.pipe(child.stdin);
    else child.stdin.end(options.input ?? '');
    child.on('close', (code) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      const result: CommandResult = {
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      };
      if (spawnError) result.spawnError = spawnError;
      if (timedOut) result.timedOut = true;
      if (aborted) result.aborted = true;
      resolvePromise(result);
    });
  });
}

/** A one-line description of a failed command for reports: its stderr's last meaningful line. */
export function failureText(result: CommandResult): string {
  if (result.spawnError) return result.spawnError;
  if (result.timedOut) return 'timed out';
  if (result.aborted) return 'interrupted';
  const lines = `${result.stderr}\n${result.stdout}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return lines.find((l) => /error|failed|invalid|not found|no such/i.test(l)) ?? lines[0] ?? `exit code ${result.code}`;
}

/** Finds a program on PATH (like `command -v`); undefined when absent. */
export async function findOnPath(program: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const candidates = isAbsolute(program) ? [program] : (env.PATH ?? '').split(delimiter).filter((d) => d !== '').map((d) => join(d, program));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}
