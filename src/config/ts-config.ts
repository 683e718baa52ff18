// Reads stacklint.config.ts without running it: the file is parsed with typescript-estree and only a literal
// `export default { … }` (optionally wrapped in `defineConfig(…)`) is accepted. Anything that would need
// evaluation is refused with its position, so a config file can never execute code.
import { createRequire } from 'node:module';
import type { parse as Parse, TSESTree } from '@typescript-eslint/typescript-estree';
import type { Located, LocatedEntry, Pos } from './located.js';
import { ConfigError } from './types.js';

const MAX_DEPTH = 100;
const ALLOWED_SHAPE = "only `import { defineConfig } from 'stacklint'` and `export default { … }` (or `export default defineConfig({ … })`) are allowed";

type Node = TSESTree.Node;

declare const __STACKLINT_TS_PARSER__: string | undefined;
/** The parser's own file beside the bundle (scripts/build.mjs); the package, running from sources. */
const TS_PARSER = typeof __STACKLINT_TS_PARSER__ === 'string' ? __STACKLINT_TS_PARSER__ : '@typescript-eslint/typescript-estree';

/**
 * Required when first needed, never part of the CLI's bundle: the TypeScript compiler behind it is several MB
 * and takes ~0.3 s to load, and most recipes configure stacklint in YAML.
 */
function typeScriptParser(): typeof Parse {
  return (createRequire(import.meta.url)(TS_PARSER) as { parse: typeof Parse }).parse;
}

export function locateTsConfig(text: string, file: string): Located {
  const program = parseProgram(text, file);
  return new TsConfigReader(file).read(program);
}

function parseProgram(text: string, file: string): TSESTree.Program {
  // The TypeScript parser recurses per bracket: refuse deep text before it can exhaust the stack.
  const deep = firstDeepBracket(text, 2 * MAX_DEPTH);
  if (deep) throw ConfigError.at(file, 'nested too deeply', deep.line, deep.column);
  try {
    return typeScriptParser()(text, { loc: true, range: true, comment: false, jsx: false });
  } catch (e) {
    const err = e as { message?: string; location?: { start?: { line?: number; column?: number } } };
    const start = err.location?.start;
    const line = start?.line;
    const column = start?.column !== undefined ? start.column + 1 : undefined;
    throw ConfigError.at(file, `syntax error: ${String(err.message ?? e).split('\n')[0]}`, line, column);
  }
}

/** Position of the first bracket nested deeper than `limit`, outside strings and comments (approximate). */
function firstDeepBracket(text: string, limit: number): { line: number; column: number } | undefined {
  let depth = 0;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      line++;
      lineStart = i + 1;
    } else if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) {
        if (text[i] === '\\') i++;
        else if (text[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
      }
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i + 1] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      for (i += 2; i < text.length && !(text[i] === '*' && text[i + 1] === '/'); i++) {
        if (text[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      i++;
    } else if (c === '{' || c === '[' || c === '(') {
      if (++depth > limit) return { line, column: i - lineStart + 1 };
    } else if (c === '}' || c === ']' || c === ')') {
      depth--;
    }
  }
  return undefined;
}

class TsConfigReader {
  private defineConfigName = 'defineConfig';
  private result: Located | undefined;

  constructor(private readonly file: string) {}

  read(program: TSESTree.Program): Located {
    for (const statement of program.body) this.statement(statement);
    if (!this.result) throw ConfigError.at(this.file, `no \`export default\` found; ${ALLOWED_SHAPE}`, 1, 1);
    return this.result;
  }

  private statement(node: TSESTree.ProgramStatement): void {
    if (node.type === 'EmptyStatement') return;
    if (node.type === 'ImportDeclaration') return this.importDeclaration(node);
    if (node.type === 'ExportDefaultDeclaration') {
      if (this.result) throw this.refuse(node, 'more than one `export default`');
      this.result = this.exportDefault(node.declaration);
      return;
    }
    throw this.refuse(node, `${describe(node)} is not allowed: ${ALLOWED_SHAPE}; stacklint reads this file without running it`);
  }

  private importDeclaration(node: TSESTree.ImportDeclaration): void {
    const spec = node.specifiers[0];
    const ok =
      node.source.value === 'stacklint' &&
      node.importKind === 'value' &&
      node.specifiers.length === 1 &&
      spec.type === 'ImportSpecifier' &&
      spec.importKind === 'value' &&
      spec.imported.type === 'Identifier' &&
      spec.imported.name === 'defineConfig' &&
      (node.attributes ?? []).length === 0;
    if (!ok) throw this.refuse(node, `the only import allowed is \`import { defineConfig } from 'stacklint'\``);
    this.defineConfigName = spec.local.name;
  }

  private exportDefault(node: TSESTree.ExportDefaultDeclaration['declaration']): Located {
    if (node.type === 'ObjectExpression') return this.value(node, 0);
    if (node.type === 'CallExpression' && this.isDefineConfigCall(node)) {
      const arg = node.arguments[0];
      if (arg.type !== 'ObjectExpression') throw this.refuse(arg, 'defineConfig takes an object literal');
      return this.value(arg, 0);
    }
    throw this.refuse(node, `export default must be an object literal or defineConfig({ … }), not ${describe(node)}`);
  }

  private isDefineConfigCall(node: TSESTree.CallExpression): boolean {
    return (
      node.callee.type === 'Identifier' &&
      node.callee.name === this.defineConfigName &&
      !node.optional &&
      !node.typeArguments &&
      node.arguments.length === 1
    );
  }

  private value(node: Node, depth: number): Located {
    if (depth > MAX_DEPTH) throw this.refuse(node, 'nested too deeply');
    switch (node.type) {
      case 'ObjectExpression':
        return { kind: 'object', pos: this.pos(node), entries: this.properties(node, depth) };
      case 'ArrayExpression':
        return { kind: 'array', pos: this.pos(node), items: node.elements.map((el) => this.element(node, el, depth)) };
      case 'Literal':
        return this.literal(node);
      case 'TemplateLiteral':
        return this.template(node);
      case 'UnaryExpression':
        return this.signedNumber(node);
      default:
        throw this.refuse(node, refusal(node));
    }
  }

  private properties(node: TSESTree.ObjectExpression, depth: number): LocatedEntry[] {
    const entries: LocatedEntry[] = [];
    const seen = new Set<string>();
    for (const prop of node.properties) {
      if (prop.type === 'SpreadElement') throw this.refuse(prop, 'spread (`...`) is not allowed; write the values out');
      if (prop.kind !== 'init') throw this.refuse(prop, 'getters and setters are not allowed; write plain values');
      if (prop.method) throw this.refuse(prop, 'methods are not allowed; write plain values');
      if (prop.computed) throw this.refuse(prop.key, 'computed keys (`[…]:`) are not allowed');
      if (prop.shorthand) throw this.refuse(prop, 'shorthand properties refer to variables; write `key: value` with a literal value');
      const key = this.key(prop.key);
      if (seen.has(key)) throw this.refuse(prop.key, `duplicate key '${key}'`);
      seen.add(key);
      entries.push({ key, keyPos: this.pos(prop.key), value: this.value(prop.value, depth + 1) });
    }
    return entries;
  }

  private key(node: TSESTree.Expression | TSESTree.PrivateIdentifier): string {
    if (node.type === 'Identifier') return node.name;
    if (node.type === 'Literal' && (typeof node.value === 'string' || typeof node.value === 'number')) return String(node.value);
    throw this.refuse(node, 'keys must be names or string literals');
  }

  private element(array: Node, el: TSESTree.ArrayExpression['elements'][number], depth: number): Located {
    if (el === null) throw this.refuse(array, 'array holes (`[a, , b]`) are not allowed');
    if (el.type === 'SpreadElement') throw this.refuse(el, 'spread (`...`) is not allowed; write the values out');
    return this.value(el, depth + 1);
  }

  private literal(node: TSESTree.Literal): Located {
    const v = node.value;
    if (v === null && node.raw === 'null') return { kind: 'scalar', pos: this.pos(node), value: null };
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return { kind: 'scalar', pos: this.pos(node), value: v };
    throw this.refuse(node, 'only string, number, boolean and null literals are allowed');
  }

  private template(node: TSESTree.TemplateLiteral): Located {
    const cooked = node.quasis[0]?.value.cooked;
    if (node.expressions.length > 0 || typeof cooked !== 'string') {
      throw this.refuse(node, 'template literals with `${…}` are not allowed; write the text out');
    }
    return { kind: 'scalar', pos: this.pos(node), value: cooked };
  }

  private signedNumber(node: TSESTree.UnaryExpression): Located {
    const arg = node.argument;
    if ((node.operator === '-' || node.operator === '+') && arg.type === 'Literal' && typeof arg.value === 'number') {
      return { kind: 'scalar', pos: this.pos(node), value: node.operator === '-' ? -arg.value : arg.value };
    }
    throw this.refuse(node, refusal(node));
  }

  private pos(node: Node): Pos {
    return { line: node.loc.start.line, column: node.loc.start.column + 1 };
  }

  private refuse(node: Node, message: string): ConfigError {
    const p = this.pos(node);
    return ConfigError.at(this.file, message, p.line, p.column);
  }
}

function refusal(node: Node): string {
  switch (node.type) {
    case 'CallExpression':
    case 'NewExpression':
    case 'ImportExpression':
    case 'TaggedTemplateExpression':
      return 'function calls are not allowed: stacklint reads the config without running it';
    case 'Identifier':
      return `'${node.name}' refers to a variable; only literal values are allowed`;
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return 'functions are not allowed; write plain values';
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSTypeAssertion':
    case 'TSNonNullExpression':
      return 'type assertions are not allowed here; write the plain value';
    default:
      return `${describe(node)} is not allowed; only object, array, string, number, boolean and null literals`;
  }
}

function describe(node: Node): string {
  const words = node.type.replace(/^TS/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${/^[aeiou]/.test(words) ? 'an' : 'a'} ${words}`;
}

