// The review screen's state and every transition, as a pure reducer: keys in, state out. Side effects
// (writing a suppression, the baseline, opening the editor, re-linting) are requested through `effect`
// and carried out by the component, which reports back with `effect-done`.
import { cannotSuppressInline } from '../../src/lint/suppress-edit.js';
import type { Severity } from '../../src/rules/types.js';
import type { Finding } from '../../src/lint/types.js';
import { minOf } from '../../src/load/collections.js';

export type Grouping = 'rule' | 'file';

export type Mode =
  | { kind: 'list' }
  | { kind: 'detail' }
  | { kind: 'filter'; draft: string; previous: string }
  | { kind: 'reason'; action: 'suppress' | 'baseline'; draft: string };

export type Effect =
  | { kind: 'suppress'; finding: Finding; reason: string }
  | { kind: 'baseline'; finding: Finding; reason: string }
  | { kind: 'open'; finding: Finding }
  | { kind: 'relint' }
  | { kind: 'quit' };

export interface Status {
  tone: 'info' | 'error';
  text: string;
}

export interface ReviewState {
  findings: Finding[];
  grouping: Grouping;
  /** The committed filter (while typing, the draft in `mode` applies). */
  filter: string;
  mode: Mode;
  /** Key of the selected finding (see `findingKeys`). */
  selected?: string;
  detailScroll: number;
  status?: Status;
  /** The side effect the component should run now; keys are ignored until it reports back. */
  effect?: Effect;
  /** What this session changed, for the closing summary. */
  changed: { suppressed: number; baselined: number };
}

/** A key as the reducer sees it (the component maps ink's keys onto this). */
export interface KeyPress {
  input: string;
  up?: boolean;
  down?: boolean;
  left?: boolean;
  right?: boolean;
  enter?: boolean;
  escape?: boolean;
  /** Backspace or delete: both erase in a text prompt. */
  erase?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  tab?: boolean;
}

export type ReviewEvent =
  | {
      type: 'key';
      key: KeyPress;
      /** Rows the list shows at once (PgUp/PgDn). */
      pageSize?: number;
      /** How far the detail pane can scroll at its current size. */
      detailMax?: number;
    }
  | {
      type: 'effect-done';
      status?: Status;
      /** A fresh lint's findings, when the effect re-linted. */
      findings?: Finding[];
      changed?: Partial<ReviewState['changed']>;
    };

export type Row =
  | { kind: 'group'; label: string; title: string; counts: Counts }
  | { kind: 'finding'; key: string; finding: Finding };

export interface Counts {
  errors: number;
  warnings: number;
  infos: number;
  known: number;
}

export function initialState(findings: Finding[], options: { grouping?: Grouping; status?: Status } = {}): ReviewState {
  const state: ReviewState = {
    findings,
    grouping: options.grouping ?? 'rule',
    filter: '',
    mode: { kind: 'list' },
    detailScroll: 0,
    status: options.status,
    changed: { suppressed: 0, baselined: 0 },
  };
  return { ...state, selected: selectableKeys(state)[0] };
}

/** Unique, stable-across-re-lint keys: fingerprint and message (line numbers move when a comment is inserted). */
export function findingKeys(findings: readonly Finding[]): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const base = `${f.fingerprint}\u0000${f.message}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}\u0000${n}`;
  });
}

export function activeFilter(state: ReviewState): string {
  return state.mode.kind === 'filter' ? state.mode.draft : state.filter;
}

export function matchesFilter(f: Finding, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const hay = [f.rule, f.name, f.severity, f.message, `${f.file}:${f.line}`, f.logicalPath, ...f.views, f.state === 'known' ? 'known baseline' : '']
    .join('\n')
    .toLowerCase();
  return words.every((w) => hay.includes(w));
}

export function countFindings(findings: readonly Finding[]): Counts {
  const c: Counts = { errors: 0, warnings: 0, infos: 0, known: 0 };
  for (const f of findings) {
    if (f.state === 'known') c.known++;
    else if (f.severity === 'error') c.errors++;
    else if (f.severity === 'warning') c.warnings++;
    else c.infos++;
  }
  return c;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

function rank(f: Finding): number {
  return f.state === 'known' ? 3 : SEVERITY_RANK[f.severity];
}

/** The list as shown: groups (worst first, then by name), each with its findings (known ones last). */
export function visibleRows(state: ReviewState): Row[] {
  const filter = activeFilter(state);
  const keys = findingKeys(state.findings);
  const groups = new Map<string, { title: string; items: Array<{ key: string; finding: Finding }> }>();
  state.findings.forEach((finding, i) => {
    if (!matchesFilter(finding, filter)) return;
    const label = state.grouping === 'rule' ? finding.rule : finding.file;
    const title = state.grouping === 'rule' ? (finding.name !== finding.rule ? finding.name : '') : '';
    let group = groups.get(label);
    if (!group) groups.set(label, (group = { title, items: [] }));
    group.items.push({ key: keys[i], finding });
  });
  const ordered = [...groups.entries()].map(([label, g]) => ({
    label,
    title: g.title,
    items: g.items.map((it, i) => ({ ...it, i })).sort((a, b) => rank(a.finding) - rank(b.finding) || a.i - b.i),
    worst: minOf(g.items.map((it) => rank(it.finding))),
  }));
  ordered.sort((a, b) => (state.grouping === 'rule' ? a.worst - b.worst : 0) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const rows: Row[] = [];
  for (const g of ordered) {
    rows.push({ kind: 'group', label: g.label, title: g.title, counts: countFindings(g.items.map((it) => it.finding)) });
    for (const it of g.items) rows.push({ kind: 'finding', key: it.key, finding: it.finding });
  }
  return rows;
}

function selectableKeys(state: ReviewState): string[] {
  return visibleRows(state).flatMap((r) => (r.kind === 'finding' ? [r.key] : []));
}

export function selectedFinding(state: ReviewState): Finding | undefined {
  for (const row of visibleRows(state)) if (row.kind === 'finding' && row.key === state.selected) return row.finding;
  return undefined;
}

/** Keeps the selection on a visible finding: the same one if it is still shown, else the nearest. */
function reselect(state: ReviewState, fallbackIndex = 0): ReviewState {
  const keys = selectableKeys(state);
  if (state.selected !== undefined && keys.includes(state.selected)) return state;
  const selected = keys.length === 0 ? undefined : keys[Math.min(Math.max(fallbackIndex, 0), keys.length - 1)];
  return { ...state, selected, detailScroll: 0 };
}

function move(state: ReviewState, delta: number): ReviewState {
  const keys = selectableKeys(state);
  if (keys.length === 0) return state;
  const at = state.selected === undefined ? -1 : keys.indexOf(state.selected);
  const next = Math.min(Math.max(at + delta, 0), keys.length - 1);
  return next === at ? state : { ...state, selected: keys[next], detailScroll: 0 };
}

function isText(key: KeyPress): boolean {
  return !key.ctrl && !key.meta && !key.escape && !key.enter && !key.tab && key.input !== '' && !/[\u0000-\u001f\u007f]/.test(key.input);
}

export function reduce(state: ReviewState, event: ReviewEvent): ReviewState {
  if (event.type === 'effect-done') {
    let next: ReviewState = {
      ...state,
      effect: undefined,
      status: event.status,
      changed: {
        suppressed: state.changed.suppressed + (event.changed?.suppressed ?? 0),
        baselined: state.changed.baselined + (event.changed?.baselined ?? 0),
      },
    };
    if (event.findings) {
      const before = selectableKeys(state).indexOf(state.selected ?? '');
      next = reselect({ ...next, findings: event.findings }, before);
    }
    return next;
  }
  const { key } = event;
  if (key.ctrl && key.input === 'c') return { ...state, effect: { kind: 'quit' } };
  if (state.effect) return state; // busy: the running effect reports back first
  const mode = state.mode;

  if (mode.kind === 'filter') {
    if (key.escape) return reselect({ ...state, filter: mode.previous, mode: { kind: 'list' } });
    if (key.enter) return reselect({ ...state, filter: mode.draft.trim(), mode: { kind: 'list' } });
    if (key.erase) return reselect({ ...state, mode: { ...mode, draft: mode.draft.slice(0, -1) } });
    if (isText(key)) return reselect({ ...state, mode: { ...mode, draft: mode.draft + key.input } });
    return state;
  }

  if (mode.kind === 'reason') {
    if (key.escape) return { ...state, mode: { kind: 'list' }, status: { tone: 'info', text: 'cancelled' } };
    if (key.erase) return { ...state, mode: { ...mode, draft: mode.draft.slice(0, -1) } };
    if (key.enter) {
      const reason = mode.draft.replace(/\s+/g, ' ').trim();
      if (reason === '') return { ...state, status: { tone: 'error', text: 'a reason is required (esc cancels)' } };
      const finding = selectedFinding(state);
      if (!finding) return { ...state, mode: { kind: 'list' } };
      const verb = mode.action === 'suppress' ? 'suppressing' : 'adding to the baseline';
      return { ...state, mode: { kind: 'list' }, effect: { kind: mode.action, finding, reason }, status: { tone: 'info', text: `${verb}…` } };
    }
    if (isText(key)) return { ...state, mode: { ...mode, draft: mode.draft + key.input } };
    return state;
  }

  const inDetail = mode.kind === 'detail';
  const page = Math.max(1, event.pageSize ?? 10);
  const scroll = (delta: number): ReviewState => {
    const detailScroll = Math.max(0, Math.min(state.detailScroll + delta, event.detailMax ?? Infinity));
    return detailScroll === state.detailScroll ? state : { ...state, detailScroll };
  };
  if (key.up || key.input === 'k') return inDetail ? scroll(-1) : move(state, -1);
  if (key.down || key.input === 'j') return inDetail ? scroll(1) : move(state, 1);
  if (key.pageUp) return inDetail ? scroll(-page) : move(state, -page);
  if (key.pageDown) return inDetail ? scroll(page) : move(state, page);
  if (key.enter || key.right || (key.input === 'l' && !inDetail)) {
    return selectedFinding(state) ? { ...state, mode: { kind: 'detail' } } : state;
  }
  if (inDetail && (key.escape || key.left || key.input === 'h')) return { ...state, mode: { kind: 'list' }, detailScroll: 0 };
  if (key.escape && state.status) return { ...state, status: undefined };
  switch (key.input) {
    case 'q':
      return { ...state, effect: { kind: 'quit' } };
    case '/':
      return { ...state, mode: { kind: 'filter', draft: state.filter, previous: state.filter }, status: undefined };
    case 'g': {
      const grouping: Grouping = state.grouping === 'rule' ? 'file' : 'rule';
      return { ...state, grouping, status: { tone: 'info', text: `grouped by ${grouping}` } };
    }
    case 'r':
      return { ...state, effect: { kind: 'relint' }, status: { tone: 'info', text: 're-linting…' } };
    case 'o': {
      const finding = selectedFinding(state);
      return finding ? { ...state, effect: { kind: 'open', finding } } : state;
    }
    case 's':
    case 'b': {
      const finding = selectedFinding(state);
      if (!finding) return state;
      const action = key.input === 's' ? 'suppress' : 'baseline';
      if (action === 'baseline' && finding.state === 'known') {
        return { ...state, status: { tone: 'error', text: 'already in the baseline' } };
      }
      const blocked = action === 'suppress' ? cannotSuppressInline(finding.file, finding.rule) : undefined;
      if (blocked) return { ...state, status: { tone: 'error', text: `cannot suppress inline: ${blocked}` } };
      return { ...state, mode: { kind: 'reason', action, draft: '' }, status: undefined };
    }
    default:
      return state;
  }
}
