import { baselineCommand } from './baseline.js';
import { configCommand } from './config.js';
import { ladderCommand } from './ladder.js';
import { lintCommand } from './lint.js';
import { explainCommand, rulesCommand } from './rules.js';

export interface Command {
  name: string;
  summary: string;
  help(): string;
  run(argv: string[]): Promise<number>;
}

export const COMMANDS: Command[] = [lintCommand, baselineCommand, configCommand, rulesCommand, explainCommand, ladderCommand];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
