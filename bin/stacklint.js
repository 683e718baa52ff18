#!/usr/bin/env node
// Thin launcher: the CLI itself is bundled into dist/ by `npm run build` (run by `npm ci` via `prepare`).
import { existsSync } from 'node:fs';
const entry = new URL('../dist/launch.mjs', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('stacklint: dist/launch.mjs is missing; run `npm ci` or `npm run build` first\n');
  process.exit(2);
}
await import(entry.href);
