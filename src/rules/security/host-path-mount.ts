// host-path-mount: a service bind-mounts a sensitive directory of the node (/, /etc, /proc, /var/lib/docker, …).
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';
import { hostMounts, isUnder } from './mounts.js';

/**
 * Sensitive host paths and why (CIS Docker Benchmark 5.6, compose-lint CL-0013/CL-0025, KICS): what the whole
 * directory holds, and what a path inside it is — a single file under /etc is not "shadow, sudoers".
 * The most specific entry that contains the source wins.
 */
const SENSITIVE: ReadonlyArray<[dir: string, whole: string, inside?: string]> = [
  ['/etc', 'host configuration: shadow, sudoers, ssh keys', "part of the node's configuration"],
  ['/etc/shadow', 'password hashes of the node\'s users'],
  ['/etc/gshadow', 'group password hashes of the node'],
  ['/etc/sudoers', 'sudo rules of the node'],
  ['/etc/sudoers.d', 'sudo rules of the node'],
  ['/etc/ssh', 'ssh host keys and server configuration of the node'],
  ['/etc/ssl/private', 'TLS private keys of the node'],
  ['/etc/docker', "the docker daemon's configuration and TLS keys"],
  ['/etc/passwd', "the node's user accounts"],
  ['/root', "root's home: ssh keys, shell history"],
  ['/home', 'user homes: ssh keys, credentials', 'part of a user home (ssh keys, credentials)'],
  ['/proc', 'kernel and process information, other processes\' environments', 'kernel or process information'],
  ['/sys', 'kernel, cgroup and device interfaces'],
  ['/boot', 'kernel and boot loader'],
  ['/dev', 'every host device', 'a host device'],
  ['/var/lib/docker', "docker's state: every container's files and volumes", "part of docker's state (containers' files and volumes)"],
  ['/var/lib/kubelet', 'kubelet state and pod secrets'],
  ['/run/containerd', 'containerd state and sockets'],
  ['/run/systemd', 'systemd control sockets'],
  ['/var/run', 'runtime sockets (parent of docker.sock)', "runtime state of the node's services"],
  ['/run', 'runtime sockets (parent of docker.sock)', "runtime state of the node's services"],
];

/** Why mounting `source` is sensitive, or undefined when it is not. */
function sensitivity(source: string): string | undefined {
  if (source === '/') return 'the whole root filesystem of the node';
  const hits = SENSITIVE.filter(([dir]) => isUnder(source, dir));
  if (hits.length === 0) return undefined;
  const [dir, whole, inside] = hits.reduce((a, b) => (b[0].length > a[0].length ? b : a));
  return source === dir || inside === undefined ? whole : inside;
}

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
        const why = sensitivity(m.source);
        if (!why) continue;
        const rw = m.readOnly ? 'read-only' : 'read-write';
        ctx.report({
          message: `service ${code(m.service)} mounts ${code(m.source)} (${why}) ${rw}`,
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
