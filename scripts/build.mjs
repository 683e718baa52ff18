// Bundles stacklint into dist/ so that `node bin/stacklint.js` starts fast (no TypeScript, no node_modules at
// run time: the package declares no runtime dependencies, everything it runs is in dist/):
//   stacklint.mjs          the CLI (cli/main.ts), ESM; bin/stacklint.js imports it after turning on node's
//                          compile cache (module.enableCompileCache, in the user's cache directory)
//   lint-worker.mjs        a catalogue run's worker thread (src/catalogue/worker-start.ts): the same cache, then the
//                          worker's code, which shares its chunks with the CLI
//   *-<hash>.mjs           chunks: shared code, and the parts only some commands load, imported when first
//                          needed (the ink TUI of `stacklint review`, …)
//   typescript-estree.cjs  the TypeScript parser, minified, required only to read a stacklint.config.ts
//   validators/            docker's schemas as precompiled ajv validators (CommonJS, ajv's runtime inlined)
// Last, the functions a pre-commit lint runs are made eager, so that node's compile cache keeps their code
// (scripts/eager-functions.mjs: the build lints the example recipe once under V8's coverage for that).
// No source maps unless STACKLINT_SOURCEMAP=1 (they would be most of the package), no code caches (node
// writes those per user and per node version, outside the install).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { eagerFunctions, executedFunctionEnds, filesOnImportCycles, staticImports } from './eager-functions.mjs';

const require = createRequire(import.meta.url);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
/** The oldest node of package.json's engines (">=22" → "node22"): what esbuild may assume. */
const TARGET = `node${/(\d+)/.exec(pkg.engines.node)[1]}`;
const SOURCEMAP = process.env.STACKLINT_SOURCEMAP === '1' ? 'linked' : false;

// Installed from a packed tarball there are no sources to build (and dist/ is already there).
if (!existsSync(join(ROOT, 'cli/main.ts'))) process.exit(0);
// Names of chunks change with their content: old ones must never outlive a build. Start clean.
rmSync(join(ROOT, 'dist'), { recursive: true, force: true });

const common = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: TARGET,
  sourcemap: SOURCEMAP,
  logLevel: 'warning',
  legalComments: 'none',
};

/**
 * node:fs through require(), not as an ES module: importing a builtin as ESM builds a facade that reads every
 * export once, and for node:fs that wakes its lazy getters (its streams and fs/promises: ~3 ms of every run).
 * stacklint's static imports of node:fs become a small module of fs's plain functions and constants, each
 * read from require()'s object by a call marked pure, so that only the names the bundle uses are read. A name
 * the builder's node:fs lacks fails the build (logOverride below) instead of reading undefined.
 */
const fsByRequire = {
  name: 'fs-by-require',
  setup(b) {
    // stacklint's own static imports; dependencies (the TUI's) keep theirs.
    const own = (args) => args.kind === 'import-statement' && !args.importer.includes('/node_modules/');
    b.onResolve({ filter: /^node:fs$/ }, (args) => (own(args) ? { path: args.path, namespace: 'fs-by-require' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'fs-by-require' }, () => {
      const plain = Object.entries(Object.getOwnPropertyDescriptors(require('node:fs')))
        .filter(([name, d]) => 'value' in d && /^[A-Za-z_$][\w$]*$/.test(name))
        .map(([name]) => name);
      return {
        contents: [
          "const fs$ = require('node:fs');",
          'const read$ = (name) => fs$[name];',
          ...plain.map((n) => `export const ${n} = /* @__PURE__ */ read$(${JSON.stringify(n)});`),
        ].join('\n'),
        loader: 'js',
      };
    });
  },
};

/**
 * The `yaml` package, run on first use: most compose files take the line-based parser's path
 * (src/load/yaml-subset.ts) and a one-recipe lint often never needs the package, whose ~70 modules cost
 * ~2.5 ms to run. stacklint's own imports of 'yaml' become a module of functions that require the package
 * (bundled, run once) when one of them is first called; a class is constructed through its function.
 * Only functions are forwarded: importing any other value from 'yaml' fails the build (logOverride below).
 */
const lazyYaml = {
  name: 'lazy-yaml',
  setup(b) {
    const own = (args) => args.kind === 'import-statement' && !args.importer.includes('/node_modules/');
    b.onResolve({ filter: /^yaml$/ }, (args) => (own(args) ? { path: 'yaml', namespace: 'lazy-yaml' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-yaml' }, () => {
      const functions = Object.entries(require('yaml'))
        .filter(([name, value]) => typeof value === 'function' && /^[A-Za-z_$][\w$]*$/.test(name))
        .map(([name]) => name);
      return {
        contents: [
          'let yaml$;',
          "const load$ = () => (yaml$ ??= require('yaml'));",
          ...functions.map((n) => `export function ${n}(...args) { return new.target ? new (load$().${n})(...args) : load$().${n}(...args); }`),
        ].join('\n'),
        loader: 'js',
        resolveDir: ROOT,
      };
    });
  },
};

await build({
  ...common,
  plugins: [fsByRequire, lazyYaml],
  logOverride: { 'import-is-undefined': 'error' },
  outdir: 'dist',
  entryPoints: { stacklint: 'cli/main.ts', 'lint-worker': 'src/catalogue/worker-start.ts' },
  format: 'esm',
  minifyWhitespace: true,
  minifySyntax: true,
  splitting: true, // dynamic import() becomes a chunk loaded when first needed: the TUI, the worker's code
  outExtension: { '.js': '.mjs' },
  jsx: 'automatic', // cli/review/*.tsx (react-jsx, as tsconfig)
  define: {
    __STACKLINT_VERSION__: JSON.stringify(pkg.version),
    __STACKLINT_TS_PARSER__: JSON.stringify('./typescript-estree.cjs'),
  },
  // ink imports it only when DEV=true (React devtools); not shipped.
  external: ['react-devtools-core'],
  // CommonJS dependencies (react, ink's helpers, fast-glob) call require() for node's builtins and use
  // __filename/__dirname: give every ESM file of the bundle those (three cheap lines).
  banner: {
    js: [
      "import { createRequire as __createRequire } from 'node:module';",
      "import { fileURLToPath as __fileURLToPath } from 'node:url';",
      "import { dirname as __pathDirname } from 'node:path';",
      'const require = __createRequire(import.meta.url);',
      'const __filename = __fileURLToPath(import.meta.url);',
      'const __dirname = __pathDirname(__filename);',
    ].join(' '),
  },
});

// The TypeScript parser behind stacklint.config.ts (src/config/ts-config.ts): the TypeScript compiler is most
// of it. Minified, and required only by a run that reads such a file.
await build({
  ...common,
  entryPoints: ['@typescript-eslint/typescript-estree'],
  outfile: 'dist/typescript-estree.cjs',
  format: 'cjs',
  minify: true,
  sourcemap: false,
});

// docker's schemas as precompiled ajv validators (src/schema/ajv-standalone.ts), which the bundle loads from
// dist/validators/ instead of compiling one (~130 ms) in every process and worker thread. ajv's generated
// code requires parts of ajv's runtime: bundled into each file, as nothing is installed beside dist/.
const scratch = mkdtempSync(join(tmpdir(), 'stacklint-build-'));
try {
  const generator = join(scratch, 'validators.mjs');
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
    target: TARGET,
    packages: 'external',
    logLevel: 'warning',
  });
  // The generator imports ajv from the project's node_modules: run it from inside the project.
  const placed = join(ROOT, 'dist', `.validators-${process.pid}.mjs`);
  writeFileSync(placed, readFileSync(generator));
  let generated;
  try {
    generated = await import(pathToFileURL(placed).href);
  } finally {
    rmSync(placed, { force: true });
  }
  const { standaloneValidatorModule, SUPPORTED_VERSIONS } = generated;
  mkdirSync(join(ROOT, 'dist/validators'), { recursive: true });
  for (const version of SUPPORTED_VERSIONS) {
    const source = join(scratch, `config_schema_v${version}.cjs`);
    writeFileSync(source, standaloneValidatorModule(version));
    await build({
      ...common,
      entryPoints: [source],
      outfile: join(ROOT, `dist/validators/config_schema_v${version}.cjs`),
      format: 'cjs',
      nodePaths: [join(ROOT, 'node_modules')], // ajv's runtime, from outside the project
      minifyWhitespace: true,
    });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/**
 * The functions a one-recipe lint runs (`stacklint lint .` in a copy of the example recipe, as a pre-commit
 * hook runs it), compiled with their bundle file from now on (scripts/eager-functions.mjs). Source maps, when
 * asked for, would no longer fit the rewritten files: then this step is skipped.
 */
function eagerLintFunctions() {
  if (SOURCEMAP) return;
  const work = mkdtempSync(join(tmpdir(), 'stacklint-eager-'));
  try {
    const recipe = join(work, 'recipe');
    cpSync(join(ROOT, 'fixtures/example-recipe'), recipe, { recursive: true });
    const coverage = join(work, 'coverage');
    const env = { ...process.env, NODE_V8_COVERAGE: coverage, NODE_DISABLE_COMPILE_CACHE: '1', XDG_CACHE_HOME: join(work, 'cache'), NO_COLOR: '1' };
    delete env.NODE_OPTIONS;
    const run = spawnSync(process.execPath, [join(ROOT, 'bin/stacklint.js'), 'lint', '.'], { cwd: recipe, env, encoding: 'utf8' });
    // The example recipe has findings on purpose (exit 1); anything but a report is a broken build.
    if (run.status !== 0 && run.status !== 1) {
      process.stderr.write(`build: the coverage run of \`stacklint lint\` on the example recipe exited ${run.status}\n${run.stderr}`);
      process.exit(1);
    }
    const dist = join(ROOT, 'dist');
    const ran = executedFunctionEnds(coverage, dist);
    const chunks = readdirSync(dist).filter((f) => f.endsWith('.mjs'));
    const sources = new Map(chunks.map((f) => [f, readFileSync(join(dist, f), 'utf8')]));
    const graph = new Map(chunks.map((f) => [f, staticImports(sources.get(f)).map((s) => s.replace(/^\.\//, ''))]));
    const cyclic = filesOnImportCycles(graph);
    for (const [file, ends] of ran) {
      if (!sources.has(file)) continue;
      const { text } = eagerFunctions(sources.get(file), ends, { hoistModuleLevel: !cyclic.has(file) });
      writeFileSync(join(dist, file), text);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

eagerLintFunctions();
