// Entry point: picks the command, turns user errors into messages with documented exit codes.
import { safeLines } from '../src/report/common.js';
import { EXIT } from './exit-codes.js';
import { VERSION } from './version.js';
import { WriteError } from '../src/write/index.js';
import { outputFailed, stdio } from './output.js';
// The commands in one module graph with this file: a run loads fewer, larger files (each module a run loads
// costs it ~0.3 ms), and `stacklint --version`, which would load nothing else, is answered by the launcher
// (bin/stacklint.js) before any of this is loaded.
import { COMMANDS, findCommand, UsageError } from './commands/index.js';
import type { Command } from './commands/index.js';

const help = (commands: readonly Command[]) => `stacklint ${VERSION} — static linter for Docker stack compose files and Co-op Cloud recipes

Usage: stacklint <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join('\n')}

Run \`stacklint <command> --help\` for a command's options and examples.

Exit codes: 0 no error-level finding, 1 error findings (or docker's failure for \`config\`),
2 usage, configuration or internal error.
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    stdio.out(`${VERSION}\n`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0]) return main([rest[0], '--help']);
    stdio.out(help(COMMANDS));
    return name ? EXIT.ok : EXIT.usage;
  }
  const command = findCommand(name);
  if (!command) {
    stdio.err(`stacklint: unknown command '${safeLines(name)}'\n\n${help(COMMANDS)}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    stdio.out(command.help());
    return EXIT.ok;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      stdio.err(`stacklint ${name}: ${safeLines(err.message)}\nRun \`stacklint ${name} --help\` for usage.\n`);
      return EXIT.usage;
    }
    if (err instanceof WriteError) {
      // A write refused or failed (a link, a full disk, `-o` into a directory): one line, nothing half-written.
      stdio.err(`stacklint ${name}: ${err.message}\n`);
      return EXIT.usage;
    }
    const e = err as Error;
    stdio.err(`stacklint: internal error: ${safeLines(e?.message ?? String(err))}\n`);
    if (process.env.STACKLINT_DEBUG) stdio.err(`${e?.stack ?? ''}\n`);
    else stdio.err('This is a bug in stacklint; rerun with STACKLINT_DEBUG=1 for details and report it.\n');
    return EXIT.internal;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = outputFailed() ? EXIT.internal : code;
  },
  (err) => {
    stdio.err(`stacklint: internal error: ${safeLines(String(err))}\n`);
    process.exitCode = EXIT.internal;
  },
);
