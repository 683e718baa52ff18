// secret-version-var: a secret `name:` uses `${SECRET_X_VERSION}` that .env.sample does not define.
import { asMapping, positionInValue, positionOf } from '../../load/path.js';
import { abraShExports } from '../../views/index.js';
import { defineRule } from '../rule.js';
import type { RuleContext, TextEdit } from '../rule.js';
import { BASE_FILE, code, substitute } from '../kit/views.js';
import { envSampleLineEdit, inBlockContext, scalarSource, valueOffsets } from '../kit/edits.js';

const VERSION_VAR = /_VERSION$/;

export default defineRule({
  meta: {
    id: 'secret-version-var',
    name: 'secret-version-var',
    level: 'warn',
    fixable: true,
    description: 'A secret `name:` uses a `${SECRET_X_VERSION}` variable (without a default) that .env.sample does not define, commented or not; or an abra-managed secret name (`${STACK_NAME}_…`, external) has no `_${SECRET_X_VERSION}` suffix at all.',
    details: [
      'abra names secrets `${STACK_NAME}_<key>_${SECRET_<KEY>_VERSION}`, and `abra app secret generate` and',
      '`abra app deploy` read the version from the app\'s .env — which operators create from .env.sample. When',
      '.env.sample does not list the variable, new apps do not have it: the name renders with an empty version,',
      'ending in `_`, which swarm rejects (names must end with a letter or digit), and abra does not generate the',
      'secret. A commented `#SECRET_X_VERSION=v1` line counts (recipes document optional overlays that way), as does',
      'an abra.sh export or a `${SECRET_X_VERSION:-v1}` default.',
      '',
      'A name without any version variable (`name: ${STACK_NAME}_db_password`) cannot be rotated: swarm secrets are',
      'immutable, so abra inserts a new version under a new name and the recipe must name the version it uses.',
      '`--fix` appends `_${SECRET_<KEY>_VERSION}` to the name and adds `SECRET_<KEY>_VERSION=v1` to .env.sample.',
    ].join('\n'),
    fix: 'Add `SECRET_<KEY>_VERSION=v1` to .env.sample (commented next to the COMPOSE_FILE line of an optional overlay), with `# length=…` modifiers if abra should generate it.',
  },
  check(ctx) {
    const defined = new Set((ctx.recipe.envSample?.entries ?? []).map((e) => e.key));
    const exported = ctx.recipe.abraSh ? abraShExports(ctx.recipe.abraSh) : new Map();
    for (const { file, doc } of ctx.recipe.composeFiles) {
      if (doc.errors.length > 0) continue;
      const secrets = asMapping(asMapping(doc.data)?.secrets);
      for (const key of Object.keys(secrets ?? {})) {
        const def = asMapping(secrets![key]);
        if (!def || typeof def.name !== 'string') continue;
        const { uses } = substitute(def.name, () => undefined);
        for (const use of uses) {
          const name = use.variable;
          if (!VERSION_VAR.test(name) || defined.has(name) || exported.has(name)) continue;
          if ((use.operator === ':-' || use.operator === '-') && use.argument) continue;
          const path = ['secrets', key, 'name'];
          ctx.report({
            message: `secret ${code(key)}: its name uses ${code(name)}, which .env.sample does not define, so new apps render the name with an empty version`,
            file,
            ...(positionInValue(doc, path, use.start, use.end) ?? { path, at: 'value' as const }),
            logicalPath: `secrets.${key}.name[${name}]`,
            fix: `Add \`${name}=v1\` to .env.sample (commented, next to the COMPOSE_FILE line, if the secret belongs to an optional overlay).`,
            edits: envLineEdit(ctx, file, name),
          });
        }
        if (!uses.some((u) => VERSION_VAR.test(u.variable)) && def.name.startsWith(STACK_PREFIX) && def.external === true) {
          const variable = `SECRET_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_VERSION`;
          const path = ['secrets', key, 'name'];
          const suffix = `_\${${variable}}`;
          const end = valueOffsets(doc, path, def.name.length, def.name.length);
          const source = scalarSource(doc, path);
          const nameEdit = end && source && (source.style !== 'plain' || inBlockContext(doc, source.start)) ? { file, start: end.start, end: end.start, text: suffix } : undefined;
          const envEdit = defined.has(variable) || exported.has(variable) ? [] : envLineEdit(ctx, file, variable);
          // A name that already ends in another variable (`…_${SECRET_X}`) is a misnamed version: renaming it would
          // break operators' existing .env files, so that is only suggested.
          const other = uses.find((u) => u.variable !== 'STACK_NAME');
          ctx.report({
            message: other
              ? `secret ${code(key)}: its name ${code(def.name)} takes its version from ${code(other.variable)}, not from ${code(variable)} as abra's \`SECRET_<KEY>_VERSION\` convention has it`
              : `secret ${code(key)}: its name ${code(def.name)} has no version suffix (${code(suffix)}): swarm secrets cannot be changed, so abra rotates one by creating the next version under a new name`,
            file,
            ...(positionOf(doc, path, 'value') ?? { path, at: 'value' as const }),
            logicalPath: `secrets.${key}.name:version-suffix`,
            fix: `End the name with \`${suffix}\` and add \`${variable}=v1\` to .env.sample.`,
            ...(other
              ? { suggestion: `Rename ${code(other.variable)} to ${code(variable)} in the name and in .env.sample, and tell operators to rename it in their app .env files.` }
              : { edits: nameEdit && envEdit ? [nameEdit, ...envEdit] : undefined }),
          });
        }
      }
    }
  },
});

const STACK_PREFIX = '${STACK_NAME}_';

/** The .env.sample line defining `variable` (commented for a secret of an optional overlay), when .env.sample exists. */
function envLineEdit(ctx: RuleContext, file: string, variable: string): TextEdit[] | undefined {
  const text = ctx.recipe.envSample ? ctx.recipe.readText('.env.sample') : undefined;
  if (text === undefined) return undefined;
  const overlay = file !== BASE_FILE;
  return [envSampleLineEdit(text, `${overlay ? '#' : ''}${variable}=v1`, overlay ? file : undefined)];
}
