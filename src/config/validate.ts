// Checks a located config tree against stacklint's config shape and reports every problem with its position.
import type { Located, LocatedEntry, Pos } from './located.js';
import { toPlain } from './located.js';
import type { ConfigProblem, ConfiguredView, Level, RuleSetting, StacklintConfig } from './types.js';
import { ConfigError, defaultConfig, LEVELS } from './types.js';

export interface ValidateOptions {
  /** Rule ids (and names) the engine knows; when given, other ids in `rules` are errors. */
  knownRules?: Iterable<string>;
  /** Preset names the engine knows; when given, another `preset` is an error. */
  knownPresets?: Iterable<string>;
}

const TOP_LEVEL_KEYS = ['rules', 'ignore', 'sharedNetworks', 'preset', 'views'] as const;
const RULE_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
const LEVEL_HINTS: Record<string, Level> = { warning: 'warn', err: 'error', information: 'info', disable: 'off', disabled: 'off', none: 'off' };

/** Validates and normalises; throws one ConfigError listing every problem. */
export function validateConfig(root: Located, file: string | undefined, options: ValidateOptions = {}): StacklintConfig {
  const problems: ConfigProblem[] = [];
  const config = defaultConfig();
  const report = (pos: Pos, message: string) => problems.push({ message, line: pos.line, column: pos.column });
  if (root.kind !== 'object') {
    report(root.pos, 'the configuration must be an object (mapping)');
    throw new ConfigError(file, problems);
  }
  const known = options.knownRules ? new Set(options.knownRules) : undefined;
  for (const entry of root.entries) {
    // `rules:` with every entry commented out parses as null: treat it as not given.
    const empty = entry.value.kind === 'scalar' && entry.value.value === null;
    if (empty && (TOP_LEVEL_KEYS as readonly string[]).includes(entry.key)) continue;
    switch (entry.key) {
      case 'rules':
        config.rules = readRules(entry, known, report);
        break;
      case 'ignore':
        config.ignore = readStringList(entry, report);
        break;
      case 'sharedNetworks':
        config.sharedNetworks = readStringList(entry, report);
        config.sharedNetworksSet = true;
        break;
      case 'preset':
        config.preset = readPreset(entry, options.knownPresets, report);
        break;
      case 'views':
        config.views = readViews(entry, file, report);
        break;
      default:
        report(entry.keyPos, `unknown key '${entry.key}'${suggest(entry.key, TOP_LEVEL_KEYS)} (allowed: ${TOP_LEVEL_KEYS.join(', ')})`);
    }
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return config;
}

type Report = (pos: Pos, message: string) => void;

function readRules(entry: LocatedEntry, known: Set<string> | undefined, report: Report): Record<string, RuleSetting> {
  const node = entry.value;
  if (node.kind !== 'object') {
    report(node.pos, "'rules' must be an object mapping rule ids to levels");
    return {};
  }
  const settings: Array<[string, RuleSetting]> = [];
  for (const rule of node.entries) {
    if (!RULE_ID.test(rule.key)) report(rule.keyPos, `'${rule.key}' is not a rule id`);
    else if (known && !known.has(rule.key)) report(rule.keyPos, `unknown rule '${rule.key}'${suggest(rule.key, [...known])}`);
    const setting = readRuleSetting(rule.key, rule.value, report);
    if (setting) settings.push([rule.key, setting]);
  }
  return Object.fromEntries(settings);
}

function readRuleSetting(ruleId: string, node: Located, report: Report): RuleSetting | undefined {
  if (node.kind === 'scalar') {
    const level = readLevel(ruleId, node, report);
    return level && { level };
  }
  if (node.kind !== 'array' || node.items.length < 1 || node.items.length > 2) {
    report(node.pos, `rule '${ruleId}': expected a level (off, info, warn, error) or [level, options]`);
    return undefined;
  }
  const level = readLevel(ruleId, node.items[0], report);
  const optionsNode = node.items[1];
  if (optionsNode && optionsNode.kind !== 'object') {
    report(optionsNode.pos, `rule '${ruleId}': options must be an object`);
    return undefined;
  }
  if (!level) return undefined;
  return optionsNode ? { level, options: toPlain(optionsNode) as Record<string, unknown> } : { level };
}

function readLevel(ruleId: string, node: Located, report: Report): Level | undefined {
  const value = node.kind === 'scalar' ? node.value : undefined;
  if (typeof value === 'string' && (LEVELS as readonly string[]).includes(value)) return value as Level;
  const hint = typeof value === 'string' && LEVEL_HINTS[value.toLowerCase()];
  const shown = node.kind === 'scalar' ? JSON.stringify(value) : `a${node.kind === 'array' ? 'n array' : 'n object'}`;
  report(node.pos, `rule '${ruleId}': unknown level ${shown}${hint ? ` (did you mean '${hint}'?)` : ''}; use off, info, warn or error`);
  return undefined;
}

function readStringList(entry: LocatedEntry, report: Report): string[] {
  const node = entry.value;
  if (node.kind !== 'array') {
    report(node.pos, `'${entry.key}' must be a list of strings`);
    return [];
  }
  const out: string[] = [];
  for (const item of node.items) {
    if (item.kind === 'scalar' && typeof item.value === 'string' && item.value.trim() !== '') out.push(item.value);
    else report(item.pos, `'${entry.key}' entries must be non-empty strings`);
  }
  return out;
}

/** `views:` — a list whose items are a file list, or one string of files separated by commas. */
function readViews(entry: LocatedEntry, file: string | undefined, report: Report): ConfiguredView[] {
  const node = entry.value;
  if (node.kind !== 'array') {
    report(node.pos, "'views' must be a list of views, each a list of compose files (e.g. [compose.yml, compose.prod.yml])");
    return [];
  }
  const views: ConfiguredView[] = [];
  for (const item of node.items) {
    const parts = item.kind === 'array' ? item.items : [item];
    const files: string[] = [];
    for (const part of parts) {
      const value = part.kind === 'scalar' && typeof part.value === 'string' ? part.value : undefined;
      const names = value === undefined ? [] : value.split(',').map((f) => f.trim());
      if (value === undefined || names.some((f) => f === '')) {
        report(part.pos, "'views' entries must be compose file names (a list, or one string separated by commas)");
        continue;
      }
      for (const name of names) {
        if (name.startsWith('/') || name === '..' || name.startsWith('../')) report(part.pos, `'views': ${name} is outside the stack's directory (give paths relative to it)`);
        else files.push(name);
      }
    }
    if (files.length === 0 && parts.length === 0) report(item.pos, "'views' entries must name at least one compose file");
    if (files.length > 0) views.push({ files, ...(file !== undefined ? { file } : {}), line: item.pos.line, column: item.pos.column });
  }
  return views;
}

function readPreset(entry: LocatedEntry, knownPresets: Iterable<string> | undefined, report: Report): string | undefined {
  const node = entry.value;
  if (node.kind !== 'scalar' || typeof node.value !== 'string' || node.value === '') {
    report(node.pos, "'preset' must be a preset name");
    return undefined;
  }
  const known = knownPresets ? [...knownPresets] : undefined;
  if (known && !known.includes(node.value)) {
    report(node.pos, `unknown preset '${node.value}'${suggest(node.value, known)} (known: ${known.join(', ')})`);
  }
  return node.value;
}

/** ` (did you mean 'x'?)` for the closest candidate within a small edit distance. */
function suggest(word: string, candidates: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best ? ` (did you mean '${best}'?)` : '';
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3 || a.length > 64 || b.length > 64) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
