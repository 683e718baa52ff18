// `stacklint lsp` in a real editor: Debian's Neovim (built-in LSP client), headless, runs tests/lsp/neovim.lua
// in a temporary recipe and writes what it saw to a file; this test judges it. Nothing is skipped: without
// nvim this fails and says how to install it.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from './client.js';
import { copyRecipe, EXAMPLE_RECIPE, removeTempDirs, tempDir } from './recipes.js';

afterEach(removeTempDirs);

interface Step {
  name: string;
  ok: boolean;
  diagnostics: Array<{ code: string; lnum: number; col: number; message: string; severity: number }>;
  lines: string[];
}

describe('stacklint lsp in Neovim', () => {
  it('types an image-less sidekiq block, sees R011 on its line, clears it, suppresses it, hovers the provenance; a new unsaved overlay is linted', () => {
    const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    if (version.error) throw new Error('nvim is not installed: apt-get install -y neovim (bash .ci/run installs it)');
    const recipe = copyRecipe(EXAMPLE_RECIPE);
    const overlay = join(recipe, 'compose.smtpauth.yml');
    // The overlay without its sidekiq block: the test types it.
    const original = readFileSync(overlay, 'utf8');
    const stripped = original.replace(/\n {2}# sidekiq moved[\s\S]*?(?=\nsecrets:\n)/, '');
    expect(stripped).not.toContain('sidekiq');
    writeFileSync(overlay, stripped);
    expect(stripped.split('\n')[12]).toBe('secrets:');
    const out = join(tempDir(), 'nvim-out.json');
    const run = spawnSync('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(ROOT, 'tests/lsp/neovim.lua')}`], {
      cwd: recipe,
      env: { ...process.env, RECIPE: recipe, OUT: out, NODE: process.execPath, STACKLINT: BIN },
      encoding: 'utf8',
      timeout: 170_000,
    });
    let seen: { steps: Step[]; actions?: string[]; hover?: string; unsaved_on_disk?: number; error?: string };
    try {
      seen = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      throw new Error(`nvim wrote nothing (status ${run.status}, ${run.error?.message ?? ''})\n${run.stdout}\n${run.stderr}`);
    }
    expect(seen.error).toBeUndefined();
    const step = (name: string) => seen.steps.find((s) => s.name === name)!;
    const detail = JSON.stringify(seen, null, 1).slice(0, 6000);
    expect(seen.steps.map((s) => [s.name, s.ok]), detail).toEqual([
      ['opened', true],
      ['typed', true],
      ['deleted', true],
      ['retyped', true],
      ['suppressed', true],
      ['unsaved overlay', true],
    ]);
    // R011 on the typed `sidekiq:` line (line 13, 0-based 12), at its key.
    const typed = step('typed');
    expect(typed.lines[12]).toBe('  sidekiq:');
    const r011 = typed.diagnostics.filter((d) => d.code === 'R011');
    expect(r011).toHaveLength(1);
    expect(r011[0]).toMatchObject({ lnum: 12, col: 2, severity: 1 });
    expect(r011[0].message).toMatch(/^service `sidekiq` has no image/);
    expect(step('deleted').diagnostics.map((d) => d.code)).not.toContain('R011');
    // The code actions offered for it, and the suppression applied through one of them.
    expect(seen.actions?.filter((title) => title.includes('R011'))).toEqual(['Suppress R011 on this line', 'Suppress R011 in this file', 'Accept R011 into .stacklint-baseline.json']);
    const suppressed = step('suppressed');
    expect(suppressed.lines[12]).toMatch(/^ {2}# stacklint-disable-next-line R011 -- \S/);
    expect(suppressed.lines[13]).toBe('  sidekiq:');
    expect(suppressed.diagnostics.map((d) => d.code)).not.toContain('unused-suppression');
    // Hover: the merged environment, and the files (with lines) it comes from.
    expect(seen.hover).toContain('services.app.environment');
    expect(seen.hover).toContain('from `compose.yml:7`, merged with `compose.smtpauth.yml:7`');
    expect(seen.hover).toContain('DISCOURSE_SMTP_PASSWORD_FILE: /run/secrets/smtp_password');
    // The new overlay, typed and never saved, is linted in its views: R011 on its `worker:` line.
    const unsaved = step('unsaved overlay');
    expect(seen.unsaved_on_disk).toBe(0);
    expect(unsaved.lines[2]).toBe('  worker:');
    expect(unsaved.diagnostics.filter((d) => d.code === 'R011').map((d) => [d.lnum, d.col])).toEqual([[2, 2]]);
  }, 180_000);
});
