import { defineRule, mergedViews } from '../rule.js';
import { collectHostRefs, externalNetworkName, namesOfStack, refLocation, serviceNetworkKeys, sharedNetworkKeys } from '../../swarm/index.js';
import { isExternal } from '../../merge/index.js';
import type { MergedView } from '../rule.js';

const RECIPE_FIX =
  'Name the service as the stack defines it (`${STACK_NAME}_db`, `{{ env "STACK_NAME" }}_db` in templates), or use a fully-qualified host name for something outside the stack.';
// docker stack deploy sets no STACK_NAME: a plain stack's services reach each other by their short names.
const PLAIN_FIX =
  'Name a service of this stack (its key under `services:`), attach the service to the external network on which the other stack\'s service runs, or use a fully-qualified host name for something outside the stack.';

export default defineRule({
  meta: {
    id: 'unknown-host',
    name: 'unknown-host',
    level: 'warn',
    description:
      'A host name in an environment value, command or mounted config file (`WORDPRESS_DB_HOST=mariadb`) that is no service of the stack and no fully-qualified name.',
    details: `
A service reaches its siblings by their service names. A short name that no service of the recipe carries —
after a rename (\`mariadb\` → \`db\`), a copy from another recipe, or a typo — does not resolve inside the
stack. On a shared external network such as \`proxy\` it is worse than a failed look-up: the name resolves to
whatever *other* stack runs a service of that name, so the app may talk to a stranger's database.

Only clear host positions are read: URLs (\`scheme://host\`), environment keys that name a host (\`*_HOST\`,
\`*_HOSTNAME\`, \`*_ADDR\`, \`*_SERVER(S)\` with a port, \`PGHOST\`), \`-h\`/\`--host\` and \`host:port\` arguments of
commands, healthchecks, backupbot hooks and entrypoint scripts, proxy directives of mounted configs
(\`reverse_proxy\`, \`proxy_pass\`, \`fastcgi_pass\`, …) and \`key = host\` assignments whose key names a host.
FQDNs, IPs, \`localhost\`, stack-qualified names, names built from variables, service names of any view of the
recipe, network aliases and \`extra_hosts\` entries are not reported; values taken from the operator's
environment (\`- DB_HOST\`, \`\${DB_HOST}\`) are not judged either. A recipe that reaches another stack's
service by its short name on purpose (Traefik's \`traefik-forward-auth\` middleware) can list that name in the
rule option \`knownHosts\`.

docker names every service on every network it joins by its short name, external networks included: a name that
is no service of this stack may be another stack's service on an external network the service joins
(\`tcp://docker-socket-proxy:2375\` on a \`socket\` network another stack creates), or on an attachable network of
this stack that other stacks join by its deployed name (\`caddy_internal_net\`). Such a reference is an info,
not a warning, unless the network is one of the shared networks (\`sharedNetworks\`; \`proxy\` on a recipe),
where every stack answers and the name most likely meant a sibling.
`,
    fix: RECIPE_FIX,
  },
  check(ctx) {
    const views = mergedViews(ctx.views);
    // A name any view of the recipe defines is no unknown host (an overlay may add the service).
    const known = new Set<string>();
    for (const view of views) for (const n of namesOfStack(view.config)) known.add(n);
    // Services of other stacks a recipe reaches on purpose (e.g. `traefik-forward-auth` on proxy).
    if (Array.isArray(ctx.options.knownHosts)) for (const n of ctx.options.knownHosts) known.add(String(n).toLowerCase());
    for (const view of views) {
      const shared = sharedNetworkKeys(ctx.settings.sharedNetworks, view);
      for (const ref of collectHostRefs(ctx.recipe, view)) {
        if (ref.via !== 'service') continue;
        if (known.has(ref.name.toLowerCase())) continue;
        const networks = serviceNetworkKeys(view.config.services[ref.service]);
        const onShared = networks.find((n) => shared.has(n));
        const onExternal = onShared === undefined ? networks.find((n) => isExternal(view.config.networks?.[n])) : undefined;
        // Other stacks join an attachable network of this one by its deployed name (`caddy_internal_net`): their
        // services answer there to their short names, as on an external network.
        const onAttachable = onShared === undefined && onExternal === undefined ? networks.find((n) => view.config.networks?.[n]?.attachable === true) : undefined;
        const tail = onShared
          ? `: from the shared network \`${onShared}\` it can only resolve to another stack's service of that name`
          : onExternal
            ? `: it resolves only to another stack's service of that name on the external network ${externalName(view, onExternal)}`
            : onAttachable
              ? `: it resolves only to the service of another stack that joins this stack's attachable network \`${onAttachable}\``
              : '';
        ctx.report({
          ...refLocation(ref, view),
          message: `\`${ref.service}\` connects to \`${ref.written}\` (${ref.where}), which is no service of this stack and no fully-qualified name${tail}.`,
          ...(onExternal || onAttachable ? { severity: 'info' as const } : {}),
          fix: onExternal || onAttachable
            ? `Nothing to do when \`${ref.name}\` is a service of the stack that runs on ${onExternal ? externalName(view, onExternal) : `\`${onAttachable}\``} (list it in the rule option \`knownHosts\` to say so); otherwise ${ctx.recipe.kind === 'plain' ? 'name a service of this stack' : 'name the service as the stack defines it'}, or use a fully-qualified host name.`
            : onShared
              ? `If \`${ref.name}\` is this stack's own service, name it as the stack defines it (\`\${STACK_NAME}_${ref.name}\`); if it is another stack's service on \`${onShared}\`, name it by that stack's deployed name (e.g. \`\${OTHER_STACK}_${ref.name}\` from .env.sample) or list it in the rule option \`knownHosts\`.`
              : ctx.recipe.kind === 'plain' ? PLAIN_FIX : RECIPE_FIX,
        });
      }
    }
  },
});

/** `socket` (`socket_network`): an external network's key, and the name docker looks it up by when that differs. */
function externalName(view: MergedView, key: string): string {
  const name = externalNetworkName(key, view.config.networks?.[key]);
  return name === key ? `\`${key}\`` : `\`${key}\` (\`${name}\`)`;
}
