import { defineRule, mergedViews } from '../rule.js';
import type { RuleContext } from '../rule.js';
import { deployLabels } from '../../merge/index.js';
import type { MergedView } from '../rule.js';
import { networkDockerName, serviceNetworkKeys } from '../../swarm/index.js';
import { traefikEnabled } from '../../merge/index.js';
import { markInterpolate, OPAQUE_MARK, rawEntryKey, rawOf, STACK_MARK, writtenKey } from '../../swarm/index.js';
import { moveTraefikLabelsEdits } from './traefik-label-move.js';

const ROUTER_RULE = /^traefik\.(http|tcp)\.routers\.([^.]*)\.rule$/;
const ROUTER_KEY = /^traefik\.(http|tcp|udp)\.routers\.([^.]*)\./;
const SERVER_PORT = /^traefik\.(http|tcp|udp)\.services\.[^.]*\.loadbalancer\.server\.port$/;
const NAMED_KEY = /^traefik\.(http|tcp|udp)\.(routers|services|middlewares)\.([^.]*)\./;
const TRAEFIK_IMAGE = /(^|\/)traefik(:|@|$)/;

const KIND_WORD: Record<string, string> = { routers: 'router', services: 'service', middlewares: 'middleware' };

export default defineRule({
  meta: {
    id: 'traefik-labels',
    name: 'traefik-labels',
    level: 'error',
    fixable: true,
    description:
      'traefik.enable=true but the labels are container labels instead of deploy labels, a router has no rule, no loadbalancer.server.port is set, the service is not on the network Traefik uses, or router/service names are not keyed by ${STACK_NAME}.',
    details: `
In swarm mode Traefik reads the *service* labels, i.e. \`deploy.labels\`; labels under the service's own
\`labels:\` go to the containers and Traefik never sees them (error). Swarm gives Traefik no port information,
so every exposed service needs \`traefik.http.services.<name>.loadbalancer.server.port\` (error). A router
without \`rule\` falls back to Traefik's \`defaultRule\` (a Host made from the container name), not the app's
domain (warning). Traefik connects to a service over the network named by \`traefik.docker.network\`, or its
own configured network — \`proxy\` on Co-op Cloud (the \`sharedNetworks\` setting); a service that is not
attached to it cannot be reached (error, 504s at runtime).

Router, service and middleware names are global in Traefik's docker provider: two stacks that both define a
router \`web\` collide — Traefik drops both routers, and services of the same name are merged, so one app's
traffic can be balanced onto another's containers. Co-op Cloud recipes key every name by \`\${STACK_NAME}\`
(warning). This is judged on the label key as written in the file, since the views interpolate STACK_NAME.
The Traefik service itself (image \`traefik\`) is exempt: there is one per server.
`,
    fix: 'Put Traefik labels under `deploy.labels`, key routers and services as `traefik.http.routers.${STACK_NAME}…`, set `…loadbalancer.server.port`, a router `rule`, and attach the service to `proxy`.',
  },
  check(ctx) {
    // docker stack deploy sets no STACK_NAME: a plain stack's fixes name the service instead.
    const plain = ctx.recipe.kind === 'plain';
    for (const view of mergedViews(ctx.views)) {
      for (const [name, svc] of Object.entries(view.config.services ?? {})) {
        checkContainerLabels(ctx, view, name, svc.labels ?? {});
        if (!traefikEnabled(svc)) continue;
        const labels = deployLabels(svc);
        const keys = Object.keys(labels);
        const at = (key: string) => ({
          view,
          mergedPath: ['services', name, 'deploy', 'labels', key],
          at: 'key' as const,
          logicalPath: `services.${name}.deploy.labels[${writtenKey(ctx.recipe, view, ['services', name, 'deploy', 'labels', key])}]`,
        });

        // Router rules.
        const routers = new Map<string, string>(); // "http:name" -> first key
        for (const key of keys) {
          const m = ROUTER_KEY.exec(key);
          if (m && !routers.has(`${m[1]}:${m[2]}`)) routers.set(`${m[1]}:${m[2]}`, key);
        }
        const withRule = new Set(keys.map((k) => ROUTER_RULE.exec(k)).filter((m) => m).map((m) => `${m![1]}:${m![2]}`));
        const ruled = [...routers.keys()].filter((r) => !r.startsWith('udp:'));
        if (routers.size === 0) {
          ctx.report({
            ...at('traefik.enable'),
            severity: 'warning',
            message: `\`${name}\` enables Traefik but defines no router rule: Traefik falls back to its defaultRule (a Host made from the service name), not the app's domain.`,
            fix: plain ? `Add \`traefik.http.routers.${name}.rule=Host(\`example.com\`)\` (with the app's domain).` : 'Add `traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)`.',
          });
        }
        for (const r of ruled) {
          if (withRule.has(r)) continue;
          const key = routers.get(r)!;
          const [proto] = r.split(':');
          const router = writtenKey(ctx.recipe, view, ['services', name, 'deploy', 'labels', key]).split('.')[3] ?? r.split(':')[1];
          ctx.report({
            ...at(key),
            logicalPath: `services.${name}.deploy.labels.router[${proto}:${router}]`,
            severity: 'warning',
            message: `Traefik router \`${router}\` of \`${name}\` has no rule.`,
            fix: `Add \`traefik.${proto}.routers.${router}.rule=…\` (e.g. Host(\`${plain ? 'example.com' : '${DOMAIN}'}\`)).`,
          });
        }

        // Port: swarm gives Traefik none.
        const internalOnly =
          ruled.length > 0 &&
          ruled.every((r) => {
            const [proto, router] = r.split(':');
            return (labels[`traefik.${proto}.routers.${router}.service`] ?? '').includes('@');
          });
        if (!keys.some((k) => SERVER_PORT.test(k)) && !internalOnly) {
          ctx.report({
            ...at('traefik.enable'),
            severity: 'error',
            message: `\`${name}\` enables Traefik but sets no \`loadbalancer.server.port\`: in swarm mode Traefik cannot detect the port and does not route to it.`,
            fix: `Add \`traefik.http.services.${plain ? name : '${STACK_NAME}'}.loadbalancer.server.port=<the port the app listens on>\`.`,
          });
        }

        checkNetwork(ctx, view, name, labels);
        // Keying names by ${STACK_NAME} is abra's convention (docker stack deploy sets no STACK_NAME).
        if (ctx.recipe.kind === 'recipe') checkNames(ctx, view, name, svc.image ?? '', keys);
      }
    }
  },
});

function checkContainerLabels(ctx: RuleContext, view: MergedView, name: string, labels: Record<string, string>): void {
  const keys = Object.keys(labels).filter((k) => k.startsWith('traefik.') && !(k === 'traefik.enable' && labels[k].trim().toLowerCase() === 'false'));
  if (keys.length === 0) return;
  const first = keys.includes('traefik.enable') ? 'traefik.enable' : keys[0];
  const origin = view.origin(['services', name, 'labels', first]);
  const doc = origin ? ctx.recipe.composeFile(origin.file)?.doc : undefined;
  const edits = origin && doc ? moveTraefikLabelsEdits(doc, origin.file, name) : undefined;
  ctx.report({
    edits,
    view,
    mergedPath: ['services', name, 'labels', first],
    at: 'key',
    logicalPath: `services.${name}.labels[traefik]`,
    severity: 'error',
    message: `\`${name}\` has Traefik labels under \`labels:\` (container labels): in swarm mode Traefik reads only \`deploy.labels\` and ignores them.`,
    fix: 'Move the `traefik.*` labels under `deploy: labels:`.',
  });
}

function checkNetwork(ctx: RuleContext, view: MergedView, name: string, labels: Record<string, string>): void {
  const svc = view.config.services[name];
  const keys = serviceNetworkKeys(svc);
  const names = keys.map((k) => networkDockerName(view, k));
  const labelKey = labels['traefik.docker.network'] !== undefined ? 'traefik.docker.network' : labels['traefik.swarm.network'] !== undefined ? 'traefik.swarm.network' : undefined;
  if (labelKey) {
    const wanted = labels[labelKey].trim();
    if (!wanted || names.includes(wanted) || keys.includes(wanted)) return;
    ctx.report({
      view,
      mergedPath: ['services', name, 'deploy', 'labels', labelKey],
      at: 'key',
      logicalPath: `services.${name}.deploy.labels[${labelKey}]`,
      severity: 'error',
      message: `\`${name}\` tells Traefik to use network \`${wanted}\` but is not attached to it (it is on ${keys.map((n) => `\`${n}\``).join(', ') || 'no network'}).`,
      fix: `Attach \`${name}\` to \`${wanted}\`, or correct \`${labelKey}\`.`,
    });
    return;
  }
  const shared = ctx.settings.sharedNetworks;
  // No network known to be Traefik's (a plain stack names none by default): nothing to compare with.
  if (shared.length === 0) return;
  if (keys.some((k, i) => shared.includes(k) || shared.includes(names[i]))) return;
  ctx.report({
    view,
    mergedPath: ['services', name, svc.networks ? 'networks' : 'deploy'],
    at: 'key',
    logicalPath: `services.${name}.networks`,
    severity: 'error',
    message: `\`${name}\` enables Traefik but is not attached to ${shared.map((n) => `\`${n}\``).join(' or ')}, the network Traefik reaches services on.`,
    fix: `Add \`${shared[0] ?? 'proxy'}\` to the service's networks (declared at top level with \`external: true\`).`,
  });
}

function checkNames(ctx: RuleContext, view: MergedView, name: string, image: string, keys: string[]): void {
  if (TRAEFIK_IMAGE.test(image)) return;
  const reported = new Set<string>();
  for (const key of keys) {
    const m = NAMED_KEY.exec(key);
    if (!m) continue;
    const id = `${m[1]}.${m[2]}.${m[3]}`;
    if (reported.has(id)) continue;
    const mergedPath = ['services', name, 'deploy', 'labels', key];
    const rawKey = rawEntryKey(rawOf(ctx.recipe, view, mergedPath));
    if (rawKey === undefined) continue;
    const segment = markInterpolate(rawKey).split('.')[3] ?? '';
    reported.add(id);
    if (segment.includes(STACK_MARK) || segment.includes(OPAQUE_MARK)) continue;
    ctx.report({
      view,
      mergedPath,
      at: 'key',
      logicalPath: `services.${name}.deploy.labels.${m[2]}[${m[3]}]`,
      severity: 'warning',
      message: `Traefik ${KIND_WORD[m[2]]} name \`${m[3]}\` of \`${name}\` is not keyed by \${STACK_NAME}: a second app on the server defining the same name collides with it.`,
      fix: `Name it \`\${STACK_NAME}\` or \`\${STACK_NAME}-${m[3]}\` (e.g. \`traefik.${m[1]}.${m[2]}.\${STACK_NAME}.…\`).`,
    });
  }
}
