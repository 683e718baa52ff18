// Bundles the CLI into dist/ so that `node bin/stacklint.js` starts fast (no TS at run time, one file to load):
//   stacklint.cjs    the CLI (cli/main.ts), CommonJS, run by launch.mjs through V8's code cache (cli/launch.ts)
//   lint-worker.cjs  a catalogue run's worker thread (src/catalogue/worker.ts), started on launch.mjs as well
//   launch.mjs       the launcher: bin/stacklint.js imports it
//   review.mjs       the ink TUI, ESM (ink needs it), loaded only by `stacklint review`
//   validators/      docker's schemas as precompiled ajv validators
// then trains the code caches: runs a lint and a two-thread catalogue lint of the bundled example recipe, so
// that the cache holds the functions a lint calls, compiled by this node.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

if (!existsSync(join(ROOT, 'cli/main.ts'))) process.exit(0);
// Names are fixed, but old caches and chunks must never outlive a build: start clean.
rmSync(join(ROOT, 'dist'), { recursive: true, force: true });

const common = {
  absWorkingDir: ROOT,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  jsx: 'automatic', // cli/review/*.tsx (react-jsx, as tsconfig)
  logLevel: 'warning',
  define: { __STACKLINT_VERSION__: JSON.stringify(pkg.version) },
};

await build({
  ...common,
  entryPoints: { stacklint: 'cli/main.ts', 'lint-worker': 'src/catalogue/worker.ts' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  // Code in a node:vm Script cannot import(): builtins become require(), the TUI goes through cli/bundle-import.ts.
  supported: { 'dynamic-import': false },
  define: { ...common.define, 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [
    {
      // The TUI is its own file (review.mjs below); the import left in the bundle is the from-sources branch.
      name: 'review-apart',
      setup(b) {
        b.onResolve({ filter: /\/review\/run\.js$/ }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});

await build({ ...common, entryPoints: { launch: 'cli/launch.ts' }, outExtension: { '.js': '.mjs' }, format: 'esm' });

await build({
  ...common,
  entryPoints: { review: 'cli/review/run.tsx' },
  outExtension: { '.js': '.mjs' },
  format: 'esm',
  splitting: true, // ink's React-devtools hook stays a chunk of its own, loaded only when DEV=true
  // ink imports it only when DEV=true (React devtools); not a dependency.
  external: ['react-devtools-core'],
  // CommonJS dependencies (react) expect require/__filename/__dirname in the ESM bundle.
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
const generator = join(ROOT, `dist/.validators-${process.pid}.mjs`);
await build({
  stdin: {
    contents: "export { standaloneValidatorModule } from './src/schema/ajv-standalone.ts'; export { SUPPORTED_VERSIONS } from './src/schema/version.ts';",
    resolveDir: ROOT,
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
let schemaVersions = [];
try {
  const { standaloneValidatorModule, SUPPORTED_VERSIONS } = await import(pathToFileURL(generator).href);
  schemaVersions = SUPPORTED_VERSIONS;
  mkdirSync(join(ROOT, 'dist/validators'), { recursive: true });
  for (const version of SUPPORTED_VERSIONS) {
    writeFileSync(join(ROOT, `dist/validators/config_schema_v${version}.cjs`), standaloneValidatorModule(version));
  }
} finally {
  rmSync(generator, { force: true });
}

// Training runs: each bundle writes its code cache when a run without one ends (cli/launch.ts).
const example = join(ROOT, 'fixtures/example-recipe');
const catalogue = mkdtempSync(join(tmpdir(), 'stacklint-train-'));
try {
  // Enough recipes that the worker thread lints some of them too.
  for (let i = 0; i < 6; i++) cpSync(example, join(catalogue, `recipe-${i}`), { recursive: true });
  // And a file of every schema version (and one without), so that each validator gets its cache too.
  for (const version of [...schemaVersions, undefined]) {
    const dir = join(catalogue, `version-${version ?? 'none'}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'compose.yml'), `${version ? `version: "${version}"\n` : ''}services:\n  app:\n    image: nginx:1.27\n`);
  }
  for (const args of [['lint', example], ['lint', '--jobs', '2', catalogue]]) {
    const run = spawnSync(process.execPath, [join(ROOT, 'bin/stacklint.js'), ...args, '--format', 'json'], { stdio: ['ignore', 'ignore', 'pipe'] });
    // 1 is "findings": the example recipe has some on purpose.
    if (run.status !== 0 && run.status !== 1) {
      process.stderr.write(`build: training run \`stacklint ${args.join(' ')}\` failed (exit ${run.status})\n${run.stderr}`);
      process.exit(1);
    }
  }
} finally {
  rmSync(catalogue, { recursive: true, force: true });
}
