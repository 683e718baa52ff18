// What the upgrade rules share: the two sides of a change (the recipe at the base revision and at the head,
// both built by `recipeViews`), paired view by view, and how a place on the base side is named in a message.
import type { Path } from '../../load/types.js';
import type { MergedView, RecipeInfo, RecipeView, RuleContext } from '../rule.js';
import { interpolateString } from '../../interpolate/index.js';
import { recipeRelative } from '../../swarm/raw-values.js';
import { parseImageReference } from '../kit/images.js';

export interface ViewPair {
  base: MergedView;
  head: MergedView;
  /** The recipe at the base revision (for the base side's places in messages). */
  baseRecipe: RecipeInfo;
  /** Each side's STACK_NAME (the same app on both sides, unless the view's environment changed it). */
  stackBase: string;
  stackHead: string;
}

/**
 * Deploy views of the same name that merged on both sides (`compose.yml`, each overlay combination, each
 * COMPOSE_FILE line). Not the `abra` view: it interpolates without abra.sh and STACK_NAME, so the names it
 * renders are not the ones docker deploys.
 */
export function pairedViews(ctx: RuleContext): ViewPair[] {
  const base = ctx.base;
  if (!base) return [];
  const out: ViewPair[] = [];
  for (const head of ctx.views) {
    if (!head.config || head.kind === 'abra') continue;
    const before = base.views.find((v) => v.name === head.name);
    if (before?.config) {
      out.push({ base: before as MergedView, head: head as MergedView, baseRecipe: base.recipe, stackBase: before.env('STACK_NAME') ?? '', stackHead: head.env('STACK_NAME') ?? '' });
    }
  }
  return out;
}

/** `file:line` of a merged path of a view (or its nearest ancestor that a file sets), for messages. */
export function placeOf(recipe: RecipeInfo, view: RecipeView, path: Path): string {
  for (let n = path.length; n > 0; n--) {
    const origin = view.origin(path.slice(0, n));
    if (!origin) continue;
    const range = recipe.composeFile(origin.file)?.doc.locate(origin.path) ?? recipe.composeFile(origin.file)?.doc.locateKey(origin.path);
    return range ? `${origin.file}:${range.start.line}` : origin.file;
  }
  return view.files[0] ?? 'compose.yml';
}

/** The text of a config/secret `file:` (merged, absolute) on one side; undefined when it cannot be read. */
export function fileText(recipe: RecipeInfo, file: string | undefined): { rel: string; text: string } | undefined {
  if (typeof file !== 'string') return undefined;
  const rel = recipeRelative(recipe, file);
  if (rel === undefined) return undefined;
  const text = recipe.readText(rel);
  return text === undefined ? undefined : { rel, text };
}

/** The raw (as written) string at a merged path, read through the view's provenance. */
export function rawAt(recipe: RecipeInfo, view: RecipeView, path: Path): string | undefined {
  const origin = view.origin(path);
  if (!origin) return undefined;
  let node: unknown = recipe.composeFile(origin.file)?.doc.data;
  for (const seg of origin.path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[seg as string | number];
  }
  return typeof node === 'string' ? node : undefined;
}

/** Variables a raw template uses, STACK_NAME aside (the stack's name never changes on an upgrade). */
export function versionVariables(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const names = interpolateString(raw, () => '').uses.map((u) => u.variable);
  return [...new Set(names)].filter((n) => n !== 'STACK_NAME');
}

/** Where a variable gets its value on a side: `abra.sh:L` (an export) or `.env.sample:L`. */
export function definedAt(recipe: RecipeInfo, name: string): string | undefined {
  const exported = [...(recipe.abraSh?.assignments ?? [])].reverse().find((a) => a.name === name);
  if (exported) return `abra.sh:${exported.line}`;
  const env = recipe.envSample?.entries.find((e) => e.key === name);
  return env ? `.env.sample:${env.line}` : undefined;
}

/** A semver `x.y.z` compared: negative when a < b. */
export function compareRelease(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** `domain/path` of a service's image, without tag or digest; undefined when it does not parse. */
export function imageRepository(image: string | undefined): string | undefined {
  if (typeof image !== 'string' || image === '') return undefined;
  const parsed = parseImageReference(image);
  return parsed.ok ? `${parsed.ref.domain}/${parsed.ref.path}` : undefined;
}

/**
 * Services of the base that the head no longer has, each with its successor: the one service new at the head
 * that runs the same image repository (undefined when there is none, or more than one).
 */
export function renamedServices(pair: ViewPair): Array<{ old: string; successor?: string }> {
  const headServices = pair.head.config.services ?? {};
  const baseServices = pair.base.config.services ?? {};
  const added = Object.keys(headServices).filter((s) => !(s in baseServices));
  const out: Array<{ old: string; successor?: string }> = [];
  for (const old of Object.keys(baseServices)) {
    if (old in headServices) continue;
    const repo = imageRepository(baseServices[old]?.image);
    const same = repo === undefined ? [] : added.filter((s) => imageRepository(headServices[s]?.image) === repo);
    out.push({ old, successor: same.length === 1 ? same[0] : undefined });
  }
  return out;
}
