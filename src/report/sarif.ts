// SARIF 2.1.0, as GitHub code scanning and SARIF viewers read it.
import type { Level, RuleMeta, Severity } from '../rules/types.js';
import type { Finding, LintResult } from '../lint/types.js';
import { findingPath, jsonForTerminals } from './common.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const FINGERPRINT_KEY = 'stacklint/v1';

export interface SarifOptions {
  toolVersion: string;
  /** Rule docs: the rule id is appended (`…/rules/` + `R011`), or replaces `{id}` when present. */
  helpUriBase: string;
  /** The tool's home page; defaults to `helpUriBase` without `{id}`. */
  informationUri?: string;
}

type Json = Record<string, unknown>;

export function formatSarif(result: LintResult, rules: readonly RuleMeta[], options: SarifOptions): string {
  const descriptors = rules.map((r) => descriptor(r, options));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  // A finding whose rule wasn't passed in still needs a descriptor for ruleIndex to point at.
  for (const f of result.findings) {
    if (!index.has(f.rule)) {
      index.set(f.rule, descriptors.length);
      descriptors.push({ id: f.rule, name: f.name, shortDescription: { text: f.name || f.rule }, helpUri: helpUri(f.rule, options) });
    }
  }
  const run: Json = {
    tool: {
      driver: {
        name: 'stacklint',
        informationUri: options.informationUri ?? options.helpUriBase.replace(/\{id\}.*$/, ''),
        version: options.toolVersion,
        rules: descriptors,
      },
    },
    invocations: [
      {
        executionSuccessful: true,
        // Rules that could not run (offline, no git) are configuration notes, not results.
        toolConfigurationNotifications: result.skipped.map((s) => ({
          level: 'note',
          message: { text: `${s.rule} skipped: ${s.reason}` },
          associatedRule: index.has(s.rule) ? { id: s.rule, index: index.get(s.rule) } : { id: s.rule },
        })),
      },
    ],
    columnKind: 'utf16CodeUnits',
    results: result.findings.map((f) => sarifResult(f, index.get(f.rule)!)),
  };
  return `${jsonForTerminals(JSON.stringify({ $schema: SARIF_SCHEMA, version: '2.1.0', runs: [run] }, null, 2))}\n`;
}

function descriptor(r: RuleMeta, options: SarifOptions): Json {
  const about = r.details ?? r.description;
  const config: Json = r.level === 'off' ? { enabled: false, level: 'none' } : { level: levelOf(r.level) };
  return {
    id: r.id,
    name: r.name,
    shortDescription: { text: r.description },
    fullDescription: { text: about },
    help: { text: `${r.description}\n\nHow to fix: ${r.fix}`, markdown: `${about}\n\n**How to fix:** ${r.fix}` },
    helpUri: helpUri(r.id, options),
    defaultConfiguration: config,
    ...(r.fixable ? { properties: { fixable: true } } : {}),
  };
}

function helpUri(id: string, options: SarifOptions): string {
  const base = options.helpUriBase;
  return base.includes('{id}') ? base.replaceAll('{id}', encodeURIComponent(id)) : `${base}${encodeURIComponent(id)}`;
}

function levelOf(level: Exclude<Level, 'off'> | Severity): 'error' | 'warning' | 'note' {
  return level === 'error' ? 'error' : level === 'info' ? 'note' : 'warning';
}

// SARIF's baselineState says what GitHub and viewers should make of a baselined run.
const BASELINE = { new: 'new', known: 'unchanged', fixed: 'absent' } as const;

function sarifResult(f: Finding, ruleIndex: number): Json {
  const properties: Json = { views: [...f.views], fix: f.fix };
  if (f.recipe !== undefined) properties.recipe = f.recipe;
  if (f.edits && f.edits.length > 0) properties.fixable = true;
  const out: Json = {
    ruleId: f.rule,
    ruleIndex,
    level: levelOf(f.severity),
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: artifact(findingPath(f)), region: region(f) } }],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
  };
  if (f.state) out.baselineState = BASELINE[f.state];
  out.properties = properties;
  return out;
}

function artifact(path: string): Json {
  // A URI reference: percent-encode, and '?' / '#' too, which encodeURI would leave as delimiters.
  const encoded = encodeURI(path).replace(/[?#]/g, (c) => encodeURIComponent(c));
  return path.startsWith('/') ? { uri: `file://${encoded}` } : { uri: encoded, uriBaseId: '%SRCROOT%' };
}

function region(f: Finding): Json {
  const start = { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) };
  // SARIF's endColumn is exclusive, as our ranges are; drop an end that doesn't follow the start.
  const validEnd = f.endLine > start.startLine || (f.endLine === start.startLine && f.endColumn >= start.startColumn);
  return validEnd ? { ...start, endLine: f.endLine, endColumn: f.endColumn } : start;
}
