// Types for scripts/make-complexity-inputs.mjs (imported by tests/safety and bench/complexity.mjs).
export interface Dimension {
  unit: string;
  sizes: number[];
  /** Writes the input of size `n` into `dir`; returns the stacklint arguments. */
  make(dir: string, n: number): string[];
}
export const DIMENSIONS: Record<string, Dimension>;
export function writeRecipe(dir: string, files: Record<string, string>): string;
export function hostileText(n: number): string;
