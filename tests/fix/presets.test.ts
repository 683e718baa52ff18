// Presets: names, combination, precedence under the configuration, and the effect on a lint.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/index.js';
import { runLint } from '../../src/catalogue/run.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { parsePresets, presetLevels, withPresetLevels } from '../../src/rules/presets.js';

function recipe(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'stacklint-preset-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const COMPOSE = 'services:\n  app:\n    image: nginx:latest\n    ports:\n      - 8080:80\n';

describe('presets', () => {
  it('parses comma-separated names and names the known ones on a typo', () => {
    expect(parsePresets('strict, style')).toEqual(['strict', 'style']);
    expect(parsePresets(undefined)).toEqual([]);
    expect(() => parsePresets('strct')).toThrow("unknown preset 'strct' (known: recommended, strict, style, abra)");
  });

  it('strict and style turn their opt-in rules on; abra turns every non-abra rule off', () => {
    expect(presetLevels(['strict'], ALL_RULES)).toEqual({ 'mutable-image-tag': 'warn', 'resource-limits': 'warn' });
    expect(presetLevels(['style'], ALL_RULES)).toEqual({ 'ports-quoted': 'warn' });
    const abra = presetLevels(['abra'], ALL_RULES);
    expect(Object.keys(abra).some((id) => /^R\d{3}$/.test(id))).toBe(false);
    expect(abra['proxy-alias-collision']).toBe('off');
    expect(abra['unused-suppression']).toBe('off');
  });

  it('never overrides a level the configuration sets, by id or by name', () => {
    const rules = withPresetLevels({ 'ports-quoted': { level: 'error' as const } }, ['style', 'strict'], ALL_RULES);
    expect(rules['ports-quoted']).toEqual({ level: 'error' });
    expect(rules['mutable-image-tag']).toEqual({ level: 'warn' });
  });

  it('changes what a lint reports: --preset over the config file, the config file over the defaults', async () => {
    const dir = recipe({ 'compose.yml': COMPOSE, '.stacklintrc.yml': 'preset: style\n' });
    const ids = async (preset?: string) => new Set((await runLint([dir], { rules: ALL_RULES, jobs: 1, overrides: preset ? { preset } : {} })).findings.map((f) => f.rule));
    const fromConfig = await ids();
    expect(fromConfig.has('ports-quoted')).toBe(true);
    expect(fromConfig.has('mutable-image-tag')).toBe(false);
    const strict = await ids('strict');
    expect(strict.has('mutable-image-tag')).toBe(true);
    expect(strict.has('ports-quoted')).toBe(false);
    const abra = await ids('abra');
    expect([...abra].every((id) => /^R\d{3}$/.test(id))).toBe(true);
    expect(abra.has('R001')).toBe(true);
  });

  it('reports an unknown preset in a config file as a configuration error of that file', async () => {
    const dir = recipe({ 'compose.yml': COMPOSE, '.stacklintrc.yml': 'preset: paranoid\n' });
    const run = runLint([dir], { rules: ALL_RULES, jobs: 1 });
    await expect(run).rejects.toBeInstanceOf(ConfigError);
    await expect(run).rejects.toThrow(/\.stacklintrc\.yml: preset: unknown preset 'paranoid'/);
  });
});
