// R012 configs-vendored: configs used ⇒ abra.sh exists (abra); each `${X_VERSION}` in a config name is
// exported by abra.sh (stacklint).
import { asMapping, positionInValue } from '../../load/path.js';
import { abraShExports, namesAssignedInText } from '../../views/index.js';
import { defineRule } from '../rule.js';
import type { RuleContext } from '../rule.js';
import { code, loadedAbraView, substitute } from '../kit/views.js';

const VERSION_VAR = /_VERSION$/;

export default defineRule({
  meta: {
    id: 'R012',
    name: 'configs-vendored',
    level: 'error',
    description: 'When services use `configs:`, the recipe has an `abra.sh` (abra\'s check); and every `${X_VERSION}` in a config `name:` is exported by abra.sh (stacklint\'s addition).',
    details: [
      'abra\'s rule R012 ("config versions are vendored"). Swarm configs are immutable: changed content needs a new',
      'name, so recipes name them `${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}` and the maintainer bumps the',
      'version whenever the file changes. The version belongs in abra.sh (`export NGINX_CONF_VERSION=v2`), which abra',
      'loads on every deploy from the recipe itself, so each release carries its own versions. Set in .env.sample',
      'instead, the value is copied once into each app\'s .env and never follows later bumps: the next deploy after a',
      'template change fails ("only updates to Labels are allowed") or keeps the old content. abra only checks that',
      'abra.sh exists; stacklint also checks each version variable of a non-external config name. A variable with a',
      'default (`${X_VERSION:-v3}`) passes: the version is then written in the compose file, which ships with the recipe.',
    ].join('\n'),
    fix: 'Export the version from abra.sh, e.g. `export NGINX_CONF_VERSION=v1`, and bump it whenever the config file changes.',
  },
  check(ctx) {
    checkAbraShExists(ctx);
    checkVersionExports(ctx);
  },
});

function checkAbraShExists(ctx: RuleContext): void {
  if (ctx.recipe.exists('abra.sh')) return;
  const view = loadedAbraView(ctx);
  if (!view) return;
  const user = Object.entries(view.config.services ?? {}).find(([, s]) => (s?.configs?.length ?? 0) > 0);
  if (!user) return;
  ctx.report({
    message: `service ${code(user[0])} uses configs, but the recipe has no abra.sh to vendor their versions`,
    view,
    mergedPath: ['services', user[0], 'configs'],
    logicalPath: 'abra.sh',
    fix: 'Create abra.sh exporting each config version, e.g. `export APP_ENTRYPOINT_VERSION=v1`.',
  });
}

function checkVersionExports(ctx: RuleContext): void {
  const abraSh = ctx.recipe.abraSh;
  const exported = abraSh ? abraShExports(abraSh) : new Map();
  const assigned = new Set((abraSh?.assignments ?? []).map((a) => a.name));
  const setInAbraSh = namesAssignedInText(abraSh ? ctx.recipe.readText('abra.sh') ?? '' : '');
  const inEnvSample = new Set((ctx.recipe.envSample?.entries ?? []).map((e) => e.key));
  for (const { file, doc } of ctx.recipe.composeFiles) {
    if (doc.errors.length > 0) continue;
    const configs = asMapping(asMapping(doc.data)?.configs);
    for (const key of Object.keys(configs ?? {})) {
      const def = asMapping(configs![key]);
      if (!def || def.external === true || asMapping(def.external)) continue;
      if (typeof def.name !== 'string') continue;
      const { uses } = substitute(def.name, () => undefined);
      for (const use of uses) {
        const name = use.variable;
        if (!VERSION_VAR.test(name) || exported.has(name)) continue;
        // `${X_VERSION:-v3}`: the version lives in the compose file, which is vendored with the recipe too.
        if ((use.operator === ':-' || use.operator === '-') && use.argument) continue;
        // Set somewhere stacklint cannot follow (a function, an `if` block…): do not guess.
        if (abraSh && !assigned.has(name) && setInAbraSh.has(name)) continue;
        let why: string;
        if (!abraSh) why = 'the recipe has no abra.sh';
        else if (assigned.has(name)) why = 'abra.sh assigns it without `export`';
        else if (inEnvSample.has(name)) why = 'it is set in .env.sample, so each app keeps its first value and never follows a bump';
        else why = 'abra.sh does not export it';
        const path = ['configs', key, 'name'];
        ctx.report({
          message: `config ${code(key)}: its name uses ${code(name)}, but ${why}`,
          file,
          ...(positionInValue(doc, path, use.start, use.end) ?? { path, at: 'value' as const }),
          logicalPath: `configs.${key}.name[${name}]`,
        });
      }
    }
  }
}
