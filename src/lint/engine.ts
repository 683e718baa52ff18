// Lints one recipe: builds it and its views (src/pipeline/recipe.ts), gathers the facts rules need I/O for,
// runs the rules, and turns their reports into findings — placed (./position.ts), levelled, filtered by
// ignore globs (./ignore.ts) and suppression comments, deduplicated across views (./findings.ts).
import type { FileComment } from '../load/types.js';
import { collectSuppressions } from '../config/index.js';
import type { StacklintConfig, Suppressions } from '../config/index.js';
import { asLoaded, recipeViews } from '../pipeline/recipe.js';
import type { Rule, RuleContext, RuleReport } from '../rules/rule.js';
import { RECIPE_CONVENTION_RULES } from '../rules/index.js';
import type { Level, Severity } from '../rules/types.js';
import type { RecipeInfo, RecipeView, StackKind } from '../pipeline/recipe.js';
import type { EnvVariable } from '../views/index.js';
import type { Finding, LintResult, SkippedRule } from './types.js';
import { FindingCollector } from './findings.js';
import type { PositionedReport } from './findings.js';
import { placeReport } from './position.js';
import { UNUSED_SUPPRESSION } from './meta-rules.js';
import { ignoreMatcher } from './ignore.js';
import { configuredViews } from './stack-layout.js';

export { ignoreMatcher };

export interface LintOptions {
  rules: readonly Rule[];
  config: StacklintConfig;
  online?: boolean;
  git?: boolean;
  /** Rule ids to run regardless of level (for fixture tests); others are off. */
  only?: readonly string[];
  /** File texts to use instead of the disk's, keyed by absolute path (fixes not yet written). */
  overlay?: ReadonlyMap<string, string>;
  /** Exactly these views (stack-relative file lists), as `docker stack deploy -c …` takes them. */
  views?: readonly (readonly string[])[];
  /** Lint as a Co-op Cloud recipe whatever the files say (`preset: abra`). */
  recipe?: boolean;
  /** The read boundary (`--root`); default: the recipe's directory, or a plain stack's git work tree. */
  root?: string;
  /** Variables given for the run (`--env-file`): they win in every deploy view. */
  env?: readonly EnvVariable[];
  /**
   * The recipe at a base revision (a directory materialised from git): enables the upgrade rules
   * (`requires: 'base'`), which compare it with `dir`. Without it they do not run (nor are they listed as skipped).
   */
  base?: string;
}

export interface RecipeLint extends LintResult {
  recipeDir: string;
  views: string[];
  /** A Co-op Cloud recipe, or a plain swarm stack (recipe conventions off). */
  kind: StackKind;
  /** What made it a recipe (`abra.sh`, `.env.sample`, …), or why it is a plain stack. */
  kindReason: string;
  /** Where the deploy views came from when the stack declares them (`.stacklintrc.yml:3`, `deploy.sh:12`). */
  viewsDeclaredBy?: string[];
  /** A plain stack's compose files beside its swarm file, not linted. */
  composeBeside?: string[];
}

/** Every suppression directive starts with it (src/config/suppressions.ts). */
const DIRECTIVE_MARK = 'stacklint-';

/** The config's `views:` as declarations of the stack (src/lint/stack-layout.ts, where discovery reads them too). */
export { configuredViews };

export function lintRecipe(dir: string, options: LintOptions): RecipeLint {
  const { recipe: info, views: built } = recipeViews(dir, { overlay: options.overlay, views: options.views, recipe: options.recipe, root: options.root, env: options.env, configViews: configuredViews(dir, options.config) });
  // Every rule judges every view: one that failed on what loaded (its failure is load-failure's, schema's, …).
  const views = asLoaded(built);
  const plain = info.kind === 'plain';
  const recipe = { info };
  const collector = new FindingCollector();
  const suppressions = collectSuppressions(
    // Only a file that mentions `stacklint-` can hold a directive (or a misspelt one): the rest are not scanned.
    recipe.info.composeFiles.filter((c) => c.doc.text.includes(DIRECTIVE_MARK)).map((c) => [c.file, c.doc.comments()] as [string, readonly FileComment[]]),
    { resolveRule: ruleResolver(options.rules) },
  );
  // Templates, .env.sample and other `#`-commented files can hold suppressions too; read on first finding.
  const registered = new Set(recipe.info.composeFiles.map((c) => c.file));
  const registerTextFileSuppressions = (file: string) => {
    if (registered.has(file)) return;
    registered.add(file);
    const text = recipe.info.readText(file);
    if (text !== undefined && text.includes(DIRECTIVE_MARK)) suppressions.addFile(file, hashComments(text));
  };
  const ignored = ignoreMatcher(options.config.ignore);
  const skipped: SkippedRule[] = [];
  const active: Array<{ rule: Rule; level: Level; options: Record<string, unknown> }> = [];
  // Rules left out for what the run lacks (--online, --git, a base revision): their suppressions cannot be judged unused.
  const notRun = new Set<string>();
  for (const rule of options.rules) {
    const level = effectiveLevel(rule, options);
    if (level === 'off') continue;
    if (plain && RECIPE_CONVENTION_RULES.has(rule.meta.id)) continue;
    if (rule.meta.requires === 'online' && !options.online) {
      skipped.push({ rule: rule.meta.id, reason: 'needs the network: run with --online' });
      notRun.add(rule.meta.id);
      continue;
    }
    if (rule.meta.requires === 'base' && options.base === undefined) {
      notRun.add(rule.meta.id);
      continue;
    }
    if (rule.meta.requires === 'git' && !options.git) {
      skipped.push({ rule: rule.meta.id, reason: "reads the recipe's git tags: run with --git" });
      notRun.add(rule.meta.id);
      continue;
    }
    active.push({ rule, level, options: options.config.rules[rule.meta.id]?.options ?? {} });
  }
  // The base side is built only when an upgrade rule will read it.
  // A bug building it is each upgrade rule's internal error, not the end of the run.
  let base: ReturnType<typeof recipeViews> | undefined;
  let baseError: unknown;
  if (options.base !== undefined && active.some((a) => a.rule.meta.requires === 'base')) {
    try {
      base = recipeViews(options.base);
    } catch (err) {
      baseError = err;
    }
  }
  // The I/O rules need (HTTP, git) is done here, before any rule runs; `check` only reads the result.
  const gathered = active.map(({ rule, options: ruleOptions }) => gatherFacts(rule, recipe.info, ruleOptions));
  active.forEach(({ rule, level, options: ruleOptions }, i) => {
    const facts = gathered[i];
    if (rule.meta.requires === 'base' && baseError !== undefined) {
      collector.add(internalErrorFinding(rule, baseError));
      return;
    }
    if (!facts.ok) {
      collector.add(internalErrorFinding(rule, facts.error));
      return;
    }
    const ctx: RuleContext = {
      recipe: recipe.info,
      views,
      // `proxy` is Co-op Cloud's shared network: a plain stack shares only what its configuration names.
      settings: { sharedNetworks: plain && !options.config.sharedNetworksSet ? [] : options.config.sharedNetworks, online: !!options.online, git: !!options.git },
      options: ruleOptions,
      facts: facts.value,
      ...(base && rule.meta.requires === 'base' ? { base } : {}),
      report: (report) => {
        const positioned = positionReport(rule, level, report, recipe.info);
        if (ignored(positioned.file)) return;
        registerTextFileSuppressions(positioned.file);
        if (suppressions.isSuppressed(rule.meta.id, positioned.file, positioned.line)) return;
        collector.add(positioned);
      },
    };
    try {
      rule.check(ctx);
    } catch (err) {
      // One rule's bug must not hide every other rule's findings: it becomes an error finding of its own.
      collector.add(internalErrorFinding(rule, err));
    }
  });
  reportSuppressionProblems(suppressions, collector, options, notRun);
  const findings = collector.finish();
  listViewsOfFileFindings(findings, views);
  return {
    recipeDir: dir,
    views: views.map((v) => v.name),
    kind: info.kind,
    kindReason: info.kindReason,
    ...(info.viewsDeclaredBy ? { viewsDeclaredBy: info.viewsDeclaredBy } : {}),
    ...(info.composeBeside ? { composeBeside: info.composeBeside } : {}),
    findings,
    skipped,
    summary: summarise(findings, 1, recipe.info.composeFiles.length, views.length),
  };
}

function gatherFacts(rule: Rule, recipe: RecipeInfo, options: Record<string, unknown>): { ok: true; value: unknown } | { ok: false; error: unknown } {
  if (!rule.gather) return { ok: true, value: undefined };
  try {
    return { ok: true, value: rule.gather({ recipe, options }) };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * A finding a rule reported about one compose file, without a view, occurs in every view that merges that
 * file: list them, so that a consumer filtering by view keeps it. After fingerprinting, so that fingerprints
 * (and baselines) stay what they were.
 */
function listViewsOfFileFindings(findings: Finding[], views: RecipeView[]): void {
  for (const finding of findings) {
    if (finding.views.length > 0) continue;
    finding.views = views.filter((view) => view.files.includes(finding.file)).map((view) => view.name);
  }
}

function internalErrorFinding(rule: Rule, err: unknown): PositionedReport {
  const text = err instanceof Error ? err.message : String(err);
  return {
    rule: rule.meta.id,
    name: rule.meta.name,
    severity: 'error',
    message: `internal error in rule ${rule.meta.id}: ${text.split('\n')[0].slice(0, 300)} (its other findings may be missing)`,
    file: 'compose.yml',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
    logicalPath: 'internal-error',
    fix: 'This is a bug in stacklint: please report it with the files that trigger it.',
  };
}

/** `#` comments of a text file (shell, Caddyfile, nginx, .env style): at line start or after a blank. */
function hashComments(text: string): FileComment[] {
  const out: FileComment[] = [];
  text.split('\n').forEach((line, i) => {
    const m = /(^|\s)#(.*)$/.exec(line);
    if (m) out.push({ line: i + 1, column: m.index + m[1].length + 1, text: m[2].replace(/\r$/, '') });
  });
  return out;
}

/** Built once per rule list: a catalogue run lints every recipe with the same one. */
const resolvers = new WeakMap<readonly Rule[], (written: string) => string | undefined>();

function ruleResolver(rules: readonly Rule[]): (written: string) => string | undefined {
  const known = resolvers.get(rules);
  if (known) return known;
  const byName = new Map<string, string>();
  for (const r of rules) {
    byName.set(r.meta.id, r.meta.id);
    byName.set(r.meta.name, r.meta.id);
  }
  byName.set(UNUSED_SUPPRESSION.id, UNUSED_SUPPRESSION.id);
  const resolve = (written: string) => byName.get(written);
  resolvers.set(rules, resolve);
  return resolve;
}

export function effectiveLevel(rule: Rule, options: Pick<LintOptions, 'config' | 'only'>): Level {
  if (options.only) return options.only.includes(rule.meta.id) ? (rule.meta.level === 'off' ? 'warn' : rule.meta.level) : 'off';
  return options.config.rules[rule.meta.id]?.level ?? options.config.rules[rule.meta.name]?.level ?? rule.meta.level;
}

function severityOf(level: Level): Severity {
  return level === 'error' ? 'error' : level === 'info' ? 'info' : 'warning';
}

function reportSuppressionProblems(suppressions: Suppressions, collector: FindingCollector, options: LintOptions, notRun: ReadonlySet<string>): void {
  const setting = options.config.rules[UNUSED_SUPPRESSION.id]?.level ?? UNUSED_SUPPRESSION.level;
  if (setting === 'off' || options.only) return;
  const severity = severityOf(setting);
  for (const unused of suppressions.unused()) {
    if (notRun.has(unused.rule)) continue;
    collector.add({
      rule: UNUSED_SUPPRESSION.id,
      name: UNUSED_SUPPRESSION.name,
      severity,
      message: `suppression of ${unused.written} is unused: no such finding here`,
      file: unused.file,
      line: unused.line,
      column: unused.column,
      endLine: unused.line,
      endColumn: unused.column + unused.written.length,
      logicalPath: `suppression.${unused.rule}`,
      fix: UNUSED_SUPPRESSION.fix,
    });
  }
  for (const problem of suppressions.problems) {
    collector.add({
      rule: UNUSED_SUPPRESSION.id,
      name: UNUSED_SUPPRESSION.name,
      severity,
      message: problem.message,
      file: problem.file,
      line: problem.line,
      column: problem.column,
      endLine: problem.line,
      endColumn: problem.column + 1,
      logicalPath: `suppression.${problem.line}`,
      fix: 'Write the directive as `# stacklint-disable-next-line RULE -- reason`.',
    });
  }
}

/** A rule's report as a finding before views are gathered: placed (./position.ts), with the rule's level. */
function positionReport(rule: Rule, level: Level, report: RuleReport, recipe: RecipeInfo): PositionedReport {
  const severity = level === rule.meta.level && report.severity ? report.severity : severityOf(level);
  const { logicalPath, ...range } = placeReport(report, recipe);
  return {
    rule: rule.meta.id,
    name: rule.meta.name,
    severity,
    message: report.message,
    ...range,
    logicalPath,
    fix: report.fix ?? rule.meta.fix,
    view: report.view?.name,
    ...(report.edits && report.edits.length > 0 ? { edits: report.edits } : {}),
    ...(report.suggestion ? { suggestion: report.suggestion } : {}),
  };
}

export function summarise(findings: Finding[], recipes: number, files: number, views: number): LintResult['summary'] {
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of findings) {
    if (f.state === 'known' || f.state === 'fixed') continue;
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
    else infos++;
  }
  return { errors, warnings, infos, recipes, files, views };
}
