// Bundles the CLI into dist/ so that `node bin/stacklint.js` starts fast (one file, no TS at run time).
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

if (!existsSync(new URL('../cli/main.ts', import.meta.url))) process.exit(0);
// Chunk names change with content: start clean so old chunks never pile up.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  // lint-worker: the thread a catalogue run lints on beside the main one (src/lint/pool.ts).
  entryPoints: { stacklint: 'cli/main.ts', 'lint-worker': 'src/lint/worker.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true, // the ink TUI loads as its own chunk, only for `review`
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  jsx: 'automatic', // cli/review/*.tsx (react-jsx, as tsconfig)
  // ink imports it only when DEV=true (React devtools); not a dependency.
  external: ['react-devtools-core'],
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

// docker's schemas as precompiled ajv validators (src/schema/ajv-standalone.ts), which the bundle loads from
// dist/validators/ instead of compiling one (~130 ms) in every process and worker thread.
const generator = `dist/.validators-${process.pid}.mjs`;
await build({
  stdin: {
    contents: "export { standaloneValidatorModule } from './src/schema/ajv-standalone.ts'; export { SUPPORTED_VERSIONS } from './src/schema/version.ts';",
    resolveDir: '.',
    loader: 'ts',
  },
  outfile: generator,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
try {
  const { standaloneValidatorModule, SUPPORTED_VERSIONS } = await import(pathToFileURL(generator).href);
  mkdirSync('dist/validators', { recursive: true });
  for (const version of SUPPORTED_VERSIONS) {
    writeFileSync(`dist/validators/config_schema_v${version}.cjs`, standaloneValidatorModule(version));
  }
} finally {
  rmSync(generator, { force: true });
}
