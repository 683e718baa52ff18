import { baselineCommand } from './baseline.js';
import { configCommand } from './config.js';
import { graphCommand } from './graph.js';
import { ladderCommand } from './ladder.js';
import { lintCommand } from './lint.js';
import { lspCommand } from './lsp.js';
import { networkCommand } from './network.js';
import { explainCommand, rulesCommand } from './rules.js';
import { reviewCommand } from './review.js';
export { UsageError } from '../args.js';

export interface Command {
  name: string;
  summary: string;
  help(): string;
  run(argv: string[]): Promise<number>;
}

export const COMMANDS: Command[] = [lintCommand, reviewCommand, baselineCommand, configCommand, rulesCommand, explainCommand, ladderCommand, networkCommand, graphCommand, lspCommand];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
