// import() for the parts built as their own ESM file beside the bundle (the ink TUI). The bundle runs inside a
// node:vm Script (cli/launch.ts), where import() is unavailable, so the launcher hands over its own under this
// key; running from sources (tests, tsx), `fromSources` imports the module directly.
export const BUNDLE_IMPORT = Symbol.for('stacklint.bundleImport');

type ImportFromDist = (name: string) => Promise<unknown>;

export async function importBundled<T>(distName: string, fromSources: () => Promise<T>): Promise<T> {
  const importFromDist = (globalThis as Record<symbol, ImportFromDist | undefined>)[BUNDLE_IMPORT];
  return importFromDist ? ((await importFromDist(distName)) as T) : fromSources();
}
