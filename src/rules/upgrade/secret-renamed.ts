// secret-renamed: a secret that services use has a deployed name the base revision did not have (its key
// renamed, or its version variable bumped). A deployed app does not have it: `abra app upgrade` fails with
// "secret not found" until the operator generates it.
import { defineRule } from '../rule.js';
import { code } from '../kit/views.js';
import { deployedName } from '../../swarm/networks.js';
import { isExternal } from '../../merge/index.js';
import { pairedViews, placeOf, rawAt, versionVariables } from './sides.js';

export default defineRule({
  meta: {
    id: 'secret-renamed',
    name: 'secret-renamed',
    level: 'warn',
    requires: 'base',
    description: 'A secret that abra generates got a new name since the base revision: deployed apps do not have it until the operator generates it.',
    details: [
      'Co-op Cloud secrets are created by `abra app secret generate` (external to the stack, named',
      '`${STACK_NAME}_<key>_${SECRET_<KEY>_VERSION}`). When a change renames the key or bumps the version, an',
      'upgraded app looks for a secret that does not exist and the deploy fails with "secret not found". That can',
      'be intended (a rotation); then the release note must tell operators what to run. Secrets with a `file:` are',
      'created by the deploy itself and are not reported here (see immutable-config-changed).',
    ].join('\n'),
    fix: 'Tell operators in the release note to run `abra app secret generate <app> <key> <version>` before upgrading, or keep the old name.',
  },
  check(ctx) {
    for (const pair of pairedViews(ctx)) {
      const { stackBase, stackHead } = pair;
      const used = new Set(Object.values(pair.head.config.services ?? {}).flatMap((s) => (s?.secrets ?? []).map((r) => r.source)));
      const before = new Map<string, string>();
      for (const [key, def] of Object.entries(pair.base.config.secrets ?? {})) if (def && isExternal(def)) before.set(deployedName(key, def, stackBase), key);
      for (const [key, def] of Object.entries(pair.head.config.secrets ?? {})) {
        if (!def || !isExternal(def) || !used.has(key)) continue;
        const name = deployedName(key, def, stackHead);
        if (before.has(name)) continue;
        const old = pair.base.config.secrets?.[key];
        // A secret new in this change is not a rename, but deployed apps lack it just the same.
        const oldName = old ? deployedName(key, old, stackBase) : undefined;
        const history = old
          ? `was ${code(oldName!)} at the base (${placeOf(pair.baseRecipe, pair.base, ['secrets', key])})`
          : `is new since the base`;
        const version = versionVariables(rawAt(ctx.recipe, pair.head, ['secrets', key, 'name'])).find((v) => /VERSION/.test(v));
        const versionValue = version ? pair.head.env(version) : undefined;
        ctx.report({
          message: `secret ${code(key)} is deployed as ${code(name)}, which ${history}: deployed apps do not have it, and \`abra app upgrade\` fails with "secret not found" until it is generated`,
          view: pair.head,
          mergedPath: ['secrets', key, 'name'],
          at: 'value',
          logicalPath: `secrets.${key}`,
          fix: `Before upgrading, operators run \`abra app secret generate <app> ${key} ${versionValue ?? '<version>'}\`: say so in the release note (release/<version>), or keep the old name.`,
        });
      }
    }
  },
});
