// Concurrent runs on the same files, 50 times each: two `baseline`s; `--fix` beside review's suppress on
// one compose file; review accepting a finding beside `baseline`; a catalogue run beside a recipe run. No
// run may corrupt a file or lose another's change: a change a run reports as made is in the file at the
// end, and a run that could not make its change says so. Plus the lock's own behaviour: a live holder is
// waited for (bounded, then a clear message), a dead holder's lock is taken over, a lock that is a link is
// refused.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cli, leftovers, NO_VERSION, NO_VERSION_FIXED, reviewServer, start, worldsPerTest } from './write-helpers.js';
import type { World } from './write-helpers.js';

const TIMES = 50;
const WORKERS = 4;
const BASELINE = '.stacklint-baseline.json';

const world = worldsPerTest();

/** Runs `iteration` TIMES in all, WORKERS at a time, each worker on its own world. */
async function repeat(makeOne: () => World, iteration: (w: World, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      const w = makeOne();
      while (next < TIMES) await iteration(w, next++);
    }),
  );
}

interface BaselineFile {
  findings: Array<{ rule: string; reason?: string; fingerprint: string }>;
}
const readJson = (file: string): BaselineFile => JSON.parse(readFileSync(file, 'utf8')) as BaselineFile;

/** The example recipe's full baseline without its R011 entry: a later run or review adds it. */
function baselineWithoutR011(w: World): string {
  const r = cli(['baseline', w.recipe]);
  expect(r.status, r.stderr).toBe(0);
  const doc = JSON.parse(readFileSync(w.path(BASELINE), 'utf8'));
  doc.findings = doc.findings.filter((f: { rule: string }) => f.rule !== 'R011');
  return `${JSON.stringify(doc, null, 2)}\n`;
}

describe(`concurrent runs, ${TIMES} times each`, () => {
  it('two `baseline` runs: the file is always one of the two runs in some order, never a mix', async () => {
    const probe = world();
    const start0 = baselineWithoutR011(probe);
    const serial = (first: string, second: string): string => {
      writeFileSync(probe.path(BASELINE), start0);
      expect(cli(['baseline', '--reason', first, probe.recipe]).status).toBe(0);
      expect(cli(['baseline', '--reason', second, probe.recipe]).status).toBe(0);
      return readFileSync(probe.path(BASELINE), 'utf8');
    };
    const outcomes = new Set([serial('A', 'B'), serial('B', 'A')]);
    expect(outcomes.size).toBe(2);
    await repeat(world, async (w) => {
      writeFileSync(w.path(BASELINE), start0);
      const [a, b] = await Promise.all([start([CLI, 'baseline', '--reason', 'A', w.recipe]).done, start([CLI, 'baseline', '--reason', 'B', w.recipe]).done]);
      expect(a.status, a.stderr).toBe(0);
      expect(b.status, b.stderr).toBe(0);
      expect(outcomes.has(readFileSync(w.path(BASELINE), 'utf8'))).toBe(true);
      expect(leftovers(w.recipe)).toEqual([]);
    });
  }, 240_000);

  it('`lint --fix` beside review suppressing in the same file: neither change is lost', async () => {
    const recipe = { 'compose.yml': NO_VERSION, '.env.sample': 'TYPE=a\n' };
    const directive = '  # stacklint-disable-next-line R002 -- checked by the safety tests\n';
    const reviewers = new Map<World, ReturnType<typeof reviewServer>>();
    const tally = { both: 0, fixOnly: 0, suppressOnly: 0 };
    try {
      await repeat(
        () => {
          const w = world(recipe);
          reviewers.set(w, reviewServer());
          return w;
        },
        async (w) => {
          writeFileSync(w.path('compose.yml'), NO_VERSION);
          const [fix, suppress] = await Promise.all([
            start([CLI, 'lint', '--fix', '--format', 'compact', w.recipe]).done,
            reviewers.get(w)!.act({ recipe: w.recipe, action: 'suppress', file: 'compose.yml', rule: 'R002', reason: 'checked by the safety tests' }),
          ]);
          const text = readFileSync(w.path('compose.yml'), 'utf8');
          const fixed = text.includes('version: "3.8"\n');
          const suppressed = text.includes(directive);
          // What each run says it did is in the file; what it could not do, it said.
          if (fix.status === 2) {
            expect(fix.stderr).toMatch(/compose\.yml changed on disk (since stacklint read it|while stacklint was linting it)|compose\.yml: changed on disk since stacklint read it/);
            expect(fixed).toBe(false);
          } else {
            expect(fix.status, fix.stderr).toBe(0);
            expect(fixed).toBe(true);
          }
          if (suppress.tone === 'info') expect(suppressed, suppress.text).toBe(true);
          else {
            expect(suppress.text).toMatch(/changed since the last lint|changed on disk/);
            expect(suppressed).toBe(false);
          }
          expect(fixed || suppressed).toBe(true);
          // Exactly one of the three texts the two edits can make, byte for byte.
          const expected = fixed && suppressed ? NO_VERSION_FIXED.replace('  app:\n', `${directive}  app:\n`) : fixed ? NO_VERSION_FIXED : NO_VERSION.replace('  app:\n', `${directive}  app:\n`);
          expect(text).toBe(expected);
          tally[fixed && suppressed ? 'both' : fixed ? 'fixOnly' : 'suppressOnly']++;
          expect(leftovers(w.recipe)).toEqual([]);
        },
      );
    } finally {
      await Promise.all([...reviewers.values()].map((r) => r.close()));
    }
    console.log(`--fix beside suppress: ${tally.both} both, ${tally.fixOnly} fix only (suppress refused), ${tally.suppressOnly} suppress only (fix refused)`);
  }, 240_000);

  it("review accepting a finding beside `baseline`: the review's entry and reason are never lost", async () => {
    const probe = world();
    const start0 = baselineWithoutR011(probe);
    const reviewers = new Map<World, ReturnType<typeof reviewServer>>();
    const tally = { reviewFirst: 0, baselineFirst: 0 };
    try {
      await repeat(
        () => {
          const w = world();
          reviewers.set(w, reviewServer());
          return w;
        },
        async (w) => {
          writeFileSync(w.path(BASELINE), start0);
          const [run, review] = await Promise.all([
            start([CLI, 'baseline', w.recipe]).done,
            reviewers.get(w)!.act({ recipe: w.recipe, action: 'baseline', file: 'compose.smtpauth.yml', rule: 'R011', reason: 'from review' }),
          ]);
          expect(run.status, run.stderr).toBe(0);
          const r011 = readJson(w.path(BASELINE)).findings.filter((f) => f.rule === 'R011');
          expect(r011).toHaveLength(1);
          if (review.tone === 'info') {
            // Accepted: whichever ran second kept the reason.
            expect(r011[0].reason).toBe('from review');
            tally.reviewFirst++;
          } else {
            expect(review.text).toBe('already in the baseline');
            expect(r011[0].reason).toBeUndefined();
            tally.baselineFirst++;
          }
          expect(leftovers(w.recipe)).toEqual([]);
        },
      );
    } finally {
      await Promise.all([...reviewers.values()].map((r) => r.close()));
    }
    console.log(`review beside baseline: review first ${tally.reviewFirst}, baseline first ${tally.baselineFirst}`);
  }, 240_000);

  it('a catalogue run (baseline and --fix) beside a recipe run: every file is whole and every change kept', async () => {
    const makeCatalogue = (): World => {
      const w = world({ 'one/.keep': '' });
      const cat = w.recipe;
      cpSync(join(__dirname, '../../fixtures/example-recipe'), join(cat, 'one'), { recursive: true });
      mkdirSync(join(cat, 'two'), { recursive: true });
      return w;
    };
    const probe = makeCatalogue();
    const start0 = (() => {
      const r = cli(['baseline', join(probe.recipe, 'one')]);
      expect(r.status, r.stderr).toBe(0);
      const doc = JSON.parse(readFileSync(join(probe.recipe, 'one', BASELINE), 'utf8'));
      doc.findings = doc.findings.filter((f: { rule: string }) => f.rule !== 'R011');
      return `${JSON.stringify(doc, null, 2)}\n`;
    })();
    await repeat(makeCatalogue, async (w) => {
      const cat = w.recipe;
      writeFileSync(join(cat, 'one', BASELINE), start0);
      writeFileSync(join(cat, 'two', 'compose.yml'), NO_VERSION);
      writeFileSync(join(cat, 'two', '.env.sample'), 'TYPE=two\n');
      const [catalogue, fix, recipe] = await Promise.all([
        start([CLI, 'baseline', '--reason', 'cat', cat]).done,
        start([CLI, 'lint', '--fix', '--format', 'compact', cat]).done,
        start([CLI, 'baseline', '--reason', 'one', join(cat, 'one')]).done,
      ]);
      expect(catalogue.status, catalogue.stderr).toBe(0);
      expect(recipe.status, recipe.stderr).toBe(0);
      expect(fix.status, fix.stderr).not.toBe(2);
      // one: R011 added by whichever baseline ran first, with its reason, and kept by the second.
      const r011 = readJson(join(cat, 'one', BASELINE)).findings.filter((f) => f.rule === 'R011');
      expect(r011).toHaveLength(1);
      expect(['cat', 'one']).toContain(r011[0].reason);
      // two: fixed, and its baseline a whole file from the catalogue run.
      expect(readFileSync(join(cat, 'two', 'compose.yml'), 'utf8')).toBe(NO_VERSION_FIXED);
      expect(readJson(join(cat, 'two', BASELINE)).findings.every((f) => f.reason === 'cat')).toBe(true);
      for (const dir of ['one', 'two']) expect(leftovers(join(cat, dir))).toEqual([]);
    });
  }, 240_000);
});

describe('the lock', () => {
  it('a live holder is waited for, up to STACKLINT_LOCK_WAIT_MS, then exit 2 naming it; the file unchanged', () => {
    const w = world();
    const old = '{"version": 1, "findings": []}\n';
    writeFileSync(w.path(BASELINE), old);
    // This test process holds the lock, as another stacklint would.
    writeFileSync(w.path(`${BASELINE}.stacklint-lock`), `${process.pid} ${hostname()}\n`);
    const began = Date.now();
    const r = cli(['baseline', w.recipe], { env: { STACKLINT_LOCK_WAIT_MS: '400' } });
    expect(Date.now() - began).toBeGreaterThanOrEqual(400);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `stacklint baseline: ${w.path(BASELINE)} is being written by another stacklint (pid ${process.pid} ${hostname()}); waited 0.4 s and left it unchanged. ` +
        `If no stacklint is running, delete ${w.path(`${BASELINE}.stacklint-lock`)}\n`,
    );
    expect(readFileSync(w.path(BASELINE), 'utf8')).toBe(old);
  });

  it("a dead holder's lock is stale: taken over, the write done, no lock left", async () => {
    const w = world();
    const dead = spawn('true');
    const pid = dead.pid!;
    await new Promise((r) => dead.on('close', r));
    writeFileSync(w.path(`${BASELINE}.stacklint-lock`), `${pid} ${hostname()}\n`);
    const r = cli(['baseline', w.recipe], { env: { STACKLINT_LOCK_WAIT_MS: '60000' } });
    expect(r.status, r.stderr).toBe(0);
    expect(readJson(w.path(BASELINE)).findings.length).toBeGreaterThan(0);
    expect(leftovers(w.recipe)).toEqual([]);
  });

  it('a lock file that is a link is refused, and not followed', () => {
    const w = world();
    const outside = w.outsideHash();
    symlinkSync('../outside/victim.txt', w.path(`${BASELINE}.stacklint-lock`));
    const r = cli(['baseline', w.recipe]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.stacklint-baseline\.json\.stacklint-lock is a symbolic link to \.\.\/outside\/victim\.txt, which leads outside the recipe/);
    expect(existsSync(w.path(BASELINE))).toBe(false);
    expect(w.outsideHash()).toBe(outside);
  });
});
