import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export const REPO = join(__dirname, '../..');

/** A fresh copy of `dir` under a temporary directory; returns the copy's path. */
export function copyRecipe(dir: string, name = 'recipe'): string {
  const root = mkdtempSync(join(tmpdir(), 'stacklint-fix-'));
  const target = join(root, name);
  cpSync(dir, target, { recursive: true });
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
