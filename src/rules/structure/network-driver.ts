// network-driver: a network the stack's services use is declared with a driver swarm services cannot
// use (`bridge`, `host` as a user-defined network). The predefined networks `bridge` and `host`, taken as
// external networks, are usable: swarm services may join them since Engine 17.06 (a real deploy runs there).
import { defineRule, mergedViews } from '../rule.js';
import type { Path } from '../../load/types.js';
import { isExternal } from '../../merge/index.js';
import { attachedNetworkKeys } from '../../swarm/index.js';
import { asMapping, code } from '../kit/files.js';
import { addTo } from '../../load/collections.js';

const LOCAL_DRIVERS = new Set(['bridge', 'host', 'none', 'nat']);

export default defineRule({
  meta: {
    id: 'network-driver',
    name: 'network-driver',
    level: 'error',
    description: 'A network used by services is declared with a driver that is not swarm-scoped (`bridge`, `host` as a user network).',
    details: [
      'Swarm services can only attach to swarm-scoped networks: `overlay` (the default for `docker stack deploy`), or',
      'external networks created with a swarm-scoped driver. A stack network declared with `driver: bridge` is created',
      'as a local bridge network, and creating the services that use it fails ("network … is not eligible for docker',
      'services"); `driver: host` tries to create a second host network, which docker refuses. The predefined',
      '`bridge` and `host` networks, named as external networks, are not stack networks: services may join them.',
      '',
      'To run a service on the host\'s network in swarm, attach it to an external network named `host`:',
      '`networks: {hostnet: {external: true, name: host}}`.',
    ].join('\n'),
    fix: 'Remove the `driver:` line (stack networks default to `overlay`), or use `driver: overlay`.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      const networks = view.config.networks ?? {};
      const usedBy = new Map<string, string[]>();
      for (const [service, svc] of Object.entries(view.config.services ?? {})) {
        for (const n of attachedNetworkKeys(svc)) addTo(usedBy, n, service);
      }
      for (const [name, def] of Object.entries(networks)) {
        const users = usedBy.get(name);
        if (!users || !def) continue;
        const external = isExternal(def);
        const driver = typeof def.driver === 'string' ? def.driver : undefined;
        if (external || !driver || !LOCAL_DRIVERS.has(driver)) continue;
        const message = `the network ${code(name)} (used by ${users.join(', ')}) has driver ${code(driver)}, which swarm services cannot use: the deploy fails`;
        const path: Path = ['networks', name, 'driver'];
        // Point at the definition in the last file of the view that defines the network (top-level definitions replace wholesale).
        const file = [...view.files].reverse().find((f) => {
          const nets = asMapping(asMapping(ctx.recipe.composeFile(f)?.doc.data)?.networks);
          return !!nets && Object.hasOwn(nets, name);
        });
        const fix = driver === 'host' ? 'For the host network, use `external: true` with `name: host` instead of `driver: host`; otherwise remove the driver (overlay).' : undefined;
        ctx.report({
          message,
          fix,
          view,
          logicalPath: `networks.${name}.driver`,
          ...(file ? { file, path, at: 'key' as const } : { mergedPath: ['networks', name] }),
        });
      }
    }
  },
});
