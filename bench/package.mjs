#!/usr/bin/env node
// The package users install: `npm pack` (the dist/ built now, as `npm publish` would ship it), then
// `npm install -g` of the tarball into a fresh prefix. Prints the packed size, the number of files, and the
// installed size (everything under the prefix, which is all stacklint: it has no runtime dependencies).
//
//   node bench/package.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));

function sizeOf(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return { bytes: s.size, files: 1 };
  let bytes = 0;
  let files = 0;
  for (const name of readdirSync(path)) {
    const sub = sizeOf(join(path, name));
    bytes += sub.bytes;
    files += sub.files;
  }
  return { bytes, files };
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

if (!existsSync(join(ROOT, 'dist/stacklint.mjs'))) {
  process.stderr.write('bench/package.mjs: dist/ is missing; run `npm run build` first\n');
  process.exit(2);
}
const work = mkdtempSync(join(tmpdir(), 'stacklint-package-bench-'));
try {
  const env = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH}`, npm_config_update_notifier: 'false' };
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, env, encoding: 'utf8' }));
  const prefix = join(work, 'prefix');
  execFileSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', join(work, packed.filename)], { env, stdio: 'ignore' });
  const installed = sizeOf(prefix);
  const byDir = new Map();
  for (const f of packed.files) {
    const top = f.path.split('/').slice(0, f.path.startsWith('dist/') ? 2 : 1).join('/');
    const key = /^dist\/(run|devtools)-/.test(top) ? 'dist/ (TUI chunks)' : top.startsWith('dist/validators') ? 'dist/validators/' : top.startsWith('dist/') ? (top.endsWith('typescript-estree.cjs') ? top : 'dist/ (CLI chunks)') : top;
    byDir.set(key, (byDir.get(key) ?? 0) + f.size);
  }
  process.stdout.write(`stacklint ${packed.version} (npm ${execFileSync('npm', ['--version'], { env, encoding: 'utf8' }).trim()}, node ${process.version})\n`);
  process.stdout.write(`  packed:    ${mb(packed.size)} compressed, ${packed.entryCount} files, ${mb(packed.unpackedSize)} unpacked\n`);
  process.stdout.write(`  installed: ${mb(installed.bytes)} in ${installed.files} files (npm install -g into a fresh prefix)\n`);
  process.stdout.write('  unpacked, by part:\n');
  for (const [part, bytes] of [...byDir].sort((a, b) => b[1] - a[1])) process.stdout.write(`    ${mb(bytes).padStart(9)}  ${part}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
