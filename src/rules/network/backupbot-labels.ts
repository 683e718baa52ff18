import { posix } from 'node:path';
import { defineRule, mergedViews } from '../rule.js';
import { deployLabels } from '../../merge/index.js';
import type { ServiceConfig } from '../../merge/index.js';
import type { MergedView } from '../rule.js';

const VOLUME_LABEL = /^backupbot\.backup\.volumes\.(.+?)(\.path)?$/;
const HOOK_LABEL = /^backupbot\.(backup|restore)\.(pre|post)-hook$/;
const DUMP_TOOL = /\b(?:pg_dump|pg_dumpall|pg_basebackup|mysqldump|mariadb-dump|mariadb-backup|mariabackup|mongodump)\b|\.(?:sql|dump)(?:\.gz)?\b/i;

/**
 * Whether a backup pre-hook writes a dump the restore must load back: a dump tool, `sqlite3 … .backup` or
 * `redis-cli … save` in one command, a backup/dump script, a .sql/.dump file. Read piece by piece (commands,
 * then words) so that the text between two markers is looked at once, whatever a label holds.
 */
function writesDump(hook: string): boolean {
  if (DUMP_TOOL.test(hook)) return true;
  for (const command of hook.split(/[|;&]/)) {
    const sqlite = command.search(/\bsqlite3\b/i);
    if (sqlite >= 0 && /\.backup\b/i.test(command.slice(sqlite + 7))) return true;
    const redis = command.search(/\bredis-cli\b/i);
    if (redis >= 0 && /\b(?:save|bgsave)\b/i.test(command.slice(redis + 9))) return true;
  }
  for (const word of hook.split(/[\s/]/)) {
    const named = /backup|dump/i.exec(word);
    if (named && /\.(?:sh|py|bash)\b/i.test(word.slice(named.index + named[0].length))) return true;
  }
  return false;
}
/** Directories on PATH in practically every image: a hook there is the image's own tool. */
const IMAGE_PATH_DIRS = ['/bin/', '/sbin/', '/usr/bin/', '/usr/sbin/', '/usr/local/bin/', '/usr/local/sbin/'];
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', '/bin/sh', '/bin/bash', '/usr/bin/env', 'env', 'exec']);

export default defineRule({
  meta: {
    id: 'backupbot-labels',
    name: 'backupbot-labels',
    level: 'error',
    description:
      'backupbot labels that cannot work: a `backupbot.backup.volumes.<v>` label for a volume the service does not mount, a hook script nothing provides, a backup dump without a restore post-hook, `backupbot.backup=true` on more than one service.',
    details: `
backup-bot-two reads the backupbot labels from the service's \`deploy.labels\` and applies them to *that
service's* mounts and container (backupbot specification, docs.coopcloud.tech/specs/backup/spec):

- \`backupbot.backup.volumes.<volume>=false\` / \`….path=…\` refer to a volume the same service mounts; for a
  volume the service does not mount the label does nothing, and the backup silently contains the whole
  volume or not the part meant (error).
- \`backupbot.backup.pre-hook\`, \`….post-hook\`, \`backupbot.restore.pre-hook\`, \`….post-hook\` run inside the
  service's container. A hook that runs a script by path (\`/pg_backup.sh backup\`) needs that file in the
  container: a \`configs:\` target, a file under a mounted volume, or the image's own PATH directories (/bin,
  /usr/bin, /usr/local/bin, …). Commands looked up on PATH (\`pg_dump …\`, \`sh -c '…'\`, \`mysqldump\`) are not
  judged; for \`sh -c '<script> …'\` and \`sh <script>\` the script path is. When nothing provides the script the
  hook fails and, for a pre-hook, the backup does (error). Extra paths an image provides can be listed in the
  rule option \`imagePaths\`.
- A backup pre-hook that dumps a database (pg_dump, mysqldump, a backup script, a .sql file) with no
  \`backupbot.restore.post-hook\` on the same service restores nothing: the dump is put back as a file and
  never loaded (warning; seen in cc-ci on a real recipe).
- The current specification says \`backupbot.backup=true\` MUST be set on one service of a stack only and
  implementations must error otherwise. The older specification allowed it on any service, and maintained
  recipes still set it on every service that has hooks, so this is a warning, not an error.
`,
    fix: 'Name volumes the service mounts, mount hook scripts with `configs:` (target = the path the hook runs), add `backupbot.restore.post-hook` for dumps, and set `backupbot.backup=true` on one service.',
  },
  check(ctx) {
    const extraPaths = Array.isArray(ctx.options.imagePaths) ? ctx.options.imagePaths.map(String) : [];
    for (const view of mergedViews(ctx.views)) {
      const enabled: string[] = [];
      for (const [name, svc] of Object.entries(view.config.services ?? {})) {
        const labels = deployLabels(svc);
        const at = (key: string) => ({
          view,
          mergedPath: ['services', name, 'deploy', 'labels', key],
          at: 'key' as const,
          logicalPath: `services.${name}.deploy.labels[${key}]`,
        });
        if (isTrue(labels['backupbot.backup'])) enabled.push(name);
        const mounted = mountedVolumes(view, svc);
        for (const key of Object.keys(labels)) {
          const vm = VOLUME_LABEL.exec(key);
          if (vm && !mounted.has(vm[1])) {
            ctx.report({
              ...at(key),
              severity: 'error',
              message: `\`${key}\` names volume \`${vm[1]}\`, which \`${name}\` does not mount${mounted.size ? ` (it mounts ${[...mounted].map((v) => `\`${v}\``).join(', ')})` : ''}.`,
              fix: `Use the name of a volume \`${name}\` mounts, or put the label on the service that mounts \`${vm[1]}\`.`,
            });
          }
          if (HOOK_LABEL.test(key)) {
            const script = hookScript(labels[key]);
            if (script && !provided(svc, script, extraPaths)) {
              ctx.report({
                ...at(key),
                severity: 'error',
                message: `\`${key}\` runs \`${script}\`, which no config target, volume mount or image path of \`${name}\` provides.`,
                fix: `Mount the script into \`${name}\` with \`configs:\` (\`target: ${script}\`, a mode that makes it executable), or fix the path.`,
              });
            }
          }
        }
        const pre = labels['backupbot.backup.pre-hook'];
        if (pre && writesDump(pre) && !labels['backupbot.restore.post-hook']) {
          ctx.report({
            ...at('backupbot.backup.pre-hook'),
            severity: 'warning',
            message: `\`${name}\` dumps data in its backup pre-hook but has no \`backupbot.restore.post-hook\` to load the dump back: a restore puts the dump file back and restores nothing.`,
            fix: 'Add `backupbot.restore.post-hook` that loads the dump (e.g. `/pg_backup.sh restore`).',
          });
        }
      }
      enabled.sort();
      if (enabled.length > 1) {
        const keep = enabled.includes('app') ? 'app' : enabled[0];
        // Named once for all the reports, and a few only: each report listing every service would grow as n².
        const shown = enabled.slice(0, 5).map((n) => `\`${n}\``).join(', ') + (enabled.length > 5 ? ` and ${enabled.length - 5} more` : '');
        for (const name of enabled) {
          if (name === keep) continue;
          ctx.report({
            view,
            mergedPath: ['services', name, 'deploy', 'labels', 'backupbot.backup'],
            at: 'key',
            logicalPath: `services.${name}.deploy.labels[backupbot.backup]`,
            severity: 'warning',
            message: `\`backupbot.backup=true\` is set on ${enabled.length} services (${shown}); the backupbot specification allows one per stack.`,
            fix: `Keep \`backupbot.backup=true\` on \`${keep}\` only: per the specification, hooks and volume labels on the other services still apply.`,
          });
        }
      }
    }
  },
});

function isTrue(value: string | undefined): boolean {
  return value !== undefined && /^(true|1|yes|on)$/i.test(value.trim());
}

/** Names of the named volumes a service mounts (top-level keys, and their `name:` when set). */
function mountedVolumes(view: MergedView, svc: ServiceConfig): Set<string> {
  const out = new Set<string>();
  for (const m of svc.volumes ?? []) {
    if (m.type !== 'volume' || !m.source) continue;
    out.add(m.source);
    const name = view.config.volumes?.[m.source]?.name;
    if (name) out.add(name);
  }
  return out;
}

/** Splits a command line into words (quotes respected, no expansion). */
function words(command: string): string[] {
  const out: string[] = [];
  const re = /"((?:\\.|[^"\\])*)"|'([^']*)'|(\S+)/g;
  for (const m of command.matchAll(re)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** The script path a hook runs, when it runs one by absolute path; commands on PATH yield undefined. */
export function hookScript(command: string): string | undefined {
  let w = words(command.trim());
  for (let depth = 0; depth < 3 && w.length > 0; depth++) {
    const first = w[0];
    if (SHELLS.has(first)) {
      const rest = w.slice(1);
      const c = rest.findIndex((x) => /^-[a-z]+$/i.test(x) && /c/i.test(x));
      if (c >= 0 && rest[c + 1] !== undefined) {
        w = words(rest[c + 1]);
        continue;
      }
      const script = rest.find((x) => !x.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(x));
      return script && script.startsWith('/') ? script : undefined;
    }
    return first.startsWith('/') && !/[$`*?]/.test(first) ? first : undefined;
  }
  return undefined;
}

function provided(svc: ServiceConfig, script: string, extraPaths: string[]): boolean {
  const path = posix.normalize(script);
  if (IMAGE_PATH_DIRS.some((d) => path.startsWith(d))) return true;
  if (extraPaths.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`))) return true;
  for (const c of svc.configs ?? []) if ((c.target ?? `/${c.source}`) === path) return true;
  for (const s of svc.secrets ?? []) {
    const t = s.target ?? s.source;
    if (t === undefined) continue; // a long-syntax entry without `source` (the schema rule reports it)
    if ((t.startsWith('/') ? t : `/run/secrets/${t}`) === path) return true;
  }
  for (const m of svc.volumes ?? []) {
    if (m.type === 'tmpfs') continue;
    const target = posix.normalize(m.target);
    if (path === target || path.startsWith(target.endsWith('/') ? target : `${target}/`)) return true;
  }
  return false;
}
