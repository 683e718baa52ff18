// docker stack's merge of typed configs (cli/compose/loader/merge.go: mergo with WithOverride,
// WithAppendSlice and docker's transformers), file by file, recording where every value came from
// and what was silently lost. Inputs are never mutated; unchanged subtrees are shared.
import type { Path, PathSeg } from '../load/types.js';
import { compareGoStrings } from './go.js';
import { setKey } from './normalise.js';
import { childProv, definedByOf, fileProv, originOf, provenanceOf } from './provenance.js';
import type { ProvNode } from './provenance.js';
import { DEFINITION_SECTIONS, SERVICE_SPEC } from './spec.js';
import type { ListMerge, StructSpec, TypeSpec } from './spec.js';
import type { ComposeConfig, ConfigObject, ConfigValue, DroppedEntry, MergeResult, NormalisedFile } from './types.js';

/** A value and its provenance; `value` undefined means absent (Go's nil or zero). */
interface Side {
  value: ConfigValue | undefined;
  prov: ProvNode;
}

class MergeError extends Error {}

function isObject(v: ConfigValue | undefined): v is ConfigObject {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v);
}

function side(value: ConfigValue | undefined, prov: ProvNode): Side {
  return { value, prov };
}

function childSide(s: Side, seg: PathSeg): Side {
  const v = s.value;
  let value: ConfigValue | undefined;
  if (Array.isArray(v)) value = typeof seg === 'number' ? v[seg] : undefined;
  else if (isObject(v) && typeof seg === 'string' && Object.hasOwn(v, seg)) value = v[seg];
  return side(value, childProv(s.prov, seg));
}

/**
 * The overlay's node, noting that the base mentioned the same place. `inherits`: a node answering for the
 * children not in `kids`.
 */
function mentionedByBoth(base: ProvNode, over: ProvNode, kids?: Map<PathSeg, ProvNode>, inherits?: ProvNode): ProvNode {
  return {
    file: over.file,
    origin: over.origin,
    ...(kids && kids.size > 0 ? { kids } : {}),
    ...(inherits ? { inherits } : {}),
    definedBy: [...definedByOf(base), originOf(over)],
    ...(over.replaced ? { replaced: over.replaced } : {}),
  };
}

/** The overlay's value replacing the base's. */
function replacing(base: Side, over: Side): Side {
  return {
    value: over.value,
    prov: {
      ...over.prov,
      definedBy: [...definedByOf(base.prov), originOf(over.prov)],
      replaced: [...(base.prov.replaced ?? []), originOf(base.prov)],
    },
  };
}

function isZeroScalar(v: ConfigValue | undefined): boolean {
  return v === undefined || v === null || v === '' || v === false || v === 0 || v === 0n || v === '0s';
}

function goTypeName(v: ConfigValue | undefined): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (typeof v === 'object') return 'map[string]interface {}';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return v > 2n ** 63n - 1n ? 'uint64' : 'int';
  return Number.isInteger(v) && !Object.is(v, -0) && Math.abs(v) < 2 ** 53 ? 'int' : 'float64';
}

const KEYED_WHAT: Record<string, string> = { ports: 'port', volumes: 'volume', secrets: 'secret', configs: 'config' };

class Merger {
  readonly dropped: DroppedEntry[] = [];

  // --- by spec ---------------------------------------------------------------------------------

  field(spec: TypeSpec, b: Side, o: Side, path: Path): Side {
    switch (spec.kind) {
      case 'scalar':
        return this.scalar(spec, b, o);
      case 'struct':
        return spec.merge === 'logging' ? this.logging(b, o, path) : this.struct(spec, b, o, path);
      case 'list':
        return this.list(spec.merge, b, o, path);
      case 'map':
        return this.map(spec.merge, b, o);
      default:
        return o.value === undefined ? b : o;
    }
  }

  private scalar(spec: Extract<TypeSpec, { kind: 'scalar' }>, b: Side, o: Side): Side {
    if (o.value === undefined) return b;
    if (b.value === undefined) return o;
    // *Duration and *bool: a set base keeps its value against an overlay zero; *uint64 takes any value.
    if (spec.pointer && (spec.type === 'duration' || spec.type === 'bool') && isZeroScalar(o.value)) return b;
    return replacing(b, o);
  }

  /** Field by field. `always`: docker merges the struct even when the overlay is empty (a service). */
  struct(spec: StructSpec, b: Side, o: Side, path: Path, always = false): Side {
    if (o.value === undefined && !always) return b;
    if (b.value === undefined || b.value === null) return o;
    if (!isObject(b.value) || !isObject(o.value ?? {})) return o;
    const base = b.value;
    const over = (o.value ?? {}) as ConfigObject;
    const out: ConfigObject = {};
    const kids = new Map<PathSeg, ProvNode>();
    for (const [name, fieldSpec] of spec.fields) {
      if (!Object.hasOwn(base, name) && !Object.hasOwn(over, name)) continue;
      const merged = this.field(fieldSpec, childSide(b, name), childSide(o, name), [...path, name]);
      if (merged.value === undefined) continue;
      setKey(out, name, merged.value);
      kids.set(name, merged.prov);
    }
    if (spec.extensions) this.extensions(b, o, out, kids, path);
    const prov = o.value === undefined ? { ...b.prov, kids } : mentionedByBoth(b.prov, o.prov, kids);
    return side(out, prov);
  }

  // --- lists -----------------------------------------------------------------------------------

  private list(merge: ListMerge, b: Side, o: Side, path: Path): Side {
    const base = b.value as ConfigValue[] | undefined;
    const over = o.value as ConfigValue[] | undefined;
    if (merge === 'command') return over && over.length > 0 ? (base ? replacing(b, o) : o) : b;
    // docker's keyed transformers run only on a non-nil base list; otherwise mergo appends.
    if (merge !== 'append' && base !== undefined) return this.keyed(merge, b, o, path);
    if (!over || over.length === 0) return b;
    if (!base) return o;
    // The base's entries keep their indexes: their provenance is the base's.
    const kids = new Map<PathSeg, ProvNode>();
    over.forEach((_, i) => kids.set(base.length + i, childProv(o.prov, i)));
    return side([...base, ...over], mentionedByBoth(b.prov, o.prov, kids, b.prov));
  }

  /** ports by published port, volumes by target, secrets/configs by source: last wins, sorted by key. */
  private keyed(merge: Exclude<ListMerge, 'append' | 'command'>, b: Side, o: Side, path: Path): Side {
    // Go builds one map from each list (collapsing duplicates), then lets the overlay's map override.
    const entries = new Map<string | number, { entry: Side; fromOverlay: boolean }>();
    const add = (list: Side, fromOverlay: boolean) => {
      ((list.value as ConfigValue[] | undefined) ?? []).forEach((value, i) => {
        const key = keyOf(merge, value);
        const incoming = childSide(list, i);
        const previous = entries.get(key);
        const overlayReplacesBase = fromOverlay && previous !== undefined && !previous.fromOverlay;
        if (previous) this.collapsed(merge, previous.entry, incoming, overlayReplacesBase, path);
        entries.set(key, { entry: overlayReplacesBase ? replacing(previous.entry, incoming) : incoming, fromOverlay });
      });
    };
    add(b, false);
    add(o, true);
    const keys = [...entries.keys()].sort((x, y) =>
      typeof x === 'number' && typeof y === 'number' ? x - y : compareGoStrings(String(x), String(y)),
    );
    const kids = new Map<PathSeg, ProvNode>();
    const value = keys.map((key, i) => {
      const { entry } = entries.get(key)!;
      kids.set(i, entry.prov);
      return entry.value as ConfigValue;
    });
    const prov = o.value === undefined ? { ...b.prov, kids } : mentionedByBoth(b.prov, o.prov, kids);
    return side(value, prov);
  }

  private collapsed(merge: string, lost: Side, by: Side, overlayReplacesBase: boolean, path: Path): void {
    const kind = KEYED_WHAT[merge];
    const lostEntry = lost.value as ConfigObject;
    const byEntry = by.value as ConfigObject;
    if (overlayReplacesBase && merge !== 'ports') {
      // Replacing a base entry is how an overlay changes a mount; only a different target is lost.
      if (merge === 'volumes' || lostEntry.target === byEntry.target) return;
    }
    const reasons: Record<string, string> = {
      ports: `docker keys a service's ports by published port only (an unpublished port counts as 0), so this entry is replaced by the later one with published port ${byEntry.published ?? 0}`,
      volumes: `docker keys a service's volumes by target, so this mount of ${String(byEntry.target)} is replaced by the later one`,
      secrets: `docker keys a service's secrets by source, so only one mount of secret ${String(byEntry.source)} survives`,
      configs: `docker keys a service's configs by source, so only one mount of config ${String(byEntry.source)} survives`,
    };
    this.dropped.push({ what: `${kind}-collapsed`, path, origin: originOf(lost.prov), by: originOf(by.prov), reason: reasons[merge] });
  }

  // --- maps ------------------------------------------------------------------------------------

  private map(merge: string, b: Side, o: Side): Side {
    if (o.value === undefined || o.value === null) return b;
    if (b.value === undefined || b.value === null) return o;
    const base = b.value as ConfigObject;
    const over = o.value as ConfigObject;
    const out: ConfigObject = { ...base };
    // Entries only the base has keep the base's provenance (inherited); the overlay's get nodes.
    const kids = new Map<PathSeg, ProvNode>();
    for (const key of Object.keys(over)) {
      const merged = this.mapEntry(merge, Object.hasOwn(base, key) ? childSide(b, key) : undefined, childSide(o, key));
      setKey(out, key, merged.value as ConfigValue);
      kids.set(key, merged.prov);
    }
    return side(out, mentionedByBoth(b.prov, o.prov, kids, b.prov));
  }

  private mapEntry(merge: string, b: Side | undefined, o: Side): Side {
    if (!b) return o;
    switch (merge) {
      case 'env': {
        // mergo: a non-empty overlay string wins; null or "" only fills an empty base.
        const overlayEmpty = o.value === null || o.value === '';
        const baseEmpty = b.value === null || b.value === '';
        return !overlayEmpty || baseEmpty ? replacing(b, o) : b;
      }
      case 'networks':
        return this.serviceNetwork(b, o);
      default:
        return replacing(b, o);
    }
  }

  /** mergeServiceNetworkConfig: aliases from the overlay (even none), addresses when set, driver_opts kept. */
  private serviceNetwork(b: Side, o: Side): Side {
    if (b.value === null) return replacing(b, o);
    if (o.value === null) return b;
    const base = b.value as ConfigObject;
    const over = o.value as ConfigObject;
    const out: ConfigObject = {};
    const kids = new Map<PathSeg, ProvNode>();
    const take = (key: string, from: Side) => {
      const s = childSide(from, key);
      if (s.value === undefined) return;
      setKey(out, key, s.value);
      kids.set(key, from === o && Object.hasOwn(base, key) ? replacing(childSide(b, key), s).prov : s.prov);
    };
    take('aliases', o);
    take('driver_opts', b);
    take('ipv4_address', over.ipv4_address ? o : b);
    take('ipv6_address', over.ipv6_address ? o : b);
    return side(out, mentionedByBoth(b.prov, o.prov, kids));
  }

  /** mergeLoggingConfig, including docker's bug: a base without options loses the overlay's options. */
  private logging(b: Side, o: Side, path: Path): Side {
    if (o.value === undefined) return b;
    if (b.value === undefined) return o;
    const base = b.value as ConfigObject;
    const over = o.value as ConfigObject;
    const baseDriver = (base.driver as string | undefined) ?? '';
    const overDriver = (over.driver as string | undefined) ?? '';
    if (baseDriver !== overDriver && baseDriver !== '' && overDriver !== '') return replacing(b, o);
    const out: ConfigObject = {};
    const kids = new Map<PathSeg, ProvNode>();
    const driver = baseDriver === '' && overDriver !== '' ? childSide(o, 'driver') : childSide(b, 'driver');
    if (driver.value !== undefined) {
      out.driver = driver.value;
      kids.set('driver', driver.prov);
    }
    const options = childSide(b, 'options');
    const overOptions = childSide(o, 'options');
    if (options.value !== undefined) {
      const merged = this.map('override', options, overOptions);
      out.options = merged.value as ConfigValue;
      kids.set('options', merged.prov);
    } else if (isObject(overOptions.value)) {
      for (const key of Object.keys(overOptions.value)) {
        this.dropped.push({
          what: 'logging-options-lost',
          path: [...path, 'options', key],
          origin: originOf(childProv(overOptions.prov, key)),
          by: originOf(b.prov),
          reason:
            "docker's merge of logging options writes into the base service's options map, and the base logging section has none: the option is lost (docker bug)",
        });
      }
    }
    return side(out, mentionedByBoth(b.prov, o.prov, kids));
  }

  // --- x- keys on a service --------------------------------------------------------------------

  private extensions(b: Side, o: Side, out: ConfigObject, kids: Map<PathSeg, ProvNode>, path: Path): void {
    const base = b.value as ConfigObject;
    const over = (o.value ?? {}) as ConfigObject;
    for (const key of Object.keys(base)) {
      if (!key.startsWith('x-') || Object.hasOwn(over, key)) continue;
      setKey(out, key, base[key]);
      kids.set(key, childProv(b.prov, key));
    }
    for (const key of Object.keys(over)) {
      if (!key.startsWith('x-')) continue;
      const merged = this.anyEntry(Object.hasOwn(base, key) ? childSide(b, key) : undefined, childSide(o, key), [...path, key]);
      setKey(out, key, merged.value as ConfigValue);
      kids.set(key, merged.prov);
    }
  }

  /** mergo on interface{} values: maps deep-merged, lists appended, anything else (null included) overrides. */
  private anyEntry(b: Side | undefined, o: Side, path: Path): Side {
    if (!b) return o;
    if (Array.isArray(o.value)) {
      if (b.value === null) return o;
      if (!Array.isArray(b.value)) {
        throw new MergeError(`cannot append two slices with different type ([]interface {}, ${goTypeName(b.value)})`);
      }
      return this.list('append', b, o, path);
    }
    if (isObject(o.value) && isObject(b.value)) {
      const out: ConfigObject = { ...b.value };
      const kids = new Map<PathSeg, ProvNode>();
      for (const key of Object.keys(b.value)) kids.set(key, childProv(b.prov, key));
      for (const key of Object.keys(o.value)) {
        const merged = this.anyEntry(Object.hasOwn(b.value, key) ? childSide(b, key) : undefined, childSide(o, key), [...path, key]);
        setKey(out, key, merged.value as ConfigValue);
        kids.set(key, merged.prov);
      }
      return side(out, mentionedByBoth(b.prov, o.prov, kids));
    }
    return replacing(b, o);
  }
}

function keyOf(merge: string, entry: ConfigValue): string | number {
  const e = (entry ?? {}) as ConfigObject;
  if (merge === 'ports') return Number(e.published ?? 0);
  if (merge === 'volumes') return String(e.target ?? '');
  return String(e.source ?? '');
}

// ---------------------------------------------------------------------------------------------

interface Accumulated {
  config: ComposeConfig;
  prov: ProvNode;
  files: string[];
}

function start(first: NormalisedFile): Accumulated {
  return { config: first.config, prov: fileProv(first.file, first.origins), files: [first.file] };
}

function valueAt(config: ConfigValue | undefined, path: Path): ConfigValue | undefined {
  let v = config;
  for (const seg of path) {
    if (v === null || v === undefined || typeof v !== 'object') return undefined;
    v = Array.isArray(v) ? (typeof seg === 'number' ? v[seg] : undefined) : typeof seg === 'string' && Object.hasOwn(v, seg) ? v[seg] : undefined;
  }
  return v;
}

function provAt(node: ProvNode, path: Path): ProvNode {
  let n = node;
  for (const seg of path) n = childProv(n, seg);
  return n;
}

function isEmptyValue(v: ConfigValue | undefined): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.keys(v).length === 0;
  return isZeroScalar(v);
}

/** Merges one more file into the accumulated config: services field by field, definitions replaced. */
function mergeFile(acc: Accumulated, next: NormalisedFile, merger: Merger): Accumulated {
  const nextProv = fileProv(next.file, next.origins);
  const base = acc.config;
  const over = next.config;
  const config: ComposeConfig = { ...base };
  const rootKids = new Map<PathSeg, ProvNode>(acc.prov.kids ?? []);

  const services: Record<string, ConfigObject> = {};
  const serviceKids = new Map<PathSeg, ProvNode>();
  const baseServices = side(base.services, childProv(acc.prov, 'services'));
  const overServices = side(over.services, childProv(nextProv, 'services'));
  const names = new Set([...Object.keys(base.services), ...Object.keys(over.services)]);
  for (const name of [...names].sort(compareGoStrings)) {
    const b = childSide(baseServices, name);
    const o = childSide(overServices, name);
    let merged: Side;
    if (b.value === undefined) merged = o;
    else if (o.value === undefined) merged = b;
    else {
      try {
        merged = merger.struct(SERVICE_SPEC, b, o, ['services', name], true);
      } catch (err) {
        if (err instanceof MergeError) throw new MergeError(`cannot merge services from ${next.file}: cannot merge service ${name}: ${err.message}`);
        throw err;
      }
      reportUnclearedZeros(next, name, b, merger);
    }
    setKey(services, name, merged.value as ConfigObject);
    serviceKids.set(name, merged.prov);
  }
  config.services = services;
  const servicesMentioned = Object.keys(over.services).length > 0 ? overServices.prov : baseServices.prov;
  rootKids.set('services', { file: servicesMentioned.file, origin: servicesMentioned.origin, kids: serviceKids });

  for (const section of DEFINITION_SECTIONS) {
    const overDefs = over[section];
    if (!overDefs) continue;
    const sectionProv = childProv(nextProv, section);
    const baseSide = side(base[section], childProv(acc.prov, section));
    const defs: Record<string, ConfigObject> = { ...(base[section] ?? {}) };
    const kids = new Map<PathSeg, ProvNode>();
    for (const name of Object.keys(defs)) kids.set(name, childProv(baseSide.prov, name));
    for (const name of Object.keys(overDefs)) {
      const o = side(overDefs[name], childProv(sectionProv, name));
      const b = base[section] && Object.hasOwn(base[section]!, name) ? childSide(baseSide, name) : undefined;
      setKey(defs, name, overDefs[name]);
      kids.set(name, b ? replacing(b, o).prov : o.prov);
      if (b) {
        merger.dropped.push({
          what: 'definition-replaced',
          path: [section, name],
          origin: originOf(b.prov),
          by: originOf(o.prov),
          reason: `docker replaces a top-level ${section.replace(/s$/, '')} definition wholesale: ${next.file}'s definition of ${name} replaces the earlier one, field by field nothing is merged`,
        });
      }
    }
    config[section] = defs;
    rootKids.set(section, { file: next.file, origin: sectionProv.origin, kids });
  }

  for (const key of Object.keys(over)) {
    if (!key.startsWith('x-')) continue;
    merger.dropped.push({
      what: 'extension-dropped',
      path: [key],
      origin: { file: next.file, path: [key] },
      reason: `docker keeps only the first file's top-level x- sections: ${next.file}'s ${key} is dropped`,
    });
  }
  return { config, prov: { ...acc.prov, kids: rootKids }, files: [...acc.files, next.file] };
}

/** An overlay's empty list/map/zero that left a non-empty base value in place: docker cannot clear. */
function reportUnclearedZeros(next: NormalisedFile, name: string, b: Side, merger: Merger): void {
  for (const zero of next.zeros) {
    if (zero.path[0] !== 'services' || zero.path[1] !== name) continue;
    const rel = zero.path.slice(2);
    const before = valueAt(b.value, rel);
    if (before === undefined || isEmptyValue(before)) continue;
    const what = zero.kind === 'scalar' ? 'value' : zero.kind === 'list' ? 'list' : 'mapping';
    merger.dropped.push({
      what: 'empty-not-cleared',
      path: zero.path,
      origin: { file: next.file, path: zero.raw },
      by: originOf(provAt(b.prov, rel)),
      reason:
        zero.kind === 'scalar'
          ? `docker never lets an empty, false, zero or unset ${what} override an earlier value: the earlier value stays`
          : `an empty ${what} in a later file does not clear the earlier file's entries: docker merges, it never clears`,
    });
  }
}

/**
 * docker stack's merge of the files' typed configs, in -c order. The result's config is docker's
 * merged config (services sorted by name); provenance answers which file and raw path each merged
 * value came from, and `dropped` lists what the merge silently lost.
 */
export function mergeNormalised(files: readonly NormalisedFile[], prefixes?: MergePrefixes): MergeResult {
  if (files.length === 0) throw new Error('mergeNormalised: no files');
  let node = prefixes?.first.get(files[0]);
  if (!node) {
    node = { acc: start(files[0]), dropped: [], next: new Map() };
    prefixes?.first.set(files[0], node);
  }
  for (const next of files.slice(1)) {
    if (node.error !== undefined) break;
    let child = node.next.get(next);
    if (!child) {
      const merger = new Merger();
      let acc: Accumulated = node.acc;
      let error: string | undefined;
      try {
        acc = mergeFile(node.acc, next, merger);
      } catch (err) {
        if (!(err instanceof MergeError)) throw err;
        error = err.message;
      }
      child = { acc, dropped: [...node.dropped, ...merger.dropped], next: new Map(), ...(error !== undefined ? { error } : {}) };
      node.next.set(next, child);
    }
    node = child;
  }
  let acc = node.acc;
  if (files.length === 1) acc = { ...acc, config: { ...acc.config, services: sortedServices(acc.config.services) } };
  const dropped = [...files.flatMap((f) => f.dropped), ...node.dropped];
  const provenance = provenanceOf(acc.config as unknown as ConfigValue, acc.prov);
  return { config: acc.config, provenance, dropped, ...provenance, ...(node.error !== undefined ? { error: node.error } : {}) };
}

/**
 * The merges of leading files, kept for other merges that start with the same files: a recipe's views mostly
 * do (`compose.yml`, then `compose.yml` + an overlay, …). Merged configs are never mutated, so they are shared.
 */
export class MergePrefixes {
  readonly first = new Map<NormalisedFile, PrefixMerge>();
}

interface PrefixMerge {
  acc: Accumulated;
  /** What the merge steps so far dropped (the files' own dropped entries come first, added at the end). */
  dropped: DroppedEntry[];
  /** The error of the last step: the merge stops there. */
  error?: string;
  next: Map<NormalisedFile, PrefixMerge>;
}

function sortedServices(services: Record<string, ConfigObject>): Record<string, ConfigObject> {
  const out: Record<string, ConfigObject> = {};
  for (const name of Object.keys(services).sort(compareGoStrings)) setKey(out, name, services[name]);
  return out;
}

/** The same as mergeNormalised. */
export const mergeFiles = mergeNormalised;
