// immutable-config-changed: a swarm config or secret whose content changed while its deployed name did not.
// Swarm configs and secrets are immutable: `docker stack deploy` of the new recipe over a running app fails
// with "only updates to Labels are allowed", so every `abra app upgrade` of that app fails.
import { defineRule } from '../rule.js';
import { code } from '../kit/views.js';
import { deployedName } from '../../swarm/networks.js';
import { isExternal } from '../../merge/index.js';
import { definedAt, fileText, pairedViews, placeOf, rawAt, versionVariables } from './sides.js';

const KINDS = ['configs', 'secrets'] as const;

export default defineRule({
  meta: {
    id: 'immutable-config-changed',
    name: 'immutable-config-changed',
    level: 'error',
    requires: 'base',
    description: "A config's or secret's file (or template) changed since the base revision but its deployed name did not: upgrades of deployed apps fail.",
    details: [
      'Swarm configs and secrets cannot be updated in place: `docker stack deploy` over a running app whose config',
      'keeps its name but not its content stops with "only updates to Labels are allowed". Co-op Cloud recipes',
      'therefore put a version variable in the name (`name: ${STACK_NAME}_nginx_conf_${NGINX_CONF_VERSION}`,',
      'exported by abra.sh) and bump it with every change of the file. Compares each view with the same view at the',
      'base revision; the finding names the variable to bump and where it is defined.',
    ].join('\n'),
    fix: 'Bump the version variable in the config\'s `name:` (exported by abra.sh), or add one to the name.',
  },
  check(ctx) {
    for (const pair of pairedViews(ctx)) {
      const { stackBase, stackHead } = pair;
      for (const kind of KINDS) {
        const singular = kind === 'configs' ? 'config' : 'secret';
        for (const [key, def] of Object.entries(pair.head.config[kind] ?? {})) {
          const before = pair.base.config[kind]?.[key];
          if (!def || !before || isExternal(def) || isExternal(before)) continue;
          const nameNow = deployedName(key, def, stackHead);
          if (deployedName(key, before, stackBase) !== nameNow) continue;
          const old = fileText(pair.baseRecipe, before.file);
          const now = fileText(ctx.recipe, def.file);
          if (!old || !now || old.text === now.text) continue;
          const raw = rawAt(ctx.recipe, pair.head, [kind, key, 'name']);
          const vars = versionVariables(raw);
          // A variable no file of the recipe sets comes from the operator's .env (or CI's): say so, it is theirs to bump.
          const where = vars.map((v) => `${code(v)} (${definedAt(ctx.recipe, v) ?? "set by no file of the recipe: the deploy's own environment, e.g. the app's .env or CI"})`);
          const changed = old.rel === now.rel ? code(now.rel) : `${code(old.rel)} → ${code(now.rel)}`;
          ctx.report({
            message:
              `${singular} ${code(key)}: its file ${changed} changed since the base (${placeOf(pair.baseRecipe, pair.base, [kind, key])}) ` +
              `but its name ${code(nameNow)} did not: docker stack deploy refuses to update a ${singular} in place ("only updates to Labels are allowed"), so upgrades of deployed apps fail`,
            view: pair.head,
            mergedPath: raw !== undefined ? [kind, key, 'name'] : [kind, key],
            at: raw !== undefined ? 'value' : 'key',
            logicalPath: `${kind}.${key}`,
            fix: vars.length > 0
              ? `Bump ${where.join(' or ')}, the version in the ${singular}'s name.`
              : `Give the ${singular} a versioned name (\`name: \${STACK_NAME}_${key}_\${${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_VERSION}\`, exported by abra.sh) and bump it with every change.`,
          });
        }
      }
    }
  },
});
