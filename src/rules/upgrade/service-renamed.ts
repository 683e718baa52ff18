// service-renamed: a service of the base revision is gone and one new service runs the same image repository.
// Deployed apps lose the old service's tasks, its volumes' backup labels and every short-name reference to it
// (`abra app run <app> <service>`, `http://<service>:port`, `${STACK_NAME}_<service>`): this reports the rename
// and each place in the recipe that still names the old service.
import { defineRule } from '../rule.js';
import type { MergedView } from '../rule.js';
import { code } from '../kit/views.js';
import { fileText, pairedViews, placeOf, renamedServices } from './sides.js';

// What may stand before and after a service name that is a whole YAML value: `- db`, `key: "db"  # comment`.
const WHOLE_VALUE_BEFORE = /^\s*(?:-[ \t]*)?(?:[\w.-]+:[ \t]+)?["']?$/;
const WHOLE_VALUE_AFTER = /^["']?[ \t]*(?:#.*)?$/;
const HOST_CHAR = /[A-Za-z0-9_-]/;
const WORD_CHAR = /[A-Za-z0-9_.-]/;
const ENV_VALUE_END = /[\s"',;&]/;

/**
 * Whether the name at `at` on a line is a reference to the service, not a word that happens to equal it (a
 * path `/etc/traefik/`, a label key `traefik.http…`, a binary `["CMD", "traefik", …]`): docker's scoped name
 * `${STACK_NAME}_<name>`, a URL host `//<name>` or `@<name>`, `<name>:<port>`, an environment value
 * `KEY=<name>`, or a whole YAML value (`- <name>`, `key: <name>`, as depends_on and links are written).
 */
function isReference(line: string, at: number, length: number, first: boolean): boolean {
  const before = line[at - 1] ?? '';
  const after = line[at + length] ?? '';
  if (before === '_' && line[at - 2] === '}') return !WORD_CHAR.test(after);
  if ((before === '/' && line[at - 2] === '/') || before === '@') return !HOST_CHAR.test(after);
  if (after === ':' && /\d/.test(line[at + length + 1] ?? '') && !(before && (WORD_CHAR.test(before) || before === '/'))) return true;
  if (before === '=') return after === '' || ENV_VALUE_END.test(after);
  // Only the first occurrence can be a whole value (and testing only it keeps a line of repeats linear).
  return first && WHOLE_VALUE_BEFORE.test(line.slice(0, at)) && WHOLE_VALUE_AFTER.test(line.slice(at + length));
}

export default defineRule({
  meta: {
    id: 'service-renamed',
    name: 'service-renamed',
    level: 'warn',
    requires: 'base',
    description: 'A service disappeared since the base revision and a new one runs the same image: a rename that deployed apps and the rest of the recipe may still depend on.',
    details: [
      'Docker names a stack service `<stack>_<service>`: a renamed service is a new service for every deployed app',
      '(the old one is removed with its tasks), and everything that names the old one breaks — short host names in',
      'templates and environment values, `${STACK_NAME}_<old>`, healthchecks, labels, functions in abra.sh, and',
      'operators\' `abra app run <app> <old>` habits. The successor is the one new service with the same image',
      'repository. Each remaining mention of the old name (compose files, abra.sh, the templates configs mount;',
      'comment lines and `image:` lines aside) is reported at its line.',
    ].join('\n'),
    fix: 'Replace the remaining mentions of the old service name, and note the rename in the release note.',
  },
  check(ctx) {
    const done = new Set<string>();
    for (const pair of pairedViews(ctx)) {
      for (const { old, successor } of renamedServices(pair)) {
        if (!successor || done.has(`${old}\u0000${successor}`)) continue;
        done.add(`${old}\u0000${successor}`);
        ctx.report({
          message: `service ${code(old)} (base ${placeOf(pair.baseRecipe, pair.base, ['services', old])}) is gone and ${code(successor)} runs the same image: deployed apps get a new service, and whatever names ${code(old)} breaks`,
          view: pair.head,
          mergedPath: ['services', successor],
          at: 'key',
          logicalPath: `services.${successor}.renamed-from.${old}`,
          fix: `Replace the remaining mentions of ${code(old)} with ${code(successor)}; tell operators in the release note (e.g. \`abra app run <app> ${successor}\` from now on).`,
        });
        for (const file of filesToSearch(ctx.recipe, pair.head)) {
          const text = ctx.recipe.readText(file);
          if (text === undefined) continue;
          for (const hit of mentions(text, old)) {
            ctx.report({
              message: `${code(old)} still names the service that was renamed to ${code(successor)} (base ${placeOf(pair.baseRecipe, pair.base, ['services', old])})`,
              file,
              line: hit.line,
              column: hit.column,
              endColumn: hit.column + old.length,
              logicalPath: `renamed-service.${old}.${file}.${hit.line}`,
              fix: `Replace it with ${code(successor)}.`,
            });
          }
        }
      }
    }
  },
});

/** Compose files, abra.sh and the files configs and secrets of the view mount. */
function filesToSearch(recipe: Parameters<typeof fileText>[0], view: MergedView): string[] {
  const files = new Set(recipe.composeFiles.map((c) => c.file));
  if (recipe.abraSh) files.add('abra.sh');
  for (const kind of ['configs', 'secrets'] as const) {
    for (const def of Object.values(view.config[kind] ?? {})) {
      const read = fileText(recipe, def?.file);
      if (read) files.add(read.rel);
    }
  }
  return [...files].sort();
}

/** The first reference to the service `name` on each line that is no comment and no `image:`. */
function mentions(text: string, name: string): Array<{ line: number; column: number }> {
  const out: Array<{ line: number; column: number }> = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trimStart();
    if (trimmed.startsWith('#') || /^-?\s*image\s*:/.test(trimmed)) return;
    const firstAt = line.indexOf(name);
    for (let at = firstAt; at >= 0; at = line.indexOf(name, at + 1)) {
      if (isReference(line, at, name.length, at === firstAt)) {
        out.push({ line: i + 1, column: at + 1 });
        return;
      }
    }
  });
  return out;
}
