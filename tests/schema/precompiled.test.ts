// The bundle's precompiled validators (dist/validators/, written by `npm run build`, which `npm test` runs
// first) judge exactly as the validators ajv compiles at run time: same verdict, same errors.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadYamlText } from '../../src/load/yaml.js';
import type { YamlValue } from '../../src/load/types.js';
import { AJV_FORMATS, forAjv, newAjv } from '../../src/schema/ajv.js';
import type { SchemaNode } from '../../src/schema/gojsonschema.js';
import { marshalForValidation } from '../../src/schema/json-marshal.js';
import { loadSchema } from '../../src/schema/schemas.js';
import { SUPPORTED_VERSIONS } from '../../src/schema/version.js';

const REPO = join(__dirname, '../..');
const DIST = join(REPO, 'dist/validators');

/** Every compose file of the repository's fixtures and of the golden cases, parsed. */
function documents(): Array<{ name: string; data: YamlValue }> {
  const out: Array<{ name: string; data: YamlValue }> = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name) && !e.name.startsWith('expected')) {
        const doc = loadYamlText(readFileSync(p, 'utf8'), p);
        if (doc.data !== undefined) out.push({ name: p, data: doc.data });
      }
    }
  };
  walk(join(REPO, 'fixtures'));
  const golden = join(REPO, '../shared/golden/stack-config/cases');
  if (existsSync(golden)) walk(golden);
  return out;
}

describe('precompiled schema validators', () => {
  const docs = documents();

  it('are there for every supported version, self-contained (nothing is installed beside dist/)', () => {
    const files = readdirSync(DIST);
    expect(files.sort()).toEqual(SUPPORTED_VERSIONS.map((v) => `config_schema_v${v}.cjs`).sort());
    // Copied where no node_modules can be found, each still loads and judges.
    const alone = mkdtempSync(join(tmpdir(), 'stacklint-validators-'));
    try {
      for (const file of files) {
        copyFileSync(join(DIST, file), join(alone, file));
        const make = createRequire(join(alone, 'x.js'))(join(alone, file)) as (f: typeof AJV_FORMATS) => ValidateFunction;
        const validate = make(AJV_FORMATS);
        expect(validate({ version: '3', services: { app: { image: 'nginx' } } }), file).toBe(true);
        expect(validate({ version: '3', services: { app: { image: 7 } } }), file).toBe(false);
      }
    } finally {
      rmSync(alone, { recursive: true, force: true });
    }
  });

  it("declare ajv's functions at the top level, in parentheses (compiled with the file, so node's compile cache keeps them)", () => {
    for (const file of readdirSync(DIST)) {
      const text = readFileSync(join(DIST, file), 'utf8');
      const functions = [...text.matchAll(/function (validate\d+)\(/g)];
      expect(functions.length, file).toBeGreaterThan(0);
      for (const m of functions) expect(text.slice(m.index - 1, m.index), `${file}: ${m[1]}`).toBe('(');
      // Not inside the function that makes the validator: that one is compiled when it is called.
      expect(text.indexOf('function makeValidator'), file).toBeGreaterThan(functions[functions.length - 1].index);
    }
  });

  it.each(SUPPORTED_VERSIONS.map((v) => [v]))('v%s judges every fixture as the run-time compiled one does', (version) => {
    const compiled = newAjv(false).compile(forAjv(loadSchema(version)) as SchemaNode);
    const make = createRequire(__filename)(join(DIST, `config_schema_v${version}.cjs`)) as (f: typeof AJV_FORMATS) => ValidateFunction;
    const precompiled = make(AJV_FORMATS);
    expect(docs.length).toBeGreaterThan(100);
    let invalid = 0;
    for (const { name, data } of docs) {
      const value = marshalForValidation(data).value;
      const a = compiled(value);
      const b = precompiled(value);
      expect(b, name).toBe(a);
      expect(JSON.stringify(precompiled.errors ?? null), name).toBe(JSON.stringify(compiled.errors ?? null));
      if (!a) invalid++;
    }
    // Both verdicts occur, so the errors were compared too.
    expect(invalid).toBeGreaterThan(0);
    expect(invalid).toBeLessThan(docs.length);
  });
});
