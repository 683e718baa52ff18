// Lints one recipe: parses each file once, builds every view through the stage pipeline (sharing
// per-file work), runs the rules, and turns their reports into positioned, deduplicated findings.
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import type { FileComment, FileDoc, Origin, Path } from '../load/types.js';
import { loadYamlText } from '../load/yaml.js';
import { collectSuppressions } from '../config/index.js';
import type { StacklintConfig, Suppressions } from '../config/index.js';
import { computeViews, parseAbraSh, parseEnvFile, ABRA_SH_FILE, ENV_SAMPLE_FILE } from '../views/index.js';
import type { View } from '../views/index.js';
import { loadStack, StackCache } from '../pipeline/stack.js';
import type { StackResult } from '../pipeline/stack.js';
import { toStackConfig } from '../pipeline/stack-config.js';
import type { ComposeFile, LintView, NotAnalysed, RecipeInfo, Rule, RuleContext, RuleReport } from '../rules/rule.js';
import { pathString } from '../rules/rule.js';
import type { Finding, Level, LintResult, Severity, SkippedRule } from '../rules/types.js';
import { FindingCollector } from './findings.js';
import type { PositionedReport } from './findings.js';
import { RecipeFiles } from './recipe-files.js';
import { UNUSED_SUPPRESSION } from './meta-rules.js';

export interface LintOptions {
  rules: readonly Rule[];
  config: StacklintConfig;
  online?: boolean;
  git?: boolean;
  /** Rule ids to run regardless of level (for fixture tests); others are off. */
  only?: readonly string[];
  /** File texts to use instead of the disk's, keyed by absolute path (fixes not yet written). */
  overlay?: ReadonlyMap<string, string>;
}

export interface RecipeLint extends LintResult {
  recipeDir: string;
  views: string[];
}

/** Every suppression directive starts with it (src/config/suppressions.ts). */
const DIRECTIVE_MARK = 'stacklint-';
const COMPOSE_FILE_PATTERN = /^compose[^/]*\.ya?ml$/;
const BASE_COMPOSE_FILE = 'compose.yml';

export function lintRecipe(dir: string, options: LintOptions): RecipeLint {
  const recipe = buildRecipe(dir, options.overlay);
  const views = buildViews(recipe.info, recipe.views);
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
  for (const rule of options.rules) {
    const level = effectiveLevel(rule, options);
    if (level === 'off') continue;
    if (rule.meta.requires === 'online' && !options.online) {
      skipped.push({ rule: rule.meta.id, reason: 'needs the network: run with --online' });
      continue;
    }
    if (rule.meta.requires === 'git' && !options.git) {
      skipped.push({ rule: rule.meta.id, reason: "reads the recipe's git tags: run with --git" });
      continue;
    }
    const ctx: RuleContext = {
      recipe: recipe.info,
      views,
      settings: { sharedNetworks: options.config.sharedNetworks, online: !!options.online, git: !!options.git },
      options: options.config.rules[rule.meta.id]?.options ?? {},
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
  }
  reportSuppressionProblems(suppressions, collector, options);
  const findings = collector.finish();
  return {
    recipeDir: dir,
    views: views.map((v) => v.name),
    findings,
    skipped,
    summary: summarise(findings, 1, recipe.info.composeFiles.length, views.length),
  };
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

/** The config's `ignore` globs (`*` within a path segment, `**` across segments) as a predicate. */
export function ignoreMatcher(globs: readonly string[]): (file: string) => boolean {
  if (globs.length === 0) return () => false;
  // Matched segment by segment with a memo table, not a RegExp: the globs come from the linted repository,
  // and `**/**/**/…` as a RegExp backtracks exponentially.
  // Repeated `**` segments mean one; collapsing them also bounds the matcher's recursion by the path's length.
  const patterns = globs.map((glob) => glob.replace(/^\.\//, '').split('/').filter((seg, i, all) => !(seg === '**' && all[i - 1] === '**')));
  return (file) => {
    const path = file.split('/');
    return patterns.some((pattern) => globMatches(pattern, path));
  };
}

/** Pattern segments against path segments: `**` is any number of segments; a match may end at a directory. */
function globMatches(pattern: readonly string[], path: readonly string[]): boolean {
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    if (i === pattern.length) return true; // the rest is inside a matched directory
    const key = i * (path.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (pattern[i] === '**') {
      // Iterative over j so a long path does not deepen the stack.
      result = false;
      for (let k = j; k <= path.length && !result; k++) result = match(i + 1, k);
    } else {
      result = j < path.length && segmentMatches(pattern[i], path[j]) && match(i + 1, j + 1);
    }
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}

/** `*` (any run) and `?` (one character) within one segment; linear backtracking, no RegExp. */
function segmentMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
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

function reportSuppressionProblems(suppressions: Suppressions, collector: FindingCollector, options: LintOptions): void {
  const setting = options.config.rules[UNUSED_SUPPRESSION.id]?.level ?? UNUSED_SUPPRESSION.level;
  if (setting === 'off' || options.only) return;
  const severity = severityOf(setting);
  for (const unused of suppressions.unused()) {
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

/** Resolves a rule's report to a file position: explicit position, raw path, or merged path via provenance. */
function positionReport(rule: Rule, level: Level, report: RuleReport, recipe: RecipeInfo): PositionedReport {
  const severity = level === rule.meta.level && report.severity ? report.severity : severityOf(level);
  let file = report.file;
  let path = report.path;
  let at = report.at;
  if (report.mergedPath && report.view) {
    const origin = originOf(report.view, report.mergedPath);
    if (origin) {
      file ??= origin.file;
      path ??= origin.path;
    }
    at ??= 'key';
  }
  let range: { line: number; column: number; endLine: number; endColumn: number } | undefined;
  if (report.line !== undefined) {
    range = {
      line: report.line,
      column: report.column ?? 1,
      endLine: report.endLine ?? report.line,
      endColumn: report.endColumn ?? (report.column ?? 1) + 1,
    };
  } else if (file && path) {
    const doc = recipe.composeFile(file)?.doc;
    const found = doc ? locateNearest(doc, path, at ?? 'value') : undefined;
    if (found) range = found;
  }
  range ??= { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return {
    rule: rule.meta.id,
    name: rule.meta.name,
    severity,
    message: report.message,
    file: file ?? report.view?.files[0] ?? 'compose.yml',
    ...range,
    logicalPath: report.logicalPath ?? (report.mergedPath ? pathString(report.mergedPath) : path ? pathString(path) : ''),
    fix: report.fix ?? rule.meta.fix,
    view: report.view?.name,
    ...(report.edits && report.edits.length > 0 ? { edits: report.edits } : {}),
    ...(report.suggestion ? { suggestion: report.suggestion } : {}),
  };
}

/** The origin of a merged path, or of its nearest ancestor that has one. */
function originOf(view: LintView, path: Path): Origin | undefined {
  for (let n = path.length; n > 0; n--) {
    const origin = view.origin(path.slice(0, n));
    if (origin) return origin;
  }
  return undefined;
}

function locateNearest(doc: FileDoc, path: Path, at: 'key' | 'value') {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    const range = at === 'key' || n < path.length ? doc.locateKey(sub) : doc.locate(sub);
    if (range) {
      return { line: range.start.line, column: range.start.column, endLine: range.end.line, endColumn: range.end.column };
    }
  }
  return undefined;
}

/**
 * A recipe's parsed files and merged views, as the rules see them (for tools that explain a finding's merge);
 * `overlay` replaces files' texts as for `lintRecipe` (an editor's unsaved buffers).
 */
export function recipeViews(dir: string, overlay?: ReadonlyMap<string, string>): { recipe: RecipeInfo; views: LintView[] } {
  const recipe = buildRecipe(dir, overlay);
  return { recipe: recipe.info, views: buildViews(recipe.info, recipe.views) };
}

interface BuiltRecipe {
  info: RecipeInfo;
  views: View[];
}

function buildRecipe(dir: string, overlay?: ReadonlyMap<string, string>): BuiltRecipe {
  const files = new RecipeFiles(dir, overlay);
  const listing = files.list();
  const readText = (rel: string) => {
    const r = files.read(rel);
    return r.ok ? r.text : undefined;
  };
  const unreadable: NotAnalysed['unreadable'] = [];
  const readShellFile = (rel: string) => {
    if (!files.exists(rel)) return undefined;
    const r = files.read(rel);
    if (!r.ok) unreadable.push({ file: rel, message: r.message });
    return r.ok ? r.text : undefined;
  };
  const envText = readShellFile(ENV_SAMPLE_FILE);
  const abraText = readShellFile(ABRA_SH_FILE);
  const envSample = envText !== undefined ? parseEnvFile(envText) : undefined;
  const abraSh = abraText !== undefined ? parseAbraSh(abraText) : undefined;
  const computed = computeViews({ files: listing, exists: (rel) => files.exists(rel) }, envSample, abraSh);
  const composeNames = new Set(listing.filter((f) => COMPOSE_FILE_PATTERN.test(f)));
  for (const view of computed.views) for (const f of view.files) if (files.exists(f)) composeNames.add(f);
  // A compose.yml that is a directory, a FIFO, … is not listed, but must be reported, not skipped.
  const base = files.read(BASE_COMPOSE_FILE);
  if (base.ok || base.reason !== 'missing' || files.exists(BASE_COMPOSE_FILE)) composeNames.add(BASE_COMPOSE_FILE);
  const composeFiles: ComposeFile[] = [...composeNames].sort().map((file) => ({ file, doc: loadComposeFile(files, file) }));
  const byName = new Map(composeFiles.map((c) => [c.file, c]));
  const info: RecipeInfo = {
    dir,
    name: basename(resolve(dir)),
    listFiles: () => listing,
    exists: (rel) => files.exists(rel),
    readText,
    read: (rel) => files.read(rel),
    composeFiles,
    composeFile: (file) => byName.get(file),
    envSample,
    abraSh,
    composeFileLines: computed.composeFileLines,
    notAnalysed: { unreadable, listing: files.notes, ...(computed.capped ? { views: computed.capped } : {}) },
  };
  return { info, views: computed.views };
}

function loadComposeFile(files: RecipeFiles, file: string): FileDoc {
  const read = files.read(file);
  if (read.ok) return loadYamlText(read.text, file, { absPath: resolve(files.dir, file) });
  const failed = loadYamlText('', file);
  return {
    ...failed,
    errors: [{ kind: 'read-error', message: read.message, dockerMessage: read.message }],
  };
}

function buildViews(recipe: RecipeInfo, views: View[]): LintView[] {
  const cache = new StackCache();
  return views.map((view) => {
    const base = {
      name: view.name,
      kind: view.kind,
      files: view.files,
      missingFiles: view.missingFiles,
      source: view.source,
      env: view.env.lookup,
    };
    if (view.missingFiles.length > 0 || view.files.length === 0) {
      const message = view.files.length === 0 ? 'no compose files' : `missing ${view.missingFiles.join(', ')}`;
      return { ...base, failure: { message }, stages: [], dropped: [], origin: () => undefined, definedBy: () => [] };
    }
    const docs = view.files.map((f) => recipe.composeFile(f)!.doc);
    const result = loadStack(docs, {
      lookup: view.env.lookup,
      workingDir: dirname(docs[0].absPath),
      home: '/home/operator',
      readEnvFile: (abs) => readEnvFileInside(recipe, abs),
      cache,
    });
    return withResult(base, result);
  });
}

function withResult(base: Omit<LintView, 'origin' | 'definedBy' | 'config' | 'failure' | 'stages' | 'dropped'>, result: StackResult): LintView {
  if (!result.merged) {
    return {
      ...base,
      stages: result.files,
      dropped: [],
      failure: result.failure ? { file: result.failure.file, message: result.failure.message } : { message: 'failed to load' },
      origin: () => undefined,
      definedBy: () => [],
    };
  }
  const { config, origin, definedBy, dropped } = toStackConfig(result.merged);
  return { ...base, stages: result.files, config, origin, definedBy, dropped };
}

function readEnvFileInside(recipe: RecipeInfo, abs: string): { ok: true; text: string } | { ok: false; message: string } {
  const rel = relative(recipe.dir, abs);
  if (rel.startsWith('..') || isAbsolute(rel)) return { ok: false, message: `open ${abs}: outside the recipe, not read` };
  const text = recipe.readText(rel);
  return text === undefined ? { ok: false, message: `open ${abs}: no such file or directory` } : { ok: true, text };
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
