// `stacklint lsp`: the language server, on stdin/stdout. The server (vscode-languageserver and src/lsp) is a
// chunk of its own in the bundle, imported only when this command runs, so that `lint` starts without it.
import { formatOptions, parseArgs, UsageError } from '../args.js';
import type { OptionSpec } from '../args.js';
import type { Command } from './index.js';
import { guardStreams } from '../output.js';

export const OPTIONS: OptionSpec[] = [{ name: 'stdio', type: 'boolean', description: 'talk LSP over stdin/stdout (the default and only transport; accepted for editors that pass it)' }];

const HELP = `Usage: stacklint lsp [--stdio]

A Language Server Protocol server for editors, on stdin/stdout. It lints every recipe the workspace holds
(a recipe folder, or a catalogue of recipes) and each recipe an opened file belongs to (the nearest
directory above it with compose.yml), exactly as \`stacklint lint\` does — config file, baseline and
suppressions included — with the editor's unsaved buffers laid over the files on disk:

  diagnostics   every finding, on the file and range the CLI reports, in every file of the recipe (a
                finding in the base or a template appears and clears as you edit an overlay), with the
                rule id, a link to its docs and the views it occurs in; baselined findings are hints
  hover         a key's merged value in each view that includes the file, and where it comes from
                (\`compose.yml:12, replaced by compose.smtp.yml:7\`), as \`config --provenance\` says
  code actions  apply the finding's fix (the edits --fix makes); suppress it on the line or in the
                file (# stacklint-disable-next-line RULE -- reason); accept it into .stacklint-baseline.json
  definition    a service's secrets/configs/networks/volumes entry → the top-level definition;
  / references  depends_on → the service; a config's file: → the template; \${VAR} → .env.sample / abra.sh

Edits are linted after a quiet time of 150 ms (initializationOptions: { "debounceMs": N }). Set-up for
Neovim, Helix and VS Code: docs/editors.md.

Options:
${formatOptions(OPTIONS)}

Exit codes: 0 after the client's shutdown and exit; 1 when the client exits or disconnects without a
shutdown (as LSP servers do); 2 usage error.
`;

interface LspModule {
  startServer(options: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream }): unknown;
}

function loadServer(): Promise<LspModule> {
  return import('../../src/lsp/server.js');
}

export const lspCommand: Command = {
  name: 'lsp',
  summary: 'a language server for editors: findings, merged values, fixes and navigation as you type',
  help: () => HELP,
  async run(argv) {
    const { positionals } = parseArgs(argv, OPTIONS);
    if (positionals.length > 0) throw new UsageError(`lsp takes no arguments (got '${positionals[0]}'); the editor says which folders to lint`);
    const { startServer } = await loadServer();
    // stdout is the protocol's: nothing else may write there. A bug must not end the editor's session either.
    const oneLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];
    process.on('uncaughtException', (err) => process.stderr.write(`stacklint lsp: internal error: ${oneLine(err)}\n`));
    process.on('unhandledRejection', (err) => process.stderr.write(`stacklint lsp: internal error: ${oneLine(err)}\n`));
    guardStreams();
    startServer({ input: process.stdin, output: process.stdout });
    // The server ends the process itself (exit notification, or the client closing the stream).
    return new Promise<number>(() => {});
  },
};
