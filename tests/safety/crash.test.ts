// Crash safety: `lint --fix` and `baseline` on a large recipe, killed with SIGKILL at random points, 100
// times each. Whatever the moment, the file they write is always exactly the old or the new content, never
// a mix or a truncation. What a kill leaves (a temporary file, a lock) is cleared by the next run.
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLI, cli, largeRecipe, leftovers, makeWorld, start } from './write-helpers.js';
import type { World } from './write-helpers.js';

const RUNS = 100;
/** Runs at a time, each on its own copy of the recipe (the kills are what is tested, not the scheduling). */
const WORKERS = 4;

interface Scenario {
  /** The file the command writes, relative to the recipe. */
  file: string;
  args: (recipe: string) => string[];
  /** Puts the recipe in its starting state. */
  reset: (w: World) => void;
}

async function crashLoop(scenario: Scenario): Promise<{ old: number; new: number; killedWriting: number }> {
  // The new content: one run to the end from the starting state.
  const probe = makeWorld(largeRecipe());
  let oldBytes: Buffer;
  let newBytes: Buffer;
  try {
    scenario.reset(probe);
    oldBytes = readFileSync(probe.path(scenario.file));
    const r = cli(scenario.args(probe.recipe));
    expect(r.status, r.stderr).not.toBe(2);
    newBytes = readFileSync(probe.path(scenario.file));
  } finally {
    probe.dispose();
  }
  expect(newBytes.equals(oldBytes)).toBe(false);

  const counts = { old: 0, new: 0, killedWriting: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    const w = makeWorld(largeRecipe());
    const tempsSeen = new Set<string>();
    try {
      // How long a whole run takes here, now: kills are spread over it.
      scenario.reset(w);
      const began = Date.now();
      await start([CLI, ...scenario.args(w.recipe)]).done;
      const span = Math.max(50, (Date.now() - began) * 1.1);
      while (next < RUNS) {
        next++;
        scenario.reset(w);
        const { child, done } = start([CLI, ...scenario.args(w.recipe)]);
        const timer = setTimeout(() => child.kill('SIGKILL'), Math.random() * span);
        await done;
        clearTimeout(timer);
        const now = readFileSync(w.path(scenario.file));
        if (now.equals(oldBytes)) counts.old++;
        else if (now.equals(newBytes)) counts.new++;
        else throw new Error(`${scenario.file} is neither the old nor the new content after a kill (${now.length} bytes)`);
        // A temporary file this kill left: it landed between creating it and renaming it over the target.
        const temps = leftovers(w.recipe).filter((n) => n.endsWith('.stacklint-tmp') && !tempsSeen.has(n));
        for (const t of temps) tempsSeen.add(t);
        if (temps.length > 0) counts.killedWriting++;
      }
      // A run to the end clears what the kills left.
      scenario.reset(w);
      const last = cli(scenario.args(w.recipe));
      expect(last.status, last.stderr).not.toBe(2);
      expect(readFileSync(w.path(scenario.file)).equals(newBytes)).toBe(true);
      expect(leftovers(w.recipe)).toEqual([]);
    } finally {
      w.dispose();
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  return counts;
}

describe('killed with SIGKILL at random points', () => {
  it(`lint --fix, ${RUNS} times: compose.yml is always the old or the fixed text`, async () => {
    const original = largeRecipe()['compose.yml'];
    const counts = await crashLoop({
      file: 'compose.yml',
      args: (recipe) => ['lint', '--fix', recipe],
      reset: (w) => writeFileSync(w.path('compose.yml'), original),
    });
    console.log(`lint --fix killed ${RUNS} times: ${counts.old} old, ${counts.new} new, ${counts.killedWriting} killed while writing`);
    expect(counts.old + counts.new).toBe(RUNS);
  }, 120_000);

  it(`baseline, ${RUNS} times: the baseline is always the old or the new file`, async () => {
    // The old baseline: accepted with R002 off, so the new run adds the R002 entries (and keeps the reasons).
    let oldBaseline: string | undefined;
    const counts = await crashLoop({
      file: '.stacklint-baseline.json',
      args: (recipe) => ['baseline', recipe],
      reset: (w) => {
        if (oldBaseline === undefined) {
          const r = cli(['baseline', '--rule', 'R002=off', '--reason', 'old', w.recipe]);
          expect(r.status, r.stderr).toBe(0);
          oldBaseline = readFileSync(w.path('.stacklint-baseline.json'), 'utf8');
        }
        writeFileSync(w.path('.stacklint-baseline.json'), oldBaseline);
      },
    });
    console.log(`baseline killed ${RUNS} times: ${counts.old} old, ${counts.new} new, ${counts.killedWriting} killed while writing`);
    expect(counts.old + counts.new).toBe(RUNS);
  }, 120_000);
});
