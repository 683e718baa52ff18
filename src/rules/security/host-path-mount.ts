// host-path-mount: a service bind-mounts a sensitive directory of the node (/, /etc, /proc, /var/lib/docker, …).
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';
import { hostMounts, isUnder } from './mounts.js';

/** Sensitive host directories and why (CIS Docker Benchmark 5.6, compose-lint CL-0013/CL-0025, KICS). */
const SENSITIVE: ReadonlyArray<[string, string]> = [
  ['/etc', 'host configuration: shadow, sudoers, ssh keys'],
  ['/root', "root's home: ssh keys, shell history"],
  ['/home', 'user homes: ssh keys, credentials'],
  ['/proc', 'kernel and process information, other processes\' environments'],
  ['/sys', 'kernel, cgroup and device interfaces'],
  ['/boot', 'kernel and boot loader'],
  ['/dev', 'every host device'],
  ['/var/lib/docker', "docker's state: every container's files and volumes"],
  ['/var/lib/kubelet', 'kubelet state and pod secrets'],
  ['/run/containerd', 'containerd state and sockets'],
  ['/run/systemd', 'systemd control sockets'],
  ['/var/run', 'runtime sockets (parent of docker.sock)'],
  ['/run', 'runtime sockets (parent of docker.sock)'],
];

/** Files commonly shared read-only with no risk (time zone). */
const HARMLESS = ['/etc/localtime', '/etc/timezone'];

const SOCKET = /\.sock$/;

export default defineRule({
  meta: {
    id: 'host-path-mount',
    name: 'host-path-mount',
    level: 'warn',
    description: 'A service bind-mounts the node\'s root filesystem or a sensitive directory (/etc, /root, /home, /proc, /sys, /boot, /dev, /var/lib/docker, /run, …).',
    details: [
      'A bind mount gives the container the node\'s files: `/` is a complete escape, `/etc` and `/root` hold credentials,',
      '`/proc` and `/sys` expose the kernel and other processes, `/var/lib/docker` every other container\'s data. In',
      'swarm the task can land on any node that satisfies its placement, so the mount exposes whichever node that is.',
      'Read-only mounts are reported too (they still leak secrets) but say so. `/etc/localtime` and `/etc/timezone`',
      'are not reported; runtime sockets (`*.sock`) are `docker-socket`\'s. Judged per view.',
    ].join('\n'),
    fix: 'Mount only the file the service needs (read-only), or give it the data through a config, a secret or a named volume.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      for (const m of hostMounts(ctx, view)) {
        if (SOCKET.test(m.source) || HARMLESS.includes(m.source)) continue;
        const hit = m.source === '/' ? (['/', 'the whole root filesystem of the node'] as const) : SENSITIVE.find(([dir]) => isUnder(m.source, dir));
        if (!hit) continue;
        const rw = m.readOnly ? 'read-only' : 'read-write';
        ctx.report({
          message: `service ${code(m.service)} mounts ${code(m.source)} (${hit[1]}) ${rw}`,
          view,
          mergedPath: m.mergedPath,
          at: 'value',
          logicalPath: `services.${m.service}.volumes[${m.source}]`,
          severity: m.source === '/' && !m.readOnly ? 'error' : undefined,
        });
      }
    }
  },
});
