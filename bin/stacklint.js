#!/bin/sh
':' //; exec node -- "$0" "$@"
// The two lines above are shell and JavaScript at once: the kernel runs them with sh, which starts node with
// `--` before this file. Node reads `--env-file FILE` (and `--env-file-if-exists`) anywhere on its command line
// up to the first `--`, loads FILE into the environment and applies a NODE_OPTIONS it sets (`--require x.js`):
// `stacklint lint --env-file repo/.env` behind `#!/usr/bin/env node` would run code from the linted
// repository. (`env -S node --` would do the same, but busybox's env, on Alpine, has no -S.) For node the
// second line is a string and a comment.
// The command users run. It checks the node it runs on first, so it is written in syntax every node parses
// (CommonJS by bin/package.json, no let/const/arrows/templates): on a node stacklint does not support, one
// clear line and exit 2 instead of a syntax error from deep inside the bundle. It answers `--version` itself;
// for anything else it turns on node's compile cache in the user's cache directory, and imports the CLI
// bundled into dist/ by `npm run build`.
'use strict';

/** The oldest node major that runs stacklint: package.json's engines.node (a test keeps the two equal). */
var MIN_NODE_MAJOR = 20;

/** The message for a node that cannot run stacklint, or undefined when `version` ("22.1.0") can. */
function unsupportedNodeMessage(version) {
  var major = parseInt(String(version).split('.')[0], 10);
  if (major >= MIN_NODE_MAJOR) return undefined;
  return 'stacklint needs Node >= ' + MIN_NODE_MAJOR + '; this is Node ' + version;
}

/**
 * Where node keeps the compiled code of stacklint between runs: $XDG_CACHE_HOME/stacklint or
 * ~/.cache/stacklint; undefined leaves it to node (NODE_COMPILE_CACHE, else its default under the temp
 * directory). Never the install folder, which may be read-only and is shared by every user and node.
 */
function compileCacheDirectory(env, home) {
  var path = require('path');
  if (env.NODE_COMPILE_CACHE) return undefined;
  if (env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)) return path.join(env.XDG_CACHE_HOME, 'stacklint');
  if (home && path.isAbsolute(home)) return path.join(home, '.cache', 'stacklint');
  return undefined;
}

/**
 * `stacklint --version`, from package.json (the version the bundle was built with): the bundle is one module
 * graph for every command, which this alone does not need.
 */
function printVersion(fs, packageJson) {
  var version = JSON.parse(fs.readFileSync(packageJson, 'utf8')).version;
  try {
    fs.writeSync(1, version + '\n');
  } catch (err) {
    // A reader that closed the pipe gets nothing and we exit 0, as every command does; anything else is exit 2.
    if (err.code === 'EPIPE') return;
    fs.writeSync(2, 'stacklint: cannot write to stdout: ' + err.message + '\n');
    process.exitCode = 2;
  }
}

function start() {
  var unsupported = unsupportedNodeMessage(process.versions.node);
  if (unsupported) {
    process.stderr.write(unsupported + '\n');
    process.exit(2);
  }
  var fs = require('fs');
  var path = require('path');
  var url = require('url');
  var entry = path.join(__dirname, '..', 'dist', 'stacklint.mjs');
  if (!fs.existsSync(entry)) {
    process.stderr.write('stacklint: dist/stacklint.mjs is missing; run `npm ci` or `npm run build` first\n');
    process.exit(2);
  }
  var first = process.argv[2];
  if (first === '--version' || first === '-v' || first === 'version') {
    printVersion(fs, path.join(__dirname, '..', 'package.json'));
    return;
  }
  // Best effort and silent: where the directory cannot be made or written, node runs without the cache.
  var nodeModule = require("module");
  // $HOME is what os.homedir() answers first; node's os module costs ~0.2 ms to load.
  if (nodeModule.enableCompileCache) nodeModule.enableCompileCache(compileCacheDirectory(process.env, process.env.HOME || require('os').homedir()));
  require('./import.cjs')(url.pathToFileURL(entry).href).catch(function (err) {
    process.stderr.write('stacklint: cannot load ' + entry + ': ' + String(err && err.message) + '\n');
    process.exitCode = 2;
  });
}

if (require.main === module) start();
else module.exports = { MIN_NODE_MAJOR: MIN_NODE_MAJOR, unsupportedNodeMessage: unsupportedNodeMessage, compileCacheDirectory: compileCacheDirectory };
