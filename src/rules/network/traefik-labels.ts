import { defineRule, mergedViews } from '../rule.js';
import type { RuleContext } from '../rule.js';
import { deployLabels } from '../../merge/index.js';
import type { MergedView } from '../rule.js';
import { networkDockerName, serviceNetworkKeys } from '../../swarm/index.js';
import { isExternal, traefikEnabled } from '../../merge/index.js';
import type { ServiceConfig } from '../../merge/index.js';
import { markInterpolate, OPAQUE_MARK, rawEntryKey, rawOf, STACK_MARK, writtenKey } from '../../swarm/index.js';
import { moveTraefikDeployLabelsEdits, moveTraefikLabelsEdits } from './traefik-label-move.js';
import { labelSources } from './traefik-provider.js';
import type { LabelSources } from './traefik-provider.js';

const ROUTER_RULE = /^traefik\.(http|tcp)\.routers\.([^.]*)\.rule$/;
const ROUTER_KEY = /^traefik\.(http|tcp|udp)\.routers\.([^.]*)\./;
const SERVER_PORT = /^traefik\.(http|tcp|udp)\.services\.[^.]*\.loadbalancer\.server\.port$/;
const NAMED_KEY = /^traefik\.(http|tcp|udp)\.(routers|services|middlewares)\.([^.]*)\./i;
const TRAEFIK_IMAGE = /(^|\/)traefik(:|@|$)/;
/** Traefik v1's keys: `traefik.port`, `traefik.frontend.*`, `traefik.backend*`, and the same under `traefik.<name>.`. */
const V1_KEY = /^traefik\.(?:[^.]+\.)?(?:port|frontend\.|backend|protocol|weight)/;
const V2_KEY = /^traefik\.(?:http|tcp|udp)\./;
const V1_PORT = /^traefik\.(?:[^.]+\.)?port$/;
const V1_RULE = /^traefik\.(?:[^.]+\.)?frontend\.rule$/;
/** Traefik's own flag naming the network it reaches services on (v2+ swarm/docker providers, v1 docker). */
const PROVIDER_NETWORK_FLAG = /^--providers\.(?:swarm|docker)\.network=(.+)$|^--docker\.network=(.+)$/i;

const KIND_WORD: Record<string, string> = { routers: 'router', services: 'service', middlewares: 'middleware' };

export default defineRule({
  meta: {
    id: 'traefik-labels',
    name: 'traefik-labels',
    level: 'error',
    fixable: true,
    description:
      'traefik.enable=true but the labels are container labels instead of deploy labels (or deploy labels where the stack\'s Traefik reads container labels), a router has no rule, no loadbalancer.server.port is set, the service is not on the network Traefik uses, or router/service names are not keyed by ${STACK_NAME}.',
    details: `
In swarm mode Traefik reads the *service* labels, i.e. \`deploy.labels\`; labels under the service's own
\`labels:\` go to the containers and Traefik never sees them (error) — unless the stack's own Traefik service runs
the docker provider outside swarm mode (v2's \`--providers.docker\` without \`swarmMode\`, v3's \`--providers.docker\`,
v1's \`--docker\`; by flag, TRAEFIK_PROVIDERS_DOCKER* variable, or the \`traefik.yml\`/\`.toml\` it mounts from the
stack), which reads exactly the container labels: then they are not reported. On such a stack it is the other way
round: \`traefik.*\` labels under \`deploy.labels\` are service labels, which the docker provider outside swarm mode
never reads (warning, with an edit moving them under \`labels:\`), unless that Traefik also runs a swarm provider
(v3's \`--providers.swarm\`); the other checks below are not run on labels Traefik ignores. Swarm gives Traefik no port information,
so every exposed service needs \`traefik.http.services.<name>.loadbalancer.server.port\` (error). A router
without \`rule\` falls back to Traefik's \`defaultRule\` (a Host made from the container name), not the app's
domain (warning). Traefik connects to a service over the network named by \`traefik.docker.network\`, or its
own configured network — \`proxy\` on Co-op Cloud (the \`sharedNetworks\` setting); a service that is not
attached to it cannot be reached (error, 504s at runtime). Without that label, the network is the one the
stack's own Traefik service names (\`--providers.swarm.network=\`, \`--providers.docker.network=\`, v1's
\`--docker.network=\`, or TRAEFIK_PROVIDERS_*_NETWORK), else the networks that Traefik service is on; \`proxy\` is
assumed on recipes only. A stack-scoped name (\`shop_edge\`, \`\${STACK_NAME}_edge\`) is the stack's network \`edge\`.
Label keys are matched case-insensitively, as Traefik does (\`loadBalancer.server.port\`). A service labelled in
Traefik v1's keys (\`traefik.port\`, \`traefik.<name>.port\`, \`traefik.frontend.rule\`) is judged by v1's keys
(warnings when the port or the frontend rule is missing).

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
      const reader = ownTraefikReads(ctx, view);
      for (const [name, svc] of Object.entries(view.config.services ?? {})) {
        if (!reader.container) checkContainerLabels(ctx, view, name, svc.labels ?? {});
        // The stack's Traefik reads only container labels: its deploy labels are ignored, and judging them is moot.
        if (reader.container && !reader.service && checkDeployLabelsIgnored(ctx, view, name, reader.traefik!)) continue;
        if (!traefikEnabled(svc)) continue;
        // Traefik matches label keys to its fields case-insensitively (`loadBalancer.server.port`); names keep their case.
        const written = new Map<string, string>();
        for (const key of Object.keys(deployLabels(svc))) if (!written.has(key.toLowerCase())) written.set(key.toLowerCase(), key);
        const labels: Record<string, string> = {};
        for (const [lower, key] of written) labels[lower] = deployLabels(svc)[key];
        const keys = [...written.keys()];
        const at = (lowerKey: string) => {
          const key = written.get(lowerKey) ?? lowerKey;
          return {
            view,
            mergedPath: ['services', name, 'deploy', 'labels', key],
            at: 'key' as const,
            logicalPath: `services.${name}.deploy.labels[${writtenKey(ctx.recipe, view, ['services', name, 'deploy', 'labels', key])}]`,
          };
        };

        // A v1-labelled service is judged by v1's keys: `traefik.port` / `traefik.<name>.port`, `…frontend.rule`.
        if (keys.some((k) => V1_KEY.test(k)) && !keys.some((k) => V2_KEY.test(k))) {
          checkV1(ctx, name, keys, at);
          checkNetwork(ctx, view, name, labels, written);
          continue;
        }

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
          const router = writtenKey(ctx.recipe, view, ['services', name, 'deploy', 'labels', written.get(key) ?? key]).split('.')[3] ?? r.split(':')[1];
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

        checkNetwork(ctx, view, name, labels, written);
        // Keying names by ${STACK_NAME} is abra's convention (docker stack deploy sets no STACK_NAME).
        if (ctx.recipe.kind === 'recipe') checkNames(ctx, view, name, svc.image ?? '', keys.map((k) => written.get(k) ?? k));
      }
    }
  },
});

/** Which labels the view's own Traefik services (image `traefik`) read, together; and the first of them. */
function ownTraefikReads(ctx: RuleContext, view: MergedView): LabelSources & { traefik?: string } {
  const out: LabelSources & { traefik?: string } = { container: false, service: false };
  for (const [key, svc] of Object.entries(view.config.services ?? {})) {
    if (!TRAEFIK_IMAGE.test(svc.image ?? '')) continue;
    const sources = labelSources(ctx, view, svc);
    if (sources.container) out.traefik ??= key;
    out.container ||= sources.container;
    out.service ||= sources.service;
  }
  return out;
}

/** The `traefik.*` keys of a labels mapping, except a lone `traefik.enable=false` (it says nothing to route). */
function traefikKeys(labels: Record<string, string>): string[] {
  return Object.keys(labels).filter((k) => k.startsWith('traefik.') && !(k === 'traefik.enable' && labels[k].trim().toLowerCase() === 'false'));
}

/** The key reported for a set of Traefik labels: `traefik.enable` when present, else the first. */
function firstTraefikKey(keys: readonly string[]): string {
  return keys.includes('traefik.enable') ? 'traefik.enable' : keys[0];
}

/** Labels under the service's `labels:` on a stack whose Traefik (if its own) reads service labels: ignored. */
function checkContainerLabels(ctx: RuleContext, view: MergedView, name: string, labels: Record<string, string>): void {
  const keys = traefikKeys(labels);
  if (keys.length === 0) return;
  const first = firstTraefikKey(keys);
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

/**
 * The mirror case: the stack's own Traefik runs the docker provider outside swarm mode (and no swarm provider),
 * which reads container labels only — `traefik.*` labels under `deploy.labels` (service labels) never reach it.
 * True when reported.
 */
function checkDeployLabelsIgnored(ctx: RuleContext, view: MergedView, name: string, traefik: string): boolean {
  const keys = traefikKeys(deployLabels(view.config.services[name]));
  if (keys.length === 0) return false;
  const first = firstTraefikKey(keys);
  const origin = view.origin(['services', name, 'deploy', 'labels', first]);
  const doc = origin ? ctx.recipe.composeFile(origin.file)?.doc : undefined;
  const edits = origin && doc ? moveTraefikDeployLabelsEdits(doc, origin.file, name) : undefined;
  ctx.report({
    edits,
    view,
    mergedPath: ['services', name, 'deploy', 'labels', first],
    at: 'key',
    logicalPath: `services.${name}.deploy.labels[traefik]`,
    severity: 'warning',
    message: `\`${name}\` has Traefik labels under \`deploy.labels\` (service labels): the stack's Traefik (\`${traefik}\`) runs the docker provider outside swarm mode, which reads only container labels, and ignores them.`,
    fix: 'Move the `traefik.*` labels under the service\'s own `labels:` (container labels), or run Traefik in swarm mode (`--providers.swarm`, v2: `--providers.docker.swarmMode=true`).',
  });
  return true;
}

type At = (lowerKey: string) => { view: MergedView; mergedPath: string[]; at: 'key'; logicalPath: string };

/** Traefik v1 in swarm mode: the port comes from `traefik.port` or `traefik.<name>.port`, the rule from `…frontend.rule`. */
function checkV1(ctx: RuleContext, name: string, keys: string[], at: At): void {
  if (!keys.some((k) => V1_PORT.test(k))) {
    ctx.report({
      ...at('traefik.enable'),
      severity: 'warning',
      message: `\`${name}\` enables Traefik (v1 labels) but sets no \`traefik.port\` or \`traefik.<name>.port\`: in swarm mode Traefik v1 learns the port only from that label (or a published port), else it skips the service.`,
      fix: 'Add `traefik.port=<the port the app listens on>` (or `traefik.<name>.port=…` per frontend).',
    });
  }
  if (!keys.some((k) => V1_RULE.test(k))) {
    ctx.report({
      ...at('traefik.enable'),
      severity: 'warning',
      message: `\`${name}\` enables Traefik (v1 labels) but sets no \`traefik.frontend.rule\`: Traefik falls back to its default rule (a Host made from the service name), not the app's domain.`,
      fix: 'Add `traefik.frontend.rule=Host:<the app\'s domain>`.',
    });
  }
}

/** The value of Traefik's provider-network setting, from its flags or its environment (TRAEFIK_PROVIDERS_SWARM_NETWORK). */
function providerNetwork(traefik: ServiceConfig): string | undefined {
  for (const arg of [...(traefik.entrypoint ?? []), ...(traefik.command ?? [])]) {
    const m = PROVIDER_NETWORK_FLAG.exec(arg.trim());
    if (m) return (m[1] ?? m[2]).trim();
  }
  for (const [key, value] of Object.entries(traefik.environment ?? {})) {
    if (/^TRAEFIK_(?:PROVIDERS_(?:SWARM|DOCKER)_NETWORK|DOCKER_NETWORK)$/i.test(key) && value) return value.trim();
  }
  return undefined;
}

/**
 * Whether network name `wanted` (as Traefik is told it) is one the service is on: its key, its docker name, or
 * the stack-scoped `<stack>_<key>` of a network the stack creates — the stack name is given at deploy time
 * (`docker stack deploy … shop` → `shop_edge`; `${STACK_NAME}_edge`), so any prefix is taken.
 */
function onNetwork(view: MergedView, keys: readonly string[], wanted: string): boolean {
  for (const key of keys) {
    if (wanted === key || wanted === networkDockerName(view, key)) return true;
    const def = view.config.networks?.[key];
    const scoped = !isExternal(def) && !(def && typeof def.name === 'string' && def.name !== '');
    if (scoped && wanted.endsWith(`_${key}`)) return true;
  }
  return false;
}

/** The view's own Traefik services (image `traefik`) other than `except`. */
function ownTraefikServices(view: MergedView, except: string): Array<[string, ServiceConfig]> {
  return Object.entries(view.config.services ?? {}).filter(([key, svc]) => key !== except && TRAEFIK_IMAGE.test(svc.image ?? ''));
}

function checkNetwork(ctx: RuleContext, view: MergedView, name: string, labels: Record<string, string>, written: ReadonlyMap<string, string>): void {
  const svc = view.config.services[name];
  const keys = serviceNetworkKeys(svc);
  const labelKey = labels['traefik.docker.network'] !== undefined ? 'traefik.docker.network' : labels['traefik.swarm.network'] !== undefined ? 'traefik.swarm.network' : undefined;
  if (labelKey) {
    const wanted = labels[labelKey].trim();
    if (!wanted || onNetwork(view, keys, wanted)) return;
    const writtenLabel = written.get(labelKey) ?? labelKey;
    ctx.report({
      view,
      mergedPath: ['services', name, 'deploy', 'labels', writtenLabel],
      at: 'key',
      logicalPath: `services.${name}.deploy.labels[${labelKey}]`,
      severity: 'error',
      message: `\`${name}\` tells Traefik to use network \`${wanted}\` but is not attached to it (it is on ${keys.map((n) => `\`${n}\``).join(', ') || 'no network'}).`,
      fix: `Attach \`${name}\` to \`${wanted}\`, or correct \`${writtenLabel}\`.`,
    });
    return;
  }
  // The Traefik service itself is not routed to over its provider network.
  if (TRAEFIK_IMAGE.test(svc.image ?? '')) return;
  // The stack's own Traefik says which network it uses (its provider flag), else it reaches services on its networks.
  const own = ownTraefikServices(view, name);
  if (own.length > 0) {
    const flagged = own.map(([, traefik]) => providerNetwork(traefik)).filter((n): n is string => n !== undefined);
    if (flagged.length > 0) {
      if (flagged.some((wanted) => onNetwork(view, keys, wanted))) return;
      reportNotAttached(ctx, view, name, flagged, `the network the stack's Traefik (\`${own[0][0]}\`) reaches services on (its provider network flag)`);
      return;
    }
    const shared = new Set(own.flatMap(([, traefik]) => serviceNetworkKeys(traefik)));
    if (keys.some((k) => shared.has(k))) return;
    reportNotAttached(ctx, view, name, [...shared], `the networks of the stack's Traefik (\`${own[0][0]}\`)`);
    return;
  }
  const shared = ctx.settings.sharedNetworks;
  // No network known to be Traefik's (a plain stack names none by default): nothing to compare with.
  if (shared.length === 0) return;
  const names = keys.map((k) => networkDockerName(view, k));
  if (keys.some((k, i) => shared.includes(k) || shared.includes(names[i]))) return;
  reportNotAttached(ctx, view, name, shared, 'the network Traefik reaches services on');
}

function reportNotAttached(ctx: RuleContext, view: MergedView, name: string, networks: readonly string[], what: string): void {
  const svc = view.config.services[name];
  ctx.report({
    view,
    mergedPath: ['services', name, svc.networks ? 'networks' : 'deploy'],
    at: 'key',
    logicalPath: `services.${name}.networks`,
    severity: 'error',
    message: `\`${name}\` enables Traefik but is not attached to ${networks.map((n) => `\`${n}\``).join(' or ') || 'any network'}, ${what}.`,
    fix: `Add \`${networks[0] ?? 'proxy'}\` to the service's networks${ctx.recipe.kind === 'recipe' ? ' (declared at top level with `external: true`)' : ''}.`,
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
