// secret-in-environment: a credential-named environment variable holds a literal value in a compose file.
import { scanTemplate } from '../../interpolate/scan.js';
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';
import { rawEntryValue, rawOf } from '../../swarm/index.js';

/** Keys that hold a credential: the last word is PASSWORD, TOKEN, SECRET, …, or one of the usual compounds. */
const CREDENTIAL_KEY = /(^|[_.-])(PASSWORD|PASSWD|PASS|PASSPHRASE|TOKEN|SECRET|SECRET_KEY|SECRET_KEY_BASE|API_KEY|APIKEY|PRIVATE_KEY|ACCESS_KEY|ACCESS_KEY_ID|CLIENT_SECRET|CREDENTIALS?)$/i;
/** Values that are settings, not secrets. */
const NOT_A_SECRET = /^(true|false|yes|no|on|off|none|null|enabled?|disabled?|[0-9]{1,5})$/i;

/** The text of `value` outside `${…}`/`$X` references (`$$` counts as one literal `$`). */
function literalPart(value: string): string {
  let out = '';
  let at = 0;
  for (const token of scanTemplate(value)) {
    out += value.slice(at, token.start);
    if (token.kind === 'escape') out += '$';
    at = token.end;
  }
  return out + value.slice(at);
}

const PLAIN_FIX =
  'Declare a swarm secret (`docker secret create NAME -` and `external: true`, or `file:`), list it under the service\'s `secrets:`, and set `<KEY>_FILE=/run/secrets/<secret>` (or read the file in an entrypoint).';

export default defineRule({
  meta: {
    id: 'secret-in-environment',
    name: 'secret-in-environment',
    level: 'warn',
    description: 'An environment variable named like a credential (`*PASSWORD`, `*TOKEN`, `*SECRET`, `*_API_KEY`, …) has a literal value in a compose file, instead of a swarm secret read through `*_FILE=/run/secrets/…`.',
    details: [
      'A value in `environment:` is in the recipe\'s git history, in `docker service inspect`, in every task\'s',
      '`/proc/*/environ` and in `docker stack config` output. Swarm secrets are encrypted in the raft log, mounted as',
      'files only into the services that name them, and can be rotated: Co-op Cloud recipes declare the secret',
      '(`external: true`, `name: ${STACK_NAME}_db_password_${SECRET_DB_PASSWORD_VERSION}`), give it to the service',
      'under `secrets:`, and pass the path (`DB_PASSWORD_FILE=/run/secrets/db_password`) — or an entrypoint reads the',
      'file into the variable. A value that is only a reference (`${DB_PASSWORD}`) is not reported (the value is in the',
      'operator\'s .env, not the recipe), nor are keys ending in `_FILE`, values under /run/secrets, and obvious',
      'settings (`true`, `0`, …). The finding never prints the value.',
    ].join('\n'),
    fix: 'Declare a swarm secret, list it under the service\'s `secrets:`, and set `<KEY>_FILE=/run/secrets/<secret>` (or read the file in an entrypoint); generate it with `abra app secret generate`.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      for (const [service, svc] of Object.entries(view.config.services ?? {})) {
        for (const key of Object.keys(svc.environment ?? {})) {
          if (!CREDENTIAL_KEY.test(key)) continue;
          const mergedPath = ['services', service, 'environment', key];
          const raw = rawOf(ctx.recipe, view, mergedPath);
          if (!raw || raw.path[0] !== 'services') continue; // from an env_file or the shell: not written in the recipe's compose files
          const value = rawEntryValue(raw);
          if (value === undefined) continue;
          const literal = literalPart(value).trim();
          if (literal === '' || NOT_A_SECRET.test(literal) || value.trim().startsWith('/run/secrets/')) continue;
          if (literal.length < 4 && literal !== value.trim()) continue; // `${USER}:${PASS}`-style glue around references
          ctx.report({
            message: `service ${code(service)}: ${code(key)} is set to a literal value in ${raw.file}: a credential in plain environment is readable in the repository, in \`docker service inspect\` and in every task`,
            view,
            mergedPath,
            at: 'key',
            logicalPath: `services.${service}.environment.${key}`,
            // `abra app secret generate` is a recipe's way; a plain stack's secret is made with docker itself.
            ...(ctx.recipe.kind === 'plain' ? { fix: PLAIN_FIX } : {}),
          });
        }
      }
    }
  },
});
