// The review screen driven through ink-testing-library: keys in, frames asserted. Actions run for real
// against a private copy of the example recipe (suppress writes the file, baseline writes the baseline,
// re-lint lints), except the editor, which is recorded.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActions } from '../../cli/review/actions.js';
import { ReviewApp } from '../../cli/review/App.js';
import type { ReviewActions } from '../../cli/review/App.js';
import type { ReviewState } from '../../cli/review/state.js';
import { stripAnsi } from '../../src/report/ansi.js';
import { ALL_RULES } from '../../src/rules/index.js';
import { eventually, finding, lintFindings, tempRecipe } from './helpers.js';

const ENTER = '\r';
const ESC = '\u001b';
const UP = '\u001b[A';
const DOWN = '\u001b[B';
const RIGHT = '\u001b[C';
const LEFT = '\u001b[D';

let recipe: ReturnType<typeof tempRecipe>;
beforeEach(() => {
  recipe = tempRecipe();
});
afterEach(() => {
  cleanup();
  recipe.dispose();
});

interface Started {
  frame: () => string;
  press: (...keys: string[]) => Promise<void>;
  see: (text: string | RegExp) => Promise<string>;
  editorCalls: Array<{ command: string; args: string[] }>;
  quit: { state?: ReviewState };
}

async function start(size = { width: 80, height: 24 }): Promise<Started> {
  const findings = await lintFindings(recipe.dir);
  const editorCalls: Started['editorCalls'] = [];
  const actions = createActions({
    recipeDir: recipe.dir,
    rules: ALL_RULES.map((r) => r.meta),
    lint: () => lintFindings(recipe.dir),
    findings,
    env: { EDITOR: 'myeditor --wait' },
    runEditor: (command, args) => {
      editorCalls.push({ command, args });
      return { status: 0 };
    },
  });
  const quit: Started['quit'] = {};
  const app = render(
    <ReviewApp recipeName="discourse" findings={findings} actions={actions} width={size.width} height={size.height} onQuit={(s) => (quit.state = s)} />,
  );
  const frame = () => stripAnsi(app.lastFrame() ?? '');
  const see = (text: string | RegExp) =>
    eventually(() => {
      const f = frame();
      if (typeof text === 'string' ? !f.includes(text) : !text.test(f)) throw new Error(`not on screen: ${String(text)}\n---\n${f}`);
      return f;
    });
  const press = async (...keys: string[]) => {
    for (const k of keys) {
      app.stdin.write(k);
      // One key per read, as a person types (an escape is told from a sequence on the next tick).
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  await see('stacklint review');
  return { frame, press, see, editorCalls, quit };
}

/** The list row with the selection marker. */
function selectedRow(frame: string): string | undefined {
  return frame.split('\n').find((l) => l.startsWith('› '));
}

describe('stacklint review screen', () => {
  it('fits 80×24: header with counts, the list, the selected finding in detail, the help line', async () => {
    const ui = await start();
    const frame = ui.frame();
    const lines = frame.split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const line of lines) expect([...line].length, line).toBeLessThanOrEqual(80);
    expect(lines[0]).toBe('stacklint review  discourse  4 errors  3 warnings  0 known');
    expect(lines[1]).toBe('grouped by rule · 7 findings');
    expect(selectedRow(frame)).toMatch(/^› ✖ compose\.smtpauth\.yml:15 service `sidekiq` has no image/);
    expect(frame).toContain('R011 image-present · error');
    expect(frame).toMatch(/> 15 │ {3}sidekiq:/);
    expect(lines[lines.length - 1]).toBe('↑↓ move ⏎ detail / filter g group s suppress b baseline o open r re-lint q quit');
  });

  it('puts list and detail side by side in a wide terminal', async () => {
    const ui = await start({ width: 140, height: 30 });
    const lines = ui.frame().split('\n');
    expect(lines[2]).toMatch(/^R011 image-present {2}1 error +│ R011 image-present · error$/);
    expect(lines[3]).toMatch(/^› ✖ compose\.smtpauth\.yml:15 service `sidekiq` .* │ service `sidekiq` has no image/);
    for (const line of ui.frame().split('\n')) expect([...line].length).toBeLessThanOrEqual(140);
  });

  it('↓/j and ↑/k move the selection, and the detail follows', async () => {
    const ui = await start();
    await ui.press('j');
    await ui.see(/^› ✖ compose\.yml:36 `backupbot\.backup\.volumes\.postgres\.path`/m);
    expect(ui.frame()).toContain('backupbot-labels · error');
    await ui.press(DOWN, DOWN);
    await ui.see(/^› ! compose\.yml:37 `app` dumps data/m);
    await ui.press('k');
    await ui.see(/^› ✖ compose\.yml:37 `backupbot\.backup\.pre-hook` runs/m);
    await ui.press(UP, UP);
    await ui.see(/^› ✖ compose\.smtpauth\.yml:15 service `sidekiq`/m);
  });

  it('enter focuses the detail (merge chain, views, rule, fix), ↓ scrolls it, ← goes back; → focuses too', async () => {
    const ui = await start();
    await ui.press(ENTER);
    let frame = await ui.see('↑↓ scroll ← back');
    expect(selectedRow(frame)).toBeUndefined();
    expect(frame).toContain('services.sidekiq: defined only by compose.smtpauth.yml:15; image: set by no');
    expect(frame).toContain('file in abra, compose.yml+compose.smtpauth.yml');
    expect(frame).toContain('abra, compose.yml+compose.smtpauth.yml (not in compose.yml)');
    expect(frame.split('\n')[2]).toBe('R011 image-present · error');
    await ui.press('j', 'j');
    frame = await ui.see(/^grouped by rule · 7 findings\ncompose\.smtpauth\.yml:15:3$/m);
    expect(frame.split('\n')[2]).toBe('compose.smtpauth.yml:15:3');
    for (let i = 0; i < 40; i++) await ui.press(DOWN);
    frame = await ui.see('Rule');
    expect(frame).toMatch(/abra's rule R011/);
    expect(frame).not.toContain('more line');
    await ui.press(LEFT);
    frame = await ui.see('↑↓ move ⏎ detail');
    expect(selectedRow(frame)).toMatch(/sidekiq/);
    await ui.press(RIGHT);
    await ui.see('↑↓ scroll ← back');
    await ui.press(ESC);
    await ui.see('↑↓ move ⏎ detail');
  });

  it('/ filters by text as you type; enter keeps it, esc on a new filter restores it', async () => {
    const ui = await start();
    await ui.press('/', 'c', 'a', 'd', 'd', 'y');
    let frame = await ui.see('grouped by rule · filter "caddy" · 1 of 7 shown');
    expect(frame).toContain('/caddy');
    expect(frame).toContain('type to filter');
    expect(selectedRow(frame)).toMatch(/^› ✖ Caddyfile\.tmpl:4 /);
    expect(frame).not.toContain('sidekiq');
    await ui.press(ENTER);
    frame = await ui.see('↑↓ move');
    expect(frame).toContain('1 of 7 shown');
    await ui.press('/', 'z', 'z', 'z');
    await ui.see('No finding matches "caddyzzz"');
    await ui.press(ESC);
    await ui.see('filter "caddy" · 1 of 7 shown');
  });

  it('g groups by file and back by rule', async () => {
    const ui = await start();
    await ui.press('g');
    let frame = await ui.see('grouped by file');
    const groups = frame.split('\n').filter((l) => /^\S+ +\d+ (error|warning)/.test(l));
    expect(groups).toEqual(['Caddyfile.tmpl  1 error', 'compose.smtpauth.yml  1 error, 2 warnings', 'compose.yml  2 errors, 1 warning']);
    expect(selectedRow(frame)).toMatch(/^› ✖ 15:3 R011 service `sidekiq`/);
    await ui.press('g');
    frame = await ui.see('grouped by rule');
    expect(frame).toMatch(/^R011 image-present {2}1 error$/m);
  });

  it('s asks for a reason, writes the directive above the line (file otherwise intact), and the finding is gone', async () => {
    const file = join(recipe.dir, 'compose.smtpauth.yml');
    const before = readFileSync(file, 'utf8');
    const ui = await start();
    await ui.press('s');
    await ui.see('Suppress R011 — reason:');
    await ui.press(ENTER);
    await ui.see('a reason is required (esc cancels)');
    await ui.press(...'sidekiq overlay: upstream #12');
    await ui.see('Suppress R011 — reason: sidekiq overlay: upstream #12');
    await ui.press(ENTER);
    const frame = await ui.see('suppressed R011: added a directive at compose.smtpauth.yml:15');
    expect(frame).not.toContain('service `sidekiq` has no image');
    expect(frame.split('\n')[0]).toBe('stacklint review  discourse  3 errors  3 warnings  0 known');
    expect(readFileSync(file, 'utf8')).toBe(before.replace('\n  sidekiq:\n', '\n  # stacklint-disable-next-line R011 -- sidekiq overlay: upstream #12\n  sidekiq:\n'));
    expect((await lintFindings(recipe.dir)).some((f) => f.rule === 'R011')).toBe(false);
  });

  it('s on a finding in a file without # comments says it cannot be suppressed inline', async () => {
    const json = finding({ rule: 'R010', file: 'config.json.tmpl', line: 3, message: 'bad value' });
    const fake: ReviewActions = {
      describe: () => ({ snippet: [], provenance: [], absentFrom: [], snippetNote: 'no snippet' }),
      suppress: async () => ({}),
      baseline: async () => ({}),
      open: async () => ({}),
      relint: async () => ({}),
    };
    const app = render(<ReviewApp recipeName="r" findings={[json]} actions={fake} width={80} height={24} />);
    app.stdin.write('s');
    const frame = await eventually(() => {
      const f = stripAnsi(app.lastFrame() ?? '');
      if (!f.includes('cannot suppress inline')) throw new Error(f);
      return f;
    });
    expect(frame).toContain(
      'cannot suppress inline: config.json.tmpl has no `#` comments, so it cannot carry\na suppression: accept the finding into the baseline instead',
    );
    expect(frame).not.toContain('reason:');
  });

  it('b accepts the finding into the baseline with the reason; it then shows as known', async () => {
    const ui = await start();
    await ui.press('j', 'b');
    await ui.see('Baseline backupbot-labels — reason:');
    await ui.press(...'postgres volume lives on db', ENTER);
    const frame = await ui.see('accepted backupbot-labels at compose.yml:36 into .stacklint-baseline.json');
    expect(frame.split('\n')[0]).toBe('stacklint review  discourse  3 errors  3 warnings  1 known');
    const baseline = JSON.parse(readFileSync(join(recipe.dir, '.stacklint-baseline.json'), 'utf8'));
    expect(baseline.findings).toEqual([
      expect.objectContaining({ rule: 'backupbot-labels', file: 'compose.yml', path: 'services.app.deploy.labels[backupbot.backup.volumes.postgres.path]', reason: 'postgres volume lives on db' }),
    ]);
    await ui.press('/', 'p', 'o', 's', 't', 'g', 'r', 'e', 's', ENTER, 'b');
    await ui.see('already in the baseline');
  });

  it('o opens the file at the line in $EDITOR, then re-lints', async () => {
    const ui = await start();
    await ui.press('o');
    await ui.see('myeditor closed; re-linted');
    expect(ui.editorCalls).toEqual([{ command: 'myeditor', args: ['--wait', '+15', join(recipe.dir, 'compose.smtpauth.yml')] }]);
  });

  it('r re-lints: a fix made outside shows up', async () => {
    const ui = await start();
    const file = join(recipe.dir, 'compose.smtpauth.yml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('  sidekiq:\n', '  sidekiq:\n    image: discourse/discourse:3.2.1\n'));
    expect(ui.frame()).toContain('service `sidekiq` has no image');
    await ui.press('r');
    const frame = await ui.see('re-linted');
    expect(frame).not.toContain('service `sidekiq` has no image');
    expect(frame.split('\n')[0]).toBe('stacklint review  discourse  3 errors  3 warnings  0 known');
  });

  it('keys that arrive in one read (typed fast, or pasted with enter) each count', async () => {
    const ui = await start();
    await ui.press('jj');
    await ui.see(/^› ✖ compose\.yml:37 `backupbot\.backup\.pre-hook` runs/m);
    await ui.press('k\r');
    await ui.see('↑↓ scroll ← back');
    await ui.press('\u001b[D', 'b', 'pasted reason\r');
    await ui.see('accepted backupbot-labels at compose.yml:36 into .stacklint-baseline.json');
  });

  it('q quits and hands back the final state', async () => {
    const ui = await start();
    await ui.press('j', 'q');
    const state = await eventually(() => {
      if (!ui.quit.state) throw new Error('not quit');
      return ui.quit.state;
    });
    expect(state.findings).toHaveLength(7);
    expect(state.changed).toEqual({ suppressed: 0, baselined: 0 });
  });
});
