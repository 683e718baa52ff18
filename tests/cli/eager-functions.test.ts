// The build step that makes the functions a pre-commit lint runs eager (scripts/eager-functions.mjs): the
// rewritten code does exactly what it did, the functions that ran are compiled with their file (so node's
// compile cache holds them), the others stay as they were, and the bundle the build wrote has it done.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eagerFunctions, executedFunctionEnds, filesOnImportCycles, staticImports } from '../../scripts/eager-functions.mjs';
import { REPO } from './helpers.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'stacklint-eager-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Every kind of function the rewrite touches or must leave alone, and what would show a change of meaning:
// hoisting (calls before the declaration, at module level, in a function and in a block), names, `this`,
// recursion through the binding, async functions and generators, methods with `super`, `__proto__`.
const SAMPLE = `
export const early = hoisted(2);
function hoisted(x) { return x * 21; }
function recursive(n) { return n <= 1 ? 1 : n * recursive(n - 1); }
async function asyncDeclaration(x) { return x + 1; }
function* generator() { yield 1; yield 2; }
function neverCalled() { return 'never'; }
function outer(flag) {
  const before = inner(1);
  if (flag) {
    const r = block(3);
    function block(x) { return x + before; }
    return [r, block.name];
  }
  function inner(x) { return x + 10; }
  return [inner(0), inner.name];
}
function sameNameAsParameter(twice) {
  function twice(x) { return x * 2; }
  return twice(4);
}
const obj = {
  plain(a) { return a + 1; },
  async later(a) { return a; },
  *gen() { yield 3; },
  ['comp' + 'uted'](a) { return a * 2; },
  'quoted-key'(a) { return -a; },
  withSuper() { return typeof super.hasOwnProperty; },
  __proto__() { return 'a method, not the prototype'; },
  get value() { return 5; },
  self() { return this === obj; },
};
class Base { greet() { return 'base'; } }
class Counter extends Base {
  static made = Counter.make(2);
  #secret = 7;
  constructor() { super(); this.n = 0; }
  add(k) { this.n += k; return this; }
  static make(n) { return new Counter().add(n).n; }
  async later() { return this.n; }
  *items() { yield this.n; }
  secret() { return this.#secret; }
  greet() { return 'counter, ' + super.greet(); }
  get double() { return this.n * 2; }
  'quoted name'() { return 'quoted'; }
}
const arrow = (a) => a * 3;
const expression = function (a) { return a - 1; };
const named = function countDown(a) { return a > 0 ? countDown(a - 1) + 1 : 0; };
const squares = [1, 2, 3].map((x) => x * x);
const usesThis = { v: 1, read() { return [0].map(() => this.v)[0]; } };
function countArguments() { return (() => arguments.length)(); }
const adder = (a) => (b) => a + b;
const bare = x => x + 1;
const objectBody = () => ({ kind: 'object' });
const blockBody = async (x = ((y) => y * 2)(3)) => { return x + 1; };
async function run() {
  const out = {
    early, recursive: recursive(5), asyncDeclaration: await asyncDeclaration(1), generator: [...generator()],
    outer: [outer(true), outer(false)], sameNameAsParameter: sameNameAsParameter(1),
    plain: obj.plain(1), later: await obj.later(7), gen: [...obj.gen()], computed: obj.computed(4), quoted: obj['quoted-key'](2),
    withSuper: obj.withSuper(), proto: [obj.__proto__(), Object.getPrototypeOf(obj) === Object.prototype], value: obj.value,
    self: obj.self(), counter: new Counter().add(2).add(3).n, made: Counter.made, counterLater: await new Counter().add(4).later(),
    items: [...new Counter().add(5).items()], secret: new Counter().secret(), greet: new Counter().greet(), double: new Counter().add(3).double,
    quotedName: new Counter()['quoted name'](), enumerable: Object.keys(Counter.prototype),
    attributes: ['add', 'later', 'greet'].map((k) => Object.getOwnPropertyDescriptor(Counter.prototype, k)).map((d) => [d.writable, d.enumerable, d.configurable]),
    classNames: [Counter.prototype.add, Counter.make, Counter.prototype.later, Counter.prototype.items, Counter.prototype['quoted name']].map((f) => f.name),
    arrow: arrow(2), expression: expression(2), named: named(3), squares,
    usesThis: usesThis.read(), countArguments: countArguments(1, 2, 3), adder: adder(1)(2), bare: bare(1), objectBody: objectBody(), blockBody: await blockBody(),
    arrowNames: [adder, objectBody, blockBody].map((f) => f.name),
    names: [hoisted, recursive, asyncDeclaration, generator, obj.plain, obj.later, obj.gen, obj.computed, obj['quoted-key'], arrow, expression, named].map((f) => f.name),
  };
  return out;
}
export { run, neverCalled };
console.log(JSON.stringify(await run()));
`;

function runModule(file: string, env: Record<string, string> = {}): string {
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** `source` written as `name` in a directory of its own, run once under V8's coverage: its output and the ends of the functions that ran. */
function runWithCoverage(name: string, source: string): { output: string; ran: Set<number> } {
  const dir = mkdtempSync(join(work, 'run-'));
  const file = join(dir, name);
  writeFileSync(file, source);
  const coverage = join(dir, 'coverage');
  const output = runModule(file, { NODE_V8_COVERAGE: coverage });
  return { output, ran: executedFunctionEnds(coverage, dir).get(name) ?? new Set() };
}

function write(name: string, text: string): string {
  const dir = mkdtempSync(join(work, 'out-'));
  writeFileSync(join(dir, name), text);
  return join(dir, name);
}

describe('eager functions', () => {
  it('rewrites the functions that ran and the code does exactly what it did', () => {
    const { output, ran } = runWithCoverage('sample.mjs', SAMPLE);
    const { text, counts } = eagerFunctions(SAMPLE, ran);
    expect(runModule(write('sample.mjs', text))).toBe(output);
    const result = JSON.parse(output) as Record<string, unknown>;
    expect(result.names).toEqual(['hoisted', 'recursive', 'asyncDeclaration', 'generator', 'plain', 'later', 'gen', 'computed', 'quoted-key', 'arrow', 'expression', 'countDown']);
    expect(result.proto).toEqual(['a method, not the prototype', true]);
    // Declarations hoisted where they were created, without their name; methods and expressions in parentheses.
    expect(text.startsWith('var hoisted=(function (x) {')).toBe(true);
    expect(text).toContain('let block=(function (x) {');
    expect(text).toContain('var inner=(function (x) {');
    expect(text).toContain('var asyncDeclaration=(async function (x) {');
    expect(text).toContain('var generator=(function* () {');
    expect(text).toContain('plain:(function(a) {');
    expect(text).toContain('later:(async function(a) {');
    expect(text).toContain('gen:(function*() {');
    expect(text).toContain("['comp' + 'uted']:(function(a) {");
    expect(text).toContain("'quoted-key':(function(a) {");
    expect(text).toContain('(function (a) { return a - 1; })');
    // Arrows as function expressions (Node 22 compiles an arrow lazily even in parentheses), unless they use
    // what an arrow takes from where it stands.
    expect(text).toContain('const arrow = (function(a){return a * 3});');
    expect(text).toContain('.map((function(x){return x * x}))');
    expect(text).toContain('const adder = (function(a){return (function(b){return a + b})});');
    expect(text).toContain('const bare = (function(x){return x + 1});');
    expect(text).toContain("const objectBody = (function(){return ({ kind: 'object' })});");
    expect(text).toContain('const blockBody = (async function(x = (function(y){return y * 2})(3)){ return x + 1; });');
    expect(text).toContain('.map((() => this.v))');
    expect(text).toContain('(() => arguments.length)()');
    // Class methods: defined by a static block at the start of the class body, before its static fields.
    expect(text).toContain('class Counter extends Base {static{Object.defineProperty(this.prototype,"add",{value:{"add":(function(k) {');
    expect(text).toContain('Object.defineProperty(this,"make",{value:{"make":(function(n) {');
    expect(text).toContain('Object.defineProperty(this.prototype,"later",{value:{"later":(async function() {');
    expect(text).toContain('Object.defineProperty(this.prototype,"items",{value:{"items":(function*() {');
    expect(text).toContain('Object.defineProperty(this.prototype,"quoted name",{value:{"quoted name":(function() {');
    expect(text).toContain('class Base {static{Object.defineProperty(this.prototype,"greet",{value:{"greet":(function()');
    expect(counts).toMatchObject({ declarations: 11, methods: 7, classMethods: 6, expressions: 2 });
    expect(counts.arrows).toBeGreaterThanOrEqual(3);
    // Left as they were: what did not run, methods with super, __proto__, getters, class members.
    expect(text).toContain("function neverCalled() { return 'never'; }");
    expect(text).toContain('withSuper() {');
    expect(text).toContain("__proto__() { return 'a method, not the prototype'; }");
    expect(text).toContain('get value() { return 5; }');
    expect(text).toContain('secret() { return this.#secret; }');
    expect(text).toContain("greet() { return 'counter, ' + super.greet(); }");
    expect(text).toContain('get double() { return this.n * 2; }');
    expect(text).toContain('constructor() { super(); this.n = 0; }');
    expect(counts.left).toBe(7);
  });

  it('hoists a declaration that is the first statement of its scope', () => {
    const source = 'function a() { return 1; }\nconsole.log(a());\n';
    const { output, ran } = runWithCoverage('first.mjs', source);
    const { text } = eagerFunctions(source, ran);
    expect(text).toBe('var a=(function () { return 1; });\nconsole.log(a());\n');
    expect(runModule(write('first.mjs', text))).toBe(output);
  });

  it('a file where nothing ran is unchanged', () => {
    expect(eagerFunctions(SAMPLE, new Set()).text).toBe(SAMPLE);
  });

  it('leaves module-level declarations in place on an import cycle, and hoists the others', () => {
    const source = 'export const x = f();\nfunction f() { return g(); function g() { return 1; } }\n';
    const { ran } = runWithCoverage('cycle.mjs', source);
    const { text } = eagerFunctions(source, ran, { hoistModuleLevel: false });
    expect(text).toBe('export const x = f();\nfunction f() {var g=(function () { return 1; }); return g();  }\n');
  });

  it('finds the files on import cycles', () => {
    expect(staticImports('import{a}from"./a.mjs";import"node:fs";export{b}from"./b.mjs";const c=await import("./c.mjs");')).toEqual(['./a.mjs', './b.mjs']);
    const graph = new Map([
      ['entry', ['a', 'd']],
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', []],
      ['self', ['self']],
    ]);
    expect([...filesOnImportCycles(graph)].sort()).toEqual(['a', 'b', 'c', 'self']);
    expect(filesOnImportCycles(new Map([['a', ['b']], ['b', []]])).size).toBe(0);
  });

  it("puts the functions that ran into node's compile cache", () => {
    // Many functions with bodies worth compiling, all called: lazily, the cache holds their names and
    // positions; eagerly, their bytecode too.
    const parts: string[] = [];
    for (let i = 0; i < 40; i++) {
      parts.push(`function f${i}(a) { let s = 0; for (let j = 0; j < a; j++) s += (j * ${i}) % 7; return s + 'f${i}'.length; }`);
      parts.push(`const o${i} = { m(a) { const xs = []; for (let j = 0; j < a; j++) xs.push(j + ${i}); return xs.join(','); } };`);
    }
    parts.push(`console.log([${Array.from({ length: 40 }, (_, i) => `f${i}(3), o${i}.m(2)`).join(', ')}].join(' '));`);
    const source = parts.join('\n');
    const { output, ran } = runWithCoverage('many.mjs', source);
    const eager = write('many.mjs', eagerFunctions(source, ran).text);
    const lazy = write('many.mjs', source);
    const cacheSize = (file: string): number => {
      const cache = mkdtempSync(join(work, 'cache-'));
      const loader = join(cache, 'load.cjs');
      writeFileSync(loader, `require('node:module').enableCompileCache(${JSON.stringify(cache)}); import(${JSON.stringify(`file://${file}`)});`);
      expect(runModule(loader)).toBe(output);
      let total = 0;
      for (const sub of readdirSync(cache, { withFileTypes: true })) if (sub.isDirectory()) for (const f of readdirSync(join(cache, sub.name))) total += statSync(join(cache, sub.name, f)).size;
      return total;
    };
    expect(cacheSize(eager)).toBeGreaterThan(2 * cacheSize(lazy));
  });

  it('the built bundle has the lint engine eager, and what a lint does not run lazy', () => {
    const dist = join(REPO, 'dist');
    const chunks = readdirSync(dist).filter((f) => f.endsWith('.mjs')).map((f) => readFileSync(join(dist, f), 'utf8'));
    // The chunk that defines the engine (others import it by name; chunk names are content hashes).
    const engine = chunks.filter((c) => /\b(?:var lintRecipe=|function lintRecipe\()/.test(c));
    expect(engine).toHaveLength(1);
    expect(/var lintRecipe=\(function \(/.test(engine[0])).toBe(true);
    // The TUI of `stacklint review` never runs in a lint.
    const review = chunks.find((c) => c.includes('useInput'));
    expect(review).toBeDefined();
    expect(/var \w+=\(function \(/.test(review ?? '')).toBe(false);
  });
});
