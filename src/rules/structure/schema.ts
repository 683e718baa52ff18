// schema: docker's JSON schema for the compose file version, every violation (docker prints one), plus
// docker's version rules (one version for all files of a deploy, supported versions) and the service
// keys docker refuses outright (extends, volume_driver, …).
import type { Path, YamlValue } from '../../load/types.js';
import { interpolateConfig, interpolateString } from '../../interpolate/index.js';
import type { Lookup } from '../../interpolate/index.js';
import {
  DEFAULT_VERSION,
  FORBIDDEN_PROPERTIES,
  dockerVersion,
  findForbiddenProperties,
  isSupportedVersion,
  normalizeVersion,
  validateFile,
} from '../../schema/index.js';
import type { SchemaViolation } from '../../schema/index.js';
import { defineRule } from '../rule.js';
import type { RecipeView, RuleContext } from '../rule.js';
import { deployLookup, has, loadedComposeFiles, positionOf, code, showPath, valueAt } from '../kit/files.js';
import type { Mapping } from '../kit/files.js';

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);
}

function describe(v: SchemaViolation): { message: string; at: 'key' | 'value'; logical: string } {
  const path = v.path;
  if (v.keyword === 'additionalProperties') {
    const parent = path.slice(0, -1);
    const where = parent.length > 0 ? ` (in ${showPath(parent)})` : ' (at the top level)';
    return { message: `${v.message}${where}`, at: 'key', logical: showPath(path) };
  }
  if (v.keyword === 'required') {
    return { message: `${path.length > 0 ? showPath(path) : 'the file'}: ${v.message}`, at: 'key', logical: `${showPath(path)}#required` };
  }
  return { message: `${path.length > 0 ? showPath(path) : 'the file'} ${v.message}`, at: 'value', logical: showPath(path) };
}

function reportViolation(ctx: RuleContext, file: string, v: SchemaViolation, view?: RecipeView): void {
  const doc = ctx.recipe.composeFile(file)?.doc;
  const { message, at, logical } = describe(v);
  // A mapping or list of the wrong type (depends_on as a mapping) starts at its first entry: point at its key.
  const written = doc && at === 'value' ? valueAt(doc.data, v.path) : undefined;
  const pos = doc ? nearest(doc, v.path, written !== null && typeof written === 'object' ? 'key' : at) : undefined;
  ctx.report({
    message,
    file,
    ...(pos ?? { line: 1, column: 1 }),
    logicalPath: `schema:${logical}`,
    view,
  });
}

/**
 * The unset variables that made two entries of a unique list equal (`${HOST_1}` and `${HOST_2}`, both empty),
 * or undefined when the entries are the same as written (a real duplicate) or no unset variable is involved.
 */
function unsetInDuplicate(ctx: RuleContext, file: string, v: SchemaViolation, lookup: Lookup): string[] | undefined {
  const data = ctx.recipe.composeFile(file)?.doc.data;
  const list = v.path.slice(0, -1);
  const entries = [v.params.i, v.params.j].map((n) => (data === undefined ? undefined : valueAt(data, [...list, n as number])));
  if (!entries.every((e): e is string => typeof e === 'string') || entries[0] === entries[1]) return undefined;
  const unset = entries.flatMap((e) => interpolateString(e, lookup).uses.filter((u) => !u.set).map((u) => u.variable));
  return unset.length > 0 ? unset : undefined;
}

/** One finding per list whose entries are equal only because unset variables emptied them (docker prints one). */
function reportEmptiedDuplicates(ctx: RuleContext, file: string, lists: Map<string, { v: SchemaViolation; names: Set<string> }>, view?: RecipeView): void {
  const doc = ctx.recipe.composeFile(file)?.doc;
  const plain = ctx.recipe.kind === 'plain';
  for (const [list, { v, names }] of lists) {
    const vars = [...names].map((n) => code(n));
    const named = vars.length === 1 ? vars[0] : `${vars.slice(0, -1).join(', ')} and ${vars[vars.length - 1]}`;
    const them = vars.length === 1 ? 'it' : 'them';
    ctx.report({
      message: `${list} has entries that are equal only because ${named} ${vars.length === 1 ? 'is' : 'are'} not set here: docker refuses the list ("must be unique") unless the deploy sets ${them}`,
      fix: plain
        ? `Export ${named} in the shell that runs \`docker stack deploy\` (e.g. from the env file your deploy script sources), or give ${them} a default (\`\${NAME:-value}\`).`
        : `Add ${named} to .env.sample (abra deploys with the app's .env), or give ${them} a default (\`\${NAME:-value}\`).`,
      severity: plain ? 'info' : undefined,
      file,
      ...((doc && nearest(doc, v.path, 'value')) ?? { line: 1, column: 1 }),
      logicalPath: `schema:${list}#unset`,
      view,
    });
  }
}

function reportViolations(ctx: RuleContext, file: string, violations: SchemaViolation[], lookup: Lookup, view?: RecipeView): void {
  const emptied = new Map<string, { v: SchemaViolation; names: Set<string> }>();
  for (const v of violations) {
    const names = v.keyword === 'uniqueItems' ? unsetInDuplicate(ctx, file, v, lookup) : undefined;
    if (!names) {
      reportViolation(ctx, file, v, view);
      continue;
    }
    const list = showPath(v.path.slice(0, -1));
    const group = emptied.get(list) ?? { v, names: new Set<string>() };
    for (const n of names) group.names.add(n);
    emptied.set(list, group);
  }
  reportEmptiedDuplicates(ctx, file, emptied, view);
}

function nearest(doc: NonNullable<ReturnType<RuleContext['recipe']['composeFile']>>['doc'], path: Path, at: 'key' | 'value') {
  for (let n = path.length; n >= 0; n--) {
    const pos = positionOf(doc, path.slice(0, n), n === path.length ? at : 'key');
    if (pos) return pos;
  }
  return undefined;
}

/**
 * Violations to report: not the version (unsupported and mismatched versions are reported per file, and a
 * missing `version` always shows as a mismatch too), not non-string keys (yaml-syntax), not forbidden service
 * keys (reported once, in docker's words), not values whose interpolation failed (interpolation).
 */
function relevant(violations: SchemaViolation[], failedPaths: Path[]): SchemaViolation[] {
  return violations.filter((v) => {
    if (v.keyword === 'version' || v.keyword === 'nonStringKey') return false;
    if (v.keyword === 'required' && v.path.length === 0 && v.params.property === 'version') return false;
    if (v.keyword === 'additionalProperties' && v.path.length === 3 && v.path[0] === 'services' && Object.hasOwn(FORBIDDEN_PROPERTIES, String(v.path[2]))) {
      return false;
    }
    return !failedPaths.some((p) => startsWith(v.path, p));
  });
}

function checkVersions(ctx: RuleContext): void {
  for (const { file, doc, data } of loadedComposeFiles(ctx)) {
    const version = dockerVersion(data as YamlValue);
    if (has(data, 'version') && !isSupportedVersion(version)) {
      ctx.report({
        message: `${file} declares compose file version ${code(String(data.version))}, which docker stack does not support (3.0 to 3.13, or "3")`,
        fix: ctx.recipe.kind === 'plain' ? 'Use a 3.x version, e.g. `version: "3.8"`.' : 'Use `version: "3.8"` (what abra expects), or another 3.x version.',
        file,
        ...(positionOf(doc, ['version']) ?? { line: 1, column: 1 }),
        logicalPath: 'version#unsupported',
      });
    }
  }
  for (const view of ctx.views) {
    if (view.stages.length < 2) continue;
    const reference = view.stages.find((s) => s.file === ctx.recipe.defaultFiles[0]) ?? view.stages[0];
    for (const stages of view.stages) {
      if (stages.version === reference.version) continue;
      const doc = ctx.recipe.composeFile(stages.file)?.doc;
      const data = doc?.data as Mapping | undefined;
      const declared = data && has(data, 'version') ? `declares version ${code(String(data.version))}` : `declares no version (docker reads ${DEFAULT_VERSION})`;
      const refData = ctx.recipe.composeFile(reference.file)?.doc.data as Mapping | undefined;
      const refDeclared = refData && has(refData, 'version') ? code(String(refData.version)) : `no version (${DEFAULT_VERSION})`;
      const pos = doc ? positionOf(doc, ['version']) : undefined;
      ctx.report({
        message: `${stages.file} ${declared} but ${reference.file} declares ${refDeclared}: docker refuses to combine compose files of different versions`,
        fix: `Declare the same version in every compose file of the ${ctx.recipe.kind === 'plain' ? 'stack' : 'recipe'} (\`version: "${normalizeVersion(reference.version)}"\`).`,
        file: stages.file,
        ...(pos ?? { line: 1, column: 1 }),
        logicalPath: 'version#mismatch',
        view,
      });
    }
  }
}

function checkForbidden(ctx: RuleContext): void {
  for (const { file, doc, data } of loadedComposeFiles(ctx)) {
    for (const p of findForbiddenProperties(data as YamlValue).properties) {
      ctx.report({
        message: `service ${p.service} sets ${code(p.property)}, which docker stack refuses ("Configuration contains forbidden properties")`,
        fix: p.description,
        file,
        ...(positionOf(doc, p.path, 'key') ?? { line: 1, column: 1 }),
        logicalPath: showPath(p.path),
      });
    }
  }
}

export default defineRule({
  meta: {
    id: 'schema',
    name: 'schema',
    level: 'error',
    description:
      "Each compose file must pass docker's schema for its version (after interpolation): unknown keys, wrong types, bad formats — every violation, plus docker's version rules and forbidden service keys.",
    details: [
      'docker validates every compose file on its own, after interpolating it, against the JSON schema of the compose file',
      'version (the first file\'s version applies to all). It prints one violation (chosen at random among several) and',
      'refuses the deploy; stacklint lists every violation, in each view it occurs in (values can differ between the',
      '`abra` view, which interpolates with .env.sample\'s active values only, and the deploy views).',
      '',
      'Also checked: every file of one deploy must declare the same version (a file without `version:` counts as 3.13, so',
      'an overlay that omits it cannot be combined with a `version: "3.8"` compose.yml); the version must be 3.0–3.13; and',
      'the service keys docker refuses outright (`extends`, `volume_driver`, `volumes_from`, `cpu_quota`, `cpu_shares`,',
      '`cpuset`, `mem_limit`, `memswap_limit`).',
      '',
      'Entries of a unique list (`extra_hosts`, `dns`, …) that are equal only because unset variables emptied them',
      '(`${HOST_1}`, `${HOST_2}`) are one finding for the list naming the variables: info on a plain stack, whose',
      'deploying shell may set them; an error on a recipe, whose variables come from .env.sample.',
      '',
      'Values whose interpolation fails are reported by `interpolation`, and non-string keys by `yaml-syntax`, not here.',
    ].join('\n'),
    fix: "Change the key or value to what docker's compose schema allows (see the message); check spelling and nesting.",
  },
  check(ctx) {
    checkVersions(ctx);
    checkForbidden(ctx);
    const covered = new Set<string>();
    for (const view of ctx.views) {
      for (const stages of view.stages) {
        covered.add(stages.file);
        const failed = stages.interpolationErrors.map((e) => e.path);
        reportViolations(ctx, stages.file, relevant(stages.schemaViolations, failed), view.env, view);
      }
    }
    // Files no view could run through the stages (a sibling failed to parse): validate them on their
    // own, with their own version and the deploy environment.
    const lookup = deployLookup(ctx);
    for (const { file, data } of loadedComposeFiles(ctx)) {
      if (covered.has(file)) continue;
      const interpolated = interpolateConfig(data as YamlValue, lookup);
      const failed = interpolated.errors.map((e) => e.path);
      const result = validateFile(interpolated.data, dockerVersion(data as YamlValue));
      reportViolations(ctx, file, relevant(result.violations, failed), lookup);
    }
  },
});
