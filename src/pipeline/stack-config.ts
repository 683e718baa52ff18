// The merged config as rules read it: the merge stage's typed config (already keyed like the YAML
// docker prints, see src/rules/model.ts) with its provenance queries.
import type { Origin, Path } from '../load/types.js';
import type { MergeResult } from '../merge/index.js';
import type { StackConfig } from '../rules/model.js';
import type { DroppedEntry } from '../rules/rule.js';

export interface ViewModel {
  config: StackConfig;
  origin(path: Path): Origin | undefined;
  definedBy(path: Path): Origin[];
  dropped: DroppedEntry[];
}

export function toStackConfig(merged: MergeResult): ViewModel {
  return {
    config: merged.config as unknown as StackConfig,
    origin: (path) => merged.origin(path),
    definedBy: (path) => merged.definedBy(path),
    dropped: merged.dropped,
  };
}
