import { defineRule, mergedViews } from '../rule.js';
import type { RuleContext } from '../rule.js';
import type { HostRef } from '../../swarm/index.js';
import type { MergedView } from '../rule.js';
import { collectHostRefs, refLocation, serviceNetworkKeys, servicesNamed, sharedNetworkKeys } from '../../swarm/index.js';
import { traefikEnabled } from '../../merge/index.js';
import type { TextEdit } from '../rule.js';
import { rawOf } from '../../swarm/index.js';
import { inBlockContext, insertAt, scalarSource, valueOffsets } from '../kit/edits.js';

/** Short names many recipes use for a backing service: on a shared network they are answered by every stack. */
const COMMON_NAMES = [
  'app', 'db', 'database', 'postgres', 'postgresql', 'pg', 'postgis', 'mariadb', 'mysql', 'mongo', 'mongodb',
  'redis', 'valkey', 'keydb', 'memcached', 'cache', 'rabbitmq', 'elasticsearch', 'opensearch', 'meilisearch',
  'search', 'minio', 'worker', 'cron',
];

const DETAILS = `
Docker gives every service of a stack its short key (\`app\`, \`db\`) as a DNS alias on each user-defined
network it joins — external ones too. A Co-op Cloud server has one shared overlay network, \`proxy\`, and
every app attaches its public service to it, usually under the key \`app\`. Measured on a real swarm: with
two stacks each running \`app\` on \`proxy\`, the name \`app\` resolves, from any service on \`proxy\`, to the
virtual IPs of *both* stacks' \`app\` (round robin). Caddy's \`reverse_proxy app:3000\` in one app then sends
a share of its requests to another app (the bluesky-pds incident).

Docker's embedded resolver tries the asking container's networks one at a time and answers from the first
one that knows the name: networks declared \`internal: true\` come last, the others in order of their docker
name. So for a service on \`proxy\` and on the stack's own network \`<stack>_internal\`, whether \`proxy\` is
asked first depends on the stack name (for \`sc_internal\`, \`proxy\` sorts first; that is what was measured:
\`app\` returned the three stacks' \`proxy\` addresses and not the own stack's \`internal\` one). The rule
therefore reports, for a service on a shared network that names a sibling by its short name:

- the sibling is on the same shared network too — the name is ambiguous whenever another stack has a
  service of that name there (error for \`app\`, which every recipe has on \`proxy\`; warning otherwise);
- the sibling is \`app\` but not on the shared network — other stacks' \`app\` on \`proxy\` can answer before
  the own stack's network is asked, and then the own \`app\` is never reached (error);
- the sibling shares no network with the service — the short name can only resolve to other stacks'
  services of that name (warning; error for \`app\`).

A sibling that is not on the shared network but shares a private network with the asking service (the usual
\`db\` on \`internal\`) is only misrouted when some other stack puts a \`db\` on \`proxy\`: that is the other half
of this rule. It reports a service that sits on a shared network under a common short name (\`db\`, \`redis\`,
\`postgres\`, a non-public \`app\`, …) although nothing needs it there (no Traefik labels, no service of the
stack reaches it only through that network): it answers every other stack's look-up of that name, so another
app's \`db\` connection can reach this database.

\`tasks.<name>\` is just as ambiguous (it lists the tasks of every stack's \`<name>\` on the network) and is
reported the same way. Stack-qualified names (\`\${STACK_NAME}_app\`, \`{{ env "STACK_NAME" }}_app\`), FQDNs,
\`localhost\`, comments and prose in templates, and nginx \`upstream\` block names are not reported. Names are
read in environment values, command, entrypoint, healthcheck, backupbot hook labels, URL-valued Traefik labels
(Traefik itself resolves those from \`proxy\`), and the config files a service mounts through \`configs:\`.
The shared networks are the \`sharedNetworks\` setting (default \`proxy\`), counted only where the view declares
them \`external\`; more common names can be added with the rule option \`commonNames\`.
`;

export default defineRule({
  meta: {
    id: 'proxy-alias-collision',
    name: 'proxy-alias-collision',
    level: 'error',
    fixable: true,
    description:
      'A service on a shared external network (proxy) reaches a sibling by its short name, which also resolves to other stacks\' services of that name; or a backing service sits on the shared network under a common short name.',
    details: DETAILS,
    fix:
      'Reach siblings by their full service name: `${STACK_NAME}_app` in compose values, `{{ env "STACK_NAME" }}_app` in a config with `template_driver: golang`. Keep services that need not be public off the shared network (use an internal network).',
  },
  check(ctx) {
    const extra = Array.isArray(ctx.options.commonNames) ? ctx.options.commonNames.map(String) : [];
    const common = new Set([...COMMON_NAMES, ...extra].map((n) => n.toLowerCase()));
    for (const view of mergedViews(ctx.views)) {
      const shared = sharedNetworkKeys(ctx.settings.sharedNetworks, view);
      if (shared.size === 0) continue;
      const refs = collectHostRefs(ctx.recipe, view);
      for (const ref of refs) checkReference(ctx, view, shared, ref);
      checkExposure(ctx, view, shared, refs, common);
    }
  },
});

function checkReference(ctx: RuleContext, view: MergedView, shared: Set<string>, ref: HostRef): void {
  const asking = view.config.services[ref.service];
  const askingNets = ref.via === 'traefik' ? [...shared] : serviceNetworkKeys(asking);
  const askingShared = askingNets.filter((n) => shared.has(n));
  if (askingShared.length === 0) return;
  const targets = servicesNamed(view.config, ref.name);
  if (targets.length === 0) return; // no sibling of that name: unknown-host's business
  const isApp = ref.name.toLowerCase() === 'app';
  const sharedHit = askingShared.find((n) => targets.some((t) => t.networks.includes(n)));
  const commonNet = targets.some((t) => t.networks.some((n) => askingNets.includes(n)));
  const who = ref.via === 'traefik' ? `Traefik (label of \`${ref.service}\`)` : `\`${ref.service}\``;
  const written = `\`${ref.written}\``;
  const net = `\`${sharedHit ?? askingShared[0]}\``;
  let message: string;
  if (sharedHit) {
    message = `${who} reaches ${written} by its short name (${ref.where}) while both are on the shared network ${net}, where ${written} also resolves to every other stack's \`${ref.name}\`.`;
  } else if (isApp) {
    message = `${who} reaches ${written} by its short name (${ref.where}) from the shared network ${net}, where other stacks' \`app\` services answer that name before or instead of this stack's \`app\`.`;
  } else if (!commonNet) {
    message = `${who} reaches ${written} by its short name (${ref.where}) but shares no network with this stack's \`${ref.name}\`: from the shared network ${net} the name only resolves to other stacks' \`${ref.name}\`.`;
  } else {
    return;
  }
  const qualified = ref.template
    ? ref.template.golang
      ? `{{ env "STACK_NAME" }}_${ref.name}`
      : `{{ env "STACK_NAME" }}_${ref.name} (with \`template_driver: golang\` on the config)`
    : `\${STACK_NAME}_${ref.name}`;
  // docker stack deploy sets no STACK_NAME: a plain stack's full service name is the stack's name as deployed.
  const plain = ctx.recipe.kind === 'plain';
  const fixed = plain ? {} : qualifyEdits(ctx, view, ref);
  const tasks = ref.written.toLowerCase().startsWith('tasks.') ? 'tasks.' : '';
  ctx.report({
    ...refLocation(ref, view),
    ...fixed,
    message,
    severity: isApp ? 'error' : 'warning',
    fix: plain
      ? `Write \`${tasks}<stack>_${ref.name}\` (the name you deploy the stack as: \`docker stack deploy … mystack\` makes \`mystack_${ref.name}\`) instead of \`${ref.written}\`, or reach \`${ref.name}\` over a network only this stack joins.`
      : `Write ${tasks}${qualified} instead of \`${ref.written}\`: the full service name is unique across stacks.`,
  });
}

const HOST_CHAR = /[A-Za-z0-9_.$\{-]/;

/**
 * The edit that stack-qualifies a short name where it is written: `${STACK_NAME}_` before it in a compose
 * value, `{{ env "STACK_NAME" }}_` in a golang-templated config of a service whose environment has
 * STACK_NAME (the template's `env` reads the service's environment). Otherwise a suggestion.
 */
function qualifyEdits(ctx: RuleContext, view: MergedView, ref: HostRef): { edits?: TextEdit[]; suggestion?: string } {
  const nameAt = ref.written.length - ref.name.length;
  if (ref.template && ref.file !== undefined && ref.line !== undefined && ref.column !== undefined) {
    const hasStackName = Object.hasOwn(view.config.services[ref.service]?.environment ?? {}, 'STACK_NAME');
    if (!ref.template.golang || !hasStackName) {
      return {
        suggestion: ref.template.golang
          ? `Add \`STACK_NAME=\${STACK_NAME}\` to the environment of \`${ref.service}\`, then write \`{{ env "STACK_NAME" }}_${ref.name}\` in ${ref.file} (the template's env reads the service's environment).`
          : `Set \`template_driver: golang\` on the config that mounts ${ref.file} and add \`STACK_NAME=\${STACK_NAME}\` to the environment of \`${ref.service}\`, then write \`{{ env "STACK_NAME" }}_${ref.name}\`.`,
      };
    }
    const text = ctx.recipe.readText(ref.file);
    if (text === undefined) return {};
    const offset = offsetOfLineColumn(text, ref.line, ref.column);
    if (offset === undefined || text.slice(offset, offset + ref.written.length) !== ref.written) return {};
    return { edits: [insertAt(ref.file, offset + nameAt, '{{ env "STACK_NAME" }}_')] };
  }
  if (!ref.mergedPath || (ref.source !== 'environment' && ref.source !== 'label')) return {};
  const raw = rawOf(ctx.recipe, view, ref.mergedPath);
  if (!raw || typeof raw.node !== 'string') return {};
  const doc = ctx.recipe.composeFile(raw.file)?.doc;
  if (!doc) return {};
  const listEntry = typeof raw.path[raw.path.length - 1] === 'number';
  const base = listEntry ? raw.node.indexOf('=') + 1 : 0;
  if (listEntry && base === 0) return {};
  const value = raw.node.slice(base);
  const hits: number[] = [];
  for (let i = value.indexOf(ref.written); i >= 0; i = value.indexOf(ref.written, i + 1)) {
    const before = value[i - 1];
    const after = value[i + ref.written.length];
    if ((before === undefined || !HOST_CHAR.test(before)) && (after === undefined || !HOST_CHAR.test(after))) hits.push(i);
  }
  if (hits.length !== 1) return {};
  const at = base + hits[0] + nameAt;
  const offsets = valueOffsets(doc, raw.path, at, at);
  const source = scalarSource(doc, raw.path);
  if (!offsets || !source || (source.style === 'plain' && !inBlockContext(doc, source.start))) return {};
  return { edits: [insertAt(raw.file, offsets.start, '${STACK_NAME}_')] };
}

function offsetOfLineColumn(text: string, line: number, column: number): number | undefined {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return undefined;
    offset = nl + 1;
  }
  return offset + column - 1;
}

/**
 * The services some reference needs on the shared network: Traefik's look-ups, and a sibling's look-up that
 * shares no internal network with the service. One pass over the references for all services.
 */
function servicesReachedOnShared(view: MergedView, shared: Set<string>, refs: readonly HostRef[]): Set<string> {
  const needed = new Set<string>();
  for (const r of refs) {
    const askingNets = r.via === 'traefik' ? [] : serviceNetworkKeys(view.config.services[r.service]);
    for (const t of servicesNamed(view.config, r.name)) {
      if (needed.has(t.service) || (r.service === t.service && r.via === 'service')) continue;
      const nets = serviceNetworkKeys(view.config.services[t.service]);
      if (r.via === 'traefik' || !askingNets.some((n) => !shared.has(n) && nets.includes(n))) needed.add(t.service);
    }
  }
  return needed;
}

function checkExposure(ctx: RuleContext, view: MergedView, shared: Set<string>, refs: readonly HostRef[], common: Set<string>): void {
  let needed: Set<string> | undefined;
  for (const [name, svc] of Object.entries(view.config.services ?? {})) {
    const nets = serviceNetworkKeys(svc);
    const onShared = nets.filter((n) => shared.has(n));
    if (onShared.length === 0 || traefikEnabled(svc)) continue;
    const aliases = onShared.flatMap((n) => svc.networks?.[n]?.aliases ?? []);
    const commonName = [name, ...aliases].find((n) => common.has(n.toLowerCase()));
    if (!commonName) continue;
    needed ??= servicesReachedOnShared(view, shared, refs);
    if (needed.has(name)) continue;
    ctx.report({
      view,
      mergedPath: ['services', name, 'networks', onShared[0]],
      at: 'key',
      logicalPath: `services.${name}.networks.${onShared[0]}`,
      severity: 'warning',
      message: `\`${name}\` sits on the shared network \`${onShared[0]}\` under the common name \`${commonName}\` without needing it (no Traefik labels, nothing in the stack reaches it there): every other stack's look-up of \`${commonName}\` can reach it.`,
      fix: `Attach \`${name}\` to the stack's internal network only, and let the services that talk to it join that network.`,
    });
  }
}
