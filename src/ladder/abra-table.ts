// Reads the rule table `abra recipe lint` prints (columns ref, rule, severity, satisfied, skipped, resolve;
// ✅ / ❌ / "-" marks). The border style differs between abra versions (ASCII `|`, box drawing `│`), the
// output comes through a PTY (CR LF, colours), and long cells may wrap onto continuation lines — all handled.
// abra's exit code does not say whether rules failed, so the table is the verdict.

export interface AbraRow {
  ref: string;
  rule: string;
  severity: string;
  /** undefined when the cell could not be read. */
  satisfied?: boolean;
  skipped?: boolean;
  resolve: string;
}

export interface AbraTable {
  rows: AbraRow[];
  /** Lines abra printed at FATA level (the run itself failed). */
  fatal: string[];
  /** abra's own "critical errors present" warning was printed. */
  criticalWarning: boolean;
}

const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007]*\u0007/g;
const SEPARATORS = /[|│┃║]/;
const REF = /^R\d{3}$/;
const COLUMNS = ['ref', 'rule', 'severity', 'satisfied', 'skipped', 'resolve'] as const;

export function stripTerminal(text: string): string {
  return text.replace(ANSI, '').replace(/\r/g, '');
}

function mark(cell: string): boolean | undefined {
  const c = cell.trim().toLowerCase();
  if (/^(✅|✔|✓|yes|true|y|ok)$/u.test(c) || c.includes('✅')) return true;
  if (/^(❌|✖|✗|x|no|false|n|-)$/u.test(c) || c.includes('❌')) return false;
  return undefined;
}

function cellsOf(line: string): string[] | undefined {
  if (!SEPARATORS.test(line)) return undefined;
  const parts = line.split(SEPARATORS).map((c) => c.trim());
  // Leading and trailing borders give empty first/last parts.
  if (parts.length > 0 && parts[0] === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export function parseAbraLint(output: string): AbraTable {
  const text = stripTerminal(output);
  const table: AbraTable = { rows: [], fatal: [], criticalWarning: /critical errors present/i.test(text) };
  let order: Array<(typeof COLUMNS)[number] | undefined> = [...COLUMNS];
  let last: AbraRow | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*(FATA|FATAL)\b/.test(line) || /level=fatal/.test(line)) table.fatal.push(line.trim());
    const cells = cellsOf(line);
    if (!cells || cells.length < 3) continue;
    const lower = cells.map((c) => c.toLowerCase());
    if (lower.includes('ref') && lower.includes('satisfied')) {
      order = lower.map((c) => (COLUMNS as readonly string[]).includes(c) ? (c as (typeof COLUMNS)[number]) : undefined);
      continue;
    }
    const get = (column: (typeof COLUMNS)[number]) => {
      const i = order.indexOf(column);
      return i >= 0 ? (cells[i] ?? '') : '';
    };
    const ref = get('ref');
    if (REF.test(ref)) {
      last = {
        ref,
        rule: get('rule'),
        severity: get('severity').toLowerCase(),
        satisfied: mark(get('satisfied')),
        skipped: mark(get('skipped')),
        resolve: get('resolve'),
      };
      if (last.resolve === '-') last.resolve = '';
      table.rows.push(last);
    } else if (last && ref === '' && cells.some((c) => c !== '')) {
      // A wrapped cell: append the text to the row above.
      const more = (column: 'rule' | 'resolve') => {
        const extra = get(column);
        if (extra) last![column] = `${last![column]} ${extra}`.trim();
      };
      more('rule');
      more('resolve');
    }
  }
  return table;
}

/** A row fails when abra ran it (not skipped) and it was not satisfied. */
export function rowFailed(row: AbraRow): boolean {
  return row.skipped !== true && row.satisfied === false;
}
