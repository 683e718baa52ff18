// Finds the recipes under the directories given and lints each with its own configuration.
import { existsSync, lstatSync, realpathSync, statSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { BASE_FILE_NAMES, composeOnlyReason } from '../views/index.js';
import { ConfigDirectories } from '../config/index.js';
import { directoryLayout } from '../lint/stack-layout.js';
import { workTreeOf } from '../load/git.js';
import type { ComposeOnlyFile, EnvVariable } from '../views/index.js';
import type { StacklintConfig } from '../config/index.js';
import { ALL_RULES } from '../rules/index.js';
import type { Rule } from '../rules/rule.js';
import type { Finding, LintResult, SkippedRule } from '../lint/types.js';
import { compareFindings } from '../lint/findings.js';
import { summarise } from '../lint/engine.js';
import type { RecipeLint } from '../lint/engine.js';
import { lintRecipeJob } from '../lint/job.js';
import type { RecipeJob } from '../lint/job.js';
import { runInParallel } from './pool.js';

export class TargetError extends Error {}

export interface RunOptions {
  rules: readonly Rule[];
  online?: boolean;
  git?: boolean;
  /** Applied over each recipe's own config file (from the command line). */
  overrides?: Partial<StacklintConfig>;
  /** Called in recipe order (the order of the report), each recipe as soon as all before it are done. */
  onRecipeDone?: (recipe: RecipeLint, index: number, total: number) => void;
  /** Called as each recipe finishes, in whatever order the threads finish them (for progress displays). */
  onProgress?: (recipe: RecipeLint, done: number, total: number) => void;
  /**
   * Threads to lint on (the main thread counts as one); default: the CPUs available. The result is the
   * same for any number; runs of fewer than PARALLEL_MIN_RECIPES recipes stay on the main thread.
   */
  jobs?: number;
  /** File texts to lint instead of the disk's, keyed by absolute path (fixes not yet written). */
  overlay?: ReadonlyMap<string, string>;
  /**
   * Views named on the command line (`-c FILE…` is one, each `--view a.yml,b.yml` another): file lists
   * relative to the cwd, each merged in its order. Every file lies in the first file's directory (the stack).
   */
  namedViews?: readonly NamedView[];
  /** `--env-file FILE…`, parsed: variables for every deploy view's interpolation (later entries win). */
  env?: readonly EnvVariable[];
  /** `--root DIR`: the read boundary (files above a stack's directory but inside DIR are read). */
  root?: string;
}

/** Below this many recipes a worker thread's start-up costs more than it saves. */
export const PARALLEL_MIN_RECIPES = 4;

export interface RunResult extends LintResult {
  recipes: RecipeLint[];
  /** The directory findings' `recipe` paths are relative to. */
  root: string;
  /** docker-compose files (version 1 / 2.x) that made no stack where stacks were looked for (absolute paths). */
  composeOnly?: ComposeOnlyFile[];
}

/**
 * A stack is a directory holding a base compose file (compose.yml, compose.yaml, docker-compose.yml|yaml,
 * docker-stack.yml|yaml, stack.yml|yaml), or one that declares its views: its config's `views:`, its example
 * env file's COMPOSE_FILE, or its own README, scripts, Makefile or CI deploying a compose file of it
 * (`docker stack deploy -c app.yml …`); a catalogue is a directory of stacks. The decision is stackLayout's
 * (src/pipeline), the one `lint`, `config DIR` and the editor server take: a plain directory whose only base
 * files declare version 1 or 2.x (docker-compose files, which docker stack refuses) is no stack; those files are
 * added to `found.composeOnly` (absolute paths), for the summary. A catalogue's own declarations that deploy a
 * file of a folder below it (`docker stack deploy -c traefik/traefik.yml` in its deploy script) make that folder
 * a stack too; when it is none of its own, with exactly those views (`found.declared`).
 */
export function findRecipes(target: string, found?: Discovery): string[] {
  const dir = resolve(target);
  if (!existsSync(dir)) throw new TargetError(`${target}: no such file or directory`);
  if (!statSync(dir).isDirectory()) throw new TargetError(`${target}: not a directory (give the stack's directory, or lint the file with \`stacklint lint -c ${target}\`)`);
  const seen = new ConfigDirectories();
  const skipped: ComposeOnlyFile[] = [];
  const isStack = (stackDir: string) => {
    const layout = directoryLayout(stackDir, { seen });
    if (layout.isStack) return true;
    skipped.push(...layout.composeOnly.map((c) => ({ ...c, file: join(stackDir, c.file) })));
    return false;
  };
  if (isStack(dir)) return [dir];
  const recipes = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.') && isStack(join(dir, e.name)))
    .map((e) => join(dir, e.name));
  for (const [child, declared] of childDeclarations(dir, seen)) {
    if (recipes.includes(child)) continue;
    recipes.push(child);
    // A stack of its own keeps its own views; otherwise it is deployed exactly as the catalogue declares.
    if (!directoryLayout(child, { seen }).isStack) found?.declared.set(child, declared);
  }
  recipes.sort();
  if (recipes.length === 0) {
    if (skipped.length > 0) {
      const files = skipped.map((c) => `${shownPath(c.file)} (${composeOnlyReason(c)})`).join(', ');
      throw new TargetError(
        `${target}: no stack here: ${files} ${skipped.length === 1 ? 'is a docker-compose file' : 'are docker-compose files'}, not a stack (docker stack refuses versions 1 and 2.x, and what only \`docker compose up\` runs is no stack; lint one as it is with -c FILE); ` +
          `looked in ${target} and the directories in it for ${BASE_FILE_NAMES.join(', ')} of another version, or scripts / README / CI that run \`docker stack deploy -c FILE\` on a file there`,
      );
    }
    throw new TargetError(`${target}: ${NO_STACK_HERE}; a catalogue is a directory of stacks; or name the files: stacklint lint -c FILE)`);
  }
  found?.composeOnly.push(...skipped);
  return recipes;
}

/** What finding stacks learnt beside the directories: see findRecipes. */
export interface Discovery {
  composeOnly: ComposeOnlyFile[];
  /** Per stack directory (absolute): the views a catalogue above it declares, files relative to it, and where. */
  declared: Map<string, DeclaredChild>;
}

export interface DeclaredChild {
  views: string[][];
  /** `../deploy.sh:12`: the declarations, relative to the stack's directory. */
  by: string[];
}

/**
 * The views a directory's declarations deploy from a folder below it, by that folder (absolute): docker resolves
 * a view from its first file's directory, so `-c traefik/traefik.yml -c traefik/prod.yml` is the view
 * `traefik.yml+prod.yml` of `traefik/`.
 */
function childDeclarations(dir: string, seen: ConfigDirectories): Map<string, DeclaredChild> {
  const out = new Map<string, DeclaredChild>();
  for (const view of directoryLayout(dir, { seen }).declared) {
    const childRel = posix.dirname(view.files[0]);
    if (childRel === '.' || childRel.startsWith('..')) continue;
    const child = join(dir, childRel);
    const entry = out.get(child) ?? { views: [], by: [] };
    const files = view.files.map((f) => posix.relative(childRel, f));
    if (!entry.views.some((v) => v.join('\0') === files.join('\0'))) entry.views.push(files);
    const by = `${posix.relative(childRel, view.source.file)}:${view.source.line}`;
    if (!entry.by.includes(by)) entry.by.push(by);
    out.set(child, entry);
  }
  return out;
}

/** A path for a message: relative to the current directory when inside it. */
function shownPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
}

/** The start of the error for a directory that is no stack; callers close the parenthesis with their advice. */
export const NO_STACK_HERE = `no stack here (a stack is a directory with ${BASE_FILE_NAMES.join(', ')}, or whose config \`views:\`, .env.example COMPOSE_FILE, scripts or README (\`docker stack deploy -c FILE\`) name a file of it`;

/** The stacks a run lints: directories, with the exact views files named on the command line ask for. */
export interface StackTargets {
  dirs: string[];
  /** Per directory: the views named by files (`-c`, or a file given as a target); absent: every view. */
  views: Record<string, string[][]>;
  /**
   * Per directory: the read boundary its named files need (absolute), when one of them lies, or leads, outside
   * the stack's directory: the repository holding them all, `--root`, or their common directory.
   */
  roots: Record<string, string>;
  /** docker-compose files (version 1 / 2.x) that made no stack where stacks were looked for (absolute paths). */
  composeOnly: ComposeOnlyFile[];
  /** Per directory: the views a catalogue above it declares (see findRecipes), linted as named views are. */
  declared: Record<string, DeclaredChild>;
}

/** A view named on the command line: its files (cwd-relative, merge order) and the option that named them, for errors. */
export interface NamedView {
  option: '-c' | '--view';
  files: readonly string[];
}

/** `-c -`: docker reads the file from stdin and names it `-`; its directory is the current one. */
export const STDIN_FILE = '-';

/** The stack's directory of views named on the command line: docker resolves every relative path from the first file's. */
export function namedViewsDir(named: readonly NamedView[]): string {
  const first = named.find((v) => v.files.length > 0)?.files[0];
  return first === undefined || first === STDIN_FILE ? process.cwd() : dirname(resolve(first));
}

/**
 * `-c FILE…` is one view whose directory is the first file's (docker resolves every file's relative paths
 * there); a file given as a target is a view of its own; a directory is a stack or a catalogue. A file
 * named must exist and be a regular file; files named together may lie anywhere in one repository (or, with
 * no repository, below their common directory), which becomes the read boundary — `root` (`--root`) when
 * given must hold them —, and a link that leads out of that boundary is refused, never read.
 */
export function findStacks(targets: readonly string[], namedViews?: readonly NamedView[], root?: string): StackTargets {
  const views: Record<string, string[][]> = {};
  const roots: Record<string, string> = {};
  const found: Discovery = { composeOnly: [], declared: new Map() };
  const composeOnly = found.composeOnly;
  const declared: Record<string, DeclaredChild> = {};
  const dirs: string[] = [];
  const addView = (dir: string, files: string[]) => {
    if (!views[dir]) dirs.push(dir);
    (views[dir] ??= []).push(files);
  };
  const named = (namedViews ?? []).filter((v) => v.files.length > 0);
  if (named.length > 0) {
    const dir = namedViewsDir(named);
    const given = named.flatMap((view) => view.files.map((file) => ({ file, flag: `${view.option} ` })));
    const boundary = namedFilesBoundary(dir, given, root);
    if (boundary !== undefined) roots[dir] = boundary.dir;
    for (const view of named) addView(dir, view.files.map((file) => stackFile(dir, file, `${view.option} `, boundary)));
    return { dirs, views, roots, composeOnly, declared };
  }
  for (const target of targets) {
    const abs = resolve(target);
    if (existsSync(abs) && !statSync(abs).isDirectory()) {
      const dir = dirname(abs);
      const boundary = namedFilesBoundary(dir, [{ file: target, flag: '' }], root);
      if (boundary !== undefined) roots[dir] = boundary.dir;
      addView(dir, [stackFile(dir, target, '', boundary)]);
      continue;
    }
    for (const dir of findRecipes(target, found)) if (!dirs.includes(dir)) dirs.push(dir);
  }
  for (const [dir, child] of found.declared) {
    let boundary;
    try {
      boundary = namedFilesBoundary(dir, child.views.flat().map((f) => ({ file: join(dir, f), flag: '' })), root);
    } catch (err) {
      if (!(err instanceof TargetError)) throw err;
      // Files that --root does not hold: no view can be read, so no stack is linted there.
      dirs.splice(dirs.indexOf(dir), 1);
      continue;
    }
    if (boundary !== undefined) roots[dir] = boundary.dir;
    declared[dir] = child;
  }
  return { dirs, views, roots, composeOnly, declared };
}

/** A read boundary wider than a stack's directory, and how messages name it. */
interface Boundary {
  /** Absolute, as the user's paths spell it. */
  dir: string;
  /** Links resolved. */
  real: string;
  name: string;
}

/**
 * The boundary the files named together need, or undefined when every one lies in the stack's directory
 * (links resolved): today's boundary then holds. Where each file lies is taken from the path as given, never
 * from where a link leads: a link cannot widen the boundary, only be refused by it.
 */
function namedFilesBoundary(dir: string, given: ReadonlyArray<{ file: string; flag: string }>, root: string | undefined): Boundary | undefined {
  const realDir = safeRealpath(dir);
  if (realDir === undefined) return undefined;
  const files = given.filter((g) => g.file !== STDIN_FILE);
  // Each file's place from the stack's real directory (`..` taken as written), and where it really is.
  const placed = files.map((g) => ({ ...g, at: resolve(realDir, relative(dir, resolve(g.file))), real: safeRealpath(resolve(g.file)) }));
  const within = (outer: string, inner: string) => {
    const rel = relative(outer, inner);
    return !rel.startsWith('..') && !isAbsolute(rel);
  };
  const logical = (real: string) => resolve(dir, relative(realDir, real));
  if (root !== undefined) {
    const realRoot = safeRealpath(resolve(root));
    if (realRoot === undefined) return undefined;
    const outside = placed.find((p) => !within(realRoot, p.at));
    if (outside) throw new TargetError(`${outside.flag}${outside.file}: outside --root ${root}; not read`);
    return { dir: logical(realRoot), real: realRoot, name: `--root ${root}` };
  }
  if (placed.every((p) => within(realDir, p.at) && (p.real === undefined || within(realDir, p.real)))) return undefined;
  const workTree = workTreeOf(dir);
  if (workTree !== undefined && placed.every((p) => within(workTree, p.at))) return { dir: logical(workTree), real: workTree, name: `the repository ${logical(workTree)}` };
  let common = realDir;
  for (const p of placed) while (!within(common, p.at)) common = dirname(common);
  if (common === dirname(common)) {
    const apart = placed.find((p) => !within(realDir, p.at))!;
    throw new TargetError(`${apart.flag}${apart.file}: no repository or directory short of ${common} holds it and ${given[0].file}; give --root DIR to read across them`);
  }
  return { dir: logical(common), real: common, name: common === realDir ? `the stack's directory ${dir}` : `${logical(common)} (the directory holding the files named)` };
}

/** A compose file named on the command line, relative to its stack's directory; a TargetError when docker could not deploy it. */
function stackFile(dir: string, file: string, flag: string, boundary: Boundary | undefined): string {
  if (file === STDIN_FILE) return STDIN_FILE;
  const abs = resolve(file);
  let stat;
  try {
    stat = statSync(abs);
  } catch {
    throw new TargetError(`${flag}${file}: no such file or directory`);
  }
  if (stat.isDirectory()) throw new TargetError(`${flag}${file}: is a directory (give a compose file)`);
  if (!stat.isFile()) throw new TargetError(`${flag}${file}: not a regular file`);
  const rel = relative(dir, abs);
  const real = realpathSync.native(abs);
  if (boundary === undefined) {
    const realRel = relative(realpathSync.native(dir), real);
    if (rel.startsWith('..') || isAbsolute(rel) || realRel.startsWith('..') || isAbsolute(realRel)) {
      throw new TargetError(`${flag}${file}: outside the stack's directory ${dir} (links resolved); not read`);
    }
  } else {
    const realRel = relative(boundary.real, real);
    if (realRel.startsWith('..') || isAbsolute(realRel)) throw new TargetError(`${flag}${file}: a link to ${real}, outside ${boundary.name}; not read`);
  }
  return rel.split(sep).join('/');
}

function safeRealpath(path: string): string | undefined {
  try {
    return realpathSync.native(path);
  } catch {
    return undefined;
  }
}

export async function runLint(targets: readonly string[], options: RunOptions): Promise<RunResult> {
  const stacks = findStacks(targets, options.namedViews, options.root);
  const recipeDirs = stacks.dirs;
  // One recipe named directly (or its files): paths are recipe-relative. Otherwise each finding names its recipe.
  const named = options.namedViews?.length || (targets.length === 1 && (resolve(targets[0]) === recipeDirs[0] || stacks.views[recipeDirs[0]] !== undefined));
  const single = recipeDirs.length === 1 && !!named;
  const root = single ? recipeDirs[0] : commonRoot(targets);
  const job: RecipeJob = { online: options.online, git: options.git, overrides: options.overrides, namingRoot: single ? undefined : root, overlay: options.overlay, views: { ...declaredViewsOf(stacks), ...stacks.views }, ...(Object.keys(stacks.roots).length > 0 ? { roots: stacks.roots } : {}), ...(options.env ? { env: options.env } : {}), ...(options.root !== undefined ? { root: resolve(options.root) } : {}) };
  const total = recipeDirs.length;
  const threads = Math.min(options.jobs ?? availableParallelism(), total);
  let recipes: RecipeLint[];
  if (threads > 1 && total >= PARALLEL_MIN_RECIPES && onlyRegisteredRules(options.rules)) {
    const task = { kind: 'lint' as const, job, ruleIds: options.rules.map((r) => r.meta.id) };
    recipes = await runInParallel(
      recipeDirs,
      task,
      threads,
      {
        onResult: (result, i) => options.onRecipeDone?.(result, i, total),
        onDone: (result, done) => options.onProgress?.(result, done, total),
      },
      options.rules,
    );
  } else {
    recipes = [];
    for (const [i, dir] of recipeDirs.entries()) {
      const result = await lintRecipeJob(dir, job, options.rules);
      recipes.push(result);
      options.onProgress?.(result, i + 1, total);
      options.onRecipeDone?.(result, i, total);
    }
  }
  for (const r of recipes) if (stacks.declared[r.recipeDir]) r.viewsDeclaredBy ??= stacks.declared[r.recipeDir].by;
  const findings: Finding[] = recipes.flatMap((r) => r.findings).sort(compareFindings);
  const skipped: SkippedRule[] = uniqueSkipped(recipes.flatMap((r) => r.skipped));
  const files = recipes.reduce((n, r) => n + r.summary.files, 0);
  const views = recipes.reduce((n, r) => n + r.summary.views, 0);
  return { recipes, root, findings, skipped, summary: summarise(findings, recipes.length, files, views), ...(stacks.composeOnly.length > 0 ? { composeOnly: stacks.composeOnly } : {}) };
}

/** The views catalogues declare for stacks below them, by stack directory (linted as named views are). */
export function declaredViewsOf(stacks: Pick<StackTargets, 'declared'>): Record<string, string[][]> {
  return Object.fromEntries(Object.entries(stacks.declared).map(([dir, d]) => [dir, d.views]));
}

/** Worker threads rebuild the rules from their ids: only rules of the registry can travel. */
function onlyRegisteredRules(rules: readonly Rule[]): boolean {
  const registered = new Map(ALL_RULES.map((r) => [r.meta.id, r]));
  return rules.every((r) => registered.get(r.meta.id) === r);
}

/** Per-recipe counts for the end-of-run table and the JSON report's `recipes`. */
export interface RecipeSummary {
  recipe: string;
  views: number;
  errors: number;
  warnings: number;
  infos: number;
}

export function recipeSummaries(run: Pick<RunResult, 'recipes' | 'root'>): RecipeSummary[] {
  return run.recipes.map((r) => {
    // Counted now, not taken from r.summary: a baseline applied since may have marked findings known.
    const counts = summarise(r.findings, 1, r.summary.files, r.summary.views);
    return {
      recipe: relative(run.root, r.recipeDir) || basename(r.recipeDir),
      views: counts.views,
      errors: counts.errors,
      warnings: counts.warnings,
      infos: counts.infos,
    };
  });
}

function uniqueSkipped(list: SkippedRule[]): SkippedRule[] {
  const seen = new Map<string, SkippedRule>();
  for (const s of list) if (!seen.has(s.rule)) seen.set(s.rule, s);
  return [...seen.values()];
}

function commonRoot(targets: readonly string[]): string {
  return targets.length === 1 ? resolve(targets[0]) : process.cwd();
}
