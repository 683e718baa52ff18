// port-conflict: two services of a view (or two entries of one) publish the same host port and protocol.
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';
import type { ServiceConfig } from '../../merge/stack-config.js';

interface PortEntry {
  service: string;
  index: number;
  target?: number;
  host: boolean;
  fileRank: number;
  order: number;
}

/** The nodes a service may run on, as its sorted constraint list ('' = any node). */
function placementKey(svc: ServiceConfig | undefined): string {
  return [...(svc?.deploy?.placement?.constraints ?? [])].map((c) => c.replace(/\s+/g, '')).sort().join('&');
}

export default defineRule({
  meta: {
    id: 'port-conflict',
    name: 'port-conflict',
    level: 'error',
    description: 'Two services of a view — from any of its files — publish the same host port and protocol in ingress mode (or one in ingress, one in host mode), or one service publishes it twice for different targets.',
    details: [
      'An ingress-mode published port belongs to one service on every node (the routing mesh listens on it',
      'cluster-wide): swarm refuses a second service ("port \'8080\' is already in use by service …") and the deploy',
      'fails half done, and a host-mode port equal to it cannot be bound on any node. A host-mode port belongs to one',
      'node only: swarm\'s scheduler places the tasks of two host-mode services on nodes where the port is still free,',
      'so that is no deploy error — it is reported as info only when the two services have the same placement',
      'constraints (none, or identical), i.e. compete for the same nodes and leave tasks pending once every node has',
      'one of them; different constraints (the usual "pin each to its node") are silent. The files of a view often',
      'come from different people — an overlay publishing a port the base already publishes is the usual case — so',
      'this is judged on every merged view, and the finding points at the entry that comes second. TCP and UDP on one',
      'port do not conflict.',
    ].join('\n'),
    fix: 'Publish a different host port for one of them (and update whatever connects to it), or drop one of the entries.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      const services = view.config.services ?? {};
      const byPort = new Map<string, PortEntry[]>();
      let order = 0;
      for (const [service, svc] of Object.entries(services)) {
        (svc.ports ?? []).forEach((port, index) => {
          if (port.published === undefined || port.published === 0) return;
          const key = `${port.published}/${port.protocol ?? 'tcp'}`;
          const file = view.origin(['services', service, 'ports', index])?.file;
          // The base file first (abra's view merges in byte order, which can put an overlay before it).
          const fileRank = file === undefined ? view.files.length : file === 'compose.yml' ? -1 : view.files.indexOf(file);
          const list = byPort.get(key) ?? [];
          list.push({ service, index, target: port.target, host: port.mode === 'host', fileRank, order: order++ });
          byPort.set(key, list);
        });
      }
      for (const [key, list] of byPort) {
        if (list.length < 2) continue;
        // The entry from the earliest file keeps the port; the others are what a later file (or service) added.
        // An ingress entry is the one that holds the port cluster-wide, so a host entry is compared against it.
        const sorted = [...list].sort((a, b) => a.fileRank - b.fileRank || a.order - b.order);
        for (const [i, e] of sorted.entries()) {
          const earlier = sorted.slice(0, i).filter((o) => !(o.service === e.service && o.target === e.target));
          const at = { view, mergedPath: ['services', e.service, 'ports', e.index], at: 'value' as const, logicalPath: `services.${e.service}.ports[${key}]` };
          const first = earlier.find((o) => o.service === e.service || !o.host || !e.host);
          if (first?.service === e.service) {
            ctx.report({ ...at, message: `service ${code(e.service)} publishes host port ${key} twice (to ${first.target} and ${e.target})` });
          } else if (first) {
            const [mesh, hostSide] = first.host ? [e, first] : [first, e];
            ctx.report({
              ...at,
              message: hostSide.host
                ? `service ${code(mesh.service)} publishes host port ${key} in ingress mode, which takes it on every node: service ${code(hostSide.service)} cannot bind it in host mode anywhere`
                : `services ${code(first.service)} and ${code(e.service)} both publish host port ${key}: only one of them can have it`,
            });
          } else {
            // Host mode on both sides: a node-local port; the scheduler keeps the two apart unless they want the same nodes.
            const rival = earlier.find((o) => placementKey(services[o.service]) === placementKey(services[e.service]));
            if (!rival) continue;
            ctx.report({
              ...at,
              severity: 'info',
              message: `services ${code(rival.service)} and ${code(e.service)} both publish host port ${key} in host mode with the same placement: swarm must put their tasks on different nodes, and tasks beyond that stay pending`,
              fix: 'Pin each service to its own nodes (`deploy.placement.constraints`), or publish a different port for one of them.',
            });
          }
        }
      }
    }
  },
});
