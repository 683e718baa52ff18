import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, UsageError } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { ALL_RULES, findRule } from '../../src/rules/index.js';
import { UNUSED_SUPPRESSION } from '../../src/lint/meta-rules.js';
import type { RuleMeta } from '../../src/rules/types.js';
import type { Command } from './index.js';
import { stdio } from '../output.js';

function allMetas(): RuleMeta[] {
  return [...ALL_RULES.map((r) => r.meta), UNUSED_SUPPRESSION];
}

export const rulesCommand: Command = {
  name: 'rules',
  summary: 'list every rule: id, default level, what it checks',
  help: () => 'Usage: stacklint rules [--format json]\n\nLists every rule with its default level; `[fixable: --fix]` marks rules whose findings can carry safe edits\nthat `stacklint lint --fix` applies. `stacklint explain ID` tells more.\n',
  async run(argv) {
    const { options } = parseArgs(argv, [{ name: 'format', short: 'f', type: 'string', description: 'text or json' }]);
    const metas = allMetas();
    if (options.format === 'json') {
      stdio.out(JSON.stringify(metas, null, 2) + '\n');
      return EXIT.ok;
    }
    if (options.format && options.format !== 'text') throw new UsageError(`unknown format '${options.format}' (text or json)`);
    const idWidth = Math.max(...metas.map((m) => m.id.length)) + 2;
    const nameWidth = Math.max(...metas.map((m) => m.name.length)) + 2;
    for (const m of metas) {
      const extra = m.requires && !m.description.includes(`--${m.requires}`) ? ` (needs ${needs(m.requires)})` : '';
      const fixable = m.fixable ? ' [fixable: --fix]' : '';
      stdio.out(`${m.id.padEnd(idWidth)}${m.name.padEnd(nameWidth)}${m.level.padEnd(7)}${m.description}${extra}${fixable}\n`);
    }
    return EXIT.ok;
  },
};

/** fixtures/rules beside the bundle (dist/ → ../fixtures) or the sources (cli/commands → ../../fixtures). */
function fixturesRoot(): string | undefined {
  const here = fileURLToPath(new URL('.', import.meta.url));
  for (const candidate of [join(here, '../fixtures/rules'), join(here, '../../fixtures/rules')]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

interface Example {
  rule: string;
  caseName: string;
  file: string;
  text: string;
  line?: number;
}

/** The option a rule's requirement asks for: upgrade rules run with a base revision. */
function needs(requires: string): string {
  return requires === 'base' ? '--base REF or --upgrade-from REF' : `--${requires}`;
}

function examplesOf(id: string): { failing?: Example; passing?: Example } {
  const root = fixturesRoot();
  const dir = root && join(root, id);
  if (!dir || !existsSync(dir)) return {};
  const cases = readdirSync(dir).sort();
  const load = (caseName: string): Example | undefined => {
    const expectedPath = join(dir, caseName, 'expected.json');
    if (!existsSync(expectedPath)) return undefined;
    const findings = JSON.parse(readFileSync(expectedPath, 'utf8')).findings as Array<{ file: string; line: number }>;
    // An upgrade rule's case is a base/ and head/ pair: the example is the head, where findings point.
    const file = (existsSync(join(dir, caseName, 'head')) ? 'head/' : '') + (findings[0]?.file ?? 'compose.yml');
    const path = join(dir, caseName, file);
    if (!existsSync(path)) return undefined;
    return { rule: id, caseName, file, text: readFileSync(path, 'utf8'), line: findings[0]?.line };
  };
  const failing = cases.filter((c) => c.startsWith('fires')).map(load).find(Boolean);
  const passing = cases.filter((c) => c.startsWith('silent')).map(load).find(Boolean);
  return { failing, passing };
}

function showExample(title: string, ex: Example): string {
  const lines = ex.text.replace(/\n$/, '').split('\n');
  const width = String(lines.length).length;
  const body = lines
    .map((l, i) => `${i + 1 === ex.line ? '>' : ' '} ${String(i + 1).padStart(width)} | ${l}`)
    .join('\n');
  return `${title} (fixtures/rules/${ex.rule}/${ex.caseName}/${ex.file}):\n\n${body}\n`;
}

export const explainCommand: Command = {
  name: 'explain',
  summary: "a rule's documentation, with a failing and a passing example",
  help: () => 'Usage: stacklint explain RULE\n\nRULE is an id (R011) or a name (image-present).\n',
  async run(argv) {
    const { positionals } = parseArgs(argv, []);
    if (positionals.length !== 1) throw new UsageError('name one rule, e.g. `stacklint explain R011`');
    const rule = findRule(positionals[0]);
    const meta = rule?.meta ?? (positionals[0] === UNUSED_SUPPRESSION.id ? UNUSED_SUPPRESSION : undefined);
    if (!meta) throw new UsageError(`unknown rule '${positionals[0]}' (see \`stacklint rules\`)`);
    const parts = [
      `${meta.id} — ${meta.name} (default: ${meta.level}${meta.requires ? `, needs ${needs(meta.requires)}` : ''})`,
      '',
      meta.description,
      '',
      ...(meta.details ? [meta.details.trim(), ''] : []),
      `How to fix: ${meta.fix}`,
      '',
    ];
    const { failing, passing } = examplesOf(meta.id);
    if (failing) parts.push(showExample('Fails', failing));
    if (passing) parts.push(showExample('Passes', passing));
    stdio.out(parts.join('\n'));
    return EXIT.ok;
  },
};
