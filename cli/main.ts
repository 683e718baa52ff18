// Entry point: picks the command, turns user errors into messages with documented exit codes.
import { safeLines } from '../src/report/common.js';
import { UsageError } from './args.js';
import { EXIT } from './exit-codes.js';
import { COMMANDS, findCommand } from './commands/index.js';
import { VERSION } from './version.js';

const HELP = `stacklint ${VERSION} — static linter for Docker stack compose files and Co-op Cloud recipes

Usage: stacklint <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(10)}${c.summary}`).join('\n')}

Run \`stacklint <command> --help\` for a command's options and examples.

Exit codes: 0 no error-level finding, 1 error findings (or docker's failure for \`config\`),
2 usage, configuration or internal error.
`;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name === 'help' && rest[0]) return main([rest[0], '--help']);
    process.stdout.write(HELP);
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return EXIT.ok;
  }
  const command = findCommand(name);
  if (!command) {
    process.stderr.write(`stacklint: unknown command '${safeLines(name)}'\n\n${HELP}`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help());
    return EXIT.ok;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`stacklint ${name}: ${safeLines(err.message)}\nRun \`stacklint ${name} --help\` for usage.\n`);
      return EXIT.usage;
    }
    const e = err as Error;
    process.stderr.write(`stacklint: internal error: ${safeLines(e?.message ?? String(err))}\n`);
    if (process.env.STACKLINT_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
    else process.stderr.write('This is a bug in stacklint; rerun with STACKLINT_DEBUG=1 for details and report it.\n');
    return EXIT.internal;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`stacklint: internal error: ${safeLines(String(err))}\n`);
    process.exitCode = EXIT.internal;
  },
);
