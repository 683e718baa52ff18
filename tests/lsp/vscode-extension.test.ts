// editors/vscode as VS Code would load it — VS Code itself is not available here. extension.js is required by
// node's CommonJS loader with `vscode` and `vscode-languageclient/node` stubbed: the stub LanguageClient checks
// the arguments as vscode-languageclient 9 declares them (id, name, an Executable `{ command, args }` server
// and client options with a documentSelector), and the command it is given is then started for real and
// spoken to over stdio, as the language client would. package.json's globs must cover every base file name
// the server serves.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join, matchesGlob } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE_FILE_NAMES } from '../../src/views/index.js';
import { WATCHED } from '../../src/lsp/server.js';
import { BIN, LspClient, ROOT } from './client.js';
import { copyRecipe, EXAMPLE_RECIPE, removeTempDirs } from './recipes.js';

const EXTENSION = join(ROOT, 'editors/vscode');
const manifest = JSON.parse(readFileSync(join(EXTENSION, 'package.json'), 'utf8')) as {
  main: string;
  activationEvents: string[];
  dependencies: Record<string, string>;
  contributes: { configuration: { properties: Record<string, { default: unknown }> } };
};

interface Started {
  id: string;
  name: string;
  serverOptions: { command: string; args: string[] };
  clientOptions: { documentSelector: Array<{ scheme: string; pattern: string }>; initializationOptions: { debounceMs?: unknown } };
  calls: string[];
}

/** Requires extension.js afresh with stubbed modules; `settings` is what the stacklint configuration holds. */
function loadExtension(settings: Record<string, unknown>): { extension: { activate: (c: unknown) => unknown; deactivate: () => unknown }; started: Started[] } {
  const started: Started[] = [];
  class LanguageClient {
    readonly record: Started;
    constructor(...args: unknown[]) {
      // vscode-languageclient 9: (id, name, serverOptions, clientOptions, forceDebug?)
      const [id, name, serverOptions, clientOptions] = args as [string, string, Started['serverOptions'], Started['clientOptions']];
      if (typeof id !== 'string' || typeof name !== 'string') throw new TypeError('LanguageClient(id: string, name: string, …)');
      if (typeof serverOptions?.command !== 'string' || !Array.isArray(serverOptions.args)) throw new TypeError('serverOptions must be an Executable { command, args }');
      if (!Array.isArray(clientOptions?.documentSelector)) throw new TypeError('clientOptions.documentSelector must be a list of document filters');
      this.record = { id, name, serverOptions, clientOptions, calls: [] };
      started.push(this.record);
    }
    start(): Promise<void> {
      this.record.calls.push('start');
      return Promise.resolve();
    }
    stop(): Promise<void> {
      this.record.calls.push('stop');
      return Promise.resolve();
    }
  }
  const vscode = {
    workspace: {
      getConfiguration: (section: string) => {
        if (section !== 'stacklint') throw new Error(`unexpected configuration section ${section}`);
        return { get: (key: string) => settings[key] };
      },
    },
  };
  const stubs: Record<string, unknown> = { vscode, 'vscode-languageclient/node': { LanguageClient } };
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const original = loader._load;
  loader._load = (request, ...rest) => (request in stubs ? stubs[request] : original(request, ...rest));
  try {
    const require = createRequire(join(EXTENSION, 'package.json'));
    const path = require.resolve(`./${manifest.main}`);
    delete require.cache[path];
    return { extension: require(path), started };
  } finally {
    loader._load = original;
  }
}

const clients: LspClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.kill();
  removeTempDirs();
});

describe('editors/vscode', () => {
  it('activates a client that starts `stacklint lsp --stdio` with the configured path and debounce, and stops it', async () => {
    const { extension, started } = loadExtension({ path: '/opt/bin/stacklint', debounceMs: 75 });
    const context = { subscriptions: [] as Array<{ dispose: () => unknown }> };
    await extension.activate(context);
    expect(started).toHaveLength(1);
    const [client] = started;
    expect(client.id).toBe('stacklint');
    expect(client.serverOptions).toEqual({ command: '/opt/bin/stacklint', args: ['lsp', '--stdio'] });
    expect(client.clientOptions.initializationOptions).toEqual({ debounceMs: 75 });
    expect(client.calls).toEqual(['start']);
    await context.subscriptions[0].dispose();
    await extension.deactivate();
    expect(client.calls).toEqual(['start', 'stop', 'stop']);
    // Unset settings: `stacklint` on PATH, the server's own debounce.
    const defaults = loadExtension({});
    await defaults.extension.activate({ subscriptions: [] });
    expect(defaults.started[0].serverOptions.command).toBe('stacklint');
    expect(defaults.started[0].clientOptions.initializationOptions.debounceMs).toBeUndefined();
    expect(manifest.contributes.configuration.properties['stacklint.path'].default).toBe('stacklint');
    expect(manifest.dependencies['vscode-languageclient']).toMatch(/^\^9\./);
  });

  it('the command it is given serves over stdio as the language client speaks to it', async () => {
    const { extension, started } = loadExtension({ path: BIN, debounceMs: 0 });
    await extension.activate({ subscriptions: [] });
    const { command, args } = started[0].serverOptions;
    const c = new LspClient(spawn(command, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] }));
    clients.push(c);
    const dir = copyRecipe(EXAMPLE_RECIPE);
    await c.initialize(dir, started[0].clientOptions.initializationOptions);
    await c.waitFor('diagnostics of the recipe', () => c.published.some((p) => p.diagnostics.length > 0));
    expect(await c.stop()).toBe(0);
  });

  it('activates on, and sends, every file name the server serves: base files by every name, overlays, .env.sample, abra.sh, templates', async () => {
    const { extension, started } = loadExtension({});
    await extension.activate({ subscriptions: [] });
    const selector = started[0].clientOptions.documentSelector;
    const contains = manifest.activationEvents.filter((e) => e.startsWith('workspaceContains:')).map((e) => e.slice('workspaceContains:'.length));
    const overlayOf = (base: string) => base.replace(/\.(ya?ml)$/, '.prod.$1');
    for (const base of BASE_FILE_NAMES) {
      const path = `/ws/shop/${base}`;
      expect(contains.some((glob) => matchesGlob(path, glob)), `activation on ${base}`).toBe(true);
      for (const file of [path, `/ws/shop/${overlayOf(base)}`]) {
        expect(selector.some((f) => f.scheme === 'file' && matchesGlob(file, f.pattern)), `document selector for ${file}`).toBe(true);
        expect(WATCHED.some((glob) => matchesGlob(file, glob)), `watched: ${file}`).toBe(true);
      }
    }
    for (const file of ['/ws/r/.env.sample', '/ws/r/abra.sh', '/ws/r/nginx.conf.tmpl', '/ws/shop/.env.example', '/ws/shop/.env.dist']) {
      expect(selector.some((f) => matchesGlob(file, f.pattern)), file).toBe(true);
      expect(WATCHED.some((glob) => matchesGlob(file, glob)), `watched: ${file}`).toBe(true);
    }
    // Where a plain stack's deploy commands declare views: watched, so that a change re-lints.
    for (const file of ['/ws/shop/deploy.sh', '/ws/shop/Makefile', '/ws/shop/.github/workflows/deploy.yml', '/ws/shop/README.md', '/ws/shop/readme']) expect(WATCHED.some((glob) => matchesGlob(file, glob)), `watched: ${file}`).toBe(true);
    // Not every YAML file: a CI workflow is not a stack file.
    expect(selector.some((f) => matchesGlob('/ws/.github/workflows/ci.yml', f.pattern))).toBe(false);
  });
});
