// Every write path against every hostile thing a recipe can put where a file is written: links out of the
// recipe (relative, absolute, a chain, into the recipe's parent), a dangling link, a FIFO, a directory, a
// read-only file and a read-only directory. Each run is a real process on real files; each asserts the
// error (naming the file and what it is) and that no byte outside the recipe changed, nor the planted thing.
import { chmodSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/lint/types.js';
import { cli, HOSTILE_KINDS, HOSTILE_SAYS, makeWorld, NO_VERSION, plant, reviewActions, worldsPerTest } from './write-helpers.js';
import type { DriverJob, HostileKind, World } from './write-helpers.js';

const BASELINE = '.stacklint-baseline.json';
const EMPTY_BASELINE = '{"version": 1, "findings": []}\n';
const world = worldsPerTest();

describe('stacklint baseline refuses every hostile baseline file', () => {
  it.each(HOSTILE_KINDS)('%s: exit 2, one clear line, nothing written anywhere', (kind) => {
    const w = world();
    const intact = plant(w, BASELINE, kind, EMPTY_BASELINE);
    const outside = w.outsideHash();
    const r = cli(['baseline', w.recipe]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(HOSTILE_SAYS[kind]);
    expect(r.stderr).toContain(BASELINE);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toBe('');
    expect(w.outsideHash()).toBe(outside);
    intact();
  });
});

describe('stacklint lint --fix never writes a hostile file', () => {
  const recipe = { 'compose.yml': NO_VERSION, '.env.sample': 'TYPE=a\n' };
  it.each(HOSTILE_KINDS)('%s: the fix is refused, the file named, nothing written anywhere', (kind) => {
    const w = world(recipe);
    const intact = plant(w, 'compose.yml', kind, NO_VERSION);
    const outside = w.outsideHash();
    const r = cli(['lint', '--fix', w.recipe]);
    // Links out of the recipe and non-files are refused already by the read (a finding, exit 1); read-only
    // files and directories are read, fixed in memory and refused by the write (exit 2).
    expect(r.status).not.toBe(0);
    const said = `${r.stdout}\n${r.stderr}`;
    expect(said).toContain('compose.yml');
    if (kind.startsWith('read-only')) {
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(HOSTILE_SAYS[kind]);
      expect(r.stdout).toMatch(/fixed 0 findings in 0 files/);
    } else {
      expect(said).toMatch(/link|not a regular file|directory|FIFO|pipe/);
    }
    expect(w.outsideHash()).toBe(outside);
    intact();
  });

  it('a link to a file inside the recipe is read, but never written through (exit 2)', () => {
    const w = world({ 'real.yml': NO_VERSION, '.env.sample': 'TYPE=a\n' });
    symlinkSync('real.yml', w.path('compose.yml'));
    const outside = w.outsideHash();
    const r = cli(['lint', '--fix', w.recipe]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/compose\.yml is a symbolic link to real\.yml \(.*real\.yml, inside the recipe\); stacklint does not follow links here/);
    expect(readFileSync(w.path('real.yml'), 'utf8')).toBe(NO_VERSION);
    expect(w.outsideHash()).toBe(outside);
  });
});

describe("review's suppress, baseline and open never touch a hostile file", () => {
  let r011: Finding;
  let smtpauth: string;
  beforeAll(async () => {
    const w = makeWorld();
    try {
      const { results } = await reviewActions([{ recipe: w.recipe, action: 'findings' }]);
      r011 = (results[0] as unknown as Finding[]).find((f) => f.rule === 'R011')!;
      smtpauth = readFileSync(w.path('compose.smtpauth.yml'), 'utf8');
    } finally {
      w.dispose();
    }
    expect(r011.file).toBe('compose.smtpauth.yml');
  });

  it('every action against every kind: refused with the reason on the status line, nothing written anywhere', async () => {
    const cases: Array<{ w: World; kind: HostileKind; action: DriverJob['action']; intact: () => void; outside: string; editorLog: string }> = [];
    for (const kind of HOSTILE_KINDS) {
      for (const action of ['suppress', 'baseline', 'open'] as const) {
        const w = world();
        const file = action === 'baseline' ? BASELINE : 'compose.smtpauth.yml';
        const intact = plant(w, file, kind, action === 'baseline' ? EMPTY_BASELINE : smtpauth);
        const editorLog = join(w.scratch, 'editor-log');
        const editor = join(w.scratch, 'editor.sh');
        writeFileSync(editor, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${editorLog}'\n`);
        chmodSync(editor, 0o755);
        cases.push({ w, kind, action, intact, outside: w.outsideHash(), editorLog });
      }
    }
    // One process runs every case (each with its own recipe); EDITOR records what it would have opened.
    const writes = cases.filter((c) => c.action !== 'open');
    const { results, run } = await reviewActions(writes.map((c) => ({ recipe: c.w.recipe, action: c.action, finding: r011 })));
    expect(run.status, run.stderr).toBe(0);
    // $EDITOR is per world (its own recorder): one process per open case.
    const opens = cases.filter((c) => c.action === 'open');
    const openRuns = [];
    for (const c of opens) openRuns.push(await reviewActions([{ recipe: c.w.recipe, action: 'open', finding: r011 }], { EDITOR: join(c.w.scratch, 'editor.sh') }));
    for (const c of cases) {
      const result = c.action === 'open' ? openRuns[opens.indexOf(c)].results[0] : results[writes.indexOf(c)];
      const label = `${c.action} / ${c.kind}: ${result.text}`;
      const opensReadOnly = c.action === 'open' && c.kind.startsWith('read-only');
      if (opensReadOnly) {
        // A read-only regular file inside the recipe may be shown in the editor; nothing is written by stacklint.
        expect(result.tone, label).toBe('info');
        expect(readFileSync(c.editorLog, 'utf8'), label).toBe(`+15\n${c.w.path('compose.smtpauth.yml')}\n`);
      } else {
        expect(result.tone, label).toBe('error');
        expect(result.text, label).toMatch(HOSTILE_SAYS[c.kind]);
        expect(result.text, label).toContain(c.action === 'baseline' ? BASELINE : 'compose.smtpauth.yml');
        expect(() => readFileSync(c.editorLog), label).toThrow(/ENOENT/);
      }
      expect(c.w.outsideHash(), label).toBe(c.outside);
      c.intact();
    }
  }, 120_000);
});
