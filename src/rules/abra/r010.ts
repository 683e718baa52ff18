// R010 traefik-enabled: some service has the deploy label traefik.enable=true (skipped without DOMAIN).
import { defineRule } from '../rule.js';
import { code, loadedAbraView, serviceDefinition, BASE_FILE } from '../kit/views.js';

export default defineRule({
  meta: {
    id: 'R010',
    name: 'traefik-enabled',
    level: 'error',
    description: 'Some service has the deploy label `traefik.enable=true` (judged on the `abra` view); skipped when `.env.sample` sets no `DOMAIN`.',
    details: [
      'abra\'s rule R010 ("traefik routing enabled"). Co-op Cloud apps are reached through the shared Traefik proxy,',
      'which only routes to services that opt in with `traefik.enable=true`. In swarm, Traefik reads the service\'s',
      '`deploy.labels`: the same label under the container\'s `labels:` is ignored, so it does not count here either.',
      'As in abra, a recipe whose `.env.sample` has no (uncommented) `DOMAIN` is not a web app and is skipped.',
    ].join('\n'),
    fix: 'Add `traefik.enable=true` (and the router rule, entrypoint and port labels) under `deploy: labels:` of the public service, usually `app`.',
  },
  check(ctx) {
    const env = ctx.recipe.envSample;
    if (!env || !env.entries.some((e) => !e.commented && e.key === 'DOMAIN')) return;
    const view = loadedAbraView(ctx);
    if (!view) return;
    const services = Object.entries(view.config.services ?? {});
    if (services.some(([, s]) => s?.deploy?.labels?.['traefik.enable'] === 'true')) return;
    const containerLabelled = services.filter(([, s]) => s?.labels?.['traefik.enable'] === 'true').map(([n]) => n);
    const target = services.some(([n]) => n === 'app') ? 'app' : services[0]?.[0];
    const where = target ? serviceDefinition(view, target) : undefined;
    const message = containerLabelled.length > 0
      ? `no service has the deploy label \`traefik.enable=true\`; ${containerLabelled.map(code).join(', ')} set it as a container label, which Traefik ignores in swarm`
      : 'no service has the deploy label `traefik.enable=true`, so Traefik routes nothing to this app';
    ctx.report({
      message,
      view,
      ...(containerLabelled.length > 0
        ? { mergedPath: ['services', containerLabelled[0], 'labels'] }
        : where
          ? { file: where.file, path: where.path, at: 'key' as const }
          : { file: view.files.includes(BASE_FILE) ? BASE_FILE : view.files[0] ?? BASE_FILE, line: 1, column: 1 }),
      logicalPath: 'services.*.deploy.labels[traefik.enable]',
      ...(containerLabelled.length > 0 ? { fix: 'Move the Traefik labels from `labels:` to `deploy: labels:`.' } : {}),
    });
  },
});
