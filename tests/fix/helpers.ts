import { chmodSync, cpSync, lstatSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const REPO = join(__dirname, '../..');

/**
 * A fresh, writable copy of `dir` under a temporary directory (as a checkout would be: the shared corpus is
 * stored read-only, and --fix refuses read-only files); returns the copy's path.
 */
export function copyRecipe(dir: string, name = 'recipe'): string {
  const root = mkdtempSync(join(tmpdir(), 'stacklint-fix-'));
  const target = join(root, name);
  cpSync(dir, target, { recursive: true });
  const writable = (d: string): void => {
    chmodSync(d, lstatSync(d).mode | 0o200);
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.isDirectory()) writable(join(d, entry.name));
      else if (entry.isFile()) chmodSync(join(d, entry.name), lstatSync(join(d, entry.name)).mode | 0o200);
    }
  };
  writable(target);
  return target;
}

/** Every file under `dir` (relative path → bytes). */
export function readTree(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const abs = join(d, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else out[relative(dir, abs)] = readFileSync(abs);
    }
  };
  walk(dir);
  return out;
}
