// shared-volume-write: two services of a view mount the same named volume read-write.
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';

export default defineRule({
  meta: {
    id: 'shared-volume-write',
    name: 'shared-volume-write',
    level: 'info',
    description: 'Two services of a view mount the same named volume read-write.',
    details: [
      'A named volume with the default `local` driver is a directory on one node. Two services that mount it only',
      'share data while swarm places them on the same node: on a second node each gets its own empty volume, and the',
      'app silently loses uploads or sees stale files. On one node both write concurrently, which databases and many',
      'apps do not survive. Recipes that share a volume between `app` and a worker usually mean it, so this is',
      'informational: pin both services to one node (`deploy.placement.constraints`), mount the volume read-only',
      'where the service only reads, or use a volume driver that is shared between nodes. Judged per view; reported',
      'at each service after the first.',
    ].join('\n'),
    fix: 'Mount it `:ro` in the services that only read it; otherwise keep the writers on one node (placement constraint) or use a shared-storage volume driver.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      const writers = new Map<string, string>();
      for (const [service, svc] of Object.entries(view.config.services ?? {})) {
        const seen = new Set<string>();
        (svc.volumes ?? []).forEach((mount, i) => {
          if (mount.type !== 'volume' || !mount.source || mount.read_only || seen.has(mount.source)) return;
          seen.add(mount.source);
          const first = writers.get(mount.source);
          if (first === undefined) {
            writers.set(mount.source, service);
            return;
          }
          ctx.report({
            message: `services ${code(first)} and ${code(service)} both mount volume ${code(mount.source)} read-write: with the local driver they only share it on one node`,
            view,
            mergedPath: ['services', service, 'volumes', i],
            at: 'value',
            logicalPath: `services.${service}.volumes[${mount.source}]`,
          });
        });
      }
    }
  },
});
