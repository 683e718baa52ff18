// The review screen as lines of styled text, computed from the state and the terminal size: pure, so
// the layout (what fits in 80×24, what scrolls) is decided here and the component only paints it.
import type { Severity } from '../../src/rules/types.js';
import type { Finding } from '../../src/lint/types.js';
import type { FindingDetail } from './detail.js';
import { activeFilter, countFindings, selectedFinding, visibleRows } from './state.js';
import type { Counts, ReviewState, Row } from './state.js';
import { foldLineBreaks } from '../../src/load/text-scan.js';
import { pushAll } from '../../src/load/collections.js';

export interface Segment {
  text: string;
  color?: 'red' | 'yellow' | 'cyan' | 'green' | 'gray' | 'magenta';
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

export type Line = Segment[];

export interface Screen {
  lines: Line[];
  /** Rows the list shows at once (page size for PgUp/PgDn). */
  listHeight: number;
  /** Detail lines visible at once, and the furthest the detail can scroll. */
  detailHeight: number;
  detailMaxScroll: number;
}

export interface ScreenInput {
  state: ReviewState;
  recipeName: string;
  width: number;
  height: number;
  describe: (f: Finding) => FindingDetail;
}

/** At this width and up the list and the detail sit side by side. */
export const WIDE = 120;
const MIN_HEIGHT = 8;
const TAB = '  ';

const SEVERITY_COLOR: Record<Severity, Segment['color']> = { error: 'red', warning: 'yellow', info: 'cyan' };
const SEVERITY_MARK: Record<Severity, string> = { error: '✖', warning: '!', info: 'i' };

export function renderScreen(input: ScreenInput): Screen {
  const { state, width } = input;
  // One line short of the terminal: a frame as tall as the screen makes ink clear and repaint each time.
  const height = Math.max(input.height - 1, MIN_HEIGHT);
  const header = headerLines(input);
  const footer = footerLines(state, width);
  const body = Math.max(height - header.length - footer.length, 2);
  const finding = selectedFinding(state);
  const detailMode = state.mode.kind === 'detail';

  let bodyLines: Line[];
  let listHeight: number;
  let detailHeight: number;
  let detailTotal: number;
  if (width >= WIDE) {
    const listWidth = Math.floor(width * 0.42);
    const detailWidth = width - listWidth - 3;
    listHeight = body;
    detailHeight = body;
    const detail = detailLines(finding, input.describe, detailWidth);
    detailTotal = detail.length;
    const list = listLines(state, listWidth, body);
    const right = windowed(detail, state.detailScroll, body, detailMode);
    bodyLines = [];
    for (let i = 0; i < body; i++) {
      const divider: Segment = { text: ' │ ', color: detailMode ? 'cyan' : 'gray' };
      bodyLines.push([...pad(list[i] ?? [], listWidth), divider, ...fit(right[i] ?? [], detailWidth)]);
    }
  } else {
    const detail = detailLines(finding, input.describe, width);
    detailTotal = detail.length;
    if (detailMode) {
      listHeight = 0;
      detailHeight = body;
      bodyLines = windowed(detail, state.detailScroll, body, true);
    } else {
      listHeight = Math.max(3, Math.min(Math.round(body * 0.4), visibleRows(state).length || 1));
      detailHeight = Math.max(body - listHeight - 1, 1);
      const rule: Line = [{ text: '─'.repeat(width), color: 'gray' }];
      bodyLines = [...listLines(state, width, listHeight), rule, ...windowed(detail, 0, detailHeight, false)];
    }
  }
  while (bodyLines.length < body) bodyLines.push([]);
  const lines = [...header, ...bodyLines.slice(0, body), ...footer].map((l) => fit(sanitize(l), width));
  return { lines, listHeight, detailHeight, detailMaxScroll: Math.max(0, detailTotal - detailHeight) };
}

function headerLines({ state, recipeName }: ScreenInput): Line[] {
  const c = countFindings(state.findings);
  const first: Line = [{ text: 'stacklint review', bold: true }, { text: `  ${recipeName}  ` }, ...countSegments(c, true)];
  const rows = visibleRows(state);
  const shown = rows.filter((r) => r.kind === 'finding').length;
  const filter = activeFilter(state);
  const second: Line = [
    { text: `grouped by ${state.grouping}`, dim: true },
    { text: filter ? ` · filter "${filter}" · ${shown} of ${state.findings.length} shown` : ` · ${state.findings.length} finding${state.findings.length === 1 ? '' : 's'}`, dim: true },
  ];
  return [first, second];
}

function countSegments(c: Counts, all: boolean): Segment[] {
  const out: Segment[] = [];
  const add = (n: number, word: string, color: Segment['color']) => {
    if (n === 0 && !all) return;
    if (out.length > 0) out.push({ text: all ? '  ' : ', ' });
    out.push({ text: `${n} ${n === 1 || word === 'known' ? word : `${word}s`}`, color: n > 0 ? color : undefined, dim: n === 0 });
  };
  add(c.errors, 'error', 'red');
  add(c.warnings, 'warning', 'yellow');
  if (c.infos > 0 || !all) add(c.infos, 'info', 'cyan');
  add(c.known, 'known', 'gray');
  return out;
}

function listLines(state: ReviewState, width: number, height: number): Line[] {
  const rows = visibleRows(state);
  if (rows.length === 0) {
    const text = state.findings.length === 0 ? 'No findings: nothing to review.' : `No finding matches "${activeFilter(state)}" (/ to change, esc to clear).`;
    return [[{ text, color: state.findings.length === 0 ? 'green' : 'yellow' }]];
  }
  const selectedIndex = rows.findIndex((r) => r.kind === 'finding' && r.key === state.selected);
  const start = Math.max(0, Math.min(selectedIndex - Math.floor(height / 2), rows.length - height));
  return rows.slice(start, start + height).map((row) => rowLine(row, state, width));
}

function rowLine(row: Row, state: ReviewState, width: number): Line {
  if (row.kind === 'group') {
    const counts = countSegments(row.counts, false);
    return [{ text: row.label, bold: true }, ...(row.title ? [{ text: ` ${row.title}`, bold: true }] : []), { text: '  ' }, ...counts.map((s) => ({ ...s, dim: true }))];
  }
  const f = row.finding;
  const selected = row.key === state.selected;
  const known = f.state === 'known';
  const where = state.grouping === 'rule' ? `${f.file}:${f.line}` : `${f.line}:${f.column} ${f.rule}`;
  const mark: Segment = known ? { text: '✓', color: 'gray' } : { text: SEVERITY_MARK[f.severity], color: SEVERITY_COLOR[f.severity], bold: true };
  const line: Line = [
    { text: selected ? '› ' : '  ', bold: true },
    mark,
    { text: ` ${where} `, color: known ? 'gray' : undefined },
    { text: oneLine(f.message), color: known ? 'gray' : undefined },
  ];
  if (!selected) return line;
  const padded = pad(line, width);
  return padded.map((s) => ({ ...s, inverse: true }));
}

/** The detail pane's full content (it scrolls); empty selection gets a hint. */
export function detailLines(finding: Finding | undefined, describe: (f: Finding) => FindingDetail, width: number): Line[] {
  if (!finding) return [[{ text: 'Nothing selected.', dim: true }]];
  const d = describe(finding);
  const lines: Line[] = [];
  const known = finding.state === 'known';
  lines.push([
    { text: finding.rule, bold: true },
    ...(finding.name !== finding.rule ? [{ text: ` ${finding.name}`, bold: true }] : []),
    { text: ' · ' },
    { text: finding.severity, color: SEVERITY_COLOR[finding.severity], bold: true },
    ...(known ? [{ text: ' · known (baseline)', color: 'gray' as const }] : []),
  ]);
  for (const l of wrap(finding.message, width)) lines.push([{ text: l }]);
  lines.push([{ text: `${finding.file}:${finding.line}:${finding.column}`, color: 'cyan' }]);
  if (known && finding.reason) pushAll(lines, wrap(`baseline reason: ${finding.reason}`, width).map((l) => [{ text: l, color: 'gray' as const }]));
  lines.push([]);
  if (d.snippet.length > 0) {
    const gutter = String(d.snippet[d.snippet.length - 1].line).length;
    for (const s of d.snippet) {
      const num = String(s.line).padStart(gutter);
      const text = s.text.replace(/\t/g, TAB);
      lines.push(
        s.hit
          ? [{ text: `> ${num} │ `, color: SEVERITY_COLOR[finding.severity], bold: true }, { text, bold: true }]
          : [{ text: `  ${num} │ `, color: 'gray' }, { text, dim: true }],
      );
    }
  } else if (d.snippetNote) {
    lines.push([{ text: d.snippetNote, dim: true }]);
  }
  section(lines, 'Merge', d.provenance.length > 0 ? d.provenance : ['(the logical path is not in the merged config)'], width);
  const occurs = finding.views.length === 0 ? [`${finding.file} on its own`] : [finding.views.join(', ') + (d.absentFrom.length > 0 ? ` (not in ${d.absentFrom.join(', ')})` : '')];
  section(lines, 'Occurs in', occurs, width);
  section(lines, 'Fix', [finding.fix], width);
  if (d.rule) {
    const paragraphs = [d.rule.description, ...(d.rule.details ?? '').split(/\n\s*\n/).map((p) => foldLineBreaks(p).trim()).filter(Boolean)];
    section(lines, 'Rule', paragraphs, width);
  }
  return lines;
}

function section(lines: Line[], title: string, paragraphs: string[], width: number): void {
  lines.push([], [{ text: title, bold: true, color: 'magenta' }]);
  for (const p of paragraphs) for (const l of wrap(p, width - 2)) lines.push([{ text: `  ${l}` }]);
}

/** `height` lines of `lines` from `scroll`; when more follow, the last line says how many. */
function windowed(lines: Line[], scroll: number, height: number, focused: boolean): Line[] {
  const top = Math.max(0, Math.min(scroll, lines.length - height));
  const shown = lines.slice(top, top + height);
  const hidden = lines.length - (top + height);
  if (hidden > 0 && shown.length === height) {
    shown[height - 1] = [{ text: `… ${hidden + 1} more line${hidden + 1 === 1 ? '' : 's'} (${focused ? '↓ to scroll' : '⏎ to read'})`, dim: true }];
  }
  return shown;
}

function footerLines(state: ReviewState, width: number): Line[] {
  const mode = state.mode;
  const lines: Line[] = [];
  if (state.status) {
    // Up to two lines: a refusal says why and what to do instead.
    const color = state.status.tone === 'error' ? 'red' : 'green';
    const wrapped = wrap(oneLine(state.status.text), width);
    const shown = wrapped.length > 2 ? [wrapped[0], `${wrapped[1].slice(0, Math.max(width - 1, 0))}…`] : wrapped;
    for (const text of shown) lines.push([{ text, color }]);
  }
  if (mode.kind === 'filter') {
    lines.push([{ text: '/', bold: true, color: 'cyan' }, ...promptText(mode.draft, width - 1)]);
  } else if (mode.kind === 'reason') {
    const f = selectedFinding(state);
    const what = mode.action === 'suppress' ? 'Suppress' : 'Baseline';
    const label = `${what} ${f?.rule ?? ''} — reason: `;
    lines.push([{ text: label, bold: true, color: 'cyan' }, ...promptText(mode.draft, width - label.length)]);
  } else if (!state.status) {
    lines.push([]);
  }
  lines.push(helpLine(state, width));
  return lines;
}

function promptText(draft: string, room: number): Segment[] {
  const visible = draft.length + 1 > room ? `…${draft.slice(draft.length - room + 2)}` : draft;
  return [{ text: visible }, { text: ' ', inverse: true }];
}

const HELP: Record<ReviewState['mode']['kind'], Array<[string, string]>> = {
  list: [['↑↓', 'move'], ['⏎', 'detail'], ['/', 'filter'], ['g', 'group'], ['s', 'suppress'], ['b', 'baseline'], ['o', 'open'], ['r', 're-lint'], ['q', 'quit']],
  detail: [['↑↓', 'scroll'], ['←', 'back'], ['/', 'filter'], ['g', 'group'], ['s', 'suppress'], ['b', 'baseline'], ['o', 'open'], ['r', 're-lint'], ['q', 'quit']],
  filter: [['type', 'to filter'], ['⏎', 'keep'], ['esc', 'cancel']],
  reason: [['type', 'a reason'], ['⏎', 'confirm'], ['esc', 'cancel']],
};

function helpLine(state: ReviewState, width: number): Line {
  const items = HELP[state.mode.kind];
  const gap = items.map(([k, v]) => `${k} ${v}`).join('  ').length <= width ? '  ' : ' ';
  const line: Line = [];
  items.forEach(([k, v], i) => {
    if (i > 0) line.push({ text: gap });
    line.push({ text: k, bold: true }, { text: ` ${v}`, dim: true });
  });
  return line;
}

/** Control characters from linted files must not reach the terminal as escape sequences. */
function sanitize(line: Line): Line {
  // Bidirectional overrides and line separators too: they reorder or break what the terminal shows.
  const unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
  return line.map((s) => (s.text.search(unsafe) >= 0 ? { ...s, text: s.text.replace(unsafe, '�') } : s));
}

function oneLine(text: string): string {
  return foldLineBreaks(text);
}

/** Word-wraps to `width` columns; words longer than a line are cut. */
export function wrap(text: string, width: number): string[] {
  const room = Math.max(width, 10);
  const out: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      let w = word;
      while (w.length > room) {
        if (line) out.push(line);
        out.push(w.slice(0, room));
        line = '';
        w = w.slice(room);
      }
      if (!line) line = w;
      else if (line.length + 1 + w.length <= room) line += ` ${w}`;
      else {
        out.push(line);
        line = w;
      }
    }
    out.push(line);
  }
  return out;
}

function lineLength(line: Line): number {
  return line.reduce((n, s) => n + [...s.text].length, 0);
}

/** Cuts a line to `width` columns, marking the cut with '…'. */
export function fit(line: Line, width: number): Line {
  if (lineLength(line) <= width) return line;
  const out: Line = [];
  let room = width - 1;
  for (const s of line) {
    const chars = [...s.text];
    if (chars.length <= room) {
      out.push(s);
      room -= chars.length;
      continue;
    }
    if (room > 0) out.push({ ...s, text: chars.slice(0, room).join('') });
    out.push({ ...s, text: '…' });
    break;
  }
  return out;
}

/** Cuts or pads a line to exactly `width` columns. */
export function pad(line: Line, width: number): Line {
  const cut = fit(line, width);
  const n = lineLength(cut);
  return n < width ? [...cut, { text: ' '.repeat(width - n) }] : cut;
}

/** The screen as plain text (what a terminal without colours shows). */
export function plain(lines: Line[]): string {
  return lines.map((l) => l.map((s) => s.text).join('').trimEnd()).join('\n');
}
