// The typed, normalised shape of a compose file as docker's loader builds it (cli/compose/types), as
// plain data keyed like the YAML docker prints, plus where every value came from.
import type { Origin, Path, PathSeg } from '../load/types.js';

/** A value of the typed config: what `docker stack config` would print at that place. */
export type ConfigValue = string | number | bigint | boolean | null | ConfigValue[] | ConfigObject;
export interface ConfigObject {
  [key: string]: ConfigValue;
}

/**
 * The typed config. Services and definitions are keyed by name; service fields use docker's YAML names
 * (`stop_grace_period`, `ports` as long syntax, `environment` as a map, durations as Go strings `1m30s`,
 * memory as a byte count, x- keys inline). Non-pointer zero values (`""`, false, 0) are absent, as docker
 * cannot tell them from unset; pointer fields (`replicas`, `init`, `stop_grace_period`, …) keep zeros.
 */
export interface ComposeConfig {
  version: string;
  services: Record<string, ConfigObject>;
  networks?: Record<string, ConfigObject>;
  volumes?: Record<string, ConfigObject>;
  secrets?: Record<string, ConfigObject>;
  configs?: Record<string, ConfigObject>;
  /** Top-level x- sections, inline as in the YAML (kept from the first file only when merging). */
  [extension: `x-${string}`]: ConfigValue;
}

/**
 * Where each part of a normalised value came from in its file's raw document. Children not listed map
 * by identity (raw path + the same key or index); `kids` lists those normalisation moved or made.
 */
export interface OriginNode {
  readonly raw: Path;
  readonly kids?: ReadonlyMap<PathSeg, OriginNode>;
}

/** Something a merge (or docker's typed load) silently lost. Same shape the rules read. */
export interface DroppedEntry {
  /**
   * `port-collapsed`, `volume-collapsed`, `secret-collapsed`, `config-collapsed` (keyed list entries
   * with the same key), `definition-replaced` (a top-level definition replaced wholesale),
   * `extension-dropped` (an overlay's top-level x- section), `field-dropped` (accepted by the schema,
   * dropped by docker's types: oom_score_adj, build.shm_size, x- of non-external networks/volumes),
   * `empty-not-cleared` (an overlay's empty list/map/string/false/0 that left the base value as it was),
   * `logging-options-lost` (docker's logging merge bug).
   */
  what: string;
  /** Where it would have been in the merged config. */
  path: Path;
  /** The entry that was lost. */
  origin: Origin;
  /** The entry that replaced it or kept it out, when one did. */
  by?: Origin;
  reason: string;
}

/** A mention of an empty or zero value in a file, kept to tell when it failed to clear a base value. */
export interface ZeroMention {
  /** Normalised path in the file's config. */
  path: Path;
  raw: Path;
  /** `list`, `map`, or the zero scalar as written. */
  kind: 'list' | 'map' | 'scalar';
}

export interface NormaliseContext {
  /** Directory of the FIRST file: relative bind sources, env_file and secret/config files resolve here. */
  workingDir: string;
  /** $HOME for `~` in bind sources (docker warns and leaves `~` when it is unset). */
  home?: string;
  /** The CLI's environment: fills environment entries that are null or "" when the variable exists. */
  lookup: (name: string) => string | undefined;
  /** Reads an env_file (absolute path): its text, or docker's error text. */
  readEnvFile: (absPath: string) => { ok: true; text: string } | { ok: false; message: string };
}

/** Optional access to the file's text, to tell YAML floats (`1e6`) from ints for Go's %v. */
export interface NormaliseSource {
  text: string;
  locate(path: Path): { start: { offset: number }; end: { offset: number } } | undefined;
}

/** One file after docker's typed load. Immutable: views share it. */
export interface NormalisedFile {
  file: string;
  version: string;
  config: ComposeConfig;
  origins: OriginNode;
  zeros: readonly ZeroMention[];
  /** What docker's typed load dropped from this file (oom_score_adj, …). */
  dropped: readonly DroppedEntry[];
  /** docker's logrus warnings (message text only), in docker's order. */
  warnings: readonly string[];
  /** docker's error text when the typed load fails (config is then partial: what loaded). */
  error?: string;
  /**
   * Every failure of the typed load, in docker's order (the first is `error`): docker stops at the first, the
   * linter reports them all. The load goes on past each, leaving out what failed (an env_file it cannot read, a
   * field that does not decode), so that `config` holds everything else.
   */
  errors?: readonly LoadError[];
}

/** One failure of docker's typed load: its text, and the raw path of what failed when known. */
export interface LoadError {
  message: string;
  path?: Path;
}

export interface Provenance {
  /** The file and raw path that provided the value at a merged path (for containers: the last file mentioning them). */
  origin(path: Path): Origin | undefined;
  /** Every file that mentions the merged path, in merge order (one entry when only one does). */
  definedBy(path: Path): Origin[];
  /** Values at this merged path that a later file overrode, oldest first. */
  replaced(path: Path): Origin[];
}

export interface MergeResult extends Provenance {
  config: ComposeConfig;
  provenance: Provenance;
  /** Entries the merge (and the typed loads) silently lost. */
  dropped: DroppedEntry[];
  /** docker's merge error (`cannot merge services from b.yml: …`); config is then the merge so far. */
  error?: string;
}
