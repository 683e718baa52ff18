// swarm-unsupported: service options that `docker stack deploy` ignores (it prints a one-line warning
// and deploys without them) or that it silently drops. The options docker refuses outright (extends,
// volume_driver, …) are reported by `schema`, since the deploy fails.
import { defineRule } from '../rule.js';
import { asMapping, has, loadedComposeFiles, positionOf, code } from '../kit/files.js';

interface Option {
  /** What happens in swarm. */
  effect: string;
  fix: string;
}

const IGNORED = 'docker stack deploy ignores it ("Ignoring unsupported options")';
const DEPRECATED = 'docker stack deploy ignores it ("Ignoring deprecated options")';

/** docker/cli's unsupported and deprecated lists (cli/compose/loader), in its order, plus silently dropped ones. */
export const SWARM_UNSUPPORTED: Readonly<Record<string, Option>> = {
  build: { effect: `${IGNORED}: swarm never builds, it pulls \`image:\``, fix: 'Remove `build:` (publish the image and use `image:`), or keep it in a separate compose file used only for local builds.' },
  cgroupns_mode: { effect: IGNORED, fix: 'Remove `cgroupns_mode:`.' },
  cgroup_parent: { effect: IGNORED, fix: 'Remove `cgroup_parent:`.' },
  devices: { effect: `${IGNORED}: swarm services cannot map host devices`, fix: 'Remove `devices:`; if the service needs a device, bind-mount it (`/dev/x:/dev/x`) and grant the capability it needs (`cap_add`).' },
  domainname: { effect: IGNORED, fix: 'Remove `domainname:`.' },
  external_links: { effect: IGNORED, fix: 'Remove `external_links:`; attach both services to a shared network and use the other stack\'s full service name.' },
  ipc: { effect: IGNORED, fix: 'Remove `ipc:`.' },
  links: { effect: `${IGNORED}: services on a common network reach each other by name anyway`, fix: 'Remove `links:`; put the services on a common network.' },
  mac_address: { effect: IGNORED, fix: 'Remove `mac_address:`.' },
  network_mode: { effect: `${IGNORED}: the service is attached to the stack's networks instead`, fix: 'Remove `network_mode:` and use `networks:`; for the host network, attach an external network named `host` (`networks: {hostnet: {external: true, name: host}}`).' },
  pid: { effect: IGNORED, fix: 'Remove `pid:`.' },
  privileged: { effect: `${IGNORED}: swarm services cannot run privileged`, fix: 'Remove `privileged:`; grant the specific capabilities instead (`cap_add:`, docker 20.10+).' },
  restart: { effect: `${IGNORED}: swarm restarts tasks according to \`deploy.restart_policy\``, fix: 'Remove `restart:` and set `deploy.restart_policy.condition` (`any`, `on-failure` or `none`) if the default (`any`) does not fit.' },
  security_opt: { effect: IGNORED, fix: 'Remove `security_opt:`.' },
  shm_size: { effect: IGNORED, fix: 'Remove `shm_size:` and mount a tmpfs at /dev/shm instead (`volumes: [{type: tmpfs, target: /dev/shm, tmpfs: {size: 1000000000}}]`).' },
  userns_mode: { effect: IGNORED, fix: 'Remove `userns_mode:`.' },
  container_name: { effect: `${DEPRECATED}: swarm names the containers of a service itself (<stack>_<service>.<n>.<id>)`, fix: 'Remove `container_name:`; other services reach this one by its service name.' },
  expose: { effect: `${DEPRECATED}: it has no effect, every port of a service is reachable from its networks`, fix: 'Remove `expose:`.' },
  oom_score_adj: { effect: 'docker accepts it but silently drops it when it deploys the stack', fix: 'Remove `oom_score_adj:`; swarm services cannot set it.' },
};

export default defineRule({
  meta: {
    id: 'swarm-unsupported',
    name: 'swarm-unsupported',
    level: 'warn',
    description: 'Service options that docker stack deploy ignores (build, restart, container_name, privileged, links, network_mode, expose, devices, …) or silently drops.',
    details: [
      'Compose files for `docker compose` accept options that swarm services do not have. `docker stack deploy` prints one',
      'line ("Ignoring unsupported options: build, restart" / "Ignoring deprecated options: container_name, expose") and',
      'deploys without them, so the service runs differently from what the file says: not privileged, no devices, no',
      'restart policy other than swarm\'s, no fixed container name. `oom_score_adj` is accepted and dropped without a word.',
      '',
      'The options docker refuses outright (`extends`, `volume_driver`, `volumes_from`, `cpu_quota`, `cpu_shares`, `cpuset`,',
      '`mem_limit`, `memswap_limit`) make the deploy fail and are reported by `schema`.',
    ].join('\n'),
    fix: 'Remove the option, or replace it with its swarm equivalent (deploy.restart_policy for restart, networks for links/network_mode).',
  },
  check(ctx) {
    for (const { file, doc, data } of loadedComposeFiles(ctx)) {
      const services = asMapping(data.services);
      for (const service of Object.keys(services ?? {})) {
        const def = asMapping(services![service]);
        for (const option of Object.keys(SWARM_UNSUPPORTED)) {
          if (!def || !has(def, option)) continue;
          const { effect, fix } = SWARM_UNSUPPORTED[option];
          ctx.report({
            message: `service ${service} sets ${code(option)}, but ${effect}`,
            fix,
            file,
            ...(positionOf(doc, ['services', service, option], 'key') ?? { line: 1, column: 1 }),
            logicalPath: `services.${service}.${option}`,
          });
        }
      }
    }
  },
});
