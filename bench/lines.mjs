// `--lines` for the benches: run the same bench once per supported Node line (scripts/node-lines.sh installs
// them into .cache/node/<line>), each under its own node, one after the other.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const SCRIPT = join(ROOT, 'scripts/node-lines.sh');

/** The supported lines, main line first. */
export function supportedLines() {
  const r = spawnSync(SCRIPT, ['lines'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/node-lines.sh lines: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

/** The node binary of a line, installed first when missing. */
export function nodeOfLine(line) {
  const r = spawnSync(SCRIPT, ['bin', line], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`scripts/node-lines.sh bin ${line} failed`);
  return join(r.stdout.trim(), 'node');
}

/**
 * With --lines in argv: runs `script` with the other arguments under each supported line's node and returns
 * its exit code (the worst of them); without it, undefined (the caller runs the bench itself).
 */
export function runPerLine(script, argv) {
  if (!argv.includes('--lines')) return undefined;
  const rest = argv.filter((a) => a !== '--lines');
  let code = 0;
  for (const line of supportedLines()) {
    process.stdout.write(`\n=== Node ${line} line ===\n`);
    const r = spawnSync(nodeOfLine(line), [fileURLToPath(script), ...rest], { stdio: 'inherit' });
    code = Math.max(code, r.status ?? 2);
  }
  return code;
}
