// merge-drops-entry: what docker's merge of the compose files silently loses — ports that collapse on
// the same published port, a top-level definition an overlay replaces wholesale (losing `external:`,
// `name:` …), an overlay's top-level x- section. Read from the merge's own record of dropped entries
// (RecipeView.dropped), filtered to the losses a maintainer did not mean.
import type { FileDoc, Origin, YamlValue } from '../../load/types.js';
import { defineRule } from '../rule.js';
import type { DroppedEntry, RecipeView, RuleContext } from '../rule.js';
import { asMapping, code, showPath, valueAt } from '../kit/files.js';

function rawAt(ctx: RuleContext, origin: Origin): YamlValue | undefined {
  return valueAt(ctx.recipe.composeFile(origin.file)?.doc.data, origin.path);
}

/** Protocol of a raw port entry: `80:80/udp`, 80, or {protocol}. */
function portProtocol(value: YamlValue | undefined): string | undefined {
  if (typeof value === 'number') return 'tcp';
  if (typeof value === 'string') {
    const slash = value.lastIndexOf('/');
    return slash >= 0 ? value.slice(slash + 1).toLowerCase() : 'tcp';
  }
  const m = asMapping(value);
  if (m) return typeof m.protocol === 'string' ? m.protocol.toLowerCase() : 'tcp';
  return undefined;
}

function portText(value: YamlValue | undefined): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  const m = asMapping(value);
  if (!m) return '?';
  return `${m.published ?? ''}:${m.target ?? ''}/${m.protocol ?? 'tcp'}`;
}

/** The `&anchor` on a top-level key's line, if any, and whether an alias to it appears in the file. */
function anchoredAndAliased(doc: FileDoc, key: string): boolean {
  const range = doc.locateKey([key]);
  if (!range) return false;
  const line = doc.lineText(range.start.line);
  const anchor = /&([^\s,\[\]{}]+)/.exec(line.slice(range.start.column - 1 + key.length))?.[1];
  if (!anchor) return false;
  // `*anchor` followed by the end of the alias (a blank, `,`, `]`, `}` or the end of the file).
  const alias = `*${anchor}`;
  for (let at = doc.text.indexOf(alias); at >= 0; at = doc.text.indexOf(alias, at + 1)) {
    const next = doc.text[at + alias.length];
    if (next === undefined || next === ',' || next === ']' || next === '}' || next.trim() === '') return true;
  }
  return false;
}

/** `external: true`, or the legacy `external: { name: x }`. */
function isExternal(value: YamlValue | undefined): boolean {
  return value === true || asMapping(value) !== undefined;
}

interface Judged {
  message: string;
  fix: string;
  at: Origin;
  logicalPath: string;
}

/** Whether the merged definition holds `value` at `key` anyway (docker fills an external network's `name` from its key). */
function keptInMerge(view: RecipeView, section: string, name: string, key: string, value: YamlValue): boolean {
  const merged = asMapping((view.config as unknown as Record<string, YamlValue> | undefined)?.[section]);
  const definition = asMapping(merged?.[name]);
  return definition !== undefined && Object.hasOwn(definition, key) && JSON.stringify(definition[key]) === JSON.stringify(value);
}

function judge(ctx: RuleContext, view: RecipeView, d: DroppedEntry): Judged | undefined {
  const lost = rawAt(ctx, d.origin);
  const by = d.by ? rawAt(ctx, d.by) : undefined;
  switch (d.what) {
    case 'port-collapsed': {
      const service = typeof d.path[1] === 'string' ? d.path[1] : '?';
      const lostProto = portProtocol(lost);
      const byProto = d.by ? portProtocol(by) : undefined;
      const sameFile = d.by && d.by.file === d.origin.file;
      // An overlay replacing a base port of the same protocol is the way to change a port: intended.
      if (d.by && !sameFile && lostProto === byProto) return undefined;
      const byText = d.by ? `${code(portText(by))} (${d.by.file})` : 'another entry';
      const why =
        lostProto !== byProto && byProto !== undefined
          ? `docker keys ports by published port only, so the ${lostProto} and ${byProto} entries collapse into one`
          : 'docker keys ports by published port only (an unpublished port counts as 0), so entries with the same one collapse';
      return {
        message: `service ${service}: the port ${code(portText(lost))} is lost in the merge, replaced by ${byText}: ${why}`,
        fix: 'Give each entry its own published port, or publish the port only once; to serve TCP and UDP on one port, docker stack cannot merge them — define both in the same file and do not touch the service\'s ports in overlays.',
        at: d.origin,
        logicalPath: `services.${service}.ports[${portText(lost)}]`,
      };
    }
    case 'definition-replaced': {
      const [section, name] = d.path as [string, string];
      const base = asMapping(lost) ?? {};
      const over = asMapping(by) ?? {};
      // A lost field that only restated docker's default changes nothing.
      const isDefault = (k: string, v: YamlValue) =>
        v === null || v === false || (k === 'driver' && v === (section === 'volumes' ? 'local' : 'overlay'));
      // docker creates nothing for an external definition: of what is lost, only the name it looks up matters.
      const moot = (k: string) => isExternal(over.external) && k !== 'name' && k !== 'external';
      const missing = Object.keys(base).filter((k) => !Object.hasOwn(over, k) && !isDefault(k, base[k]) && !moot(k) && !keptInMerge(view, section, name, k, base[k]));
      if (missing.length === 0) return undefined; // the overlay restates or overrides every field: nothing silently lost
      const where = d.by ? d.by.file : 'a later file';
      return {
        message: `${where} redefines ${section}.${name} and replaces ${d.origin.file}'s definition wholesale: ${missing.map((k) => `\`${k}\``).join(', ')} ${missing.length === 1 ? 'is' : 'are'} lost`,
        fix: `Repeat the lost fields (${missing.map((k) => `\`${k}\``).join(', ')}) in ${where}'s definition of ${name}, or remove the redefinition from ${where}: docker does not merge top-level definitions field by field.`,
        at: d.by ?? d.origin,
        logicalPath: `${section}.${name}`,
      };
    }
    case 'extension-dropped': {
      const key = String(d.path[0] ?? d.origin.path[0]);
      const doc = ctx.recipe.composeFile(d.origin.file)?.doc;
      if (doc && anchoredAndAliased(doc, key)) return undefined; // an anchor used within its own file: works as meant
      return {
        message: `the top-level ${code(key)} of ${d.origin.file} is dropped by the merge (docker keeps only the first file's top-level x- sections), and nothing in ${d.origin.file} uses it through an alias: it has no effect`,
        fix: `Use it in ${d.origin.file} through an anchor and alias (\`${key}: &name\` … \`<<: *name\`), move it to the first file, or remove it.`,
        at: d.origin,
        logicalPath: key,
      };
    }
    case 'volume-collapsed':
    case 'secret-collapsed':
    case 'config-collapsed': {
      const kind = d.what.replace(/-collapsed$/, '');
      const service = typeof d.path[1] === 'string' ? d.path[1] : '?';
      const section = `${kind}s`;
      const lostText = entryText(lost);
      return {
        message: `service ${service}: the ${kind} mount ${code(lostText)} is lost in the merge${d.by ? `, replaced by ${code(entryText(by))} (${d.by.file})` : ''}: ${d.reason}`,
        fix: kind === 'volume' ? 'Mount each target once per service.' : `Mount each ${kind} once per service (one entry per source).`,
        at: d.origin,
        logicalPath: `services.${service}.${section}[${lostText}]`,
      };
    }
    case 'field-dropped': {
      const key = String(d.path[d.path.length - 1] ?? '');
      // oom_score_adj: swarm-unsupported; x- keys of definitions: metadata nothing reads; build: ignored by swarm as a whole.
      if (key === 'oom_score_adj' || key.startsWith('x-') || d.path.includes('build')) return undefined;
      return {
        message: `${showPath(d.path)}: ${d.reason}`,
        fix: `Remove \`${key}\`: docker stack never uses it.`,
        at: d.origin,
        logicalPath: `${showPath(d.path)}:field-dropped`,
      };
    }
    case 'empty-not-cleared':
      return {
        message: `${showPath(d.path)} in ${d.origin.file} does not clear the earlier value${d.by ? ` from ${d.by.file}` : ''}: ${d.reason}`,
        fix: 'docker cannot remove or blank a value from an earlier file: move the value out of the base file into the overlays that need it, or override it with a non-empty value.',
        at: d.origin,
        logicalPath: `${showPath(d.path)}:empty-not-cleared`,
      };
    default:
      return {
        message: `${showPath(d.path)}: ${d.reason}`,
        fix: 'Set the value in one file only, or in the form docker merges (see the message).',
        at: d.origin,
        logicalPath: `${showPath(d.path)}:${d.what}`,
      };
  }
}

function entryText(value: YamlValue | undefined): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  const m = asMapping(value);
  if (!m) return '?';
  return [m.source, m.target].filter((x) => x !== undefined && x !== null).map(String).join(':');
}

export default defineRule({
  meta: {
    id: 'merge-drops-entry',
    name: 'merge-drops-entry',
    level: 'warn',
    description:
      "docker's merge of the compose files silently loses something: ports collapsing on the same published port (tcp+udp), an overlay's top-level definition replacing the base's wholesale, an overlay's x- section.",
    details: [
      '`docker stack deploy -c compose.yml -c overlay.yml` merges the files without a word about what it throws away:',
      '- service ports are keyed by published port only: `53:53/tcp` and `53:53/udp` in one service become one entry as',
      '  soon as a later file touches the service, and several unpublished ports (published 0) collapse into one;',
      '- top-level networks, volumes, secrets and configs are replaced wholesale by a later file that mentions them:',
      '  an overlay repeating `proxy:` without `external: true` turns the shared network into a new stack network;',
      '- top-level `x-` sections of later files are dropped (only the first file\'s are kept);',
      '- a service\'s volumes, secrets and configs are keyed by target / source: two mounts of one secret collapse into one;',
      '- an overlay\'s empty list, empty map, `""`, `false` or `0` never clears or overrides the earlier value;',
      '- logging options of an overlay are lost when the base logging section has none (a docker bug);',
      '- keys docker\'s schema accepts but its types do not have are dropped when the file is loaded.',
      '',
      'Judged on the deploy views only: the `abra` view merges every file in byte order (compose.yml usually last), which',
      'no operator deploys.',
      '',
      'Not reported: an overlay replacing a base port with the same published port and protocol (the usual way to change a',
      'port, e.g. `mode: host`), an overlay definition that restates every field of the base one, and an overlay `x-`',
      'section used through an anchor/alias within its own file (the alias is resolved before the merge), `oom_score_adj`',
      '(reported by `swarm-unsupported`), and dropped `x-` keys of definitions and `build` fields (nothing reads them).',
    ].join('\n'),
    fix: 'Keep every field of a redefined top-level entry, give ports distinct published ports, and keep x- sections in the file that uses them.',
  },
  check(ctx) {
    for (const view of ctx.views) {
      // abra's view merges every file in byte order (compose.yml usually last): what that order loses is no
      // deploy's loss. The deploy views (compose.yml first) are what operators run.
      if (view.kind === 'abra') continue;
      for (const d of view.dropped) {
        const judged = judge(ctx, view, d);
        if (!judged) continue;
        report(ctx, view, judged);
      }
    }
  },
});

function report(ctx: RuleContext, view: RecipeView, j: Judged): void {
  const exists = ctx.recipe.composeFile(j.at.file);
  ctx.report({
    message: j.message,
    fix: j.fix,
    view,
    logicalPath: j.logicalPath,
    ...(exists ? { file: j.at.file, path: j.at.path, at: 'key' as const } : { line: 1, column: 1 }),
  });
}
