// Go to definition and find references across a recipe's files. What is under the cursor is a symbol: a
// secret, config, network or volume (a service's entry, or the top-level definition), a service (its key,
// or a depends_on entry), a variable (`${VAR}` in a compose file, `{{ env "VAR" }}` in a template, its
// .env.sample line or abra.sh assignment), or a config's `file:` (the template). Definitions and references
// are looked up in every compose file of the recipe, whichever file defines them.
import type { FileDoc, Path, SourceRange, YamlValue } from '../load/types.js';
import type { RecipeInfo } from './engine-adapter.js';
import { pathAt } from './yaml-paths.js';

const ENTRY_KINDS = ['secrets', 'configs', 'networks', 'volumes'] as const;
type EntryKind = (typeof ENTRY_KINDS)[number];

export type NavSymbol =
  | { kind: EntryKind; name: string }
  | { kind: 'service'; name: string }
  | { kind: 'env'; name: string }
  | { kind: 'file'; path: string };

/** A place in a recipe file: recipe-relative file, 1-based line and column, end exclusive. */
export interface Place {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const ENV_FILE = '.env.sample';
const ABRA_SH = 'abra.sh';
const VARIABLE_USE = /\$\{([A-Za-z_]\w*)(?:[^}\w][^}]*)?\}?|\$([A-Za-z_]\w*)/g;
const TEMPLATE_ENV = /\benv\s+"([A-Za-z_][A-Za-z0-9_]*)"/g;
const ENV_ASSIGNMENT = /^([ \t]*(?:#[ \t]*)?(?:export[ \t]+)?)([A-Za-z_]\w*)=/;

/** The symbol at `offset` of `file` (recipe-relative), with the file's current text. */
export function symbolAt(recipe: RecipeInfo, file: string, text: string, offset: number): NavSymbol | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEndAt = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEndAt < 0 ? text.length : lineEndAt);
  const column = offset - lineStart;
  const variable = variableAt(line, column, file);
  if (variable) return { kind: 'env', name: variable };
  const doc = recipe.composeFile(file)?.doc;
  if (!doc) return undefined;
  const at = pathAt(doc, offset);
  if (!at) return undefined;
  return symbolOfPath(doc, at.path, at.on);
}

function variableAt(line: string, column: number, file: string): string | undefined {
  const inside = (re: RegExp, group: (m: RegExpExecArray) => string | undefined) => {
    for (const m of line.matchAll(re)) {
      if (m.index! > 0 && line[m.index! - 1] === '$') continue; // `$$` is a literal dollar
      if (m.index! <= column && column <= m.index! + m[0].length) return group(m);
    }
    return undefined;
  };
  const name = inside(VARIABLE_USE, (m) => m[1] ?? m[2]) ?? (file.endsWith('.tmpl') ? inside(TEMPLATE_ENV, (m) => m[1]) : undefined);
  if (name) return name;
  if (file === ENV_FILE || file === ABRA_SH) {
    const m = ENV_ASSIGNMENT.exec(line);
    if (m && column >= m[1].length && column <= m[1].length + m[2].length) return m[2];
  }
  return undefined;
}

function valueAt(doc: FileDoc, path: Path): YamlValue | undefined {
  let node: YamlValue | undefined = doc.data;
  for (const seg of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, YamlValue>)[seg];
  }
  return node;
}

function symbolOfPath(doc: FileDoc, path: Path, on: 'key' | 'value'): NavSymbol | undefined {
  const [top, second, third, fourth, fifth] = path;
  const value = valueAt(doc, path);
  if (top === 'services' && typeof second === 'string') {
    if (path.length === 2) return on === 'key' ? { kind: 'service', name: second } : undefined;
    if (third === 'depends_on' && path.length >= 4) {
      if (typeof fourth === 'number' && typeof value === 'string') return { kind: 'service', name: value };
      if (typeof fourth === 'string') return { kind: 'service', name: fourth };
    }
    if (isEntryKind(third) && path.length >= 4) {
      if (typeof fourth === 'string') return { kind: third, name: fourth }; // map form (networks)
      if (typeof fourth === 'number') {
        const item = valueAt(doc, path.slice(0, 4));
        const name = entryName(third, item);
        if (name !== undefined && (path.length === 4 || fifth === 'source')) return { kind: third, name };
      }
    }
    return undefined;
  }
  if (isEntryKind(top) && typeof second === 'string') {
    if (path.length === 2 && on === 'key') return { kind: top, name: second };
    if ((top === 'configs' || top === 'secrets') && third === 'file' && typeof value === 'string') return { kind: 'file', path: value.replace(/^\.\//, '') };
  }
  return undefined;
}

function isEntryKind(seg: unknown): seg is EntryKind {
  return typeof seg === 'string' && (ENTRY_KINDS as readonly string[]).includes(seg);
}

/** The name a service's entry refers to: `name`, `{source: name}`, a volume's `name:/target`. */
function entryName(kind: EntryKind, item: YamlValue | undefined): string | undefined {
  if (typeof item === 'string') {
    if (kind !== 'volumes') return item;
    const source = item.split(':')[0];
    return item.includes(':') && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source) ? source : undefined;
  }
  if (item && typeof item === 'object' && !Array.isArray(item)) {
    const source = (item as Record<string, YamlValue>).source;
    return typeof source === 'string' ? source : undefined;
  }
  return undefined;
}

function placeOf(file: string, range: SourceRange | undefined): Place | undefined {
  if (!range) return undefined;
  return { file, line: range.start.line, column: range.start.column, endLine: range.end.line, endColumn: range.end.column };
}

function mapping(v: YamlValue | undefined): Record<string, YamlValue> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, YamlValue>) : undefined;
}

/** Where the symbol is defined (every compose file that defines it), in file order. */
export function definitionsOf(recipe: RecipeInfo, symbol: NavSymbol): Place[] {
  const out: Place[] = [];
  const push = (p: Place | undefined) => p && out.push(p);
  switch (symbol.kind) {
    case 'file':
      if (recipe.exists(symbol.path)) push({ file: symbol.path, line: 1, column: 1, endLine: 1, endColumn: 1 });
      break;
    case 'env':
      for (const e of recipe.envSample?.entries ?? []) {
        if (e.key === symbol.name) push({ file: ENV_FILE, line: e.line, column: e.column, endLine: e.line, endColumn: e.column + e.key.length });
      }
      for (const a of recipe.abraSh?.assignments ?? []) {
        if (a.name === symbol.name) push({ file: ABRA_SH, line: a.line, column: a.column, endLine: a.line, endColumn: a.column + a.name.length });
      }
      break;
    default: {
      const section = symbol.kind === 'service' ? 'services' : symbol.kind;
      for (const c of recipe.composeFiles) {
        if (mapping(mapping(c.doc.data)?.[section])?.[symbol.name] === undefined) continue;
        push(placeOf(c.file, c.doc.locateKey([section, symbol.name])));
      }
    }
  }
  return out;
}

/** Every use of the symbol across the recipe (and its definitions when `withDeclarations`). */
export function referencesOf(recipe: RecipeInfo, symbol: NavSymbol, withDeclarations: boolean): Place[] {
  const out: Place[] = [];
  if (withDeclarations && symbol.kind !== 'file') out.push(...definitionsOf(recipe, symbol));
  if (symbol.kind === 'env') {
    for (const file of recipe.listFiles()) {
      const compose = recipe.composeFile(file) !== undefined;
      const template = file.endsWith('.tmpl');
      if (!compose && !template) continue;
      const text = recipe.readText(file);
      if (text !== undefined) out.push(...variableUses(file, text, symbol.name, template));
    }
    return out;
  }
  for (const c of recipe.composeFiles) {
    const services = mapping(mapping(c.doc.data)?.services) ?? {};
    if (symbol.kind === 'file') {
      for (const section of ['configs', 'secrets'] as const) {
        for (const [name, def] of Object.entries(mapping(mapping(c.doc.data)?.[section]) ?? {})) {
          const file = mapping(def)?.file;
          if (typeof file === 'string' && file.replace(/^\.\//, '') === symbol.path) {
            const p = placeOf(c.file, c.doc.locate([section, name, 'file']));
            if (p) out.push(p);
          }
        }
      }
      continue;
    }
    const key = symbol.kind === 'service' ? 'depends_on' : symbol.kind;
    for (const service of Object.keys(services)) {
      const entries = mapping(services[service])?.[key];
      const base = ['services', service, key];
      if (Array.isArray(entries)) {
        entries.forEach((item, i) => {
          const name = symbol.kind === 'service' ? (typeof item === 'string' ? item : undefined) : entryName(symbol.kind, item);
          if (name !== symbol.name) return;
          const p = placeOf(c.file, typeof item === 'object' && item !== null ? c.doc.locate([...base, i, 'source']) : c.doc.locate([...base, i]));
          if (p) out.push(p);
        });
      } else if (mapping(entries) && Object.hasOwn(mapping(entries)!, symbol.name)) {
        const p = placeOf(c.file, c.doc.locateKey([...base, symbol.name]));
        if (p) out.push(p);
      }
    }
  }
  return out;
}

function variableUses(file: string, text: string, name: string, template: boolean): Place[] {
  const out: Place[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const re of template ? [VARIABLE_USE, TEMPLATE_ENV] : [VARIABLE_USE]) {
      for (const m of line.matchAll(re)) {
        if ((m[1] ?? m[2]) !== name) continue;
        if (m.index! > 0 && line[m.index! - 1] === '$') continue;
        out.push({ file, line: i + 1, column: m.index! + 1, endLine: i + 1, endColumn: m.index! + m[0].length + 1 });
      }
    }
  });
  return out;
}
