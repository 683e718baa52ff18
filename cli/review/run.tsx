// Runs the review screen in the terminal: the alternate screen (so quitting gives the shell back as
// it was), the editor hand-over, and the closing summary. Loaded lazily by `stacklint review` only.
import { render } from 'ink';
import type { RuleMeta } from '../../src/rules/types.js';
import type { Finding } from '../../src/lint/types.js';
import { createActions } from './actions.js';
import { ReviewApp } from './App.js';
import { countFindings } from './state.js';
import type { ReviewState } from './state.js';

export interface ReviewSession {
  recipeDir: string;
  recipeName: string;
  findings: Finding[];
  rules: readonly RuleMeta[];
  lint: () => Promise<Finding[]>;
  /** When the lint behind `findings` began (Date.now()). */
  lintStartedMs?: number;
}

const ENTER_ALT_SCREEN = '\u001b[?1049h';
const LEAVE_ALT_SCREEN = '\u001b[?1049l';
const CLEAR_HOME = '\u001b[2J\u001b[H';

/** Shows the review screen until the user quits; returns the findings as they were at the end. */
export async function runReview(session: ReviewSession): Promise<{ findings: Finding[]; changed: ReviewState['changed'] }> {
  const out = process.stdout;
  let final: ReviewState | undefined;
  const leave = () => out.write(LEAVE_ALT_SCREEN);
  out.write(ENTER_ALT_SCREEN + CLEAR_HOME);
  process.once('exit', leave);
  try {
    const actions = createActions({ recipeDir: session.recipeDir, rules: session.rules, lint: session.lint, findings: session.findings, lintStartedMs: session.lintStartedMs });
    const app = render(
      <ReviewApp
        recipeName={session.recipeName}
        findings={session.findings}
        actions={actions}
        // An editor that used the alternate screen leaves it on exit: come back to ours, blank.
        repaintPrefix={ENTER_ALT_SCREEN + CLEAR_HOME}
        onQuit={(state) => {
          final = state;
        }}
      />,
      { exitOnCtrlC: false, patchConsole: true },
    );
    await app.waitUntilExit();
  } finally {
    process.off('exit', leave);
    leave();
  }
  const findings = final?.findings ?? session.findings;
  const changed = final?.changed ?? { suppressed: 0, baselined: 0 };
  const c = countFindings(findings);
  const did = [
    changed.suppressed > 0 ? `${changed.suppressed} suppressed` : '',
    changed.baselined > 0 ? `${changed.baselined} accepted into the baseline` : '',
  ].filter(Boolean);
  out.write(
    `stacklint review: ${did.length > 0 ? `${did.join(', ')}; ` : ''}${c.errors} errors, ${c.warnings} warnings` +
      `${c.infos > 0 ? `, ${c.infos} info` : ''}${c.known > 0 ? ` (+${c.known} known)` : ''} in ${session.recipeName}\n`,
  );
  return { findings, changed };
}
