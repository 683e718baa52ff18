import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigDirectories, ConfigError, findConfigFile, loadConfigFile, loadConfigFor, parseConfigText } from '../../src/config/index.js';

const root = mkdtempSync(join(tmpdir(), 'stacklint-config-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let counter = 0;
function dir(files: Record<string, string> = {}): string {
  const d = join(root, `d${counter++}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), text);
  }
  mkdirSync(d, { recursive: true });
  return d;
}

async function refusal(text: string, file = 'stacklint.config.ts'): Promise<ConfigError> {
  try {
    await parseConfigText(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`expected ${file} to be refused:\n${text}`);
}

const FULL = {
  rules: { R011: { level: 'warn' }, 'proxy-alias-collision': { level: 'error', options: { names: ['db'] } } },
  ignore: ['compose.ccci.yml'],
  sharedNetworks: ['proxy', 'traefik'],
  sharedNetworksSet: true,
  preset: 'strict',
};

describe('config formats', () => {
  it('reads YAML', async () => {
    const yml = `rules:\n  R011: warn\n  proxy-alias-collision: [error, { names: [db] }]\nignore: [compose.ccci.yml]\nsharedNetworks: [proxy, traefik]\npreset: strict\n`;
    expect(await parseConfigText(yml, '.stacklintrc.yml')).toEqual(FULL);
    expect(await parseConfigText(yml, '.stacklintrc.yaml')).toEqual(FULL);
  });

  it('reads JSON', async () => {
    const json = JSON.stringify({ rules: { R011: 'warn', 'proxy-alias-collision': ['error', { names: ['db'] }] }, ignore: ['compose.ccci.yml'], sharedNetworks: ['proxy', 'traefik'], preset: 'strict' });
    expect(await parseConfigText(json, '.stacklintrc.json')).toEqual(FULL);
  });

  it('reads stacklint.config.ts with defineConfig', async () => {
    const ts = [
      "import { defineConfig } from 'stacklint';",
      '',
      '// comments are fine',
      'export default defineConfig({',
      "  rules: { R011: 'warn', 'proxy-alias-collision': ['error', { names: [`db`] }] },",
      "  ignore: ['compose.ccci.yml'],",
      '  sharedNetworks: ["proxy", "traefik"],',
      "  preset: 'strict',",
      '});',
    ].join('\n');
    expect(await parseConfigText(ts, 'stacklint.config.ts')).toEqual(FULL);
  });

  it('reads a plain export default object, numbers, booleans and null in options', async () => {
    const ts = "export default { rules: { R015: ['warn', { max: -12, strict: true, extra: null, 'quoted-key': 1 }] } }";
    expect((await parseConfigText(ts, 'stacklint.config.ts')).rules.R015).toEqual({ level: 'warn', options: { max: -12, strict: true, extra: null, 'quoted-key': 1 } });
  });

  it('treats a key whose entries are all commented out as not given', async () => {
    expect(await parseConfigText('rules:\n  # R011: off\nsharedNetworks:\n', '.stacklintrc.yml')).toEqual({ rules: {}, ignore: [], sharedNetworks: ['proxy'] });
  });

  it('applies defaults to an empty config', async () => {
    expect(await parseConfigText('', '.stacklintrc.yml')).toEqual({ rules: {}, ignore: [], sharedNetworks: ['proxy'] });
    expect(await parseConfigText('export default {}', 'stacklint.config.ts')).toEqual({ rules: {}, ignore: [], sharedNetworks: ['proxy'] });
  });
});

describe('stacklint.config.ts refusals (never executed)', () => {
  const cases: Array<[string, string, RegExp, number, number]> = [
    ['require', "const cp = require('child_process');\nexport default {}", /variable declaration is not allowed/, 1, 1],
    ['call in a value', "export default { rules: require('./rules.json') }", /function calls are not allowed/, 1, 25],
    ['getter', 'export default {\n  get rules() { return {} },\n}', /getters and setters are not allowed/, 2, 3],
    ['method', 'export default { rules() { return {} } }', /methods are not allowed/, 1, 18],
    ['identifier', "const level = 'warn';\nexport default {}", /variable declaration/, 1, 1],
    ['identifier value', 'export default { rules: { R011: level } }', /'level' refers to a variable/, 1, 33],
    ['spread', 'export default { ...base }', /spread/, 1, 18],
    ['array spread', 'export default { ignore: [...x] }', /spread/, 1, 27],
    ['computed key', "export default { ['rules']: {} }", /computed keys/, 1, 19],
    ['shorthand', 'export default { rules }', /shorthand/, 1, 18],
    ['template with expression', 'export default { preset: `${p}` }', /template literals/, 1, 26],
    ['other import', "import fs from 'node:fs';\nexport default {}", /only import allowed/, 1, 1],
    ['other statement', "export default {};\nconsole.log('hi')", /expression statement is not allowed/, 2, 1],
    ['named export', 'export const x = 1;\nexport default {}', /export named declaration is not allowed/, 1, 1],
    ['two default exports', 'export default {};\nexport default {}', /more than one/, 2, 1],
    ['no default export', "import { defineConfig } from 'stacklint';", /no `export default`/, 1, 1],
    ['defineConfig with a variable', 'export default defineConfig(config)', /defineConfig takes an object literal/, 1, 29],
    ['other function', 'export default makeConfig({})', /export default must be an object literal/, 1, 16],
    ['arrow function', 'export default { rules: () => ({}) }', /functions are not allowed/, 1, 25],
    ['type assertion', 'export default { preset: "x" as string }', /type assertions/, 1, 26],
    ['new', 'export default { preset: new String("x") }', /function calls/, 1, 26],
    ['regex', 'export default { preset: /x/ }', /only string, number, boolean and null/, 1, 26],
    ['array hole', 'export default { ignore: [, "a"] }', /holes/, 1, 26],
    ['duplicate key', 'export default { preset: "a", preset: "b" }', /duplicate key 'preset'/, 1, 31],
    ['syntax error', 'export default {', /syntax error/, 1, 17],
  ];

  for (const [name, text, message, line, column] of cases) {
    it(`refuses ${name} with its position`, async () => {
      const e = await refusal(text);
      expect(e.message).toMatch(message);
      expect([e.file, e.line, e.column]).toEqual(['stacklint.config.ts', line, column]);
    });
  }

  it('does not execute a config that would spawn a process or write a file', async () => {
    const marker = join(root, 'executed-marker');
    const d = dir({
      'stacklint.config.ts': [
        "import { defineConfig } from 'stacklint';",
        `require('child_process').execSync('touch ${marker}');`,
        'export default defineConfig({',
        `  get rules() { require('fs').writeFileSync('${marker}', 'x'); return {}; },`,
        '});',
      ].join('\n'),
    });
    await expect(loadConfigFor(d, { stopAt: d })).rejects.toBeInstanceOf(ConfigError);
    expect(existsSync(marker)).toBe(false);
  });

  it('refuses a getter even when it is the only problem, without running it', async () => {
    const marker = join(root, 'getter-marker');
    const e = await refusal(`export default { get preset() { require('fs').writeFileSync('${marker}', 'x'); return 'x'; } }`);
    expect(e.message).toMatch(/getters/);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('validation', () => {
  it('reports unknown keys, wrong levels and wrong types, all at once with positions', async () => {
    const yml = 'rules:\n  R011: warning\n  R002: [warn, 3]\nsharedNetwork: [proxy]\nignore: compose.x.yml\n';
    const e = await refusal(yml, '.stacklintrc.yml');
    expect(e.problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [2, 9, `rule 'R011': unknown level "warning" (did you mean 'warn'?); use off, info, warn or error`],
      [3, 16, "rule 'R002': options must be an object"],
      [4, 1, "unknown key 'sharedNetwork' (did you mean 'sharedNetworks'?) (allowed: rules, ignore, sharedNetworks, preset, views)"],
      [5, 9, "'ignore' must be a list of strings"],
    ]);
    expect(e.message.split('\n')[0]).toBe(`.stacklintrc.yml:2:9: rule 'R011': unknown level "warning" (did you mean 'warn'?); use off, info, warn or error`);
  });

  it('refuses numeric levels, bad rule ids, empty list entries and a non-object root', async () => {
    expect((await refusal('rules: { R011: 2 }', '.stacklintrc.yml')).message).toMatch(/unknown level 2/);
    expect((await refusal('rules: { "not a rule": warn }', '.stacklintrc.yml')).message).toMatch(/is not a rule id/);
    expect((await refusal('sharedNetworks: [""]', '.stacklintrc.yml')).message).toMatch(/non-empty strings/);
    expect((await refusal('[1, 2]', '.stacklintrc.yml')).message).toMatch(/must be an object/);
    expect((await refusal('rules: { R011: [warn, {}, extra] }', '.stacklintrc.yml')).message).toMatch(/\[level, options\]/);
  });

  it('checks rule ids and presets against known lists when given', async () => {
    await expect(parseConfigText('rules: { R01: warn }', '.stacklintrc.yml', { knownRules: ['R011', 'R012'] })).rejects.toThrow(/unknown rule 'R01' \(did you mean 'R011'\?\)/);
    await expect(parseConfigText('preset: strct', '.stacklintrc.yml', { knownPresets: ['recommended', 'strict'] })).rejects.toThrow(/unknown preset 'strct' \(did you mean 'strict'\?\)/);
  });

  it('reports YAML and JSON syntax errors with positions', async () => {
    const dup = await refusal('preset: a\npreset: b\n', '.stacklintrc.yml');
    expect([dup.line, dup.column]).toEqual([2, 1]);
    const alias = await refusal('a: &x [proxy]\nsharedNetworks: *x\n', '.stacklintrc.yml');
    expect(alias.message).toMatch(/aliases/);
    const json = await refusal('{\n  "preset": "a",\n}', '.stacklintrc.json');
    expect(json.message).toMatch(/not valid JSON/);
    expect(json.line).toBe(3);
    expect((await refusal('preset: a', '.stacklintrc.json')).message).toMatch(/not valid JSON/);
    expect((await refusal('a: 1\n---\nb: 2\n', '.stacklintrc.yml')).message).toMatch(/one YAML document/);
  });

  it('is safe against prototype keys', async () => {
    expect((await refusal('{"rules": {"__proto__": "off"}}', '.stacklintrc.json')).message).toMatch(/'__proto__' is not a rule id/);
    const config = await parseConfigText('{"rules": {"R1": ["warn", {"__proto__": {"polluted": 1}}]}}', '.stacklintrc.json');
    expect(Object.keys(config.rules.R1.options ?? {})).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('finding the config file', () => {
  it('uses the nearest file at the recipe or above', async () => {
    const top = dir({ '.stacklintrc.yml': 'preset: top\n', 'recipes/a/compose.yml': '', 'recipes/b/.stacklintrc.json': '{"preset": "b"}' });
    expect(findConfigFile(join(top, 'recipes/a'), { stopAt: top })).toBe(join(top, '.stacklintrc.yml'));
    expect(await loadConfigFor(join(top, 'recipes/b'), { stopAt: top })).toEqual({ config: { rules: {}, ignore: [], sharedNetworks: ['proxy'], preset: 'b' }, file: join(top, 'recipes/b/.stacklintrc.json') });
  });

  it('gives the same answers when a run shares its directory searches between recipes', () => {
    const top = dir({ '.stacklintrc.yml': 'preset: top\n', 'recipes/a/compose.yml': '', 'recipes/b/.stacklintrc.json': '{}', 'recipes/c/.git/HEAD': '' });
    const seen = new ConfigDirectories();
    for (const recipe of ['a', 'b', 'c', 'a', 'b', 'c']) {
      expect(findConfigFile(join(top, 'recipes', recipe), { stopAt: top, seen }), recipe).toBe(findConfigFile(join(top, 'recipes', recipe), { stopAt: top }));
    }
    expect(findConfigFile(join(top, 'recipes/a'), { stopAt: top, seen })).toBe(join(top, '.stacklintrc.yml'));
    expect(findConfigFile(join(top, 'recipes/c'), { stopAt: top, seen })).toBeUndefined();
  });

  it('stops at the repository root (a directory with .git)', async () => {
    const top = dir({ '.stacklintrc.yml': 'preset: outside\n', 'recipe/.git/HEAD': 'ref: refs/heads/main\n', 'recipe/compose.yml': '' });
    expect(findConfigFile(join(top, 'recipe'))).toBeUndefined();
    expect(await loadConfigFor(join(top, 'recipe'))).toEqual({ config: { rules: {}, ignore: [], sharedNetworks: ['proxy'] } });
  });

  it('refuses two config files in one directory', () => {
    const d = dir({ '.stacklintrc.yml': '', 'stacklint.config.ts': 'export default {}' });
    expect(() => findConfigFile(d, { stopAt: d })).toThrow(ConfigError);
    expect(() => findConfigFile(d, { stopAt: d })).toThrow(/several config files/);
  });

  it('turns file-system failures into ConfigError', async () => {
    await expect(loadConfigFile(join(root, 'missing.yml'))).rejects.toBeInstanceOf(ConfigError);
    const d = dir({ 'x.yml/inner': '' });
    await expect(loadConfigFile(join(d, 'x.yml'))).rejects.toThrow(/is a directory, not a regular file/);
    await expect(parseConfigText('{}', 'config.toml')).rejects.toBeInstanceOf(ConfigError);
  });
});
