// A directory as a stack with its own configuration file (`views:`, `preset: abra`): what `lint DIR`,
// `config DIR`, catalogue discovery and the editor server take it for. The decision is the pipeline's
// stackLayout; this supplies the configuration, read only when the answer depends on it.
import { basename, relative, sep } from 'node:path';
import { ConfigError, loadConfigForSync } from '../config/index.js';
import type { ConfigDirectories, StacklintConfig } from '../config/index.js';
import { directorySource, stackLayout } from '../pipeline/stack-layout.js';
import type { StackLayout, StackSettings } from '../pipeline/stack-layout.js';
import { parsePresets } from '../rules/presets.js';
import type { DeclaredView } from '../views/index.js';

export interface DirectoryLayoutOptions {
  /** Open buffers (absolute path → unsaved text), files of the directory even before they are saved. */
  overlay?: ReadonlyMap<string, string>;
  /** Open buffers by absolute path, when their text is not at hand. */
  buffers?: ReadonlySet<string>;
  /** Config directories already searched in this run (a catalogue's stacks share parents). */
  seen?: ConfigDirectories;
}

export function directoryLayout(dir: string, options: DirectoryLayoutOptions = {}): StackLayout {
  const source = directorySource(dir, { ...(options.overlay ? { overlay: options.overlay } : {}), ...(options.buffers ? { buffers: options.buffers } : {}) });
  return stackLayout(source, { settings: () => configSettings(dir, options.seen) });
}

/** The settings the directory's config file gives; a config that does not load gives none (its lint reports it). */
function configSettings(dir: string, seen: ConfigDirectories | undefined): StackSettings {
  let loaded;
  try {
    loaded = loadConfigForSync(dir, seen ? { seen } : {});
  } catch (err) {
    if (err instanceof ConfigError) return {};
    throw err;
  }
  const views = configuredViews(dir, loaded.config);
  let recipe = false;
  try {
    recipe = parsePresets(loaded.config.preset).includes('abra');
  } catch {
    // an unknown preset: the lint's configuration error
  }
  return { recipe, ...(views ? { views } : {}) };
}

/** The config's `views:` as declarations of the stack at `dir` (the config file named relative to it). */
export function configuredViews(dir: string, config: StacklintConfig): DeclaredView[] | undefined {
  return config.views?.map((v) => ({
    files: v.files,
    source: { file: v.file !== undefined ? relative(dir, v.file).split(sep).join('/') || basename(v.file) : '.stacklintrc', line: v.line ?? 1, column: v.column ?? 1 },
  }));
}
