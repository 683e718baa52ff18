// compose-file-list: COMPOSE_FILE lines of .env.sample name files that exist (error), and every overlay is
// named by some COMPOSE_FILE line (warn).
import type { EnvEntry } from '../../views/index.js';
import { defineRule } from '../rule.js';
import { code } from '../kit/views.js';

const OVERLAY = /^compose\.[^/]+\.ya?ml$/;
const ENV_SAMPLE = '.env.sample';

export default defineRule({
  meta: {
    id: 'compose-file-list',
    name: 'compose-file-list',
    level: 'error',
    description: 'Every file a `COMPOSE_FILE` line of .env.sample names exists (error), and every overlay `compose.*.yml` is named by some `COMPOSE_FILE` line, commented or not (warning).',
    details: [
      'Operators enable a recipe\'s optional features by copying a `COMPOSE_FILE` line of .env.sample into their app',
      'config (`COMPOSE_FILE="compose.yml:compose.smtp.yml"`, or `$COMPOSE_FILE:` chains). A line that names a file',
      'the recipe does not have makes `abra app deploy` fail for everyone who enables it. An overlay no line names is',
      'undiscoverable: operators do not know it exists or which variables it needs, and its combinations are never',
      'exercised. Commented lines count — that is how recipes document optional overlays.',
    ].join('\n'),
    fix: 'Fix the file name in the COMPOSE_FILE line, or add a commented line documenting the overlay, e.g. `#COMPOSE_FILE="$COMPOSE_FILE:compose.smtp.yml"` next to the variables it needs.',
  },
  check(ctx) {
    const env = ctx.recipe.envSample;
    if (!env) return; // R008
    const lines = ctx.recipe.composeFileLines;
    // Indexed once: a COMPOSE_FILE line can name thousands of files, and a search per name was quadratic.
    const entries = new Map<number, EnvEntry>();
    for (const e of env.entries) if (e.key === 'COMPOSE_FILE' && !entries.has(e.line)) entries.set(e.line, e);
    const entryAt = (line: number): EnvEntry | undefined => entries.get(line);
    const missingOf = new Map(lines.map((l) => [l, new Set(l.missingFiles)]));
    const offsets = new Map<EnvEntry, Map<string, number>>();
    /** Where `name` is written in an entry's value: its `:`-separated item, else its first occurrence. */
    const offsetIn = (entry: EnvEntry, name: string): number => {
      let items = offsets.get(entry);
      if (!items) {
        items = new Map();
        let start = 0;
        for (const item of entry.raw.split(':')) {
          if (!items.has(item)) items.set(item, start);
          start += item.length + 1;
        }
        offsets.set(entry, items);
      }
      return items.get(name) ?? entry.raw.indexOf(name);
    };
    const reported = new Set<string>();
    for (const missing of new Set(lines.flatMap((l) => l.missingFiles))) {
      // Report where the name is written (a `$COMPOSE_FILE:` chain repeats earlier entries in later values).
      const naming = lines.filter((l) => missingOf.get(l)!.has(missing));
      const writers = naming.filter((l) => {
        const entry = entryAt(l.line);
        return entry !== undefined && offsetIn(entry, missing) >= 0;
      });
      const at = writers.length > 0 ? writers : naming.slice(0, 1);
      for (const l of at) {
        const key = `${l.line}\u0000${missing}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const entry = entryAt(l.line);
        const offset = entry ? offsetIn(entry, missing) : -1;
        const column = entry && offset >= 0 ? entry.valueColumn + (entry.quote ? 1 : 0) + offset : (entry?.valueColumn ?? l.column);
        ctx.report({
          message: `${l.commented ? 'the commented ' : ''}COMPOSE_FILE line names ${code(missing)}, which does not exist in the recipe`,
          file: ENV_SAMPLE,
          line: entry?.valueLine ?? l.line,
          column,
          endColumn: offset >= 0 ? column + missing.length : undefined,
          logicalPath: `COMPOSE_FILE[${missing}]`,
          fix: 'Correct the file name, or remove it from the COMPOSE_FILE line.',
        });
      }
    }
    const named = new Set(lines.flatMap((l) => l.files));
    const overlays = ctx.recipe.listFiles().filter((f) => !f.includes('/') && OVERLAY.test(f));
    for (const overlay of overlays) {
      if (named.has(overlay)) continue;
      ctx.report({
        message: `the overlay ${code(overlay)} is not named by any COMPOSE_FILE line of .env.sample, so operators cannot find out how to enable it`,
        file: overlay,
        line: 1,
        column: 1,
        severity: 'warning',
        logicalPath: `overlay[${overlay}]`,
        fix: `Document it in .env.sample with a commented line, e.g. \`#COMPOSE_FILE="$COMPOSE_FILE:${overlay}"\`, next to the variables it needs.`,
      });
    }
  },
});
