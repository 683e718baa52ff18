// The one place the language server writes a file (the baseline, when a finding is accepted): the text goes
// to a temporary file beside the target and is renamed over it, so an editor or a lint never reads half a
// file. Kept apart so that it can be swapped for the project's shared safe-write helper.
import { renameSync, unlinkSync, writeFileSync } from 'node:fs';

export function writeFileAtomically(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    renameSync(temp, path);
  } catch (err) {
    try {
      unlinkSync(temp);
    } catch {
      // never created, or already renamed
    }
    throw err;
  }
}
