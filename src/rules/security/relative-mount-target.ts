// relative-mount-target: a volume, bind or tmpfs mount whose container path is relative. The short syntax
// `volumes: [data]` is the most common way to write one: docker reads it as an anonymous volume at the
// relative target `data`, not at `/data`, and swarm then rejects every task.
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';

export default defineRule({
  meta: {
    id: 'relative-mount-target',
    name: 'relative-mount-target',
    level: 'error',
    description: 'A mount in `volumes:` has a relative container path (e.g. the short entry `- data`): swarm rejects every task of the service.',
    details: [
      'docker reads the short entry `- data` as an anonymous volume whose target is the relative path `data` (and',
      '`./conf:etc/app` as a bind mount at `etc/app`); `docker stack config` prints it and `docker stack deploy`',
      'creates the service without complaint. The swarm then rejects each task before it starts, with',
      '"invalid mount target, must be an absolute path: data" (measured with docker 28.2.2 on a 20.10 engine), so',
      'the service never runs. Windows named pipes (`type: npipe`) are the only mounts with another form.',
    ].join('\n'),
    fix: 'Write the container path in full: `- data:/data` for a named volume (declared under top-level `volumes:`), `- /data` for an anonymous one.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      for (const [service, svc] of Object.entries(view.config.services ?? {})) {
        (svc.volumes ?? []).forEach((mount, i) => {
          if (!mount.target || mount.target.startsWith('/') || mount.type === 'npipe') return;
          // A bind source is an absolute path on this machine by now: name the mount by its kind instead.
          const what = mount.type !== 'volume' ? `a ${mount.type} mount` : mount.source ? `volume ${code(mount.source)}` : 'an anonymous volume';
          ctx.report({
            message: `service ${code(service)} mounts ${what} at the relative path ${code(mount.target)}: swarm rejects every task ("invalid mount target, must be an absolute path: ${mount.target}")`,
            view,
            mergedPath: ['services', service, 'volumes', i],
            at: 'value',
            logicalPath: `services.${service}.volumes[${mount.target}]`,
            fix: `Write the container path in full: \`/${mount.target.replace(/^\.\//, '')}\`${mount.source ? '' : `, or \`${mount.target}:/${mount.target.replace(/^\.\//, '')}\` for a named volume`}.`,
          });
        });
      }
    }
  },
});
