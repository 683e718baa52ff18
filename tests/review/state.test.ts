import { describe, expect, it } from 'vitest';
import { initialState, reduce, selectedFinding, visibleRows } from '../../cli/review/state.js';
import type { KeyPress, ReviewState } from '../../cli/review/state.js';
import { finding } from './helpers.js';

const FINDINGS = [
  finding({ rule: 'R002', file: 'compose.smtpauth.yml', line: 15, severity: 'warning' }),
  finding({ rule: 'R011', file: 'compose.smtpauth.yml', line: 15 }),
  finding({ rule: 'R002', file: 'compose.yml', line: 40, severity: 'warning' }),
  finding({ rule: 'R015', file: 'config.json', line: 3, severity: 'info' }),
];

function keys(state: ReviewState, ...presses: Array<string | KeyPress>): ReviewState {
  return presses.reduce<ReviewState>((s, p) => reduce(s, { type: 'key', key: typeof p === 'string' ? { input: p } : p, detailMax: 5 }), state);
}
const sel = (s: ReviewState) => {
  const f = selectedFinding(s);
  return f && `${f.rule} ${f.file}:${f.line}`;
};

describe('review reducer', () => {
  it('groups by rule, worst group first, and selects the first finding', () => {
    const s = initialState(FINDINGS);
    expect(visibleRows(s).map((r) => (r.kind === 'group' ? `[${r.label}]` : `${r.finding.rule}:${r.finding.line}`))).toEqual([
      '[R011]', 'R011:15', '[R002]', 'R002:15', 'R002:40', '[R015]', 'R015:3',
    ]);
    expect(sel(s)).toBe('R011 compose.smtpauth.yml:15');
  });

  it('moves with j/k and the arrows over findings only, stopping at the ends', () => {
    const s = initialState(FINDINGS);
    expect(sel(keys(s, 'j'))).toBe('R002 compose.smtpauth.yml:15');
    expect(sel(keys(s, { input: '', down: true }, { input: '', down: true }))).toBe('R002 compose.yml:40');
    expect(sel(keys(s, 'j', 'j', 'j', 'j', 'j'))).toBe('R015 config.json:3');
    expect(sel(keys(s, 'k'))).toBe('R011 compose.smtpauth.yml:15');
    expect(sel(keys(s, 'j', 'j', { input: '', up: true }))).toBe('R002 compose.smtpauth.yml:15');
    expect(sel(keys(s, { input: '', pageDown: true }))).toBe('R015 config.json:3');
  });

  it('g toggles grouping by file and keeps the selection', () => {
    const s = keys(initialState(FINDINGS), 'j', 'j', 'g');
    expect(s.grouping).toBe('file');
    expect(visibleRows(s).filter((r) => r.kind === 'group').map((r) => r.kind === 'group' && r.label)).toEqual(['compose.smtpauth.yml', 'compose.yml', 'config.json']);
    expect(sel(s)).toBe('R002 compose.yml:40');
    expect(keys(s, 'g').grouping).toBe('rule');
  });

  it('/ filters as you type; enter keeps the filter, esc restores the previous one', () => {
    let s = keys(initialState(FINDINGS), '/', 'c', 'o', 'm', 'p', 'o', 's', 'e', '.', 'y');
    expect(s.mode.kind).toBe('filter');
    expect(visibleRows(s).filter((r) => r.kind === 'finding')).toHaveLength(1);
    expect(sel(s)).toBe('R002 compose.yml:40');
    s = keys(s, { input: '', erase: true }, { input: '', enter: true });
    expect(s.filter).toBe('compose.');
    expect(s.mode.kind).toBe('list');
    const cancelled = keys(s, '/', 'x', 'x', { input: '', escape: true });
    expect(cancelled.filter).toBe('compose.');
    expect(keys(s, 'q').effect).toEqual({ kind: 'quit' });
    // While typing, q is text.
    expect(keys(s, '/', 'q').effect).toBeUndefined();
  });

  it('enter or → focuses the detail, where ↑/↓ scroll (clamped) and ← or esc go back', () => {
    const s = keys(initialState(FINDINGS), { input: '', enter: true });
    expect(s.mode.kind).toBe('detail');
    expect(keys(initialState(FINDINGS), { input: '', right: true }).mode.kind).toBe('detail');
    const scrolled = keys(s, 'j', 'j', { input: '', down: true });
    expect(scrolled.detailScroll).toBe(3);
    expect(sel(scrolled)).toBe('R011 compose.smtpauth.yml:15');
    expect(keys(scrolled, 'j', 'j', 'j', 'j').detailScroll).toBe(5);
    expect(keys(scrolled, 'k').detailScroll).toBe(2);
    const back = keys(scrolled, { input: '', left: true });
    expect(back.mode.kind).toBe('list');
    expect(back.detailScroll).toBe(0);
    expect(keys(scrolled, { input: '', escape: true }).mode.kind).toBe('list');
  });

  it('s asks for a reason, requires one, then requests the suppression', () => {
    let s = keys(initialState(FINDINGS), 's');
    expect(s.mode).toEqual({ kind: 'reason', action: 'suppress', draft: '' });
    s = keys(s, { input: '', enter: true });
    expect(s.status).toEqual({ tone: 'error', text: 'a reason is required (esc cancels)' });
    expect(s.effect).toBeUndefined();
    s = keys(s, 'upstream bug', { input: '', enter: true });
    expect(s.effect).toEqual({ kind: 'suppress', finding: FINDINGS[1], reason: 'upstream bug' });
    expect(s.mode.kind).toBe('list');
    // Busy: keys wait until the effect reports back.
    expect(keys(s, 'j')).toBe(s);
    const cancelled = keys(initialState(FINDINGS), 's', 'x', { input: '', escape: true });
    expect(cancelled.mode.kind).toBe('list');
    expect(cancelled.effect).toBeUndefined();
  });

  it('s on a file without # comments says so instead of asking', () => {
    const s = keys(initialState(FINDINGS), 'j', 'j', 'j', 's');
    expect(s.mode.kind).toBe('list');
    expect(s.status?.tone).toBe('error');
    expect(s.status?.text).toMatch(/^cannot suppress inline: config\.json has no `#` comments/);
  });

  it('b asks for a reason and requests the baseline entry; a known finding is refused', () => {
    const s = keys(initialState(FINDINGS), 'b', 'later', { input: '', enter: true });
    expect(s.effect).toEqual({ kind: 'baseline', finding: FINDINGS[1], reason: 'later' });
    const known = initialState([{ ...FINDINGS[1], state: 'known' }]);
    expect(keys(known, 'b').status).toEqual({ tone: 'error', text: 'already in the baseline' });
  });

  it('o, r and q request their effects; ctrl+c quits even in a prompt', () => {
    const s = initialState(FINDINGS);
    expect(keys(s, 'o').effect).toEqual({ kind: 'open', finding: FINDINGS[1] });
    expect(keys(s, 'r').effect).toEqual({ kind: 'relint' });
    expect(keys(s, 'q').effect).toEqual({ kind: 'quit' });
    expect(keys(s, 's', { input: 'c', ctrl: true }).effect).toEqual({ kind: 'quit' });
  });

  it('after a re-lint keeps the selection on the same finding though its line moved, else the one at its place', () => {
    const s = keys(initialState(FINDINGS), 'j', 'r');
    const moved = FINDINGS.map((f) => ({ ...f, line: f.line + 1 }));
    const after = reduce(s, { type: 'effect-done', findings: moved, status: { tone: 'info', text: 're-linted' }, changed: { suppressed: 1 } });
    expect(sel(after)).toBe('R002 compose.smtpauth.yml:16');
    expect(after.effect).toBeUndefined();
    expect(after.changed).toEqual({ suppressed: 1, baselined: 0 });
    const gone = reduce(s, { type: 'effect-done', findings: FINDINGS.filter((_, i) => i !== 0) });
    expect(sel(gone)).toBe('R002 compose.yml:40');
    const empty = reduce(s, { type: 'effect-done', findings: [] });
    expect(empty.selected).toBeUndefined();
    expect(keys(empty, 'j', 's', 'o')).toEqual(empty);
  });
});
