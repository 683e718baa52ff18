// What a person watching a catalogue run sees on stderr — a progress line while it runs (recipes done / total,
// findings so far, elapsed) and a per-recipe table at the end — only when stderr is a terminal: piped or
// redirected output never gets either, so reports and logs stay exactly the report.
import type { RecipeLint } from '../src/lint/engine.js';
import type { RecipeSummary } from '../src/catalogue/run.js';
import { defuseCommands, inline } from '../src/report/common.js';

export interface ProgressState {
  done: number;
  total: number;
  errors: number;
  warnings: number;
  elapsedMs: number;
}

const BAR_WIDTH = 24;

/** One progress line, at most `columns` wide. */
export function progressLine(s: ProgressState, columns = 80): string {
  const filled = s.total > 0 ? Math.round((s.done / s.total) * BAR_WIDTH) : BAR_WIDTH;
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const secs = (s.elapsedMs / 1000).toFixed(1);
  const line = `${bar} ${s.done}/${s.total} recipes  ${s.errors} errors, ${s.warnings} warnings  ${secs}s`;
  return line.length > columns - 1 ? line.slice(0, Math.max(0, columns - 1)) : line;
}

/** The per-recipe table: recipe, views, errors, warnings; a total row when there is more than one recipe. */
export function recipeTable(rows: readonly RecipeSummary[], options: { color?: boolean } = {}): string {
  if (rows.length === 0) return '';
  const header = ['recipe', 'views', 'errors', 'warnings'];
  const body = rows.map((r) => [inline(r.recipe), String(r.views), String(r.errors), String(r.warnings)]);
  if (rows.length > 1) {
    const sum = (k: 'views' | 'errors' | 'warnings') => String(rows.reduce((n, r) => n + r[k], 0));
    body.push([`total (${rows.length} recipes)`, sum('views'), sum('errors'), sum('warnings')]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const fmt = (row: string[]) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const red = (s: string) => (options.color ? `\u001b[31m${s}\u001b[39m` : s);
  const yellow = (s: string) => (options.color ? `\u001b[33m${s}\u001b[39m` : s);
  const lines = [fmt(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  body.forEach((row, i) => {
    let line = fmt(row);
    const isTotal = rows.length > 1 && i === body.length - 1;
    if (isTotal) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
    else if (rows[i].errors > 0) line = red(line);
    else if (rows[i].warnings > 0) line = yellow(line);
    lines.push(line);
  });
  return defuseCommands(`${lines.join('\n')}\n`);
}

export interface TerminalStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface CatalogueProgress {
  /** Pass as RunOptions.onProgress. */
  onProgress: (recipe: RecipeLint, done: number, total: number) => void;
  /** Clears the progress line (call before anything else is printed). */
  stop(): void;
  /** Prints the per-recipe table (catalogue runs only). */
  table(rows: readonly RecipeSummary[]): void;
}

/**
 * Progress for `stream` (stderr). Inactive — every method does nothing — unless the stream is a terminal and
 * TERM is not `dumb`; redrawn at most every `intervalMs` and once at the end.
 */
export function catalogueProgress(stream: TerminalStream, options: { color?: boolean; intervalMs?: number; now?: () => number; env?: NodeJS.ProcessEnv } = {}): CatalogueProgress {
  const env = options.env ?? process.env;
  const active = !!stream.isTTY && env.TERM !== 'dumb';
  const now = options.now ?? (() => performance.now());
  const interval = options.intervalMs ?? 80;
  // Only an active line reads the clock: node loads its performance timing modules on first use (~1 ms).
  const started = active ? now() : 0;
  let drawn = false;
  let lastDraw = -Infinity;
  let errors = 0;
  let warnings = 0;
  const clear = () => {
    if (drawn) stream.write('\r\u001b[2K');
    drawn = false;
  };
  return {
    onProgress(recipe, done, total) {
      errors += recipe.summary.errors;
      warnings += recipe.summary.warnings;
      if (!active || total < 2) return;
      const t = now();
      if (done < total && t - lastDraw < interval) return;
      lastDraw = t;
      stream.write(`\r\u001b[2K${progressLine({ done, total, errors, warnings, elapsedMs: t - started }, stream.columns ?? 80)}`);
      drawn = true;
    },
    stop: clear,
    table(rows) {
      clear();
      if (!active || rows.length < 2) return;
      stream.write(`\n${recipeTable(rows, { color: options.color })}`);
    },
  };
}
