// The baseline file: parse/validate, build (reasons kept), apply (known vs new), multiset matching.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyBaseline,
  BASELINE_FILE,
  BaselineError,
  buildBaseline,
  parseBaseline,
  readBaseline,
  serializeBaseline,
  updateBaseline,
} from '../../src/gate/baseline.js';
import { matchFindings } from '../../src/gate/match.js';
import type { Finding } from '../../src/lint/types.js';

function finding(over: Partial<Finding>): Finding {
  return {
    rule: 'R011',
    name: 'image-present',
    severity: 'error',
    message: 'service sidekiq has no image',
    file: 'compose.smtpauth.yml',
    line: 10,
    column: 3,
    endLine: 10,
    endColumn: 10,
    views: ['compose.yml+compose.smtpauth.yml', 'abra'],
    fingerprint: 'fp-sidekiq',
    fix: 'add an image',
    logicalPath: 'services.sidekiq',
    ...over,
  };
}

describe('matchFindings', () => {
  const key = (f: Finding) => ({ key: f.fingerprint, message: f.message });

  it('pairs by fingerprint regardless of line numbers', () => {
    const m = matchFindings([finding({ line: 40 })], [finding({ line: 10 })], key, key);
    expect(m.pairs).toHaveLength(1);
    expect(m.onlyCurrent).toEqual([]);
    expect(m.onlyPrevious).toEqual([]);
  });

  it('counts: two findings with one fingerprint need two entries', () => {
    const a = finding({ message: 'a' });
    const b = finding({ message: 'b' });
    const m = matchFindings([a, b], [finding({ message: 'b' })], key, key);
    // The identical message pairs first, so 'a' is the new one.
    expect(m.pairs.map(([c]) => c.message)).toEqual(['b']);
    expect(m.onlyCurrent.map((c) => c.message)).toEqual(['a']);
  });

  it('pairs a reworded message with the same fingerprint, and reports what is left on each side', () => {
    const m = matchFindings(
      [finding({ message: 'new wording' }), finding({ fingerprint: 'other' })],
      [finding({ message: 'old wording' }), finding({ fingerprint: 'gone' })],
      key,
      key,
    );
    expect(m.pairs).toHaveLength(1);
    expect(m.onlyCurrent.map((f) => f.fingerprint)).toEqual(['other']);
    expect(m.onlyPrevious.map((f) => f.fingerprint)).toEqual(['gone']);
  });
});

describe('baseline file', () => {
  it('round-trips, sorted, with reasons kept across regeneration', () => {
    const findings = [finding({}), finding({ rule: 'dangling-reference', file: 'compose.yml', logicalPath: 'services.app.secrets[0]', fingerprint: 'fp-secret', message: 'secret db_password is not defined' })];
    const first = buildBaseline(findings, undefined, 'upstream bug');
    expect(first.added).toBe(2);
    expect(first.baseline.entries.map((e) => e.file)).toEqual(['compose.smtpauth.yml', 'compose.yml'].sort());
    const text = serializeBaseline(first.baseline);
    expect(text).not.toMatch(/"line"/); // no line numbers: they change with unrelated edits
    const parsed = parseBaseline(text);
    expect(parsed).toEqual(first.baseline);

    // A reason edited by hand survives `stacklint baseline` as long as the finding is there.
    parsed.entries.find((e) => e.fingerprint === 'fp-secret')!.reason = 'secret comes from the host';
    const second = buildBaseline([findings[1], finding({ fingerprint: 'fp-new', message: 'new one' })], parsed, 'added later');
    expect(second).toMatchObject({ added: 1, kept: 1, removed: 1 });
    expect(second.baseline.entries.map((e) => [e.fingerprint, e.reason])).toEqual([
      ['fp-new', 'added later'],
      ['fp-secret', 'secret comes from the host'],
    ]);
  });

  it('applies: listed findings are known (with the reason), others new, unmatched entries stale', () => {
    const baseline = parseBaseline(
      JSON.stringify({
        version: 1,
        findings: [
          { rule: 'R011', file: 'compose.smtpauth.yml', path: 'services.sidekiq', message: 'm', fingerprint: 'fp-sidekiq', reason: 'tracked in #12' },
          { fingerprint: 'fp-gone' },
        ],
      }),
    );
    const known = finding({ line: 99 });
    const fresh = finding({ fingerprint: 'fp-fresh' });
    const m = applyBaseline([known, fresh], baseline);
    expect(known).toMatchObject({ state: 'known', reason: 'tracked in #12' });
    expect(fresh.state).toBe('new');
    expect(m.stale.map((e) => e.fingerprint)).toEqual(['fp-gone']);
  });

  it.each([
    ['not json', /not valid JSON/],
    ['[]', /expected a JSON object/],
    ['{"version":2,"findings":[]}', /unsupported version 2/],
    ['{"version":1}', /"findings" must be an array/],
    ['{"version":1,"findings":[{"rule":"R011"}]}', /findings\[0\]: "fingerprint" must be a non-empty string/],
    ['{"version":1,"findings":[{"fingerprint":"x","reasons":"typo"}]}', /findings\[0\]: unknown key "reasons"/],
    ['{"version":1,"findings":[{"fingerprint":"x","reason":5}]}', /"reason" must be a string/],
  ])('refuses %s', (text, message) => {
    expect(() => parseBaseline(text, 'recipe/.stacklint-baseline.json')).toThrow(BaselineError);
    expect(() => parseBaseline(text, 'recipe/.stacklint-baseline.json')).toThrow(message);
  });

  it('is read from and written to the recipe directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stacklint-test-baseline-'));
    try {
      expect(readBaseline(dir)).toBeUndefined();
      const { file, written } = updateBaseline(dir, () => buildBaseline([finding({})]).baseline, 'throw');
      expect(written).toBe(true);
      expect(file).toBe(join(dir, BASELINE_FILE));
      expect(JSON.parse(readFileSync(file, 'utf8')).findings[0]).toEqual({
        rule: 'R011',
        file: 'compose.smtpauth.yml',
        path: 'services.sidekiq',
        message: 'service sidekiq has no image',
        fingerprint: 'fp-sidekiq',
      });
      expect(readBaseline(dir)?.entries).toHaveLength(1);
      writeFileSync(file, '{');
      expect(() => readBaseline(dir)).toThrow(new RegExp(`${BASELINE_FILE}:1:2: not valid JSON \\(Expected property name`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
