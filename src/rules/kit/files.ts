// Helpers shared by the structure rules (yaml-syntax, schema, interpolation, references…): walking
// raw decoded compose data, positions inside string values, and the deploy environment.
import { NonStringKeyMap } from '../../load/types.js';
import { asMapping } from '../../load/path.js';
import type { Mapping } from '../../load/path.js';
import type { Path, PathSeg, YamlValue } from '../../load/types.js';
import type { ComposeFile, RecipeView, RuleContext } from '../rule.js';

export { asMapping, positionInValue, positionOf, valueAt } from '../../load/path.js';
export type { Mapping, Position } from '../../load/path.js';
export { code } from './views.js';

export function has(obj: object | undefined, key: string): boolean {
  return obj !== undefined && Object.hasOwn(obj, key);
}

/** Every mapping with a non-string key, with its path. */
export function findNonStringKeyMaps(data: YamlValue | undefined, path: PathSeg[] = [], out: Array<{ path: PathSeg[]; map: NonStringKeyMap }> = []) {
  if (data instanceof NonStringKeyMap) {
    out.push({ path, map: data });
    for (const [key, value] of data.entries) {
      if (typeof key === 'string') findNonStringKeyMaps(value, [...path, key], out);
    }
  } else if (Array.isArray(data)) {
    data.forEach((item, i) => findNonStringKeyMaps(item, [...path, i], out));
  } else if (data !== null && typeof data === 'object') {
    for (const key of Object.keys(data)) findNonStringKeyMaps((data as Mapping)[key], [...path, key], out);
  }
  return out;
}

/** Parsed compose files (data decoded). */
export function loadedComposeFiles(ctx: RuleContext): Array<ComposeFile & { data: Mapping }> {
  const out: Array<ComposeFile & { data: Mapping }> = [];
  for (const c of ctx.recipe.composeFiles) {
    const data = asMapping(c.doc.data);
    if (c.doc.errors.length === 0 && data) out.push({ ...c, data });
  }
  return out;
}

/**
 * The deploy environment (.env.sample incl. commented values, abra.sh exports, STACK_NAME): the env of
 * any deploy view (they all share it).
 */
export function deployLookup(ctx: RuleContext): (name: string) => string | undefined {
  const view = ctx.views.find((v) => v.kind !== 'abra');
  if (view) return view.env;
  const values = new Map<string, string>();
  for (const commented of [true, false]) {
    for (const e of ctx.recipe.envSample?.entries ?? []) if (e.commented === commented) values.set(e.key, e.value);
  }
  for (const a of ctx.recipe.abraSh?.assignments ?? []) if (a.exported) values.set(a.name, a.value);
  values.set('STACK_NAME', 'example_com');
  return (name) => values.get(name);
}

/** Views whose per-file stages include `file`, with that file's stages. */
export function stagesOf(ctx: RuleContext, file: string) {
  const out: Array<{ view: RecipeView; stages: RecipeView['stages'][number] }> = [];
  for (const view of ctx.views) {
    for (const stages of view.stages) if (stages.file === file) out.push({ view, stages });
  }
  return out;
}

/** Joins a path for messages and logical paths: services.web.ports[0], deploy.labels[traefik.enable]. */
export function showPath(path: Path): string {
  return path
    .map((seg, i) => (typeof seg === 'number' || /[.\s\[\]]/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`))
    .join('');
}


/** The last uncommented COMPOSE_FILE line's files: what the recipe deploys by default (`compose.yml` when none). */
export function defaultComposeFiles(ctx: RuleContext): string[] {
  const active = ctx.recipe.composeFileLines.filter((l) => !l.commented);
  return active.length > 0 ? active[active.length - 1].files : ctx.recipe.defaultFiles;
}
