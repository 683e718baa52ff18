// Bundles the CLI into dist/ so that `node bin/stacklint.js` starts fast (one file, no TS at run time).
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

if (!existsSync(new URL('../cli/main.ts', import.meta.url))) process.exit(0);
await build({
  entryPoints: { stacklint: 'cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true, // the ink TUI loads as its own chunk, only for `review`
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  define: { __STACKLINT_VERSION__: JSON.stringify(pkg.version) },
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
