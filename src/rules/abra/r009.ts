// R009 app-service: the abra merge has a service named `app`.
import { defineRule } from '../rule.js';
import { BASE_FILE, code, loadedAbraView } from '../kit/views.js';

export default defineRule({
  meta: {
    id: 'R009',
    name: 'app-service',
    level: 'error',
    description: 'A service named `app` exists (judged on the `abra` view).',
    details: [
      'abra\'s rule R009 ("one service named \'app\'"). abra treats `app` as the recipe\'s main service: it reads the',
      'recipe version from the `app` image and its version label, `abra app run/logs/cp` default to it, and',
      'backups and Traefik conventions assume it. Other services may exist beside it.',
    ].join('\n'),
    fix: 'Rename the main (public-facing) service to `app`, and update `depends_on` and host names that refer to the old name.',
  },
  check(ctx) {
    const view = loadedAbraView(ctx);
    if (!view) return;
    const services = Object.keys(view.config.services ?? {});
    if (services.includes('app')) return;
    const file = view.files.includes(BASE_FILE) ? BASE_FILE : view.files[0];
    const doc = file ? ctx.recipe.composeFile(file)?.doc : undefined;
    const hasServicesKey = !!doc?.locateKey(['services']);
    ctx.report({
      message: services.length > 0
        ? `no service is named \`app\` (services: ${services.map(code).join(', ')})`
        : 'no service is named `app` (the recipe defines no services)',
      view,
      ...(file && hasServicesKey ? { file, path: ['services'], at: 'key' as const } : { file: file ?? BASE_FILE, line: 1, column: 1 }),
      logicalPath: 'services.app',
    });
  },
});
