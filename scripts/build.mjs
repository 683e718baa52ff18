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
// No source maps unless STACKLINT_SOURCEMAP=1 (they would be most of the package), no code caches (node
// writes those per user and per node version, outside the install).
import { build } from 'esbuild';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

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

await build({
  ...common,
  plugins: [fsByRequire],
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
 * The language server's cache (dist/lsp.cjs): a session that lints the example recipe and answers a hover, then
 * shuts down — raw LSP messages, so that the build needs no client library.
 */
async function trainLanguageServer(recipe) {
  const child = spawn(process.execPath, [join(ROOT, 'bin/stacklint.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const send = (message) => {
    const body = JSON.stringify({ jsonrpc: '2.0', ...message });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  };
  const uri = pathToFileURL(join(recipe, 'compose.yml')).href;
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const timer = setTimeout(() => child.kill(), 30_000);
  await new Promise((resolve) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('"id":2,') && stdout.includes('textDocument/publishDiagnostics')) resolve();
    });
    child.on('exit', resolve);
    send({ id: 1, method: 'initialize', params: { processId: null, rootUri: pathToFileURL(recipe).href, capabilities: {}, initializationOptions: { debounceMs: 0 } } });
    send({ method: 'initialized', params: {} });
    // Once initialized (its answer is the first output): a hover; the session ends after it and a lint.
    child.stdout.once('data', () => send({ id: 2, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 4, character: 4 } } }));
  });
  send({ id: 3, method: 'shutdown' });
  send({ method: 'exit' });
  const status = await exited;
  clearTimeout(timer);
  if (status !== 0) {
    process.stderr.write(`build: training run \`stacklint lsp\` failed (exit ${status})\n${stderr}`);
    process.exit(1);
  }
}
