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
  // CommonJS dependencies (typescript-estree) expect require/__filename/__dirname in the ESM bundle.
  banner: {
    js: [
      "import { createRequire as __cr } from 'node:module';",
      "import { fileURLToPath as __fup } from 'node:url';",
      "import { dirname as __dn } from 'node:path';",
      'const require = __cr(import.meta.url);',
      'const __filename = __fup(import.meta.url);',
      'const __dirname = __dn(__filename);',
    ].join(' '),
  },
});
