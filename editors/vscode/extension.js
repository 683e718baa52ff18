// A minimal VS Code extension: starts `stacklint lsp --stdio` for the stacks in the workspace (Co-op Cloud recipes
// and plain swarm stacks) and hands it the files a stack's lint reads. Everything else (diagnostics, hover, code
// actions, definitions) is the server's.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

function activate(context) {
  const settings = vscode.workspace.getConfiguration('stacklint');
  const command = settings.get('path') || 'stacklint';
  const serverOptions = { command, args: ['lsp', '--stdio'] };
  const clientOptions = {
    // Compose files by docker's and the community's names (and their overlays), .env.sample, abra.sh, config
    // templates, and .env.example / .env.dist (whose COMPOSE_FILE declares a plain stack's views): the files
    // stacklint reports on. Saved or not (`untitled:` buffers have no stack to belong to).
    documentSelector: [
      { scheme: 'file', pattern: '**/compose*.{yml,yaml}' },
      { scheme: 'file', pattern: '**/{docker-compose,docker-stack,stack}.{yml,yaml}' },
      { scheme: 'file', pattern: '**/{docker-compose,docker-stack,stack}.*.{yml,yaml}' },
      { scheme: 'file', pattern: '**/.env.sample' },
      { scheme: 'file', pattern: '**/.env.{example,dist}' },
      { scheme: 'file', pattern: '**/abra.sh' },
      { scheme: 'file', pattern: '**/*.tmpl' },
    ],
    initializationOptions: { debounceMs: settings.get('debounceMs') },
  };
  client = new LanguageClient('stacklint', 'stacklint', serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
