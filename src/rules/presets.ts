// Presets: named sets of rule levels, chosen with `--preset` or `preset:` in the configuration. A preset
// only fills in levels the configuration does not set itself (by id or name), so `rules:` and `--rule`
// always win. Several presets combine with commas: `strict,style`.
import type { Rule } from './rule.js';
import type { Level } from './types.js';

export const PRESETS = {
  recommended: 'the default: every rule at its own level; opt-in rules stay off',
  strict: 'recommended, plus the opt-in rules of the `strict` preset (image digests, resource limits, …)',
  style: 'recommended, plus the opt-in style rules (quoting); never rules that conflict with swarm or abra',
  abra: "exactly abra's rules (R001–R015) at their levels, everything else off: for parity runs",
} as const;

export type PresetName = keyof typeof PRESETS;

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

const ABRA_RULE = /^R\d{3}$/;

/** The engine's own rule ids (not modules) a preset may switch off. */
const ENGINE_RULES = ['unused-suppression'];

/** Splits `strict,style` into names; throws with a readable message on an unknown one. */
export function parsePresets(value: string | undefined): PresetName[] {
  if (value === undefined || value.trim() === '') return [];
  const names = value.split(',').map((n) => n.trim()).filter((n) => n !== '');
  for (const name of names) {
    if (!Object.hasOwn(PRESETS, name)) {
      throw new Error(`unknown preset '${name}' (known: ${PRESET_NAMES.join(', ')})`);
    }
  }
  return [...new Set(names)] as PresetName[];
}

/** The level each rule gets from the presets, for rules the presets change (keyed by rule id). */
export function presetLevels(presets: readonly PresetName[], rules: readonly Rule[]): Record<string, Level> {
  const out: Record<string, Level> = {};
  for (const preset of presets) {
    if (preset === 'abra') {
      for (const r of rules) if (!ABRA_RULE.test(r.meta.id)) out[r.meta.id] = 'off';
      for (const id of ENGINE_RULES) out[id] = 'off';
      continue;
    }
    if (preset === 'recommended') continue;
    for (const r of rules) {
      if (!r.meta.presets?.includes(preset)) continue;
      out[r.meta.id] = r.meta.level === 'off' ? 'warn' : r.meta.level;
    }
  }
  // `abra` with another preset: the other preset's rules join abra's.
  if (presets.includes('abra') && presets.length > 1) {
    for (const preset of presets) {
      if (preset === 'abra' || preset === 'recommended') continue;
      for (const r of rules) if (r.meta.presets?.includes(preset)) out[r.meta.id] = r.meta.level === 'off' ? 'warn' : r.meta.level;
    }
  }
  return out;
}

/**
 * Rule settings with the presets' levels filled in under the configured ones: a rule the configuration
 * names (by id or by name) keeps its configured setting.
 */
export function withPresetLevels<S extends { level: Level }>(
  configured: Readonly<Record<string, S>>,
  presets: readonly PresetName[],
  rules: readonly Rule[],
): Record<string, S | { level: Level }> {
  const levels = presetLevels(presets, rules);
  const out: Record<string, S | { level: Level }> = { ...configured };
  const nameOf = new Map(rules.map((r) => [r.meta.id, r.meta.name]));
  for (const [id, level] of Object.entries(levels)) {
    const name = nameOf.get(id);
    if (Object.hasOwn(configured, id) || (name !== undefined && Object.hasOwn(configured, name))) continue;
    out[id] = { level };
  }
  return out;
}
