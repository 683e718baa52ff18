// A scripted LSP client for the protocol tests and the bench: spawns the built CLI (`node bin/stacklint.js lsp
// --stdio`), speaks JSON-RPC through vscode-jsonrpc, and keeps every publishDiagnostics notification so a test
// can wait for a condition on them (never for a time).
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import type { MessageConnection } from 'vscode-jsonrpc/node';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = `${ROOT}bin/stacklint.js`;

export interface Diagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity?: number;
  code?: string | number;
  codeDescription?: { href: string };
  source?: string;
  message: string;
  data?: unknown;
}

export interface Published {
  uri: string;
  version?: number;
  diagnostics: Diagnostic[];
}

export const uriOf = (path: string) => pathToFileURL(path).href;

export class LspClient {
  readonly connection: MessageConnection;
  /** Every notification, in order. */
  readonly published: Published[] = [];
  /** The latest diagnostics per URI. */
  readonly latest = new Map<string, Published>();
  readonly logs: string[] = [];
  /** client/registerCapability requests the server made. */
  readonly registrations: unknown[] = [];
  /** Tokens the server created with window/workDoneProgress/create, and every $/progress, in order. */
  readonly progressTokens: unknown[] = [];
  readonly progress: Array<{ token: unknown; value: { kind: 'begin' | 'report' | 'end'; title?: string; message?: string; percentage?: number } }> = [];
  /** Every message from the server in arrival order, by kind (responses are recorded by request()). */
  readonly arrivals: string[] = [];
  stderr = '';
  exitCode: number | null | undefined;
  private waiters: Array<() => void> = [];
  private readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    this.connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      this.published.push(p);
      this.latest.set(p.uri, p);
      this.arrivals.push(`publish ${p.uri}`);
      this.wake();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.wake();
    });
    this.connection.onNotification('window/showMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.connection.onRequest('client/registerCapability', (p: unknown) => {
      this.registrations.push(p);
      this.wake();
      return null;
    });
    this.connection.onRequest('workspace/configuration', () => []);
    this.connection.onRequest('window/workDoneProgress/create', (p: { token: unknown }) => {
      this.progressTokens.push(p.token);
      return null;
    });
    this.connection.onUnhandledProgress((p) => {
      const params = p as LspClient['progress'][number];
      this.progress.push(params);
      this.arrivals.push(`progress ${params.value.kind}`);
      this.wake();
    });
    this.connection.onError(() => {});
    this.connection.onClose(() => this.wake());
    child.stderr.on('data', (d) => (this.stderr += String(d)));
    this.exited = new Promise((resolve) => child.on('exit', (code) => {
      this.exitCode = code;
      this.wake();
      resolve(code);
    }));
    this.connection.listen();
  }

  static start(args: string[] = ['lsp', '--stdio'], env: NodeJS.ProcessEnv = {}): LspClient {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    return new LspClient(child);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once `check()` holds (re-checked on every notification); fails after `timeoutMs` with `what`. */
  async waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value) return value;
      if (this.exitCode !== undefined) throw new Error(`server exited (${this.exitCode}) while waiting for ${what}\n${this.stderr}`);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out waiting for ${what}; last diagnostics: ${JSON.stringify([...this.latest.values()], null, 1).slice(0, 4000)}\nstderr: ${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The latest diagnostics of a file, once some were published for it after `since` notifications. */
  diagnosticsOf(path: string): Diagnostic[] | undefined {
    return this.latest.get(uriOf(path))?.diagnostics;
  }

  /** `showsProgress`: the client declares `window.workDoneProgress` (the server may then report progress). */
  async initialize(rootPath: string | null, initializationOptions: Record<string, unknown> = { debounceMs: 20 }, watchFiles = false, showsProgress = false): Promise<unknown> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: rootPath ? uriOf(rootPath) : null,
      workspaceFolders: rootPath ? [{ uri: uriOf(rootPath), name: 'ws' }] : null,
      capabilities: {
        textDocument: { publishDiagnostics: { versionSupport: true } },
        workspace: { didChangeWatchedFiles: { dynamicRegistration: watchFiles } },
        window: { workDoneProgress: showsProgress },
      },
      initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(path: string, text: string, version = 1, languageId = 'yaml'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(path), languageId, version, text } });
  }

  change(path: string, version: number, changes: Array<{ range?: Diagnostic['range']; text: string }>): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(path), version }, contentChanges: changes });
  }

  close(path: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(path) } });
  }

  request<R = unknown>(method: string, params: unknown): Promise<R> {
    return (this.connection.sendRequest(method, params) as Promise<R>).then((result) => {
      this.arrivals.push(`response ${method}`);
      return result;
    });
  }

  /** shutdown + exit; resolves with the exit code. */
  async stop(): Promise<number | null> {
    if (this.exitCode === undefined) {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    }
    const code = await this.exited;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    this.connection.dispose();
  }
}

/** Where `needle` starts in `text`, as an LSP position. */
export function positionOf(text: string, needle: string, from = 0): { line: number; character: number } {
  const offset = text.indexOf(needle, from);
  if (offset < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}
