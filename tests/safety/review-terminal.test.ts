// review's keys in a real terminal (tmux, as tests/review/tmux.test.ts drives it) against a recipe whose
// baseline is a link out of the recipe and whose overlay is a link inside it: `b` and `s` say why they
// refuse, on the status line, and nothing is written anywhere.
import { mkdirSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { requireTmux, Terminal } from '../review/terminal.js';
import { makeWorld } from './write-helpers.js';
import type { World } from './write-helpers.js';

let term: Terminal | undefined;
let w: World | undefined;
beforeAll(requireTmux);
afterEach(() => {
  term?.dispose();
  w?.dispose();
});

describe('review in a terminal, on a hostile recipe', () => {
  it('b on a linked-out baseline and s on a linked overlay are refused on the status line; nothing changes', async () => {
    w = makeWorld();
    symlinkSync('../outside/victim.txt', w.path('.stacklint-baseline.json'));
    // The overlay lives in overlays/; compose.smtpauth.yml is a link to it (read by the lint, never written through).
    mkdirSync(w.path('overlays'));
    renameSync(w.path('compose.smtpauth.yml'), w.path('overlays/smtpauth.yml'));
    symlinkSync('overlays/smtpauth.yml', w.path('compose.smtpauth.yml'));
    const overlay = readFileSync(w.path('overlays/smtpauth.yml'));
    const outside = w.outsideHash();
    term = new Terminal();
    term.startReview('.', {}, ['--no-baseline'], w.recipe);
    await term.see(/^› ✖ compose\.smtpauth\.yml:15 service `sidekiq` has no image/m);

    term.keys('b');
    await term.see('Baseline R011 — reason:');
    term.type('upstream');
    term.keys('Enter');
    await term.see(/\.stacklint-baseline\.json is a symbolic link to \.\.\/outside\/victim\.txt, which\s+leads outside the recipe/);

    term.keys('s');
    await term.see('Suppress R011 — reason:');
    term.type('upstream');
    term.keys('Enter');
    await term.see(/compose\.smtpauth\.yml is a symbolic link to overlays\/smtpauth\.yml\s+\(overlays\/smtpauth\.yml,/);

    term.keys('q');
    const s = await term.see('[exit 1]');
    expect(s).toContain('stacklint review: 4 errors, 3 warnings in recipe');
    expect(readFileSync(w.path('overlays/smtpauth.yml'))).toEqual(overlay);
    expect(w.outsideHash()).toBe(outside);
  });

  it('without --no-baseline, a linked-out baseline stops review before it starts: exit 2, one line', async () => {
    w = makeWorld();
    symlinkSync('../outside/victim.txt', w.path('.stacklint-baseline.json'));
    const outside = w.outsideHash();
    term = new Terminal();
    term.startReview(w.recipe);
    const s = await term.see('[exit 2]');
    expect(s).toMatch(/stacklint review: .*\.stacklint-baseline\.json is a symbolic link to \.\.\/outside\/victim\.txt, which leads outside the recipe/);
    expect(w.outsideHash()).toBe(outside);
  });
});
