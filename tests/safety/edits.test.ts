// What a write keeps and what it never loses: every byte outside the edit (CRLF, a BOM, no final newline),
// an editor's save made while `--fix` works, files named by a crafted finding or baseline (never opened,
// written or handed to $EDITOR), temporary files when interrupted by SIGINT/SIGTERM, and `-o FILE`.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cli, largeRecipe, leftovers, NO_VERSION, reviewActions, start, worldsPerTest } from './write-helpers.js';
import type { World } from './write-helpers.js';

const world = worldsPerTest();

const BOM = '\ufeff';

describe('edits keep every byte they do not change', () => {
  const variants = [
    { name: 'CRLF, a BOM, no final newline', bom: BOM, eol: '\r\n', final: '' },
    { name: 'CRLF with a final newline', bom: '', eol: '\r\n', final: '\r\n' },
    { name: 'LF, no final newline', bom: '', eol: '\n', final: '' },
    { name: 'LF, a BOM', bom: BOM, eol: '\n', final: '\n' },
  ];
  const compose = (v: (typeof variants)[number], lines: string[]) => v.bom + lines.join(v.eol) + v.final;
  const BODY = ['# my recipe', 'services:', '  app:  # the web app', '    image: nginx:1.27'];

  it.each(variants)('--fix ($name): one line inserted, the rest byte for byte', (v) => {
    const w = world({ 'compose.yml': compose(v, BODY), '.env.sample': 'TYPE=a\n' });
    const r = cli(['lint', '--fix', '--format', 'compact', w.recipe]);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(w.path('compose.yml'))).toEqual(Buffer.from(compose(v, [BODY[0], 'version: "3.8"', ...BODY.slice(1)]), 'utf8'));
  });

  it.each(variants)("review's suppress ($name): one directive line, the rest byte for byte", async (v) => {
    const w = world({ 'compose.yml': compose(v, ['version: "3.8"', ...BODY]), '.env.sample': 'TYPE=a\n' });
    const { results } = await reviewActions([{ recipe: w.recipe, action: 'suppress', file: 'compose.yml', rule: 'R002', reason: 'no health endpoint' }]);
    expect(results[0].tone, results[0].text).toBe('info');
    const expected = compose(v, ['version: "3.8"', BODY[0], BODY[1], '  # stacklint-disable-next-line R002 -- no health endpoint', ...BODY.slice(2)]);
    expect(readFileSync(w.path('compose.yml'))).toEqual(Buffer.from(expected, 'utf8'));
  });

  it('keeps the file mode (an executable bit, group write)', () => {
    const w = world({ 'compose.yml': NO_VERSION, '.env.sample': 'TYPE=a\n' });
    chmodSync(w.path('compose.yml'), 0o674);
    expect(cli(['lint', '--fix', w.recipe]).status).toBe(0);
    expect(spawnSync('stat', ['-c', '%a', w.path('compose.yml')], { encoding: 'utf8' }).stdout.trim()).toBe('674');
  });
});

describe("an editor's save while --fix works is never lost", () => {
  it('an editor saving every few milliseconds: every save is still there or fixed on top, never overwritten', async () => {
    const w = world(largeRecipe(60));
    const file = w.path('compose.yml');
    const original = readFileSync(file, 'utf8');
    // The "editor": saves a new version (a new first line) over and over, and after each save checks that the
    // file holds that save, or that save with the version line --fix adds, until told to stop.
    const editor = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); const [file, original] = [process.argv[1], fs.readFileSync(process.argv[1], 'utf8')];
         let i = 0, stop = false, lost = 0, fixedSeen = 0; process.stdin.on('data', () => (stop = true)); process.stdin.resume();
         const tick = () => {
           const mine = '# save ' + i + '\\n' + original;
           const now = fs.readFileSync(file, 'utf8');
           if (i > 0) { const prev = '# save ' + (i - 1) + '\\n' + original; if (now === prev.replace('services:\\n', 'version: "3.8"\\nservices:\\n')) fixedSeen++; else if (now !== prev) lost++; }
           if (stop) { process.stdout.write(JSON.stringify({ saves: i, lost, fixedSeen })); process.exit(0); }
           fs.writeFileSync(file, mine); i++; setTimeout(tick, 3);
         };
         tick();`,
        file,
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    let report = '';
    editor.stdout.on('data', (d) => (report += d));
    // Let the editor save once before the fix starts, then run --fix while it keeps saving.
    await new Promise<void>((resolveSaved) => {
      const poll = () => (readFileSync(file, 'utf8') !== original ? resolveSaved() : setTimeout(poll, 5));
      poll();
    });
    const fix = await start([CLI, 'lint', '--fix', '--format', 'compact', w.recipe]).done;
    editor.stdin.write('stop\n');
    await new Promise((r) => editor.on('close', r));
    const { saves, lost } = JSON.parse(report) as { saves: number; lost: number; fixedSeen: number };
    expect(saves).toBeGreaterThan(1);
    expect(lost).toBe(0);
    // The fix landed on top of a save (the editor saw it), or refused because the file changed, or found
    // nothing to fix (it read the file in the middle of one of the editor's in-place saves: a YAML error).
    if (fix.status === 2) expect(fix.stderr).toMatch(/compose\.yml:? changed on disk (while stacklint was linting it|since stacklint read it)/);
    else expect([0, 1], fix.stderr).toContain(fix.status);
    expect(leftovers(w.recipe)).toEqual([]);
  }, 60_000);
});

describe('a crafted finding or baseline naming files outside the recipe', () => {
  const hashOf = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

  it('review never opens, writes or hands to $EDITOR ../../etc/passwd, an absolute path, or a path to a FIFO outside', async () => {
    const w = world();
    spawnSync('mkfifo', [join(w.outside, 'pipe')]);
    const editor = join(w.scratch, 'editor.sh');
    const editorLog = join(w.scratch, 'editor-log');
    writeFileSync(editor, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${editorLog}'\n`);
    chmodSync(editor, 0o755);
    const passwd = hashOf('/etc/passwd');
    const outside = w.outsideHash();
    const recipeBefore = readFileSync(w.path('compose.yml'));
    const names = ['../../etc/passwd', '/etc/passwd', '../outside/victim.txt', join(w.outside, 'victim.txt'), '../outside/pipe'];
    const crafted = (file: string) => ({
      rule: 'R011', name: 'image-present', severity: 'error', message: 'crafted', file, line: 1, column: 1, endLine: 1, endColumn: 2,
      views: [], fingerprint: `crafted-${file}`, fix: 'none', logicalPath: 'services.x',
    });
    const jobs = names.flatMap((file) => (['suppress', 'open'] as const).map((action) => ({ recipe: w.recipe, action, finding: crafted(file) })));
    const { results, run } = await reviewActions(jobs, { EDITOR: editor });
    expect(run.status, run.stderr).toBe(0);
    for (const [i, r] of results.entries()) {
      expect(r.tone, `${jobs[i].action} ${jobs[i].finding.file}`).toBe('error');
      expect(r.text).toBe(`${jobs[i].finding.file} is outside the recipe`);
    }
    expect(() => readFileSync(editorLog)).toThrow(/ENOENT/);
    expect(hashOf('/etc/passwd')).toBe(passwd);
    expect(w.outsideHash()).toBe(outside);
    expect(readFileSync(w.path('compose.yml'))).toEqual(recipeBefore);
  }, 60_000);

  it('a baseline listing such files: lint, review and baseline read it as data and touch nothing outside', async () => {
    const w = world();
    const passwd = hashOf('/etc/passwd');
    const entries = ['../../etc/passwd', '/etc/passwd', '../outside/victim.txt'].map((file, i) => ({ rule: 'R011', file, path: 'services.x', message: 'crafted', fingerprint: `crafted-${i}` }));
    writeFileSync(w.path('.stacklint-baseline.json'), JSON.stringify({ version: 1, findings: entries }));
    const outside = w.outsideHash();
    const editor = join(w.scratch, 'editor.sh');
    const editorLog = join(w.scratch, 'editor-log');
    writeFileSync(editor, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${editorLog}'\n`);
    chmodSync(editor, 0o755);
    expect(cli(['lint', w.recipe]).status).toBe(1);
    const { results } = await reviewActions(
      [
        { recipe: w.recipe, action: 'open', file: 'compose.smtpauth.yml', rule: 'R011' },
        { recipe: w.recipe, action: 'baseline', file: 'compose.smtpauth.yml', rule: 'R011', reason: 'tracked' },
      ],
      { EDITOR: editor },
    );
    expect(results.map((r) => r.tone)).toEqual(['info', 'info']);
    expect(readFileSync(editorLog, 'utf8')).toBe(`+15\n${w.path('compose.smtpauth.yml')}\n`);
    const regenerated = cli(['baseline', w.recipe]);
    expect(regenerated.status).toBe(0);
    expect(regenerated.stdout).toMatch(/3 removed/);
    expect(hashOf('/etc/passwd')).toBe(passwd);
    expect(w.outsideHash()).toBe(outside);
  }, 60_000);
});

describe('interrupted by SIGINT or SIGTERM', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s during baseline, 15 times: old or new content, no temporary file or lock left', async (signal) => {
    const w = world(largeRecipe(100));
    const file = w.path('.stacklint-baseline.json');
    const old = '{"version": 1, "findings": []}\n';
    writeFileSync(file, old);
    const began = Date.now();
    expect(cli(['baseline', w.recipe]).status).toBe(0);
    const span = (Date.now() - began) * 1.1;
    const fresh = readFileSync(file, 'utf8');
    const outcomes = { old: 0, new: 0 };
    for (let i = 0; i < 15; i++) {
      writeFileSync(file, old);
      const { child, done } = start([CLI, 'baseline', w.recipe]);
      const timer = setTimeout(() => child.kill(signal), Math.random() * span);
      const r = await done;
      clearTimeout(timer);
      // Ended by the signal (re-raised after cleaning up: the conventional 128+n), or finished first.
      if (r.signal === null) expect(r.status, r.stderr).toBe(0);
      else expect(r.signal).toBe(signal);
      const now = readFileSync(file, 'utf8');
      expect([old, fresh]).toContain(now);
      outcomes[now === old ? 'old' : 'new']++;
      expect(leftovers(w.recipe)).toEqual([]);
    }
  }, 120_000);
});

describe('-o FILE is the user\'s choice', () => {
  it('may be outside the recipe and a link (followed); a directory is refused with exit 2 and one line', () => {
    const w = world();
    const target = join(w.scratch, 'report.txt');
    writeFileSync(target, 'old\n');
    symlinkSync(target, join(w.scratch, 'link.txt'));
    const r = cli(['lint', '--format', 'compact', '-o', join(w.scratch, 'link.txt'), w.recipe]);
    expect(r.status).toBe(1);
    expect(readFileSync(target, 'utf8')).toMatch(/R011/);
    const dir = cli(['lint', '-o', w.scratch, w.recipe]);
    expect(dir.status).toBe(2);
    expect(dir.stderr).toBe(`stacklint lint: ${w.scratch}: not written: it is a directory\n`);
    const missing = cli(['graph', '-o', join(w.scratch, 'no-such-dir', 'g.dot'), w.recipe]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe(`stacklint graph: ${join(w.scratch, 'no-such-dir', 'g.dot')}: not written: no such file or directory\n`);
  });

  it('may be a device or a FIFO: written in place (-o /dev/null; a named pipe with a reader)', async () => {
    const w = world();
    const devNull = cli(['lint', '--format', 'compact', '-o', '/dev/null', w.recipe]);
    expect(devNull.status).toBe(1);
    expect(devNull.stdout + devNull.stderr).toBe('');
    const fifo = join(w.scratch, 'report.pipe');
    spawnSync('mkfifo', [fifo]);
    const reader = start(['-e', `process.stdout.write(require('fs').readFileSync(${JSON.stringify(fifo)}, 'utf8'))`]);
    const r = cli(['lint', '--format', 'compact', '-o', fifo, w.recipe]);
    expect(r.status).toBe(1);
    expect((await reader.done).stdout).toMatch(/compose\.smtpauth\.yml:15:3: error R011/);
  });
});
