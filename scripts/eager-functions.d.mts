// Types for scripts/eager-functions.mjs (imported by tests/cli/eager-functions.test.ts).
export function executedFunctionEnds(coverageDir: string, dir: string): Map<string, Set<number>>;
export function staticImports(source: string): string[];
export function filesOnImportCycles(graph: Map<string, string[]>): Set<string>;
export interface EagerCounts {
  expressions: number;
  arrows: number;
  methods: number;
  declarations: number;
  left: number;
}
export function eagerFunctions(source: string, ran: Set<number>, options?: { hoistModuleLevel?: boolean }): { text: string; counts: EagerCounts };
