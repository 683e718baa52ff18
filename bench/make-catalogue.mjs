// The benches' catalogues: n recipes made by ../shared/corpus/make-catalogue.sh under $TMPDIR/stacklint-bench/,
// once, and kept for later runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const MAKE = resolve(ROOT, '../shared/corpus/make-catalogue.sh');
export const WORK = join(tmpdir(), 'stacklint-bench');

/** A catalogue of n recipes, made once and kept for later runs. */
export function catalogue(n) {
  const dir = join(WORK, `cat-${n}`);
  const count = existsSync(dir) ? readdirSync(dir).filter((d) => existsSync(join(dir, d, 'compose.yml'))).length : 0;
  if (count !== n) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    const r = spawnSync('bash', [MAKE, dir, String(n)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`make-catalogue.sh failed: ${r.stderr}`);
  }
  return dir;
}
