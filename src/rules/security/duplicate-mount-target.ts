// duplicate-mount-target: one service mounts two secrets, configs or volumes at the same path.
import { defineRule, mergedViews } from '../rule.js';
import type { Path } from '../../load/types.js';
import { code } from '../kit/views.js';
import { fileTarget, normalisePath } from './mounts.js';

/** How a message names a mount: volume `db-data`, an anonymous volume, a bind mount (its source is a path on this machine by now). */
function mountName(mount: { type: string; source?: string }): string {
  if (mount.type !== 'volume') return `a ${mount.type} mount`;
  return mount.source ? `volume ${code(mount.source)}` : 'an anonymous volume';
}

export default defineRule({
  meta: {
    id: 'duplicate-mount-target',
    name: 'duplicate-mount-target',
    level: 'error',
    description: 'A service mounts two secrets, configs or volumes at the same path in the container (the default targets count: /run/secrets/<name> for secrets, /<name> for configs).',
    details: [
      'Only one file can be at a path. Measured with docker 20.10 on a swarm: two secrets with one target deploy, and',
      'the later one silently shadows the other (the app reads the wrong secret); a secret and a volume at one target',
      'make every task fail to start ("error mounting … not a directory"); older engines refuse two secrets as well',
      '("Duplicate mount point", moby/moby#35930). It happens when an overlay gives a service a secret under a target the',
      'base already uses, or when two secrets get the same relative `target:`. Targets are compared as docker resolves',
      'them (a relative secret target is under /run/secrets). Judged per view.',
    ].join('\n'),
    fix: 'Give each secret, config and volume its own `target:` path.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      for (const [service, svc] of Object.entries(view.config.services ?? {})) {
        const taken = new Map<string, string>();
        const entries: Array<{ target: string; what: string; path: Path }> = [];
        for (const kind of ['secrets', 'configs'] as const) {
          (svc[kind] ?? []).forEach((ref, i) => {
            if (ref.source === undefined) return; // no `source`: the schema rule reports the entry
            entries.push({ target: fileTarget(kind, { source: ref.source, target: ref.target }), what: `${kind === 'secrets' ? 'secret' : 'config'} ${code(ref.source)}`, path: ['services', service, kind, i] });
          });
        }
        (svc.volumes ?? []).forEach((mount, i) => {
          // A relative target (short syntax `- data`) is not `/data` to docker: swarm rejects it (relative-mount-target).
          if (!mount.target || !mount.target.startsWith('/')) return;
          entries.push({ target: normalisePath(mount.target), what: mountName(mount), path: ['services', service, 'volumes', i] });
        });
        for (const e of entries) {
          const earlier = taken.get(e.target);
          if (earlier === undefined) {
            taken.set(e.target, e.what);
            continue;
          }
          ctx.report({
            message: `service ${code(service)} mounts ${earlier} and ${e.what} both at ${code(e.target)}: one shadows the other, or the tasks fail to start`,
            view,
            mergedPath: e.path,
            at: 'value',
            logicalPath: `services.${service}.mounts[${e.target}]`,
          });
        }
      }
    }
  },
});
