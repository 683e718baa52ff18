// Runs one list of compose files through the stages in docker's order — per file: version check,
// forbidden properties, interpolation, schema, typed load; then the merge — and keeps every stage's
// findings for the linter besides the first failure docker would print. Per-file work is memoised
// so the many views of a recipe share it.
import { NonStringKeyMap } from '../load/types.js';
import type { FileDoc, Path, PathSeg, YamlValue } from '../load/types.js';
import { interpolateConfig, interpolateString } from '../interpolate/index.js';
import { valueAt } from '../load/path.js';
import type { ConfigInterpolationError } from '../interpolate/index.js';
import { dockerVersion, findForbiddenProperties, validateFile, versionMismatchMessage } from '../schema/index.js';
import type { ForbiddenProperty, SchemaViolation } from '../schema/index.js';
import { MergePrefixes, mergeNormalised, normaliseFile } from '../merge/index.js';
import type { MergeResult, NormaliseContext, NormalisedFile } from '../merge/index.js';
import { pushAll } from '../load/collections.js';

export interface StackOptions {
  /** Variable lookup for interpolation (docker: the process environment). */
  lookup: (name: string) => string | undefined;
  skipInterpolation?: boolean;
  /** Directory of the first file: relative paths resolve against it. */
  workingDir: string;
  home?: string;
  /**
   * Reads an env_file (absolute path) that the compose file `namedBy` (its `file`) names; returns its text or
   * docker's error text. Per file, as the stages it feeds are shared across views.
   */
  readEnvFile: (absPath: string, namedBy: string) => { ok: true; text: string } | { ok: false; message: string };
  /** Shares per-file stages with other loads (of other views) given the same cache. */
  cache?: StackCache;
}

export interface FileStages {
  file: string;
  version: string;
  forbidden: ForbiddenProperty[];
  /** docker's text for the forbidden check when it fails (config wording). */
  forbiddenMessage?: string;
  interpolationErrors: ConfigInterpolationError[];
  /** Values left as written: substituting them would pass the interpolation length limits. */
  interpolationTooLong: Path[];
  /** The interpolated data, when interpolation succeeded. */
  interpolated?: YamlValue;
  schemaViolations: SchemaViolation[];
  schemaMessage?: string;
  normalised?: NormalisedFile;
  /**
   * When the file failed before docker's typed load (forbidden key, interpolation, schema): the typed load of
   * what is left once every refused value is taken out, so that the linter judges the rest of the file.
   */
  salvaged?: NormalisedFile;
  /** The first failure of this file, in docker's words. */
  failure?: string;
}

export interface StackFailure {
  file: string;
  message: string;
  path?: Path;
}

export interface StackResult {
  files: FileStages[];
  /** The merged config (undefined when a file failed). */
  merged?: MergeResult;
  failure?: StackFailure;
  /**
   * When a file failed but every file parsed: the merge of what loaded (each file without the values docker
   * refused), for the linter's other rules. Never what `docker stack config` prints.
   */
  partial?: MergeResult;
  /** docker's logrus warnings, in order, without the time= prefix: `msg` texts. */
  warnings: string[];
}

/**
 * Memoised per-file stages. A file's stages depend on the environment only through the variables they look
 * up, so stages computed under one environment serve another that gives every one of those the same value:
 * a recipe's abra view and its deploy views share the work for every file whose variables agree.
 */
export class StackCache {
  private readonly entries = new Map<FileDoc, Map<string, MemoisedStages[]>>();
  /** Merges of leading files, shared by the loads that start with the same (memoised) files. */
  readonly merges = new MergePrefixes();

  get(doc: FileDoc, key: string, lookup: (name: string) => string | undefined, make: (lookup: (name: string) => string | undefined) => FileStages): FileStages {
    let byKey = this.entries.get(doc);
    if (!byKey) this.entries.set(doc, (byKey = new Map()));
    let candidates = byKey.get(key);
    if (!candidates) byKey.set(key, (candidates = []));
    for (const candidate of candidates) {
      if (sameLookups(candidate.lookups, lookup)) return candidate.stages;
    }
    const lookups = new Map<string, string | undefined>();
    const recording = (name: string) => {
      const value = lookup(name);
      lookups.set(name, value);
      return value;
    };
    const stages = make(recording);
    candidates.push({ lookups, stages });
    return stages;
  }
}

interface MemoisedStages {
  /** Every variable the stages looked up, with the value they got. */
  lookups: ReadonlyMap<string, string | undefined>;
  stages: FileStages;
}

function sameLookups(recorded: ReadonlyMap<string, string | undefined>, lookup: (name: string) => string | undefined): boolean {
  for (const [name, value] of recorded) if (lookup(name) !== value) return false;
  return true;
}

/** Stages of one file (without the cross-file version check). */
function runFileStages(doc: FileDoc, version: string, options: StackOptions, ctx: NormaliseContext): FileStages {
  const lookup = ctx.lookup;
  const data = doc.data as YamlValue;
  const stages: FileStages = {
    file: doc.file,
    version: dockerVersion(data),
    forbidden: [],
    interpolationErrors: [],
    interpolationTooLong: [],
    schemaViolations: [],
  };
  const forbidden = findForbiddenProperties(data);
  stages.forbidden = forbidden.properties;
  stages.forbiddenMessage = forbidden.dockerMessage;
  let current = data;
  if (!options.skipInterpolation) {
    const interpolated = interpolateConfig(data, lookup, { skipUses: true });
    stages.interpolationErrors = interpolated.errors;
    stages.interpolationTooLong = interpolated.tooLong;
    current = interpolated.data;
    if (!interpolated.error) stages.interpolated = current;
    stages.failure ??= forbidden.dockerMessage ?? interpolated.error?.dockerMessage;
  } else {
    stages.interpolated = current;
    stages.failure ??= forbidden.dockerMessage;
  }
  const schema = validateFile(current, version);
  stages.schemaViolations = schema.violations;
  stages.schemaMessage = schema.dockerMessage;
  stages.failure ??= schema.dockerMessage;
  if (!stages.failure) {
    const normalised = normaliseFile(current, doc.file, ctx, doc);
    stages.normalised = normalised;
    stages.failure ??= normalised.error;
  } else {
    stages.salvaged = salvage(current, stages, ctx, doc);
  }
  return stages;
}

const REFUSED = Symbol('refused');

/**
 * The typed load of a file that failed before it, on what is left once the refused values are dealt with: a
 * value whose substitution failed (a required variable unset) as docker substitutes it with the failed parts
 * empty, or taken out when its cast failed; the forbidden keys and every value the schema refuses (an unknown
 * key, a value of the wrong type) taken out. A missing required key removes nothing. Undefined when nothing
 * sensible is left (or the load itself throws on what it was never meant to see).
 */
function salvage(data: YamlValue, stages: FileStages, ctx: NormaliseContext, doc: FileDoc): NormalisedFile | undefined {
  const edits: Array<[Path, YamlValue | typeof REFUSED]> = [];
  for (const e of stages.interpolationErrors) {
    const raw = valueAt(doc.data, e.path);
    const cast = e.dockerMessage.includes('failed to cast to expected type');
    edits.push([e.path, typeof raw === 'string' && !cast ? interpolateString(raw, ctx.lookup).value : REFUSED]);
  }
  for (const f of stages.forbidden) edits.push([f.path, REFUSED]);
  for (const v of stages.schemaViolations) if (v.keyword !== 'required' && v.keyword !== 'version') edits.push([v.path, REFUSED]);
  const kept = edited(data, edits.filter(([path]) => path.length > 0));
  if (kept === REFUSED || kept === null || typeof kept !== 'object' || Array.isArray(kept)) return undefined;
  try {
    return normaliseFile(kept, doc.file, ctx, doc);
  } catch {
    return undefined;
  }
}

/**
 * `value` with the values at the edits' paths replaced, or taken out (REFUSED: list items taken out, not left as
 * holes); copied along those paths only. A path under one taken out is moot.
 */
function edited(value: YamlValue, edits: ReadonlyArray<readonly [Path, YamlValue | typeof REFUSED]>): YamlValue | typeof REFUSED {
  const here = edits.filter(([path]) => path.length === 0);
  if (here.some(([, to]) => to === REFUSED)) return REFUSED;
  if (here.length > 0) return here[here.length - 1][1];
  if (edits.length === 0 || value === null || typeof value !== 'object' || value instanceof NonStringKeyMap) return value;
  const byHead = new Map<PathSeg, Array<readonly [Path, YamlValue | typeof REFUSED]>>();
  for (const [path, to] of edits) {
    const rest = byHead.get(path[0]) ?? [];
    rest.push([path.slice(1), to]);
    byHead.set(path[0], rest);
  }
  if (Array.isArray(value)) {
    const out: YamlValue[] = [];
    value.forEach((item, i) => {
      const inside = byHead.get(i);
      const kept = inside ? edited(item, inside) : item;
      if (kept !== REFUSED) out.push(kept);
    });
    return out;
  }
  // A mapping keeps its prototype (or its lack of one) and keys such as __proto__ as own properties.
  const mapping = value as Record<string, YamlValue>;
  const out = Object.create(Object.getPrototypeOf(value)) as Record<string, YamlValue>;
  for (const key of Object.keys(mapping)) {
    const inside = byHead.get(key);
    const kept = inside ? edited(mapping[key], inside) : mapping[key];
    if (kept !== REFUSED) Object.defineProperty(out, key, { value: kept, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** The merge of what loaded of each file, when every file has something (see StackResult.partial). */
function partialMerge(files: readonly FileStages[], cache: StackCache | undefined): { partial?: MergeResult } {
  const loaded = files.map((f) => f.normalised ?? f.salvaged);
  if (loaded.length === 0 || loaded.some((f) => f === undefined)) return {};
  const merged = mergeNormalised(loaded as NormalisedFile[], cache?.merges);
  return merged.error ? {} : { partial: merged };
}

/** docker stack config / deploy's load of `docs` (already parsed, in -c order). */
export function loadStack(docs: FileDoc[], options: StackOptions): StackResult {
  const warnings: string[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) {
      return { files: [], warnings, failure: { file: doc.file, message: doc.errors[0].dockerMessage } };
    }
  }
  const cache = options.cache;
  const firstVersion = dockerVersion(docs[0].data as YamlValue);
  const ctx: Omit<NormaliseContext, 'readEnvFile'> = {
    workingDir: options.workingDir,
    home: options.home,
    lookup: options.lookup,
  };
  // The environment is not part of the key: the cache compares the variables a file's stages looked up.
  const key = [options.skipInterpolation ? 'raw' : 'interp', firstVersion, options.workingDir, options.home ?? ''].join('\u0000');
  const files: FileStages[] = [];
  let failure: StackFailure | undefined;
  for (const doc of docs) {
    const docCtx: NormaliseContext = { ...ctx, readEnvFile: (abs) => options.readEnvFile(abs, doc.file) };
    const stages = cache === undefined
      ? runFileStages(doc, firstVersion, options, docCtx)
      : cache.get(doc, key, options.lookup, (lookup) => runFileStages(doc, firstVersion, options, { ...docCtx, lookup }));
    files.push(stages);
    if (failure) continue;
    if (stages.version !== firstVersion) {
      failure = { file: doc.file, message: versionMismatchMessage(firstVersion, stages.version), path: ['version'] };
      continue;
    }
    if (stages.normalised) pushAll(warnings, stages.normalised.warnings);
    if (stages.failure) failure = { file: doc.file, message: stages.failure };
  }
  if (failure) return { files, failure, warnings, ...partialMerge(files, cache) };
  const merged = mergeNormalised(files.map((f) => f.normalised!), cache?.merges);
  if (merged.error) return { files, warnings, failure: { file: docs[docs.length - 1].file, message: merged.error } };
  return { files, merged, warnings };
}
