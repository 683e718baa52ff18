// Host references: every place a service of a merged view names a host by a short name (environment values,
// command, entrypoint, healthcheck, backupbot hooks, URL-valued Traefik labels, mounted config templates),
// read from what the maintainer wrote (through provenance), memoised per recipe.
import type { Path, YamlValue } from '../load/types.js';
import { deployLabels } from '../merge/index.js';
import type { MergedView, RecipeInfo, RecipeView } from '../pipeline/recipe.js';
import { commandHosts, envValueHosts, isHostEnvKey, looksLikeShell, shortName, templateHosts, urlHosts } from './host-text.js';
import type { HostHit } from './host-text.js';
import { lineColumn, markInterpolate, rawEntryKey, rawEntryValue, rawOf, rawStrings, recipeRelative } from './raw-values.js';
import { asMapping } from '../load/path.js';
import type { RawValue } from './raw-values.js';

export type RefSource = 'environment' | 'command' | 'entrypoint' | 'healthcheck' | 'label' | 'config';

/** One place where a service names a host by a short name. */
export interface HostRef {
  /** The service doing the look-up (for `via: 'traefik'`, the service whose label Traefik reads). */
  service: string;
  /** Who resolves the name: the service's own containers, or Traefik (label values it connects to). */
  via: 'service' | 'traefik';
  /** The host as written, e.g. `app` or `tasks.app`. */
  written: string;
  /** The service name looked up. */
  name: string;
  source: RefSource;
  /** Human description of the place: `environment DB_HOST`, `Caddyfile.tmpl (reverse_proxy)`. */
  where: string;
  /** A config file (template) the host is in, and whether docker renders it as a Go template. */
  template?: { file: string; golang: boolean };
  /** Position: a merged path of the compose value, or a line/column in a config file. */
  mergedPath?: Path;
  file?: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  logicalPath: string;
}

function toRefs(
  hits: HostHit[],
  base: Omit<HostRef, 'written' | 'name' | 'where' | 'logicalPath'> & { where: string; logicalPath: string },
): HostRef[] {
  const refs: HostRef[] = [];
  for (const hit of hits) {
    const short = shortName(hit.host);
    if (!short) continue;
    refs.push({ ...base, written: hit.host, name: short.name, logicalPath: `${base.logicalPath}[${hit.host}]` });
  }
  return refs;
}

const HOOK_LABEL = /^backupbot\.(backup|restore)\.(pre|post)-hook$/;

// Several rules ask for the same view's references, and a recipe's views mostly repeat each other's values:
// a view's references are computed once, and the references found in one raw value (for one service and
// place) once per recipe, shared by every view where that value recurs. Views and recipes never change once
// built, and callers only read the references.
const refsByView = new WeakMap<RecipeView, readonly HostRef[]>();
const memoByRecipe = new WeakMap<RecipeInfo, RecipeMemo>();

interface RecipeMemo {
  templates: Map<string, { text: string; hits: HostHit[] } | undefined>;
  /**
   * References of environment entries by service, key, and raw node: the `KEY=value` string of a list entry
   * or the value of a mapping entry. Raw strings are made once by the loader, so their hashes are computed
   * once, however many views look them up.
   */
  environment: { list: EntryMemo; mapping: EntryMemo };
  /** By service name: see `candidatesOf`. */
  candidates: Map<string, ServiceCandidates>;
  /** References of configs by what determines them (service, config, file, driver), as JSON. */
  refs: Map<string, readonly HostRef[]>;
  /**
   * References of commands and labels by place (kind, service, key) and raw node. Keyed by the node itself,
   * never by its text: a value built from aliases can be gigabytes long when serialised, though it is one
   * shared string or list in memory.
   */
  byNode: Map<string, Map<YamlValue, readonly HostRef[]>>;
}

/** Every short host name the services of a view look up, with where it is written. */
export function collectHostRefs(recipe: RecipeInfo, view: MergedView): readonly HostRef[] {
  let refs = refsByView.get(view);
  if (!refs) refsByView.set(view, (refs = computeHostRefs(recipe, view)));
  return refs;
}

type EntryMemo = Map<string, Map<string, Map<YamlValue, readonly HostRef[]>>>;
const NO_REFS: readonly HostRef[] = [];

function environmentRefs(m: RecipeMemo, svcName: string, key: string, raw: RawValue, mergedPath: Path): readonly HostRef[] {
  const memo = typeof raw.path[raw.path.length - 1] === 'number' ? m.environment.list : m.environment.mapping;
  let byKey = memo.get(svcName);
  if (!byKey) memo.set(svcName, (byKey = new Map()));
  let byNode = byKey.get(key);
  if (!byNode) byKey.set(key, (byNode = new Map()));
  let refs = byNode.get(raw.node);
  if (refs) return refs;
  const value = rawEntryValue(raw);
  // Most entries hold no host: no URL (nor a `$` that could make one) under a key that names none.
  if (value === undefined || (!value.includes('://') && !value.includes('$') && !isHostEnvKey(key))) refs = NO_REFS;
  else {
    refs = toRefs(envValueHosts(key, markInterpolate(value)), {
      service: svcName,
      via: 'service',
      source: 'environment',
      where: `environment ${key}`,
      mergedPath,
      logicalPath: `services.${svcName}.environment.${key}`,
    });
  }
  byNode.set(raw.node, refs);
  return refs;
}

function memoisedByNode(memo: RecipeMemo, place: string, node: YamlValue, make: () => readonly HostRef[]): readonly HostRef[] {
  let byNode = memo.byNode.get(place);
  if (!byNode) memo.byNode.set(place, (byNode = new Map()));
  let refs = byNode.get(node);
  if (!refs) byNode.set(node, (refs = make()));
  return refs;
}

function memoised(memo: RecipeMemo, key: string, make: () => readonly HostRef[]): readonly HostRef[] {
  let refs = memo.refs.get(key);
  if (!refs) memo.refs.set(key, (refs = make()));
  return refs;
}

function computeHostRefs(recipe: RecipeInfo, view: MergedView): HostRef[] {
  const refs: HostRef[] = [];
  const add = (found: readonly HostRef[]) => {
    for (const ref of found) refs.push(ref);
  };
  let memo = memoByRecipe.get(recipe);
  if (!memo) {
    memo = { templates: new Map(), refs: new Map(), byNode: new Map(), environment: { list: new Map(), mapping: new Map() }, candidates: new Map() };
    memoByRecipe.set(recipe, memo);
  }
  const m = memo;
  for (const [svcName, svc] of Object.entries(view.config.services ?? {})) {
    const candidates = candidatesOf(recipe, m, svcName);
    const svcPath = ['services', svcName];
    for (const key of Object.keys(svc.environment ?? {})) {
      if (candidates.environment && !candidates.environment.has(key)) continue;
      const mergedPath = [...svcPath, 'environment', key];
      const raw = rawOf(recipe, view, mergedPath);
      if (raw) add(environmentRefs(m, svcName, key, raw, mergedPath));
    }
    for (const field of COMMAND_FIELDS) {
      if (!candidates.commands.has(field)) continue;
      const present = field === 'healthcheck' ? svc.healthcheck?.test : svc[field];
      if (!present) continue;
      const mergedPath = field === 'healthcheck' ? [...svcPath, 'healthcheck', 'test'] : [...svcPath, field];
      const raw = rawOf(recipe, view, mergedPath);
      if (raw) add(commandRefs(m, svcName, field, raw.node, mergedPath));
    }
    for (const key of Object.keys(deployLabels(svc))) {
      if (candidates.labels && !candidates.labels.has(key)) continue;
      const mergedPath = [...svcPath, 'deploy', 'labels', key];
      const raw = rawOf(recipe, view, mergedPath);
      if (raw) add(labelRefs(m, svcName, key, raw, mergedPath));
    }
    for (const ref of svc.configs ?? []) {
      const source = ref.source;
      if (source === undefined) continue;
      const def = view.config.configs?.[source];
      if (!def?.file) continue;
      const rel = recipeRelative(recipe, def.file);
      if (!rel) continue;
      let scanned = m.templates.get(rel);
      if (!m.templates.has(rel)) {
        const text = recipe.readText(rel);
        scanned = text === undefined ? undefined : { text, hits: templateHosts(text, looksLikeShell(rel, text)) };
        m.templates.set(rel, scanned);
      }
      if (!scanned) continue;
      const golang = def.template_driver === 'golang';
      add(memoised(m, JSON.stringify(['config', svcName, source, rel, golang]), () => configRefs(svcName, source, rel, golang, scanned)));
    }
  }
  return refs;
}

const COMMAND_FIELDS = ['command', 'entrypoint', 'healthcheck'] as const;
type CommandField = (typeof COMMAND_FIELDS)[number];

/** References in a command, entrypoint or healthcheck test as written (`node`: the raw string or list). */
function commandRefs(m: RecipeMemo, svcName: string, field: CommandField, node: YamlValue, mergedPath: Path): readonly HostRef[] {
  return memoisedByNode(m, `${field}\u0000${svcName}`, node, () =>
    toRefs(commandHosts(rawStrings(node).map(markInterpolate).join(' ')), {
      service: svcName,
      via: 'service',
      source: field,
      where: field === 'healthcheck' ? 'healthcheck test' : field,
      mergedPath: [...mergedPath],
      logicalPath: `services.${svcName}.${field === 'healthcheck' ? 'healthcheck.test' : field}`,
    }),
  );
}

/** References in a backupbot hook label (a command) or a URL-valued Traefik label under merged key `key`. */
function labelRefs(m: RecipeMemo, svcName: string, key: string, raw: RawValue, mergedPath: Path): readonly HostRef[] {
  const hook = HOOK_LABEL.test(key);
  const traefik = key.startsWith('traefik.');
  if (!hook && !traefik) return NO_REFS;
  const value = rawEntryValue(raw);
  if (value === undefined) return NO_REFS;
  if (traefik && !value.includes('://') && !value.includes('$')) return NO_REFS; // Traefik labels are read for URLs only
  const written = rawEntryKey(raw) ?? key;
  return memoisedByNode(m, `label\u0000${svcName}\u0000${key}\u0000${written}`, raw.node, () => {
    const text = markInterpolate(value);
    return toRefs(hook ? commandHosts(text) : urlHosts(text), {
      service: svcName,
      via: hook ? 'service' : 'traefik',
      source: 'label',
      where: `label ${written}`,
      mergedPath,
      logicalPath: `services.${svcName}.deploy.labels[${written}]`,
    });
  });
}

/**
 * The places of a service that can hold references in some view, found once per recipe from the raw files.
 * A merged value comes from one file's raw entry of the same service under the same key (keys are not
 * interpolated unless they hold a `$`), and its references are a function of that raw entry: so an entry
 * whose raw versions in every compose file have none has none in any view, and the views skip its
 * provenance look-up. `undefined` sets: a key is built from a variable, every key is looked at.
 */
interface ServiceCandidates {
  environment?: Set<string>;
  labels?: Set<string>;
  commands: Set<CommandField>;
}

function candidatesOf(recipe: RecipeInfo, m: RecipeMemo, svcName: string): ServiceCandidates {
  let found = m.candidates.get(svcName);
  if (found) return found;
  const environment = new Set<string>();
  const labels = new Set<string>();
  let everyEnvironmentKey = false;
  let everyLabel = false;
  const commands = new Set<CommandField>();
  const svcPath = ['services', svcName];
  for (const { file, doc } of recipe.composeFiles) {
    const svc = asMapping(asMapping(asMapping(doc.data)?.services)?.[svcName]);
    if (!svc) continue;
    forEachEntry(svc.environment, (key, index) => {
      if (key.includes('$')) everyEnvironmentKey = true;
      else if (!environment.has(key)) {
        const raw = { file, path: [...svcPath, 'environment', index], node: entryNode(svc.environment, index) };
        if (environmentRefs(m, svcName, key, raw, [...svcPath, 'environment', key]).length > 0) environment.add(key);
      }
    });
    const deploy = asMapping(svc.deploy);
    forEachEntry(deploy?.labels, (key, index) => {
      if (key.includes('$')) everyLabel = true;
      else if (!labels.has(key)) {
        const raw = { file, path: [...svcPath, 'deploy', 'labels', index], node: entryNode(deploy!.labels, index) };
        if (labelRefs(m, svcName, key, raw, [...svcPath, 'deploy', 'labels', key]).length > 0) labels.add(key);
      }
    });
    for (const field of COMMAND_FIELDS) {
      const node = field === 'healthcheck' ? asMapping(svc.healthcheck)?.test : svc[field];
      if (node === undefined || node === null || commands.has(field)) continue;
      const mergedPath = field === 'healthcheck' ? [...svcPath, 'healthcheck', 'test'] : [...svcPath, field];
      if (commandRefs(m, svcName, field, node, mergedPath).length > 0) commands.add(field);
    }
  }
  found = { environment: everyEnvironmentKey ? undefined : environment, labels: everyLabel ? undefined : labels, commands };
  m.candidates.set(svcName, found);
  return found;
}

/** Each entry of a raw `KEY=value` list or mapping: its key, and its index or key in the raw node. */
function forEachEntry(node: YamlValue | undefined, visit: (key: string, at: string | number) => void): void {
  if (Array.isArray(node)) {
    node.forEach((entry, i) => {
      if (typeof entry !== 'string') return;
      const eq = entry.indexOf('=');
      visit(eq < 0 ? entry : entry.slice(0, eq), i);
    });
    return;
  }
  const map = asMapping(node);
  if (map) for (const key of Object.keys(map)) visit(key, key);
}

function entryNode(node: YamlValue | undefined, at: string | number): YamlValue {
  return (Array.isArray(node) ? node[at as number] : asMapping(node)![at as string]) ?? null;
}

function configRefs(svcName: string, source: string, rel: string, golang: boolean, scanned: { text: string; hits: HostHit[] }): HostRef[] {
  const refs: HostRef[] = [];
  const seen = new Map<string, number>();
  for (const hit of scanned.hits) {
    const short = shortName(hit.host);
    if (!short) continue;
    const n = (seen.get(hit.host) ?? 0) + 1;
    seen.set(hit.host, n);
    const start = lineColumn(scanned.text, hit.start);
    const end = lineColumn(scanned.text, hit.end);
    refs.push({
      service: svcName,
      via: 'service',
      written: hit.host,
      name: short.name,
      source: 'config',
      where: `${rel} (${hit.context})`,
      template: { file: rel, golang },
      file: rel,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column,
      logicalPath: `configs.${source}[${hit.host}${n > 1 ? `#${n}` : ''}]`,
    });
  }
  return refs;
}

/** Where to point a report about a reference. */
export function refLocation(ref: HostRef, view: RecipeView) {
  if (ref.file !== undefined && ref.line !== undefined) {
    return { file: ref.file, line: ref.line, column: ref.column, endLine: ref.endLine, endColumn: ref.endColumn, view, logicalPath: ref.logicalPath };
  }
  return { view, mergedPath: ref.mergedPath, at: 'value' as const, logicalPath: ref.logicalPath };
}
