// load-failure: per view, docker's typed load and merge succeed (the failures no syntax, schema or
// interpolation rule explains: values that do not decode, env_files that cannot be read, merge errors), and
// the files configs and secrets name exist inside the recipe. A path or link leaving the recipe is reported
// and never read.
import { isAbsolute, relative, resolve } from 'node:path';
import { defineRule, mergedViews } from '../rule.js';
import type { RecipeView, RuleContext } from '../rule.js';
import { code } from '../kit/files.js';
import { boundaryWord } from '../../pipeline/recipe.js';

// The rule's fix speaks of a recipe; a plain stack's files are its repository's, named from its first compose file.
const PLAIN_FIX = 'Correct the value docker cannot decode, or point the file at one in the repository, relative to the first compose file.';

/** docker's multi-line decode errors on one line, with the recipe's absolute path taken out. */
function oneLine(message: string, recipeDir: string): string {
  const abs = resolve(recipeDir);
  return message
    .split(`${abs}/`).join('')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('; ')
    .replace(/following error\(s\):;/, 'following error(s):')
    .slice(0, 1000);
}

/**
 * The `env_file:` entry of `file` that names the env file an error is about (`invalid env file (PATH): …`,
 * `open PATH: …`), so the finding points at the line to fix rather than at the top of the file.
 */
function envFileEntryOf(ctx: RuleContext, file: string, error: string): Array<string | number> | undefined {
  const named = /^invalid env file \((.+?)\): /.exec(error)?.[1] ?? /^open (.+?): /.exec(error)?.[1];
  const services = (ctx.recipe.composeFile(file)?.doc.data as { services?: unknown } | undefined)?.services;
  if (!named || !services || typeof services !== 'object') return undefined;
  const target = resolve(ctx.recipe.dir, named);
  for (const [service, definition] of Object.entries(services as Record<string, unknown>)) {
    const envFile = definition && typeof definition === 'object' ? (definition as { env_file?: unknown }).env_file : undefined;
    if (typeof envFile === 'string' && resolve(ctx.recipe.dir, envFile) === target) return ['services', service, 'env_file'];
    if (!Array.isArray(envFile)) continue;
    const index = envFile.findIndex((entry) => typeof entry === 'string' && resolve(ctx.recipe.dir, entry) === target);
    if (index >= 0) return ['services', service, 'env_file', index];
  }
  return undefined;
}

function reportLoadFailures(ctx: RuleContext, view: RecipeView, fix: string | undefined): void {
  for (const stages of view.stages) {
    // Every failure of the typed load, each where it is written (docker prints only the first); for a file that
    // failed earlier (schema, interpolation), those of what was left once the refused values were taken out.
    const loaded = stages.normalised ?? stages.salvaged;
    const errors = loaded?.errors ?? (loaded?.error !== undefined ? [{ message: loaded.error }] : []);
    for (const error of errors) {
      const entry = error.path ?? envFileEntryOf(ctx, stages.file, error.message);
      const text = oneLine(oneLine(error.message, ctx.recipe.dir), ctx.recipe.root);
      ctx.report({
        message: `docker cannot load ${stages.file}: ${text}`,
        file: stages.file,
        ...(entry ? { path: entry, at: 'value' as const } : { line: 1, column: 1 }),
        view,
        // Named by what failed, not by the service: an env_file in a YAML anchor that many services merge is one finding.
        logicalPath: `load:${text.slice(0, 200)}`,
        ...(fix ? { fix } : {}),
      });
    }
  }
  // Every file loaded on its own, yet the view failed: the merge itself did.
  const allLoaded = view.stages.length > 0 && view.stages.length === view.files.length && view.stages.every((s) => s.normalised && s.normalised.error === undefined);
  if (view.failure && allLoaded) {
    const file = view.failure.file ?? view.files[view.files.length - 1];
    ctx.report({
      message: `docker cannot merge ${view.files.join(' + ')}: ${oneLine(view.failure.message, ctx.recipe.dir)}`,
      file,
      line: 1,
      column: 1,
      view,
      logicalPath: 'merge',
      ...(fix ? { fix } : {}),
    });
  }
}

/** The value as the file that set it wrote it (merged paths are resolved to absolute ones). */
function writtenValue(ctx: RuleContext, view: RecipeView, mergedPath: string[]): string | undefined {
  const origin = view.origin(mergedPath);
  let value: unknown = origin ? ctx.recipe.composeFile(origin.file)?.doc.data : undefined;
  for (const seg of origin?.path ?? []) value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[seg] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export default defineRule({
  meta: {
    id: 'load-failure',
    name: 'load-failure',
    level: 'error',
    description:
      'docker can load and merge every view (values decode, env_files are readable), and the files that configs and secrets name exist inside the recipe.',
    details: [
      'After the YAML, interpolation and schema checks, docker converts each file to typed values (durations, byte sizes,',
      'env_files read into the environment) and merges the files of a view. A failure there stops `docker stack deploy`; it is',
      'reported here with docker\'s message when no other rule explains it.',
      '',
      'A config or secret `file:` is read by `docker stack deploy` relative to the recipe. A path that does not exist fails',
      'the deploy. A path — or a symbolic link — that leads outside the recipe would make a deploy read a file from the',
      'operator\'s machine (`file: ../../etc/passwd`); stacklint reports it and never reads it.',
    ].join('\n'),
    fix: 'Correct the value docker cannot decode, or point the file at one inside the recipe.',
  },
  check(ctx) {
    for (const view of ctx.views) reportLoadFailures(ctx, view, ctx.recipe.kind === 'plain' ? PLAIN_FIX : undefined);
    const recipeDir = resolve(ctx.recipe.dir);
    const root = resolve(ctx.recipe.root);
    const boundary = boundaryWord(ctx.recipe);
    const plain = ctx.recipe.kind === 'plain';
    for (const view of mergedViews(ctx.views)) {
      for (const section of ['configs', 'secrets'] as const) {
        for (const [name, def] of Object.entries(view.config[section] ?? {})) {
          const file = def?.file;
          if (typeof file !== 'string' || file === '') continue;
          const rel = relative(recipeDir, resolve(recipeDir, file));
          const fromRoot = relative(root, resolve(recipeDir, file));
          const where = `${section}.${name}.file`;
          const mergedPath = [section, name, 'file'];
          if (rel === '' || fromRoot === '' || fromRoot === '..' || fromRoot.startsWith('../') || isAbsolute(fromRoot)) {
            ctx.report({
              message: `${where} names ${code(writtenValue(ctx, view, mergedPath) ?? rel)}, outside the ${boundary}: a deploy would read it from the operator's machine; stacklint does not read it`,
              view,
              mergedPath,
              logicalPath: where,
              fix: `Put the file in the ${plain ? 'repository' : 'recipe'} and name it relative to ${plain ? `the first compose file, ${ctx.recipe.defaultFiles[0]}` : 'compose.yml'} (e.g. \`./${section === 'configs' ? 'app.conf.tmpl' : 'secret.txt'}\`).`,
            });
            continue;
          }
          const read = ctx.recipe.read?.(rel);
          if (!read || read.ok) continue;
          // Binary or large files are docker's business; a directory, FIFO, device or link loop is not a file at all.
          const notAFile = read.kind === 'directory' || read.kind === 'special' || read.kind === 'loop';
          if (read.reason === 'unreadable' && !notAFile) continue;
          const message = notAFile
            ? `${where} names ${code(rel)}: ${read.message.replace(/; not read$/, '')}; docker stack deploy cannot read it`
            : read.reason === 'outside'
              ? `${where} names ${code(rel)}, a link to a path outside the ${boundary}; stacklint does not read it`
              : `${where} names ${code(rel)}, which does not exist in the ${boundary}: docker stack deploy fails`;
          ctx.report({ message, view, mergedPath, logicalPath: where, ...(plain ? { fix: PLAIN_FIX } : {}) });
        }
      }
    }
  },
});
