// R015 secret-name-length: top-level secret keys ≤ 12 characters (abra); rendered secret and config names
// fit swarm's limit of 64 [a-zA-Z0-9-_.] characters with a 45-character STACK_NAME (stacklint).
import type { Path } from '../../load/types.js';
import { defineRule } from '../rule.js';
import type { RuleContext } from '../rule.js';
import { deployedName } from '../../swarm/index.js';
import type { FileObjectConfig } from '../../merge/index.js';
import { code, loadedAbraView, loadedDeployViews, rawString, substitute } from '../kit/views.js';
import type { MergedView } from '../rule.js';

export const MAX_SECRET_KEY = 12;
export const MAX_OBJECT_NAME = 64;
/** abra truncates STACK_NAME (derived from the app domain) to this many characters. */
export const STACK_NAME_BUDGET = 45;
const NAME_CHARS = /^[a-zA-Z0-9\-_.]*$/;
const ALNUM = /[a-zA-Z0-9]/;

export default defineRule({
  meta: {
    id: 'R015',
    name: 'secret-name-length',
    level: 'warn',
    description: 'Top-level secret keys are at most 12 characters (abra); rendered secret and config names fit swarm\'s 64 characters of `[a-zA-Z0-9-_.]`, starting and ending alphanumeric, with a 45-character STACK_NAME (stacklint).',
    details: [
      'abra\'s rule R015 ("long secret names"). Swarm refuses secret and config names longer than 64 characters or',
      'using other characters than letters, digits, `-`, `_` and `.`, or not starting and ending with a letter or',
      'digit ("invalid name, only 64 [a-zA-Z0-9-_.] characters allowed…"). Recipes name secrets',
      '`${STACK_NAME}_<key>_${SECRET_<KEY>_VERSION}` and abra cuts STACK_NAME (from the app domain) to 45',
      'characters, so abra keeps keys to 12 characters to leave room for the version. stacklint checks the real',
      'limit too: each secret and config name of every deploy view is rendered with a 45-character STACK_NAME and',
      'the .env.sample/abra.sh values (unset variables are left to undefined-variable and secret-version-var).',
      '',
      'On a plain swarm stack (not a recipe) only swarm\'s limits are judged, with the shortest stack name (its name',
      'is what the operator deploys it as); abra\'s 12-character keys are not.',
    ].join('\n'),
    fix: 'Shorten the secret key (and its `name:`), e.g. `db_password` → `db_pass`; keep the rendered name within 64 characters.',
  },
  check(ctx) {
    // abra's 12-character keys are a Co-op Cloud convention; swarm's name limits hold for every stack.
    if (ctx.recipe.kind !== 'plain') checkSecretKeys(ctx);
    for (const view of loadedDeployViews(ctx)) {
      for (const kind of ['secrets', 'configs'] as const) {
        for (const [key, def] of Object.entries(view.config[kind] ?? {})) checkRenderedName(ctx, view, kind, key, def ?? {});
      }
    }
  },
});

function checkSecretKeys(ctx: RuleContext): void {
  const view = loadedAbraView(ctx);
  if (!view) return;
  for (const key of Object.keys(view.config.secrets ?? {})) {
    if (key.length <= MAX_SECRET_KEY) continue;
    ctx.report({
      message: `secret key ${code(key)} is ${key.length} characters long; abra allows at most ${MAX_SECRET_KEY}`,
      view,
      mergedPath: ['secrets', key],
      at: 'key',
      logicalPath: `secrets.${key}`,
    });
  }
}

interface RenderedName {
  value: string;
  failed: boolean;
  /** A variable without a default that the view does not set: the name is unknown. */
  unresolved: boolean;
  usesStackName: boolean;
}

// The deploy views of a recipe share one environment, and their definitions mostly repeat: a template is
// rendered once per environment.
const renderedByEnv = new WeakMap<(name: string) => string | undefined, Map<string, RenderedName>>();

/**
 * A name template rendered with a STACK_NAME of abra's full length (a recipe), or of one character (a plain
 * stack: its name is whatever the operator deploys it as, so only what fails with any name is judged).
 */
function renderName(template: string, env: (name: string) => string | undefined, stackName: string): RenderedName {
  let byTemplate = renderedByEnv.get(env);
  if (!byTemplate) renderedByEnv.set(env, (byTemplate = new Map()));
  const cacheKey = `${stackName}\u0000${template}`;
  const known = byTemplate.get(cacheKey);
  if (known) return known;
  let usesStackName = false;
  const result = substitute(template, (name) => {
    if (name === 'STACK_NAME') {
      usesStackName = true;
      return stackName;
    }
    return env(name);
  });
  const unresolved = result.uses.some((use) => !use.set && use.operator !== ':-' && use.operator !== '-');
  const rendered = { value: result.value, failed: result.failed, unresolved, usesStackName };
  byTemplate.set(cacheKey, rendered);
  return rendered;
}

const LONGEST_STACK_NAME = 'x'.repeat(STACK_NAME_BUDGET);
const SHORTEST_STACK_NAME = 'x';
const NAME_MARK = '\u0000';

function checkRenderedName(ctx: RuleContext, view: MergedView, kind: 'secrets' | 'configs', key: string, def: FileObjectConfig): void {
  const namePath: Path = [kind, key, 'name'];
  const written = view.origin(namePath);
  const raw = written ? rawString(ctx, written) : undefined;
  // The name as a template (a literal `$` escaped) with STACK_NAME left to render.
  const template = raw ?? deployedName(key, def, '${STACK_NAME}', (text) => text.replace(/\$/g, '$$$$'));
  const plain = ctx.recipe.kind === 'plain';
  const stackName = plain ? SHORTEST_STACK_NAME : LONGEST_STACK_NAME;
  const rendered = renderName(template, view.env, stackName);
  if (rendered.failed || rendered.unresolved) return;
  const usesStackName = rendered.usesStackName;
  const name = rendered.value;
  const singular = kind === 'secrets' ? 'secret' : 'config';
  const problems: string[] = [];
  // A secret key over abra's 12 characters is already reported (abra view); its long name is the same problem.
  const keyReported = kind === 'secrets' && key.length > MAX_SECRET_KEY && loadedAbraView(ctx)?.config.secrets?.[key] !== undefined;
  if (name.length > MAX_OBJECT_NAME && !keyReported) {
    problems.push(usesStackName
      ? plain
        ? `is over swarm's ${MAX_OBJECT_NAME} characters with any stack name`
        : `is ${name.length} characters with a ${STACK_NAME_BUDGET}-character STACK_NAME, over swarm's ${MAX_OBJECT_NAME}`
      : `is ${name.length} characters, over swarm's ${MAX_OBJECT_NAME}`);
  }
  if (!NAME_CHARS.test(name)) problems.push('contains characters other than letters, digits, `-`, `_` and `.`');
  if (name !== '' && (!ALNUM.test(name[0]) || !ALNUM.test(name[name.length - 1]))) problems.push('does not start and end with a letter or digit');
  if (name === '') problems.push('is empty');
  if (problems.length === 0) return;
  // Rendered once more with a mark no name holds, so that only the stack's part is shown as a placeholder.
  const shown = usesStackName ? renderName(template, view.env, NAME_MARK).value.split(NAME_MARK).join(plain ? '<stack>' : '<STACK_NAME>') : name;
  ctx.report({
    message: `${singular} ${code(key)}: the name ${code(shown)} ${problems.join(', and ')}`,
    view,
    mergedPath: written ? namePath : [kind, key],
    at: written ? 'value' : 'key',
    logicalPath: `${kind}.${key}.name`,
    fix: name.length > MAX_OBJECT_NAME
      ? plain
        ? `Shorten the ${singular} key and its \`name:\`; swarm allows ${MAX_OBJECT_NAME} characters, the stack's name included.`
        : `Shorten the ${singular} key and its \`name:\`; swarm allows ${MAX_OBJECT_NAME} characters and abra gives STACK_NAME up to ${STACK_NAME_BUDGET}.`
      : 'Use only letters, digits, `-`, `_` and `.` in the name, starting and ending with a letter or digit.',
  });
}
