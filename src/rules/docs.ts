// docs/rules.md is generated from the rules' metadata (npm run docs); a test fails when it is stale.
import type { RuleMeta } from './types.js';

const LEVEL_WORD: Record<string, string> = { error: 'error', warn: 'warning', info: 'info', off: 'off (opt-in)' };

export function renderRulesMarkdown(rules: readonly RuleMeta[]): string {
  const out: string[] = [
    '# stacklint rules',
    '',
    '<!-- Generated from the rules\' metadata by `npm run docs`; do not edit by hand. -->',
    '',
    'Each rule can be set to `off`, `info`, `warn` or `error` in `.stacklintrc.yml` (`rules: { R004: off }`)',
    'or with `--rule ID=LEVEL`; `stacklint explain ID` shows a failing and a passing example. Presets (`--preset`,',
    '`preset:`): `recommended` (default), `strict`, `style` (opt-in rules), `abra` (R001–R015 only). Rules marked',
    'fixable attach safe edits to their findings (not to every one), which `stacklint lint --fix` applies (preview',
    'with `--fix-dry-run`).',
    'Upgrade rules (`src/rules/upgrade/`: immutable-config-changed, secret-renamed, volume-replaced, service-renamed,',
    'version-not-advanced, image-downgrade) compare the recipe with itself at a git revision and report what the',
    'change breaks for apps already deployed; they run only with `lint --base REF` or `--upgrade-from REF`.',
    '',
    '| id | name | default | fixable | checks |',
    '|---|---|---|---|---|',
    ...rules.map((r) => `| [${r.id}](#${anchor(r.id)}) | ${r.name} | ${levelWord(r)} | ${r.fixable ? 'yes' : ''} | ${oneLine(r.description)} |`),
    '',
  ];
  for (const r of rules) {
    out.push(`## ${r.id}`, '', `**${r.name}** · default level: ${levelWord(r)}${r.requires === 'base' ? ' · needs `--base REF` or `--upgrade-from REF` (an upgrade rule)' : r.requires ? ` · needs \`--${r.requires}\`` : ''}${r.fixable ? ' · fixable (`--fix`)' : ''}`, '');
    out.push(r.description, '');
    if (r.details) out.push(r.details.trim(), '');
    out.push(`**How to fix:** ${r.fix}`, '');
  }
  return out.join('\n');
}

/** The default level, and the presets that turn an opt-in rule on. */
function levelWord(r: RuleMeta): string {
  return r.presets?.length ? `${LEVEL_WORD[r.level]}; on in ${r.presets.map((p) => `\`${p}\``).join(', ')}` : LEVEL_WORD[r.level];
}

function anchor(id: string): string {
  return id.toLowerCase().replace(/[^a-z0-9-]/g, '');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
}
