// R008 env-sample: the recipe has a `.env.sample`.
import { defineRule } from '../rule.js';

export default defineRule({
  meta: {
    id: 'R008',
    name: 'env-sample',
    level: 'error',
    description: 'The recipe has a `.env.sample` at its root.',
    details: [
      'abra\'s rule R008 (".env.sample provided"). `abra app new` copies `.env.sample` to create every app\'s',
      'configuration, and `abra recipe lint` stops with a fatal error before its table when the file is missing',
      '(so the rule never shows as failed there). It is also where operators find the optional overlays',
      '(`COMPOSE_FILE` lines), secret versions and settings the recipe supports.',
    ].join('\n'),
    fix: 'Create `.env.sample` with at least `TYPE=<recipe>`, `DOMAIN=<recipe>.example.com`, `LETS_ENCRYPT_ENV=production` and the variables the compose files use.',
  },
  check(ctx) {
    if (ctx.recipe.exists('.env.sample')) return;
    ctx.report({
      file: '.env.sample',
      line: 1,
      column: 1,
      message: 'the recipe has no .env.sample (abra recipe lint stops with a fatal error without it)',
      logicalPath: '.env.sample',
    });
  },
});
