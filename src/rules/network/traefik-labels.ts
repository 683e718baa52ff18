import { defineRule, mergedViews } from '../rule.js';
import type { RuleContext, RuleReport } from '../rule.js';
import { deployLabels } from '../../merge/index.js';
import type { MergedView } from '../rule.js';
import { deployedName, networkDockerName, serviceNetworkKeys } from '../../swarm/index.js';
import { isExternal, isTraefikImage } from '../../merge/index.js';
import type { ServiceConfig, StackConfig } from '../../merge/index.js';
import { markInterpolate, OPAQUE_MARK, rawEntryKey, rawOf, STACK_MARK, writtenKey } from '../../swarm/index.js';
import { moveTraefikDeployLabelsEdits, moveTraefikLabelsEdits } from './traefik-label-move.js';
import { exposesByDefault, labelSources, setsDefaultRule } from './traefik-provider.js';
import type { LabelSources } from './traefik-provider.js';

const ROUTER_RULE = /^traefik\.(http|tcp)\.routers\.([^.]*)\.rule$/;
const ROUTER_KEY = /^traefik\.(http|tcp|udp)\.routers\.([^.]*)\./;
const SERVER_PORT = /^traefik\.(http|tcp|udp)\.services\.[^.]*\.loadbalancer\.server\.port$/;
const NAMED_KEY = /^traefik\.(http|tcp|udp)\.(routers|services|middlewares)\.([^.]*)\./i;
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
(v3's \`--providers.swarm\`); the other checks below are not run on labels Traefik ignores. A stack that runs no
Traefik of its own is routed by the repository's: the Traefik services of its other views and of every other stack
file of the repository (a \`docker-compose.traefik.yml\` the same Makefile deploys as its own stack; a development
compose file beside the swarm file does not count). When every one of them reads container labels only, container
labels are not reported and deploy labels are; when they disagree, the error names the ones that read container
labels and \`--fix\` moves nothing. Swarm gives Traefik no port information,
so every exposed service needs \`traefik.http.services.<name>.loadbalancer.server.port\` (error). A router
without \`rule\` falls back to Traefik's \`defaultRule\` (a Host made from the container name), not the app's
domain (warning) — unless the stack's own Traefik sets that \`defaultRule\` (v1: \`--docker.domain\`, which routes
\`Host:<service>.<domain>\`), which makes the fallback deliberate. Traefik connects to a service over the network named by \`traefik.docker.network\`, or its
own configured network — \`proxy\` on Co-op Cloud (the \`sharedNetworks\` setting). When the service is not
attached to it, Traefik logs "Could not find network named …" and falls back to one of the service's own
networks (any of them: Traefik takes the first of an unordered map): when the stack's Traefik (or \`proxy\` on a
recipe) is on every one of them the route works and the setting is dead (warning); when it is on none, or only
on some, the service cannot be reached, always or now and then (error, 504s at runtime). Without that label, the network is the one the
stack's own Traefik service names (\`--providers.swarm.network=\`, \`--providers.docker.network=\`, v1's
\`--docker.network=\`, or TRAEFIK_PROVIDERS_*_NETWORK), else the networks that Traefik service is on; \`proxy\` is
assumed on recipes only. A stack-scoped name (\`shop_edge\`, \`\${STACK_NAME}_edge\`) is the stack's network \`edge\`.
Label keys are matched case-insensitively, as Traefik does (\`loadBalancer.server.port\`). A service labelled in
Traefik v1's keys (\`traefik.port\`, \`traefik.<name>.port\`, \`traefik.frontend.rule\`) is judged by v1's keys
(warnings when the port or the frontend rule is missing). Without \`traefik.enable\`, Traefik routes to a service when
its \`exposedByDefault\` is on, which is its default: a service with v1 labels is judged unless the stack's own
Traefik sets \`--docker.exposedbydefault=false\` (flag, variable or static file); one with v2+ router or service
labels only under an own Traefik that leaves it on. A stack without a Traefik of its own takes these settings from
the repository's Traefik services when they all agree.

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
    const repository = new RepositoryTraefiks(ctx);
    for (const view of mergedViews(ctx.views)) {
      // Once per view, not per service: a stack of thousands of labelled services stays linear.
      const traefik = viewTraefik(ctx, view, repository);
      for (const [name, svc] of Object.entries(view.config.services ?? {})) {
        checkContainerLabels(ctx, view, name, svc.labels ?? {}, traefik);
        // The Traefik that routes the stack reads only container labels: its deploy labels are ignored, and judging them is moot.
        if (checkDeployLabelsIgnored(ctx, view, name, traefik)) continue;
        // Traefik matches label keys to its fields case-insensitively (`loadBalancer.server.port`); names keep their case.
        const written = new Map<string, string>();
        for (const key of Object.keys(deployLabels(svc))) if (!written.has(key.toLowerCase())) written.set(key.toLowerCase(), key);
        if (written.size === 0) continue;
        const labels: Record<string, string> = {};
        for (const [lower, key] of written) labels[lower] = deployLabels(svc)[key];
        const keys = [...written.keys()];
        if (!exposed(labels, keys, traefik)) continue;
        // A service Traefik exposes by default (no `traefik.enable`) is pointed at by its first Traefik label.
        const anchor = written.has('traefik.enable') ? 'traefik.enable' : keys.find((k) => k.startsWith('traefik.'))!;
        const at = (lowerKey: string) => {
          const key = written.get(lowerKey) ?? written.get(anchor)!;
          return {
            view,
            mergedPath: ['services', name, 'deploy', 'labels', key],
            at: 'key' as const,
            logicalPath: `services.${name}.deploy.labels[${writtenKey(ctx.recipe, view, ['services', name, 'deploy', 'labels', key])}]`,
          };
        };

        // A v1-labelled service is judged by v1's keys: `traefik.port` / `traefik.<name>.port`, `…frontend.rule`.
        if (keys.some((k) => V1_KEY.test(k)) && !keys.some((k) => V2_KEY.test(k))) {
          checkV1(ctx, name, keys, at, traefik);
          checkNetwork(ctx, view, name, labels, written, traefik);
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
        // The Traefik that routes the stack sets a defaultRule: a router without its own rule takes it by design.
        if (routers.size === 0 && routingHas(traefik, (t) => t.defaultRule) !== true) {
          ctx.report({
            ...at('traefik.enable'),
            severity: 'warning',
            message: `\`${name}\` enables Traefik but defines no router rule: Traefik falls back to its defaultRule (a Host made from the service name), not the app's domain.`,
            fix: plain ? `Add \`traefik.http.routers.${name}.rule=Host(\`example.com\`)\` (with the app's domain).` : 'Add `traefik.http.routers.${STACK_NAME}.rule=Host(`${DOMAIN}`)`.',
          });
        }
        for (const r of ruled) {
          if (withRule.has(r) || routingHas(traefik, (t) => t.defaultRule) === true) continue;
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

        checkNetwork(ctx, view, name, labels, written, traefik);
        // Keying names by ${STACK_NAME} is abra's convention (docker stack deploy sets no STACK_NAME).
        if (ctx.recipe.kind === 'recipe') checkNames(ctx, view, name, svc.image ?? '', keys.map((k) => written.get(k) ?? k));
      }
    }
  },
});

/** How one Traefik service is set up, as far as its flags, variables and static file say. */
interface TraefikSettings {
  /** Its service name, and `name` in file, for messages. */
  service: string;
  where: string;
  /** Which labels it reads: container labels (the docker provider outside swarm mode), service labels (swarm mode). */
  labels: LabelSources;
  /** It routes containers that carry no `traefik.enable` (`exposedByDefault`, on unless set false). */
  exposedByDefault: boolean;
  /** It gives routers without a rule a deliberate default (`defaultRule`, v1's `domain`). */
  defaultRule: boolean;
  /** The docker names of the networks it is on; undefined when one is stack-scoped (its name depends on the stack's). */
  networks?: Set<string>;
}

/** A network's docker name when it does not depend on the stack's name: an external or `name:`d network. */
function fixedNetworkName(key: string, networks: StackConfig['networks']): string | undefined {
  const def = networks?.[key];
  return isExternal(def) || (typeof def?.name === 'string' && def.name !== '') ? deployedName(key, def, '') : undefined;
}

function settingsOf(ctx: RuleContext, stack: { config: Pick<StackConfig, 'configs' | 'networks'> }, name: string, file: string, traefik: ServiceConfig): TraefikSettings {
  const names = serviceNetworkKeys(traefik).map((key) => fixedNetworkName(key, stack.config.networks));
  return {
    service: name,
    where: `\`${name}\` in ${file}`,
    labels: labelSources(ctx, stack, traefik),
    exposedByDefault: exposesByDefault(ctx, stack, traefik),
    defaultRule: setsDefaultRule(ctx, stack, traefik),
    ...(names.every((n) => n !== undefined) ? { networks: new Set(names as string[]) } : {}),
  };
}

/** What a view knows of the Traefik that routes it, gathered once per view (its settings on first ask). */
interface ViewTraefik {
  /** The view's own Traefik services (image `traefik`). */
  own: Array<[string, ServiceConfig]>;
  /** The network keys they are on. */
  networks: Set<string>;
  /** The networks their provider flags name (`--providers.swarm.network=public`). */
  providerNetworks: string[];
  /**
   * The Traefik services that route the view: its own, else every one the stack's other views and the
   * repository's other stack files run (none when none is known).
   */
  routing(): { own: boolean; traefiks: TraefikSettings[] };
}

function viewTraefik(ctx: RuleContext, view: MergedView, repository: RepositoryTraefiks): ViewTraefik {
  const own = Object.entries(view.config.services ?? {}).filter(([, svc]) => isTraefikImage(svc.image));
  let routing: ReturnType<ViewTraefik['routing']> | undefined;
  return {
    own,
    networks: new Set(own.flatMap(([, svc]) => serviceNetworkKeys(svc))),
    providerNetworks: own.map(([, svc]) => providerNetwork(svc)).filter((n): n is string => n !== undefined),
    routing: () =>
      (routing ??=
        own.length > 0
          ? { own: true, traefiks: own.map(([name, svc]) => settingsOf(ctx, view, name, view.origin(['services', name])?.file ?? view.files[0], svc)) }
          : { own: false, traefiks: repository.services }),
  };
}

/**
 * A setting of the Traefik that routes a view: true when one of the view's own Traefik services has it; when the
 * view runs none, true when every Traefik of the repository has it, false when none does, undefined when they
 * disagree or none is known.
 */
function routingHas(traefik: ViewTraefik, has: (t: TraefikSettings) => boolean): boolean | undefined {
  const { own, traefiks } = traefik.routing();
  if (own) return traefiks.some(has);
  const count = traefiks.filter(has).length;
  return traefiks.length === 0 || (count > 0 && count < traefiks.length) ? undefined : count > 0;
}

/**
 * The Traefik services the stack's views and the repository's other stack files run (the pipeline gathers
 * the files' ones), asked once per lint and only for a view that runs no Traefik of its own.
 */
class RepositoryTraefiks {
  private all?: TraefikSettings[];
  constructor(private readonly ctx: RuleContext) {}

  get services(): TraefikSettings[] {
    if (this.all) return this.all;
    const ctx = this.ctx;
    const out: TraefikSettings[] = [];
    const viewFiles = new Set<string>();
    const seen = new Set<string>();
    for (const view of mergedViews(ctx.views)) {
      for (const file of view.files) viewFiles.add(file);
      for (const [name, svc] of Object.entries(view.config.services)) {
        if (!isTraefikImage(svc.image)) continue;
        const file = view.origin(['services', name])?.file ?? view.files[0];
        if (seen.has(`${file}\u0000${name}`)) continue;
        seen.add(`${file}\u0000${name}`);
        out.push(settingsOf(ctx, view, name, file, svc));
      }
    }
    for (const found of ctx.recipe.repositoryTraefik?.() ?? []) {
      if (!viewFiles.has(found.file)) out.push(settingsOf(ctx, { config: found.stack }, found.service, found.file, found.config));
    }
    return (this.all = out);
  }
}

/**
 * Whether the Traefik that routes `view` reads container labels: `yes` when the view's own Traefik does (any of
 * them), or, when the view runs none, every Traefik the repository runs does; `some` when those disagree; `no`
 * otherwise — including when no Traefik is known, where swarm mode (service labels) is the rule.
 */
function containerLabelsRead(traefik: ViewTraefik): { verdict: 'yes' | 'some' | 'no'; readers: TraefikSettings[] } {
  const reads = routingHas(traefik, (t) => t.labels.container);
  const readers = traefik.routing().own ? [] : traefik.routing().traefiks.filter((t) => t.labels.container);
  return { verdict: reads === true ? 'yes' : readers.length > 0 ? 'some' : 'no', readers };
}

/** The `traefik.*` keys of a labels mapping, except a lone `traefik.enable=false` (it says nothing to route). */
function traefikKeys(labels: Record<string, string>): string[] {
  return Object.keys(labels).filter((k) => k.startsWith('traefik.') && !(k === 'traefik.enable' && labels[k].trim().toLowerCase() === 'false'));
}

/** The key reported for a set of Traefik labels: `traefik.enable` when present, else the first. */
function firstTraefikKey(keys: readonly string[]): string {
  return keys.includes('traefik.enable') ? 'traefik.enable' : keys[0];
}

/** Labels under the service's `labels:` where the Traefik that routes the stack reads service labels: ignored. */
function checkContainerLabels(ctx: RuleContext, view: MergedView, name: string, labels: Record<string, string>, traefik: ViewTraefik): void {
  const keys = traefikKeys(labels);
  if (keys.length === 0) return;
  // A Traefik running the docker provider outside swarm mode reads exactly these labels.
  const { verdict, readers } = containerLabelsRead(traefik);
  if (verdict === 'yes') return;
  const first = firstTraefikKey(keys);
  const origin = view.origin(['services', name, 'labels', first]);
  const doc = origin ? ctx.recipe.composeFile(origin.file)?.doc : undefined;
  // Never move labels away from a Traefik of the repository that reads them where they are.
  const edits = verdict === 'no' && origin && doc ? moveTraefikLabelsEdits(doc, origin.file, name) : undefined;
  const readBy = readers.map((t) => t.where).join(', ');
  ctx.report({
    edits,
    view,
    mergedPath: ['services', name, 'labels', first],
    at: 'key',
    logicalPath: `services.${name}.labels[traefik]`,
    severity: 'error',
    message:
      verdict === 'some'
        ? `\`${name}\` has Traefik labels under \`labels:\` (container labels): a Traefik in swarm mode reads only \`deploy.labels\` and ignores them; of the repository's Traefik services only ${readBy} (the docker provider outside swarm mode) reads them.`
        : `\`${name}\` has Traefik labels under \`labels:\` (container labels): in swarm mode Traefik reads only \`deploy.labels\` and ignores them.`,
    fix:
      verdict === 'some'
        ? `Put the \`traefik.*\` labels where the Traefik that routes this stack reads them: under \`deploy: labels:\` for a Traefik in swarm mode, under \`labels:\` for ${readBy}.`
        : 'Move the `traefik.*` labels under `deploy: labels:`.',
  });
}

/**
 * Whether Traefik routes to the service: `traefik.enable` says so, else Traefik's `exposedByDefault` (true unless
 * set false) applies to a service that carries routing labels — v1's keys unless the Traefik that routes the
 * stack turns it off (v1 labels mean a v1 Traefik, which exposes by default), v2's only when that Traefik is
 * known to leave it on.
 */
function exposed(labels: Record<string, string>, keys: readonly string[], traefik: ViewTraefik): boolean {
  const enable = labels['traefik.enable'];
  if (enable !== undefined) return enable.trim().toLowerCase() === 'true';
  if (keys.some((k) => V2_KEY.test(k))) return routingHas(traefik, (t) => t.exposedByDefault) === true;
  if (keys.some((k) => V1_KEY.test(k))) return routingHas(traefik, (t) => t.exposedByDefault) ?? true;
  return false;
}

/**
 * The mirror case: the Traefik that routes the stack runs the docker provider outside swarm mode (and no swarm
 * provider) — the view's own, or, when it runs none, every one of the repository's — which reads container labels
 * only: `traefik.*` labels under `deploy.labels` (service labels) never reach it. True when reported.
 */
function checkDeployLabelsIgnored(ctx: RuleContext, view: MergedView, name: string, traefik: ViewTraefik): boolean {
  const keys = traefikKeys(deployLabels(view.config.services[name]));
  if (keys.length === 0) return false;
  if (routingHas(traefik, (t) => t.labels.container) !== true || routingHas(traefik, (t) => t.labels.service) !== false) return false;
  const { own, traefiks } = traefik.routing();
  const readers = traefiks.filter((t) => t.labels.container);
  const who = own ? `the stack's Traefik (\`${readers[0].service}\`)` : `the repository's Traefik (${readers.map((t) => t.where).join(', ')})`;
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
    message: `\`${name}\` has Traefik labels under \`deploy.labels\` (service labels): ${who} runs the docker provider outside swarm mode, which reads only container labels, and ignores them.`,
    fix: 'Move the `traefik.*` labels under the service\'s own `labels:` (container labels), or run Traefik in swarm mode (`--providers.swarm`, v2: `--providers.docker.swarmMode=true`).',
  });
  return true;
}

type At = (lowerKey: string) => { view: MergedView; mergedPath: string[]; at: 'key'; logicalPath: string };

/** Traefik v1 in swarm mode: the port comes from `traefik.port` or `traefik.<name>.port`, the rule from `…frontend.rule`. */
function checkV1(ctx: RuleContext, name: string, keys: string[], at: At, traefik: ViewTraefik): void {
  if (!keys.some((k) => V1_PORT.test(k))) {
    ctx.report({
      ...at('traefik.enable'),
      severity: 'warning',
      message: `\`${name}\` enables Traefik (v1 labels) but sets no \`traefik.port\` or \`traefik.<name>.port\`: in swarm mode Traefik v1 learns the port only from that label (or a published port), else it skips the service.`,
      fix: 'Add `traefik.port=<the port the app listens on>` (or `traefik.<name>.port=…` per frontend).',
    });
  }
  // With `--docker.domain` the Traefik that routes the stack makes `Host:<service>.<domain>` by design.
  if (!keys.some((k) => V1_RULE.test(k)) && routingHas(traefik, (t) => t.defaultRule) !== true) {
    ctx.report({
      ...at('traefik.enable'),
      severity: 'warning',
      message: `\`${name}\` enables Traefik (v1 labels) but sets no \`traefik.frontend.rule\`: Traefik v1 then routes \`Host:<service>.<domain>\` only when it runs with \`--docker.domain\`, else it skips the service ("empty frontend rule").`,
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

/**
 * The networks Traefik is on, as far as the stack says: its own Traefik services' networks, else the
 * `sharedNetworks` setting (`proxy` on recipes), else those of the repository's Traefik services when each of
 * them is on networks whose docker names are known (external or named: another stack's scoped network is
 * another network); undefined when none of these is known. Matched by key or docker name.
 */
function traefikNetworks(ctx: RuleContext, view: MergedView, traefik: ViewTraefik): ((key: string) => boolean) | undefined {
  if (traefik.own.length > 0) return (key) => traefik.networks.has(key);
  const shared = ctx.settings.sharedNetworks;
  if (shared.length > 0) return (key) => shared.includes(key) || shared.includes(networkDockerName(view, key));
  const { traefiks } = traefik.routing();
  if (traefiks.length === 0 || traefiks.some((t) => !t.networks)) return undefined;
  const names = new Set(traefiks.flatMap((t) => [...t.networks!]));
  return (key) => {
    const name = fixedNetworkName(key, view.config.networks);
    return name !== undefined && names.has(name);
  };
}

/** Who Traefik is in messages: the stack's own, the repository's, or Traefik. */
function routingTraefik(ctx: RuleContext, traefik: ViewTraefik): string {
  if (traefik.own.length > 0) return `the stack's Traefik (\`${traefik.own[0][0]}\`)`;
  if (ctx.settings.sharedNetworks.length > 0) return 'Traefik';
  const { traefiks } = traefik.routing();
  return traefiks.length > 0 ? `the repository's Traefik (${traefiks.map((t) => t.where).join(', ')})` : 'Traefik';
}

/**
 * What Traefik does with a service that is not on the network it was told to use (label or provider flag): it
 * logs "Could not find network named …" and takes the service's first network — from an unordered map, so any
 * of them. `works` when Traefik is on every one of them (the setting is dead, the route works); `shared` lists
 * those it is on. Undefined when Traefik's networks are not known.
 */
function fallbackOf(ctx: RuleContext, view: MergedView, keys: readonly string[], traefik: ViewTraefik): { works: boolean; shared: string[] } | undefined {
  const onTraefik = traefikNetworks(ctx, view, traefik);
  if (!onTraefik) return undefined;
  const shared = keys.filter(onTraefik);
  return { works: shared.length > 0 && shared.length === keys.length, shared };
}

const listed = (names: readonly string[]) => names.map((n) => `\`${n}\``).join(', ');

/** What an error adds about Traefik's fallback, when Traefik's networks are known: it reaches none or only some. */
function fallbackClause(fallback: { shared: string[] } | undefined, keys: readonly string[], who: string): string {
  if (!fallback) return '';
  if (fallback.shared.length === 0) return `; Traefik then falls back to ${keys.length === 1 ? listed(keys) : `one of ${listed(keys)}`}, which ${who} is not on: it cannot reach the service`;
  return `; Traefik then falls back to any one of the service's networks and ${who} is only on ${listed(fallback.shared)}: requests fail whenever it takes another`;
}

/** The key of the view's network a name Traefik is told stands for (`shop_edge` → `edge`), else the name. */
function networkKeyOf(view: MergedView, wanted: string): string {
  return Object.keys(view.config.networks ?? {}).find((key) => onNetwork(view, [key], wanted)) ?? wanted;
}

/** A network setting the service does not match, while Traefik's fallback reaches it all the same (warning). */
function reportDeadNetworkSetting(ctx: RuleContext, place: Omit<RuleReport, 'message'>, name: string, setting: string, wanted: string, keys: readonly string[], who: string): void {
  ctx.report({
    ...place,
    severity: 'warning',
    message: `${setting} names network \`${wanted}\`, which \`${name}\` is not attached to: Traefik logs "Could not find network named '${wanted}'" and falls back to ${keys.length === 1 ? listed(keys) : `one of ${listed(keys)}`}, which ${who} is on too, so the route works and the setting has no effect.`,
    fix: `Name the network Traefik reaches \`${name}\` on (\`${keys[0]}\`), or attach \`${name}\` to \`${wanted}\`.`,
  });
}

function checkNetwork(ctx: RuleContext, view: MergedView, name: string, labels: Record<string, string>, written: ReadonlyMap<string, string>, traefik: ViewTraefik): void {
  const svc = view.config.services[name];
  const keys = serviceNetworkKeys(svc);
  const labelKey = labels['traefik.docker.network'] !== undefined ? 'traefik.docker.network' : labels['traefik.swarm.network'] !== undefined ? 'traefik.swarm.network' : undefined;
  if (labelKey) {
    const wanted = labels[labelKey].trim();
    if (!wanted || onNetwork(view, keys, wanted)) return;
    const writtenLabel = written.get(labelKey) ?? labelKey;
    const place = { view, mergedPath: ['services', name, 'deploy', 'labels', writtenLabel], at: 'key' as const, logicalPath: `services.${name}.deploy.labels[${labelKey}]` };
    const fallback = fallbackOf(ctx, view, keys, traefik);
    const who = routingTraefik(ctx, traefik);
    if (fallback?.works) return reportDeadNetworkSetting(ctx, place, name, `\`${writtenLabel}\``, wanted, keys, who);
    ctx.report({
      ...place,
      severity: 'error',
      message: `\`${name}\` tells Traefik to use network \`${wanted}\` but is not attached to it (it is on ${listed(keys) || 'no network'})${fallbackClause(fallback, keys, who)}.`,
      fix: `Attach \`${name}\` to \`${networkKeyOf(view, wanted)}\`, or correct \`${writtenLabel}\`.`,
    });
    return;
  }
  // The Traefik service itself is not routed to over its provider network.
  if (isTraefikImage(svc.image)) return;
  // The stack's own Traefik says which network it uses (its provider flag), else it reaches services on its networks.
  if (traefik.own.length > 0) {
    const flagged = traefik.providerNetworks;
    const who = routingTraefik(ctx, traefik);
    if (flagged.length > 0) {
      if (flagged.some((wanted) => onNetwork(view, keys, wanted))) return;
      const fallback = fallbackOf(ctx, view, keys, traefik);
      if (fallback?.works) {
        const place = { view, mergedPath: ['services', name, svc.networks ? 'networks' : 'deploy'], at: 'key' as const, logicalPath: `services.${name}.networks` };
        return reportDeadNetworkSetting(ctx, place, name, `The provider network flag of ${who}`, flagged[0], keys, 'it');
      }
      reportNotAttached(ctx, view, name, flagged, `the network ${who} reaches services on (its provider network flag)${fallbackClause(fallback, keys, who)}`);
      return;
    }
    if (keys.some((k) => traefik.networks.has(k))) return;
    reportNotAttached(ctx, view, name, [...traefik.networks], `the networks of ${who}`);
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
  if (isTraefikImage(image)) return;
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
