// published-port: a published port listens on every interface — swarm has no host IP (it drops one that
// is written), and host-mode ports bypass Traefik on the node.
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';
import { rawOf } from '../../swarm/index.js';

/** The host IP of a short-syntax port (`127.0.0.1:8080:80`, `[::1]:80:80`), if one is written. */
export function writtenHostIp(raw: string): string | undefined {
  // `IP:published:target`: the IP is everything before the last two colons, the target is not empty.
  const text = raw.trim();
  const last = text.lastIndexOf(':');
  const middle = last > 0 ? text.lastIndexOf(':', last - 1) : -1;
  if (middle < 0 || last === text.length - 1) return undefined;
  const ip = text.slice(0, middle);
  if (/^(?:\[[^\]]*\]|\d{1,3}(?:\.\d{1,3}){3})$/.test(ip)) return ip;
  return /^[0-9a-fA-F:]*$/.test(ip) && ip.includes('::') ? ip : undefined;
}

export default defineRule({
  meta: {
    id: 'published-port',
    name: 'published-port',
    level: 'warn',
    description: 'A published port binds every interface: a host IP written in the port (`127.0.0.1:8080:80`) is dropped by swarm (warning); a `mode: host` port opens the port on the node, beside Traefik (info).',
    details: [
      '`docker stack deploy` converts short-syntax ports with `opts.ConvertPortToPortConfig`, which drops the host IP',
      '(with a warning on the deploying terminal only): `127.0.0.1:8080:80` is published on **all** interfaces of',
      '**every** node through the ingress routing mesh — the opposite of what it says. Swarm\'s long syntax has no host',
      'IP at all. Published ports also bypass host firewalls such as ufw (docker writes its own iptables rules).',
      '',
      'A port with `mode: host` is opened on every interface of the node the task runs on; that is how Traefik itself',
      'publishes 80/443, so it is only reported at info level. Co-op Cloud apps are reached through Traefik on the',
      '`proxy` network and normally publish nothing. Judged per view.',
    ].join('\n'),
    fix: 'Remove the published port and route the service through Traefik (deploy labels on the `proxy` network); to keep a port private, leave it unpublished — services on the same network reach it without publishing.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      for (const [service, svc] of Object.entries(view.config.services ?? {})) {
        (svc.ports ?? []).forEach((port, i) => {
          if (port.published === undefined || port.published === 0) return;
          const mergedPath = ['services', service, 'ports', i];
          const raw = rawOf(ctx.recipe, view, mergedPath);
          const ip = typeof raw?.node === 'string' ? writtenHostIp(raw.node) : undefined;
          const what = `${port.published}:${port.target}/${port.protocol ?? 'tcp'}`;
          if (ip && !/^(0\.0\.0\.0|\[?::\]?)$/.test(ip)) {
            ctx.report({
              message: `service ${code(service)} publishes ${code(String(raw!.node))}, but swarm drops the host IP ${code(ip)}: port ${port.published} is open on every interface of every node`,
              view,
              mergedPath,
              at: 'value',
              logicalPath: `services.${service}.ports[${what}]:host-ip`,
            });
            return;
          }
          if (port.mode !== 'host') return;
          ctx.report({
            message: `service ${code(service)} publishes ${what} in host mode: the port is open on every interface of the node it runs on, outside Traefik`,
            view,
            mergedPath,
            at: 'value',
            logicalPath: `services.${service}.ports[${what}]`,
            severity: 'info',
          });
        });
      }
    }
  },
});
