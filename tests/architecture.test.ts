// The one-way flow of data through stacklint's folders, as a table checked against every import of src/ and
// cli/ (type-only imports and re-exports count: they tie a folder to another as much as a call does).
//
// A folder may import its own files and any folder of an EARLIER layer. Products (the commands' engines) sit
// in one layer and may import each other only along the edges listed in PRODUCT_EDGES. A folder under src/
// that the table does not list fails the test: whoever adds a folder places it here (and in
// docs/architecture.md).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = resolve(fileURLToPath(new URL('..', import.meta.url)));

/** Earliest first. */
const LAYERS: ReadonlyArray<{ folders: readonly string[]; role: string }> = [
  { folders: ['src/load'], role: 'read and parse files, positions' },
  { folders: ['src/interpolate'], role: "docker's variable substitution" },
  { folders: ['src/schema'], role: "docker's schema validation" },
  { folders: ['src/merge'], role: "docker's typed load and stack merge, with provenance; the merged config's type" },
  { folders: ['src/views'], role: "a recipe's views: which files to merge with which environment (.env.sample, abra.sh)" },
  { folders: ['src/pipeline'], role: 'one file list through the stages; a recipe and its built views' },
  { folders: ['src/swarm'], role: 'what docker stack deploy makes of a view: names, networks, host references' },
  { folders: ['src/rules'], role: 'the rules and their kit' },
  { folders: ['src/config'], role: 'the configuration file (rule levels, ignore globs) and suppression comments' },
  { folders: ['src/lint'], role: 'one recipe linted: rules run, reports positioned, findings' },
  { folders: ['src/report'], role: 'output formats' },
  { folders: ['src/write', 'src/graph', 'src/catalogue', 'src/gate', 'src/fix', 'src/ladder', 'src/lsp'], role: 'products: what the commands do' },
  { folders: ['cli'], role: 'arguments, terminal, exit codes' },
];

/** Imports allowed between products (same layer); each list names what the product may import. */
const PRODUCT_EDGES: Readonly<Record<string, readonly string[]>> = {
  'src/write': [],
  'src/graph': [],
  'src/catalogue': ['src/graph'],
  'src/gate': ['src/catalogue', 'src/write'],
  'src/fix': ['src/catalogue', 'src/write'],
  'src/ladder': ['src/catalogue', 'src/gate'],
  'src/lsp': ['src/gate', 'src/write'],
};

const layerOf = new Map<string, number>();
LAYERS.forEach((layer, i) => layer.folders.forEach((f) => layerOf.set(f, i)));

/** The folder a repository path belongs to: `src/<name>` or `cli`. */
function folderOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] === 'cli') return 'cli';
  if (parts[0] === 'src' && parts.length > 2) return `src/${parts[1]}`;
  return undefined;
}

export function importAllowed(from: string, to: string): boolean {
  if (from === to) return true;
  const a = layerOf.get(from);
  const b = layerOf.get(to);
  if (a === undefined || b === undefined) return false;
  if (b < a) return true;
  return a === b && (PRODUCT_EDGES[from] ?? []).includes(to);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|cts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Relative module specifiers of a file: static imports, re-exports, `import type`, dynamic `import()`. */
function relativeImports(text: string): string[] {
  const specs: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  for (const m of code.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*(['"])(\.{1,2}\/[^'"]+)\1/g)) specs.push(m[2]);
  for (const m of code.matchAll(/\bimport\s*(['"])(\.{1,2}\/[^'"]+)\1/g)) specs.push(m[2]);
  for (const m of code.matchAll(/\bimport\s*\(\s*(['"])(\.{1,2}\/[^'"]+)\1\s*\)/g)) specs.push(m[2]);
  return specs;
}

interface Edge {
  file: string;
  spec: string;
  from: string;
  to: string;
}

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const root of ['src', 'cli']) {
    for (const abs of sourceFiles(join(REPO, root))) {
      const file = relative(REPO, abs);
      const from = folderOf(file)!;
      for (const spec of relativeImports(readFileSync(abs, 'utf8'))) {
        const target = relative(REPO, resolve(dirname(abs), spec));
        const to = folderOf(target);
        if (!to) throw new Error(`${file}: imports ${spec}, outside src/ and cli/`);
        if (to !== from) out.push({ file, spec, from, to });
      }
    }
  }
  return out;
}

describe('architecture: data flows one way', () => {
  it('places every folder of src/ in the table', () => {
    const folders = readdirSync(join(REPO, 'src')).filter((name) => statSync(join(REPO, 'src', name)).isDirectory());
    const unplaced = folders.map((name) => `src/${name}`).filter((f) => !layerOf.has(f));
    expect(
      unplaced,
      `${unplaced.join(', ')} not placed: add each to LAYERS in tests/architecture.test.ts (after everything it imports, before everything that imports it) and to docs/architecture.md`,
    ).toEqual([]);
  });

  it('has no import against the table', () => {
    const wrong = edges()
      .filter((e) => !importAllowed(e.from, e.to))
      .map((e) => `${e.file} imports ${e.spec}: ${e.from} may not import ${e.to}`);
    expect(wrong).toEqual([]);
  });

  it('keeps the allowed product edges acyclic', () => {
    const visiting = new Set<string>();
    const done = new Set<string>();
    const cyclic: string[] = [];
    const visit = (f: string, path: string[]) => {
      if (done.has(f)) return;
      if (visiting.has(f)) {
        cyclic.push([...path, f].join(' -> '));
        return;
      }
      visiting.add(f);
      for (const g of PRODUCT_EDGES[f] ?? []) visit(g, [...path, f]);
      visiting.delete(f);
      done.add(f);
    };
    for (const f of Object.keys(PRODUCT_EDGES)) visit(f, []);
    expect(cyclic).toEqual([]);
  });

  it('the checker sees imports of every kind, and refuses what the table forbids', () => {
    const text = [
      "import { a } from '../merge/index.js';",
      "import type { B } from '../rules/rule.js';",
      "export { c } from './local.js';",
      "export * from '../swarm/index.js';",
      "import '../load/side-effect.js';",
      "const m = await import('../lint/engine.js');",
      "// import { no } from '../cli/commented.js';",
    ].join('\n');
    expect(relativeImports(text)).toEqual(['../merge/index.js', '../rules/rule.js', './local.js', '../swarm/index.js', '../load/side-effect.js', '../lint/engine.js']);
    expect(importAllowed('src/rules', 'src/swarm')).toBe(true);
    expect(importAllowed('src/swarm', 'src/rules')).toBe(false);
    expect(importAllowed('src/lint', 'src/catalogue')).toBe(false);
    expect(importAllowed('src/catalogue', 'src/graph')).toBe(true);
    expect(importAllowed('src/graph', 'src/catalogue')).toBe(false);
    expect(importAllowed('src/unknown', 'src/load')).toBe(false);
  });
});
