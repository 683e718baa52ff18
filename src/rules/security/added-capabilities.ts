// added-capabilities: cap_add grants a capability that reaches the node (SYS_ADMIN, NET_ADMIN, ALL, …).
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';

/** Capabilities that break container isolation, with what they allow (compose-lint CL-0011/24/28/29/30, CIS 5.4). */
const DANGEROUS: Readonly<Record<string, string>> = {
  ALL: 'every capability',
  SYS_ADMIN: 'mounts, namespaces and most of root',
  SYS_MODULE: 'loading kernel modules',
  SYS_PTRACE: 'tracing (and reading the memory of) other processes',
  SYS_RAWIO: 'raw device and port I/O',
  SYS_BOOT: 'rebooting the node',
  SYS_TIME: "setting the node's clock",
  DAC_READ_SEARCH: 'reading any file by handle (the "shocker" escape)',
  NET_ADMIN: "reconfiguring the node's networking within its namespace, firewall rules",
  BPF: 'loading eBPF programs',
  PERFMON: 'kernel performance monitoring',
  MAC_ADMIN: 'changing the LSM (AppArmor/SELinux) policy',
  MAC_OVERRIDE: 'bypassing the LSM policy',
  SYSLOG: 'reading the kernel log',
};

export default defineRule({
  meta: {
    id: 'added-capabilities',
    name: 'added-capabilities',
    level: 'warn',
    description: '`cap_add` grants a capability that reaches past the container (ALL, SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, DAC_READ_SEARCH, …).',
    details: [
      'Swarm applies `cap_add`/`cap_drop` since docker 20.10 (older `docker stack deploy` ignored them), so unlike',
      '`privileged` these capabilities are really granted to the service\'s tasks. The listed ones let a compromised',
      'process act on the node: mount filesystems, load kernel modules, trace other processes, rewrite firewall rules.',
      'Capabilities docker grants by default, and harmless ones such as NET_BIND_SERVICE, are not reported. Judged per',
      'view; the finding points at the `cap_add` entry.',
    ].join('\n'),
    fix: 'Remove the capability, or replace it with the narrow one the app needs (NET_BIND_SERVICE for ports below 1024); add `cap_drop: [ALL]` and grant back only what is required.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      for (const [service, svc] of Object.entries(view.config.services ?? {})) {
        (svc.cap_add ?? []).forEach((raw, i) => {
          const cap = String(raw).toUpperCase().replace(/^CAP_/, '');
          const what = DANGEROUS[cap];
          if (!what) return;
          ctx.report({
            message: `service ${code(service)} adds ${code(String(raw))}: ${what}`,
            view,
            mergedPath: ['services', service, 'cap_add', i],
            at: 'value',
            logicalPath: `services.${service}.cap_add[${cap}]`,
            severity: cap === 'ALL' || cap === 'SYS_ADMIN' || cap === 'SYS_MODULE' ? 'error' : undefined,
          });
        });
      }
    }
  },
});
