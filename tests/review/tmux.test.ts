// End to end, as a person uses it: the built CLI in a real terminal (tmux, 80×24), keys sent with
// send-keys, the screen read with capture-pane. Each test has its own tmux server (a private socket),
// killed afterwards. Nothing is skipped: without tmux this fails and says how to install it.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../cli/helpers.js';
import { tempRecipe } from './helpers.js';
import { quote, requireTmux, Terminal } from './terminal.js';

let recipe: ReturnType<typeof tempRecipe>;
let term: Terminal;

const see = (text: string | RegExp, history = false) => term.see(text, history);
const keys = (...names: string[]) => term.keys(...names);
const type = (text: string) => term.type(text);
const startReview = (env: Record<string, string> = {}) => term.startReview(recipe.dir, env);

beforeAll(requireTmux);

beforeEach(() => {
  recipe = tempRecipe();
  term = new Terminal();
});

afterEach(() => {
  term.dispose();
  recipe.dispose();
});

describe('stacklint review in a terminal', () => {
  it('walks the findings, reads one in detail, filters, suppresses one with a reason, and quits', async () => {
    const file = join(recipe.dir, 'compose.smtpauth.yml');
    const before = readFileSync(file, 'utf8');
    startReview();
    let s = await see('stacklint review  discourse  4 errors  3 warnings  0 known');
    expect(s).toContain('↑↓ move ⏎ detail / filter g group s suppress b baseline o open r re-lint q quit');
    expect(s).toMatch(/^› ✖ compose\.smtpauth\.yml:15 service `sidekiq` has no image/m);
    expect(s).toMatch(/^> 15 │ {3}sidekiq:$/m);

    keys('j');
    await see(/^› ✖ compose\.yml:36 `backupbot\.backup\.volumes\.postgres\.path`/m);
    keys('k', 'Enter');
    s = await see('↑↓ scroll ← back');
    expect(s).toContain('services.sidekiq: defined only by compose.smtpauth.yml:15; image: set by no');
    expect(s).toContain('abra, compose.yml+compose.smtpauth.yml (not in compose.yml)');
    keys('Escape');
    await see('↑↓ move ⏎ detail');

    keys('g');
    s = await see('grouped by file');
    expect(s).toMatch(/^compose\.smtpauth\.yml {2}1 error, 2 warnings$/m);
    keys('/');
    type('sidekiq');
    keys('Enter');
    s = await see('filter "sidekiq" · 2 of 7 shown');
    expect(s).toMatch(/^› ✖ 15:3 R011 service `sidekiq` has no image/m);

    keys('s');
    await see('Suppress R011 — reason:');
    type('sidekiq runs in app upstream, overlay fix pending');
    keys('Enter');
    s = await see('suppressed R011: added a directive at compose.smtpauth.yml:15');
    expect(s).toContain('stacklint review  discourse  3 errors  3 warnings  0 known');
    expect(s).toContain('filter "sidekiq" · 1 of 6 shown');
    expect(s).not.toContain('`sidekiq` has no image');

    // The file changed by exactly the one line, above the service, indented like it.
    expect(readFileSync(file, 'utf8')).toBe(
      before.replace('\n  sidekiq:\n', '\n  # stacklint-disable-next-line R011 -- sidekiq runs in app upstream, overlay fix pending\n  sidekiq:\n'),
    );

    keys('r');
    s = await see('re-linted');
    expect(s).not.toContain('`sidekiq` has no image');
    keys('q');
    s = await see('[exit 1]');
    expect(s).toContain('stacklint review: 1 suppressed; 3 errors, 3 warnings in discourse');
    expect(s).not.toContain('↑↓ move');

    const lint = runCli(['lint', recipe.dir]);
    expect(lint.stdout).not.toContain('R011');
    expect(lint.stdout).toContain('R002');
  });

  it('o opens $EDITOR at the line and the screen comes back whole', async () => {
    const editor = join(recipe.dir, '..', 'fake-editor.sh');
    const argsFile = join(recipe.dir, '..', 'editor-args');
    writeFileSync(editor, `#!/bin/sh\nprintf '%s\\n' "$@" > ${quote(argsFile)}\nprintf 'EDITING\\n'\nsleep 0.3\n`);
    chmodSync(editor, 0o755);
    startReview({ EDITOR: editor });
    await see('stacklint review  discourse');
    keys('o');
    const s = await see('fake-editor.sh closed; re-linted');
    expect(readFileSync(argsFile, 'utf8')).toBe(`+15\n${join(recipe.dir, 'compose.smtpauth.yml')}\n`);
    expect(s).toContain('stacklint review  discourse  4 errors  3 warnings  0 known');
    expect(s).toMatch(/^› ✖ compose\.smtpauth\.yml:15 /m);
    expect(s).not.toContain('EDITING');
    keys('b');
    await see('Baseline R011 — reason:');
    type('tracked upstream');
    keys('Enter');
    await see('stacklint review  discourse  3 errors  3 warnings  1 known');
    expect(JSON.parse(readFileSync(join(recipe.dir, '.stacklint-baseline.json'), 'utf8')).findings).toEqual([
      expect.objectContaining({ rule: 'R011', reason: 'tracked upstream' }),
    ]);
    keys('q');
    await see('[exit 1]');
  });

  it('under CI, even in a terminal, prints the report instead', async () => {
    const command = `CI=true ${quote(process.execPath)} ${quote(CLI)} review ${quote(recipe.dir)}; echo "[exit $?]"; sleep 60`;
    term.run(command);
    const s = await see('[exit 1]', true);
    expect(s).toContain('stacklint review: needs an interactive terminal; printing the lint report instead');
    expect(s).toContain('✖ 4 errors, 3 warnings');
  });
});
