// volume-replaced: a service (or its renamed successor) mounts, at a target where it mounted a named volume at
// the base revision, a volume docker names differently. An upgraded app starts on a new, empty volume; the old
// one, with the app's data, stays behind unused.
import { defineRule } from '../rule.js';
import { code } from '../kit/views.js';
import { deployedName } from '../../swarm/networks.js';
import { pairedViews, placeOf, renamedServices } from './sides.js';

export default defineRule({
  meta: {
    id: 'volume-replaced',
    name: 'volume-replaced',
    level: 'error',
    requires: 'base',
    description: 'A named volume a service mounted at the base revision is replaced by another volume at the same target: upgraded apps start on an empty volume.',
    details: [
      'Docker names a stack volume `<stack>_<key>` (or its `name:`). Renaming the key, dropping the volume for',
      'another one, or renaming the service and its volume together makes `docker stack deploy` create a new, empty',
      'volume for every deployed app; the data stays in the old one, orphaned. Compared per view, for each service',
      'and for a renamed service\'s successor (the one new service with the same image repository). When the move is',
      'intended (a migration the release note explains), acknowledge it with',
      '`# stacklint-disable-next-line volume-replaced -- <reason>` above the mount.',
    ].join('\n'),
    fix: 'Keep the old volume (its key, or `name:` it explicitly to the old deployed name), or write the migration into the release note and suppress with a reason.',
  },
  check(ctx) {
    for (const pair of pairedViews(ctx)) {
      const { stackBase, stackHead } = pair;
      const successors = new Map(renamedServices(pair).filter((r) => r.successor).map((r) => [r.successor!, r.old]));
      for (const [service, def] of Object.entries(pair.head.config.services ?? {})) {
        const was = service in (pair.base.config.services ?? {}) ? service : successors.get(service);
        if (was === undefined) continue;
        const oldMounts = pair.base.config.services[was]?.volumes ?? [];
        (def?.volumes ?? []).forEach((mount, index) => {
          if (mount.type !== 'volume' || !mount.source) return;
          const oldIndex = oldMounts.findIndex((m) => m.type === 'volume' && m.source && m.target === mount.target);
          if (oldIndex < 0) return;
          const old = oldMounts[oldIndex];
          const oldName = deployedName(old.source!, pair.base.config.volumes?.[old.source!], stackBase);
          const newName = deployedName(mount.source!, pair.head.config.volumes?.[mount.source!], stackHead);
          if (oldName === newName) return;
          const renamed = was !== service ? ` (service ${code(was)}, renamed to ${code(service)})` : '';
          ctx.report({
            message:
              `${code(mount.target)} of service ${code(service)} is volume ${code(newName)}, but was ${code(oldName)} at the base (${placeOf(pair.baseRecipe, pair.base, ['services', was, 'volumes', oldIndex])})${renamed}: ` +
              'upgraded apps start on a new, empty volume and their data stays in the old one',
            view: pair.head,
            mergedPath: ['services', service, 'volumes', index],
            logicalPath: `services.${service}.volumes[${mount.target}]`,
          });
        });
      }
    }
  },
});
