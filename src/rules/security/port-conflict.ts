// port-conflict: two services of a view (or two entries of one) publish the same host port and protocol.
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';

export default defineRule({
  meta: {
    id: 'port-conflict',
    name: 'port-conflict',
    level: 'error',
    description: 'Two services of a view — from any of its files — publish the same host port and protocol, or one service publishes it twice for different targets.',
    details: [
      'A published port belongs to one service: in ingress mode swarm refuses the second service ("port \'8080\' is',
      'already in use by service …") and the deploy fails half done; in host mode the second task cannot be placed on',
      'a node that already runs the first ("host-mode port already in use"). The files of a view often come from',
      'different people — an overlay publishing a port the base already publishes is the usual case — so this is',
      'judged on every merged view, and the finding points at the entry that comes second. TCP and UDP on one port',
      'do not conflict.',
    ].join('\n'),
    fix: 'Publish a different host port for one of them (and update whatever connects to it), or drop one of the entries.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      const byPort = new Map<string, Array<{ service: string; index: number; target?: number; fileRank: number; order: number }>>();
      let order = 0;
      for (const [service, svc] of Object.entries(view.config.services ?? {})) {
        (svc.ports ?? []).forEach((port, index) => {
          if (port.published === undefined || port.published === 0) return;
          const key = `${port.published}/${port.protocol ?? 'tcp'}`;
          const file = view.origin(['services', service, 'ports', index])?.file;
          // The base file first (abra's view merges in byte order, which can put an overlay before it).
          const fileRank = file === undefined ? view.files.length : file === 'compose.yml' ? -1 : view.files.indexOf(file);
          const list = byPort.get(key) ?? [];
          list.push({ service, index, target: port.target, fileRank, order: order++ });
          byPort.set(key, list);
        });
      }
      for (const [key, list] of byPort) {
        if (list.length < 2) continue;
        // The entry from the earliest file keeps the port; the others are what a later file (or service) added.
        const sorted = [...list].sort((a, b) => a.fileRank - b.fileRank || a.order - b.order);
        const first = sorted[0];
        for (const e of sorted.slice(1)) {
          if (e.service === first.service && e.target === first.target) continue;
          ctx.report({
            message:
              e.service === first.service
                ? `service ${code(e.service)} publishes host port ${key} twice (to ${first.target} and ${e.target})`
                : `services ${code(first.service)} and ${code(e.service)} both publish host port ${key}: only one of them can have it`,
            view,
            mergedPath: ['services', e.service, 'ports', e.index],
            at: 'value',
            logicalPath: `services.${e.service}.ports[${key}]`,
          });
        }
      }
    }
  },
});
