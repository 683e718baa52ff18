// not-analysed: what stacklint read but did not analyse — shell in .env.sample / abra.sh it does not
// evaluate (it never runs it), files it could not read, and recipes cut short by a listing or view limit —
// so that a clean report never hides a part nobody looked at.
import { ABRA_SH_FILE, ENV_SAMPLE_FILE } from '../../views/index.js';
import { defineRule } from '../rule.js';
import type { RuleContext } from '../rule.js';
import { recipeAnchorFile } from '../kit/views.js';

/** Line numbers listed per kind of skipped construct. */
const MAX_LINES_LISTED = 5;

interface Skipped {
  line: number;
  column: number;
  what: string;
}

/** One finding per file, at its first skipped line, naming each kind of construct and where it is. */
function reportSkipped(ctx: RuleContext, file: string, skipped: Skipped[]): void {
  if (skipped.length === 0) return;
  const byWhat = new Map<string, number[]>();
  for (const s of skipped) {
    const lines = byWhat.get(s.what);
    if (lines) lines.push(s.line); // in place: copying the list per line was quadratic in the file's lines
    else byWhat.set(s.what, [s.line]);
  }
  const parts = [...byWhat].map(([what, lines]) => {
    const shown = lines.slice(0, MAX_LINES_LISTED).join(', ');
    const more = lines.length > MAX_LINES_LISTED ? ` and ${lines.length - MAX_LINES_LISTED} more` : '';
    return `${what} (line${lines.length === 1 ? '' : 's'} ${shown}${more})`;
  });
  ctx.report({
    message: `${file}: not evaluated — ${parts.join('; ')}. Values set there are unknown to stacklint's views`,
    file,
    line: skipped[0].line,
    column: skipped[0].column,
    logicalPath: `${file}[not-evaluated]`,
  });
}

export default defineRule({
  meta: {
    id: 'not-analysed',
    name: 'not-analysed',
    level: 'info',
    description:
      'Parts of the recipe stacklint did not analyse: shell it does not evaluate in .env.sample and abra.sh, files it could not read, and recipes cut short by a limit.',
    details: [
      'stacklint never runs anything from the recipe. It reads `.env.sample` the way abra\'s env reader does and takes',
      'from `abra.sh` only plain `export NAME=value` / `NAME=value` lines; functions, subshells, `$(…)`, backticks and other',
      'commands are skipped and listed here (info), so you know which values the views were built without.',
      '',
      'Limits keep hostile input bounded (see the README\'s "Limits"): a recipe listing stops at 5,000 files and 6 directory',
      'levels (info), and at most 256 views are linted per recipe; views beyond that, e.g. from thousands of `COMPOSE_FILE`',
      'lines, are not linted (warning). A `.env.sample` or `abra.sh` that cannot be read (binary, over the size limit, a',
      'link to a path outside the recipe) is a warning.',
    ].join('\n'),
    fix: 'Nothing to fix when the skipped shell is intended; to have a value known to stacklint, set it on a plain `export NAME=value` line.',
  },
  check(ctx) {
    const { envSample, abraSh, notAnalysed } = ctx.recipe;
    const plain = ctx.recipe.kind === 'plain';
    const what = plain ? 'stack' : 'recipe';
    if (envSample) {
      reportSkipped(ctx, ENV_SAMPLE_FILE, envSample.notUnderstood.map((n) => ({ line: n.line, column: n.column, what: `line not understood: ${n.reason}` })));
    }
    if (abraSh) {
      reportSkipped(ctx, ABRA_SH_FILE, abraSh.notUnderstood.map((n) => ({ line: n.line, column: n.column, what: n.message.replace(/ \(not evaluated\)|; not evaluated/, '') })));
    }
    for (const u of notAnalysed?.unreadable ?? []) {
      ctx.report({
        message: `${u.file} was not read: ${u.message}`,
        file: u.file,
        line: 1,
        column: 1,
        logicalPath: `${u.file}[unreadable]`,
        severity: 'warning',
        fix: `Make ${u.file} a regular UTF-8 text file inside the ${plain ? 'repository' : 'recipe'}.`,
      });
    }
    for (const note of notAnalysed?.listing ?? []) {
      ctx.report({
        message: `${what} listing cut short: ${note}`,
        file: recipeAnchorFile(ctx),
        line: 1,
        column: 1,
        logicalPath: `listing[${note}]`,
        fix: `Move files stacklint need not see out of the ${plain ? "stack's directory" : 'recipe'}, or into a skipped directory (.git, node_modules, vendor).`,
      });
    }
    const views = notAnalysed?.views;
    if (views) {
      const line = ctx.recipe.composeFileLines[0];
      ctx.report({
        message: `the ${what} defines more than ${views.limit} views (${plain ? 'overlays' : 'overlays and COMPOSE_FILE lines'}); ${views.dropped} were not linted`,
        file: line ? ENV_SAMPLE_FILE : recipeAnchorFile(ctx),
        line: line?.line ?? 1,
        column: line?.column ?? 1,
        logicalPath: 'views[limit]',
        severity: 'warning',
        fix: plain
          ? `Lint the combinations that are deployed with \`-c\` (at most ${views.limit} views are linted).`
          : `Keep the COMPOSE_FILE lines of .env.sample to the combinations operators use (at most ${views.limit} views are linted).`,
      });
    }
  },
});
