// Types for scripts/make-hostile-fixtures.mjs (imported by tests/hostile).
export type HostileFile = string | Buffer | { link: string } | { dir: true } | { fifo: true } | { text: string; mode: number };
export function hostileRecipes(): Record<string, Record<string, HostileFile>>;
export function makeHostileFixtures(root: string): Record<string, string>;
