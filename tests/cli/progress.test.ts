import { describe, expect, it } from 'vitest';
import { catalogueProgress, progressLine, recipeTable } from '../../cli/progress.js';
import type { RecipeLint } from '../../src/lint/engine.js';

const recipe = (errors: number, warnings: number) => ({ summary: { errors, warnings, infos: 0, recipes: 1, files: 1, views: 2 } }) as RecipeLint;

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, columns: 100, written, write: (t: string) => written.push(t) };
}

describe('progressLine', () => {
  it('shows recipes done of total, findings so far and the time', () => {
    expect(progressLine({ done: 3, total: 12, errors: 2, warnings: 5, elapsedMs: 1234 })).toBe(
      '[######..................] 3/12 recipes  2 errors, 5 warnings  1.2s',
    );
    expect(progressLine({ done: 12, total: 12, errors: 0, warnings: 0, elapsedMs: 50 }).startsWith(`[${'#'.repeat(24)}]`)).toBe(true);
  });

  it('fits the terminal', () => {
    expect(progressLine({ done: 1, total: 2, errors: 0, warnings: 0, elapsedMs: 0 }, 30)).toHaveLength(29);
  });
});

describe('recipeTable', () => {
  it('lines up recipe, views, errors, warnings, with a total', () => {
    const table = recipeTable([
      { recipe: 'blog', views: 2, errors: 1, warnings: 0, infos: 0 },
      { recipe: 'discourse', views: 3, errors: 0, warnings: 12, infos: 0 },
    ]);
    expect(table).toBe(
      [
        'recipe             views  errors  warnings',
        '-----------------  -----  ------  --------',
        'blog                   2       1         0',
        'discourse              3       0        12',
        '-----------------  -----  ------  --------',
        'total (2 recipes)      5       1        12',
        '',
      ].join('\n'),
    );
  });

  it('colours recipes with errors red and with warnings yellow, when asked', () => {
    const table = recipeTable(
      [
        { recipe: 'a', views: 1, errors: 1, warnings: 0, infos: 0 },
        { recipe: 'b', views: 1, errors: 0, warnings: 1, infos: 0 },
        { recipe: 'c', views: 1, errors: 0, warnings: 0, infos: 0 },
      ],
      { color: true },
    );
    const lines = table.split('\n');
    expect(lines[2]).toMatch(/^\u001b\[31ma /);
    expect(lines[3]).toMatch(/^\u001b\[33mb /);
    expect(lines[4]).toMatch(/^c /);
  });
});

describe('catalogueProgress', () => {
  it('writes nothing when stderr is not a terminal', () => {
    const stream = fakeStream(false);
    const p = catalogueProgress(stream, { env: {} });
    p.onProgress(recipe(1, 1), 1, 2);
    p.onProgress(recipe(0, 1), 2, 2);
    p.stop();
    p.table([
      { recipe: 'a', views: 1, errors: 1, warnings: 1, infos: 0 },
      { recipe: 'b', views: 1, errors: 0, warnings: 1, infos: 0 },
    ]);
    expect(stream.written).toEqual([]);
  });

  it('writes nothing on a dumb terminal either', () => {
    const stream = fakeStream(true);
    const p = catalogueProgress(stream, { env: { TERM: 'dumb' } });
    p.onProgress(recipe(1, 1), 1, 2);
    p.table([
      { recipe: 'a', views: 1, errors: 1, warnings: 1, infos: 0 },
      { recipe: 'b', views: 1, errors: 0, warnings: 1, infos: 0 },
    ]);
    expect(stream.written).toEqual([]);
  });

  it('redraws one line on a terminal, at most every interval and at the end, then clears it', () => {
    const stream = fakeStream(true);
    let t = 0;
    const p = catalogueProgress(stream, { env: { TERM: 'xterm' }, now: () => t, intervalMs: 100 });
    t = 10;
    p.onProgress(recipe(1, 0), 1, 3);
    t = 50;
    p.onProgress(recipe(0, 2), 2, 3); // within the interval: not drawn
    t = 60;
    p.onProgress(recipe(0, 1), 3, 3); // the last one always is
    p.stop();
    expect(stream.written).toEqual([
      '\r\u001b[2K[########................] 1/3 recipes  1 errors, 0 warnings  0.0s',
      `\r\u001b[2K[${'#'.repeat(24)}] 3/3 recipes  1 errors, 3 warnings  0.1s`,
      '\r\u001b[2K',
    ]);
  });

  it('prints the table for a catalogue only', () => {
    const stream = fakeStream(true);
    const p = catalogueProgress(stream, { env: { TERM: 'xterm' } });
    p.table([{ recipe: 'a', views: 1, errors: 0, warnings: 0, infos: 0 }]);
    expect(stream.written).toEqual([]);
    p.table([
      { recipe: 'a', views: 1, errors: 0, warnings: 0, infos: 0 },
      { recipe: 'b', views: 2, errors: 0, warnings: 0, infos: 0 },
    ]);
    expect(stream.written.join('')).toContain('total (2 recipes)      3       0         0');
  });
});
