// Build step (scripts/build.mjs): the functions a pre-commit lint runs are compiled with their file, so that
// node's compile cache keeps them.
//
// node's compile cache stores the code V8 made when it compiled a module: the top level and the functions V8
// compiles eagerly. Every other function is compiled again, from source, on its first call in every run — a
// one-recipe lint calls ~700 of them. V8 compiles a function eagerly when it stands in parentheses (its
// "possibly invoked function expression" heuristic; Node 22's V8 not for arrow functions). So after bundling, the
// build lints the example recipe once under V8's coverage (NODE_V8_COVERAGE), and rewrites each bundle file
// so that the functions that ran stand in parentheses, and the code does what it did:
//   function expressions                 f(function (x) {…})  →  f((function (x) {…}))
//   arrow functions                      f((x) => x + 1)      →  f((function(x){return x + 1}))
//                                        unless they use `this`, `arguments`, `super` or `new.target` (taken
//                                        from where an arrow stands): then f(((x) => this.y))
//   object literal methods (no `super`)  { check(ctx) {…} }   →  { check: (function (ctx) {…}) }
//   function declarations                hoisted as the language hoists them: `var f = (function (…) {…});` at
//                                        the start of their function or module (`let` at the start of a
//                                        block), where the declaration would have been created
//   class methods (no `super`, no #name)  defined by a static block at the start of their class body (V8
//                                        compiles a static block with its class):
//                                        class C { m(x) {…} }  →  class C { static { Object.defineProperty(
//                                        this.prototype, "m", { value: … (function (x) {…}), writable, configurable }) } }
// A function keeps its name (an anonymous function assigned to a name takes that name). The differences: a
// method or arrow made a function could be called with `new` (nothing does that with either), and a class's moved
// methods come after its other members in the prototype's property order (nothing lists a prototype). Left as
// they are: getters and setters, constructors, declarations in `switch` cases, and the module-level
// declarations of a file on an import cycle between bundle files (another file of the cycle may call them
// before this one has run). Functions the lint did not run stay lazy: compiling them with the file would only
// make the cache bigger, and reading it slower.
import ts from 'typescript';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The functions that ran, per file under `dir`, from the coverage files node wrote into `coverageDir`: a set
 * of end offsets (V8's function ranges end where the function's source ends; the start differs between kinds
 * of function, the end does not).
 */
export function executedFunctionEnds(coverageDir, dir) {
  const out = new Map();
  for (const name of readdirSync(coverageDir)) {
    if (!name.endsWith('.json')) continue;
    const { result } = JSON.parse(readFileSync(join(coverageDir, name), 'utf8'));
    for (const script of result) {
      if (!script.url.startsWith('file:')) continue;
      const file = relative(dir, fileURLToPath(script.url));
      if (file.startsWith('..')) continue;
      const ends = out.get(file) ?? new Set();
      // The first range of a function is the function itself; count is how often it was called.
      for (const fn of script.functions) if (fn.ranges[0].count > 0) ends.add(fn.ranges[0].endOffset);
      out.set(file, ends);
    }
  }
  return out;
}

/** Relative static imports of a bundle file (`import … from "./chunk.mjs"`, `export … from`). */
export function staticImports(source) {
  const file = ts.createSourceFile('chunk.mjs', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const out = [];
  for (const s of file.statements) {
    if ((ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)) {
      if (s.moduleSpecifier.text.startsWith('.')) out.push(s.moduleSpecifier.text);
    }
  }
  return out;
}

/**
 * The files (of `graph`: file → the files it imports statically) that sit on an import cycle, themselves
 * included (Tarjan's strongly connected components; a component of more than one file, or a file that
 * imports itself).
 */
export function filesOnImportCycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cyclic = new Set();
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) for (const c of component) cyclic.add(c);
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cyclic;
}

/** A node whose body block is a scope of its own for `var` (a function's, or a class's static block). */
const isFunctionScope = (node) => ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node);

function containsSuper(node) {
  let found = false;
  const visit = (n) => {
    if (found) return;
    if (n.kind === ts.SyntaxKind.SuperKeyword) found = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/** `__proto__: value` in an object literal sets the prototype, where a method `__proto__() {}` does not. */
const isProtoKey = (name) => (ts.isIdentifier(name) || ts.isStringLiteral(name)) && name.text === '__proto__';

const hasModifier = (node, kind) => (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);

/** Statements at the start of a body that are directives ("use strict"): hoisted code goes after them. */
function afterDirectives(statements, sourceFile, start) {
  let at = start;
  for (const s of statements) {
    if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) break;
    at = s.end;
  }
  return at;
}

// At one position: a closing parenthesis ends the code before it, hoisted declarations come before the
// statement that starts there, which may be the (removed) declaration itself or start with an opening one.
const ORDER = { close: 0, insert: 1, remove: 2, open: 3, method: 3, arrow: 3 };

/** The name of a class method as a string, when it is a plain one (not computed, not private). */
function plainMethodName(name) {
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) return name.text;
  return undefined;
}

/**
 * Whether an arrow function can be written as a function expression: it uses nothing an arrow takes from
 * where it stands (`this`, `arguments`, `super`, `new.target`; looked for anywhere inside, to be sure).
 */
function canBeFunction(arrow) {
  let found = false;
  const visit = (n) => {
    if (found) return;
    if (n.kind === ts.SyntaxKind.ThisKeyword || n.kind === ts.SyntaxKind.SuperKeyword || ts.isMetaProperty(n) || (ts.isIdentifier(n) && n.text === 'arguments')) found = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(arrow, visit);
  return !found;
}

/** Whether `node` uses a private name (`this.#x`, `#x in o`): such a body stays inside the class body. */
function containsPrivateName(node) {
  let found = false;
  const visit = (n) => {
    if (found) return;
    if (ts.isPrivateIdentifier(n)) found = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(node, visit);
  return found;
}

/**
 * `source` (an ES module) with the functions whose end offset is in `ran` compiled eagerly (see above).
 * `hoistModuleLevel: false` leaves module-level declarations as they are (a file on an import cycle).
 * Returns the new text and how many functions of each kind were made eager or left lazy.
 */
export function eagerFunctions(source, ran, { hoistModuleLevel = true } = {}) {
  const sourceFile = ts.createSourceFile('chunk.mjs', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const events = [];
  const inserts = new Map();
  const counts = { expressions: 0, arrows: 0, methods: 0, classMethods: 0, declarations: 0, left: 0 };
  /** Class methods moved into a static block of their class (see eagerClassMethods). */
  const moved = new Set();
  const insertAt = (at) => {
    let insert = inserts.get(at);
    if (!insert) {
      insert = { at, kind: 'insert', declarations: [], classMethods: [] };
      inserts.set(at, insert);
      events.push(insert);
    }
    return insert;
  };
  const hoist = (at, keyword, declaration) => {
    insertAt(at).declarations.push({ keyword, declaration });
    events.push({ at: declaration.getStart(sourceFile), kind: 'remove', node: declaration });
  };
  const wrap = (node) => events.push({ at: node.getStart(sourceFile), kind: 'open' }, { at: node.end, kind: 'close', from: node.getStart(sourceFile) });

  /**
   * A class's methods that ran, defined by a static block at the start of the class body instead: V8 compiles
   * a static block with the class, and the functions in parentheses in it with the block. The block runs before
   * any other static field or block, as the methods were defined before those; it stays inside the class
   * body, so what the bodies name means the same. Left in place: getters, setters, the constructor, computed
   * and private names, names the class uses twice, and methods using `super` or a private name.
   */
  const eagerClassMethods = (cls) => {
    const names = new Map();
    for (const m of cls.members) {
      const name = m.name && plainMethodName(m.name);
      if (name !== undefined) names.set(`${hasModifier(m, ts.SyntaxKind.StaticKeyword)} ${name}`, (names.get(`${hasModifier(m, ts.SyntaxKind.StaticKeyword)} ${name}`) ?? 0) + 1);
    }
    const methods = [];
    for (const m of cls.members) {
      if (!ts.isMethodDeclaration(m) || !m.body || !ran.has(m.end)) continue;
      const name = plainMethodName(m.name);
      const isStatic = hasModifier(m, ts.SyntaxKind.StaticKeyword);
      if (name === undefined || names.get(`${isStatic} ${name}`) !== 1 || containsSuper(m) || containsPrivateName(m)) continue;
      if (isStatic && (name === 'name' || name === 'length' || name === 'prototype')) continue;
      methods.push({ method: m, name, isStatic });
      moved.add(m);
      events.push({ at: m.getStart(sourceFile), kind: 'remove', node: m });
    }
    if (methods.length === 0) return;
    insertAt(cls.members.pos).classMethods.push(...methods);
    counts.classMethods += methods.length;
  };

  const visit = (node) => {
    if (ts.isClassLike(node)) eagerClassMethods(node);
    if (ts.isFunctionLike(node) && node.body && ran.has(node.end) && !moved.has(node)) {
      const parent = node.parent;
      if (ts.isArrowFunction(node) && canBeFunction(node)) {
        // Node 22 compiles an arrow lazily even in parentheses; a function expression it compiles eagerly.
        events.push({ at: node.getStart(sourceFile), kind: 'arrow', node });
        counts.arrows++;
      } else if (ts.isFunctionExpression(node) || ts.isArrowFunction(node)) {
        if (!ts.isParenthesizedExpression(parent)) {
          wrap(node);
          counts[ts.isArrowFunction(node) ? 'arrows' : 'expressions']++;
        }
      } else if (ts.isMethodDeclaration(node) && ts.isObjectLiteralExpression(parent) && !containsSuper(node) && !isProtoKey(node.name)) {
        events.push({ at: node.getStart(sourceFile), kind: 'method', node });
        counts.methods++;
      } else if (ts.isFunctionDeclaration(node) && node.name && !hasModifier(node, ts.SyntaxKind.ExportKeyword) && !hasModifier(node, ts.SyntaxKind.DefaultKeyword)) {
        if (ts.isSourceFile(parent)) {
          if (hoistModuleLevel) {
            hoist(afterDirectives(parent.statements, sourceFile, 0), 'var', node);
            counts.declarations++;
          } else counts.left++;
        } else if (ts.isBlock(parent)) {
          // A function's body: the declaration belongs to the function (var); any other block: to the block.
          const body = isFunctionScope(parent.parent);
          hoist(afterDirectives(body ? parent.statements : [], sourceFile, parent.getStart(sourceFile) + 1), body ? 'var' : 'let', node);
          counts.declarations++;
        } else counts.left++;
      } else counts.left++;
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  events.sort((a, b) => a.at - b.at || ORDER[a.kind] - ORDER[b.kind]);

  /** `async *name(…) {…}` as the function expression `(async function* (…) {…})`, its inside rendered. */
  const asFunction = (m, self) => {
    const async = hasModifier(m, ts.SyntaxKind.AsyncKeyword) ? 'async ' : '';
    const star = m.asteriskToken ? '*' : '';
    const open = m.parameters.pos - 1; // the `(` of the parameters
    return `(${async}function${star}${render(open, m.end, self)})`;
  };

  /** The source from `start` to `end` with the edits inside it; `self` is the declaration being hoisted. */
  const render = (start, end, self) => {
    let out = '';
    let pos = start;
    for (const e of events) {
      if (e.at < pos || e.at > end || e.used) continue;
      // At the end of the range, only the parentheses that close what began inside it.
      if (e.at === end && (e.kind !== 'close' || e.from < start)) continue;
      // The hoisted declarations go before the statement at their position, which may be `self`.
      if (e.kind === 'insert' && self !== undefined && e.at === start) continue;
      out += source.slice(pos, e.at);
      pos = e.at;
      if (e.kind === 'open') out += '(';
      else if (e.kind === 'close') {
        out += ')';
        e.used = true;
      }
      else if (e.kind === 'insert') {
        for (const { keyword, declaration: d } of e.declarations) {
          // `async function f(…) {…}` → `var f = (async function (…) {…});`: without the name, so that a call
          // of f inside reaches the binding, as it did; the function still takes the name f.
          out += `${keyword} ${d.name.text}=(${render(d.getStart(sourceFile), d.name.getStart(sourceFile), d)}${render(d.name.end, d.end, d)});`;
        }
        if (e.classMethods.length > 0) {
          // A method's attributes (writable, configurable, not enumerable) and name ({"m": f}.m names f "m").
          out += 'static{';
          for (const { method, name, isStatic } of e.classMethods) {
            const key = JSON.stringify(name);
            out += `Object.defineProperty(${isStatic ? 'this' : 'this.prototype'},${key},{value:{${key}:${asFunction(method, method)}}[${key}],writable:!0,configurable:!0});`;
          }
          out += '}';
        }
      } else if (e.kind === 'remove' && e.node !== self) pos = e.node.end;
      else if (e.kind === 'arrow') {
        // `async (a, b) => a + b` → `(async function(a, b){return a + b})`; a block body stays as it is.
        const a = e.node;
        const async = hasModifier(a, ts.SyntaxKind.AsyncKeyword) ? 'async ' : '';
        // The parameters inside their parentheses; a lone parameter without them (`x => …`) is a name.
        const bare = a.parameters.pos <= a.getStart(sourceFile);
        const params = bare ? a.parameters[0].getText(sourceFile) : render(a.parameters.pos, a.parameters.end, self);
        const body = render(a.body.getStart(sourceFile), a.body.end, self);
        const fn = `${async}function(${params})${ts.isBlock(a.body) ? body : `{return ${body}}`}`;
        out += ts.isParenthesizedExpression(a.parent) ? fn : `(${fn})`;
        pos = a.end;
      } else if (e.kind === 'method') {
        // `async *name(…) {…}` → `name: (async function* (…) {…})`
        const m = e.node;
        out += `${source.slice(m.name.getStart(sourceFile), m.name.end)}:${asFunction(m, self)}`;
        pos = m.end;
      }
    }
    return out + source.slice(pos, end);
  };
  return { text: render(0, source.length, undefined), counts };
}
