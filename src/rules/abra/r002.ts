// R002 healthcheck: every service of the abra merge has a `healthcheck` block.
import { defineRule } from '../rule.js';
import { code, loadedAbraView, serviceDefinition } from '../kit/views.js';

export default defineRule({
  meta: {
    id: 'R002',
    name: 'healthcheck',
    level: 'warn',
    description: 'Every service has a `healthcheck` block (judged on the `abra` view).',
    details: [
      'abra\'s rule R002 ("healthcheck enabled for all services"). abra waits for a deploy to converge, and swarm only',
      'knows a task is ready when its healthcheck passes: without one, a task counts as healthy the moment its process',
      'starts, so a broken release "deploys" and rolling updates move on before the new version answers. Presence is',
      'what counts, as in abra: `healthcheck: {disable: true}` passes, and states the choice explicitly.',
    ].join('\n'),
    fix: 'Add a `healthcheck:` with a `test` that checks the service answers (e.g. `["CMD", "curl", "-f", "http://localhost:8080/health"]`), or `disable: true` when the image cannot run one.',
  },
  check(ctx) {
    const view = loadedAbraView(ctx);
    if (!view) return;
    for (const [name, service] of Object.entries(view.config.services ?? {})) {
      if (service && service.healthcheck !== undefined && service.healthcheck !== null) continue;
      const where = serviceDefinition(view, name);
      ctx.report({
        message: `service ${code(name)} has no healthcheck`,
        view,
        ...(where ? { file: where.file, path: where.path, at: 'key' as const } : { mergedPath: ['services', name] }),
        logicalPath: `services.${name}.healthcheck`,
      });
    }
  },
});
