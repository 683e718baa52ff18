// resource-limits (strict preset): a service has no memory limit.
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';

export default defineRule({
  meta: {
    id: 'resource-limits',
    name: 'resource-limits',
    level: 'off',
    presets: ['strict'],
    description: 'A service sets no `deploy.resources.limits.memory` (opt-in: `strict` preset).',
    details: [
      'Without a memory limit one leaking service can push a node into the kernel\'s OOM killer, which then picks',
      'processes of other apps on the same server; Co-op Cloud servers run many apps side by side. Swarm enforces',
      '`deploy.resources.limits` (`memory`, `cpus`; `pids` since compose file 3.13 is not in 3.8). The right numbers',
      'depend on the app and the server, so this rule is off by default; `--preset strict` turns it on.',
    ].join('\n'),
    fix: 'Add `deploy: resources: limits: memory: 512M` (sized from the app\'s observed peak), and `cpus` if it can monopolise the node.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      for (const [service, svc] of Object.entries(view.config.services ?? {})) {
        if (svc.deploy?.resources?.limits?.memory !== undefined) continue;
        ctx.report({
          message: `service ${code(service)} has no memory limit (\`deploy.resources.limits.memory\`)`,
          view,
          mergedPath: ['services', service, 'deploy', 'resources', 'limits'],
          at: 'key',
          logicalPath: `services.${service}.deploy.resources.limits.memory`,
        });
      }
    }
  },
});
