// host-namespace: a service shares the node's network (swarm: the external `host` network), or asks for
// privileged mode or the host's pid/ipc/user namespace — which `docker stack deploy` ignores.
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';
import { externalNetworkName } from '../../swarm/index.js';
import { isExternal } from '../../merge/index.js';

/** Options swarm ignores (swarm-unsupported reports that); reported here at info level for what they ask. */
const IGNORED: ReadonlyArray<{ key: string; when: (v: unknown) => boolean; asks: string }> = [
  { key: 'privileged', when: (v) => v === true, asks: 'every capability and all host devices' },
  { key: 'network_mode', when: (v) => v === 'host', asks: "the node's network stack" },
  { key: 'pid', when: (v) => v === 'host', asks: "the node's process namespace (see and signal every process)" },
  { key: 'ipc', when: (v) => v === 'host', asks: "the node's IPC namespace (shared memory of every process)" },
  { key: 'userns_mode', when: (v) => v === 'host', asks: 'no user-namespace remapping' },
];

export default defineRule({
  meta: {
    id: 'host-namespace',
    name: 'host-namespace',
    level: 'warn',
    description: 'A service joins the node\'s network (the external `host` network, the swarm way); or sets `privileged`, `network_mode: host`, `pid: host`, `ipc: host` or `userns_mode: host`, which swarm ignores (info).',
    details: [
      'In swarm, host networking is an attachment to the predefined network `host` (`networks: {hostnet: {external: true,',
      'name: host}}`): the task shares the node\'s network stack, so every port it listens on is open on the node,',
      'bypassing Traefik, and it can reach services bound to the node\'s localhost (warning).',
      '',
      '`privileged`, `network_mode`, `pid`, `ipc` and `userns_mode` are ignored by `docker stack deploy` ("Ignoring',
      'unsupported options", see `swarm-unsupported`): under swarm the service runs *without* them. They are reported',
      'here at info level because they still grant host privileges to anyone who runs the file with `docker compose`,',
      'and because a service that needed them will not work under swarm.',
    ].join('\n'),
    fix: 'Attach the service to the stack\'s own overlay networks and publish only the ports it must serve; drop `privileged` and the host namespace options (grant a specific capability with `cap_add` if one is really needed).',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      for (const [service, svc] of Object.entries(view.config.services ?? {})) {
        for (const key of Object.keys(svc.networks ?? {})) {
          const def = view.config.networks?.[key];
          if (!isExternal(def) || externalNetworkName(key, def) !== 'host') continue;
          ctx.report({
            message: `service ${code(service)} is attached to the node's \`host\` network (as ${code(key)}): it shares the node's network stack, and every port it listens on is open on the node`,
            view,
            mergedPath: ['services', service, 'networks', key],
            at: 'key',
            logicalPath: `services.${service}.networks.${key}`,
          });
        }
        for (const { key, when, asks } of IGNORED) {
          if (!when(svc[key])) continue;
          ctx.report({
            message: `service ${code(service)} sets ${code(`${key}: ${String(svc[key])}`)}, which asks for ${asks}; docker stack deploy ignores it, so under swarm the service runs without it`,
            view,
            mergedPath: ['services', service, key],
            at: 'key',
            logicalPath: `services.${service}.${key}`,
            severity: 'info',
          });
        }
      }
    }
  },
});
