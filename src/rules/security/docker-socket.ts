// docker-socket: a service bind-mounts the container runtime's control socket (root on the node).
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';
import { hostMounts } from './mounts.js';

const RUNTIME_SOCKET = /\/(docker|containerd|podman|crio|dockershim)\.sock$/;

export default defineRule({
  meta: {
    id: 'docker-socket',
    name: 'docker-socket',
    level: 'warn',
    description: 'A service bind-mounts the Docker (or containerd, podman, CRI-O) control socket, which is root on the node — read-only or not.',
    details: [
      'Whoever can talk to `/var/run/docker.sock` can start a privileged container with the host\'s `/` mounted: the',
      'socket is root on the node. `:ro` does not help — it stops writes to the socket *file*, not API calls through it.',
      'In swarm the mount gives the same power on every node the task lands on, and a manager node\'s socket controls',
      'the whole swarm. Judged per view (an overlay can add the mount).',
      '',
      'Some services need it (Traefik\'s docker provider, backup-bot, a CI runner); suppress the finding there with a',
      'reason (`# stacklint-disable-next-line docker-socket -- Traefik reads service labels`), or put a socket proxy',
      'that allows only the read endpoints in between.',
    ].join('\n'),
    fix: 'Remove the mount; if the service only reads the API, mount a filtering socket proxy instead (e.g. tecnativa/docker-socket-proxy with only GET endpoints enabled), and pin the service to a worker node.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      for (const m of hostMounts(ctx, view)) {
        if (!RUNTIME_SOCKET.test(m.source)) continue;
        ctx.report({
          message: `service ${code(m.service)} mounts the runtime socket ${code(m.source)}${m.readOnly ? ' (read-only does not limit the API)' : ''}: anything in the container controls the node's containers, i.e. is root on the node`,
          view,
          mergedPath: m.mergedPath,
          at: 'value',
          logicalPath: `services.${m.service}.volumes[${m.source}]`,
        });
      }
    }
  },
});
