// A unified diff (`diff -u` / `git diff` hunks, 3 lines of context) between two texts, for
// `lint --fix-dry-run`. Line diff by Myers' O(ND) algorithm: fixes touch few lines, so D stays small.

type Op = { kind: 'same' | 'del' | 'add'; line: string };

/** Lines of a text, each without its '\n'; `last` tells whether the text ends with a newline. */
function splitLines(text: string): { lines: string[]; endsWithNewline: boolean } {
  if (text === '') return { lines: [], endsWithNewline: true };
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  return { lines, endsWithNewline };
}

/** The edit script from a to b (Myers, with the usual V-array trace for backtracking). */
function diffLines(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
    v = next;
  }
  trace.push(v);
  // Backtrack from (n, m).
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: 'same', line: a[x - 1] });
      x--;
      y--;
    }
    if (d === 0) break;
    if (x === prevX) ops.push({ kind: 'add', line: b[y - 1] });
    else ops.push({ kind: 'del', line: a[x - 1] });
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: 'same', line: a[x - 1] });
    x--;
    y--;
  }
  return ops.reverse();
}

/**
 * `--- a/<oldName>` / `+++ b/<newName>` and its hunks; '' when the texts are equal. A last line without a
 * newline is marked `\ No newline at end of file`, as diff does, so the output applies with `git apply`.
 */
export function unifiedDiff(before: string, after: string, oldName: string, newName = oldName, context = 3): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  // Compare the final lines with their (missing) newline, so "x" vs "x\n" is a change.
  const aLines = a.lines.map((l, i) => (i === a.lines.length - 1 && !a.endsWithNewline ? `${l}\u0000` : l));
  const bLines = b.lines.map((l, i) => (i === b.lines.length - 1 && !b.endsWithNewline ? `${l}\u0000` : l));
  const ops = diffLines(aLines, bLines);
  const out: string[] = [`--- a/${oldName}`, `+++ b/${newName}`];
  let i = 0;
  let aLine = 1;
  let bLine = 1;
  const lineOf = (text: string, sign: string) => (text.endsWith('\u0000') ? `${sign}${text.slice(0, -1)}\n\\ No newline at end of file` : `${sign}${text}`);
  while (i < ops.length) {
    if (ops[i].kind === 'same') {
      i++;
      aLine++;
      bLine++;
      continue;
    }
    // A hunk: back up `context` lines, then run until `2*context` unchanged lines follow a change.
    const back = Math.min(context, countSameBefore(ops, i));
    const start = i - back;
    const hunkA = aLine - back;
    const hunkB = bLine - back;
    let end = i;
    let lastChange = i;
    while (end < ops.length) {
      if (ops[end].kind !== 'same') lastChange = end;
      else if (end - lastChange > 2 * context) break;
      end++;
    }
    end = Math.min(ops.length, lastChange + 1 + context);
    const body: string[] = [];
    let countA = 0;
    let countB = 0;
    for (let j = start; j < end; j++) {
      const op = ops[j];
      if (op.kind === 'same') {
        body.push(lineOf(op.line, ' '));
        countA++;
        countB++;
      } else if (op.kind === 'del') {
        body.push(lineOf(op.line, '-'));
        countA++;
      } else {
        body.push(lineOf(op.line, '+'));
        countB++;
      }
    }
    const range = (startLine: number, count: number) => (count === 1 ? `${startLine}` : `${count === 0 ? startLine - 1 : startLine},${count}`);
    out.push(`@@ -${range(hunkA, countA)} +${range(hunkB, countB)} @@`, ...body);
    // Advance the line counters over what the hunk consumed.
    for (let j = i; j < end; j++) {
      if (ops[j].kind !== 'add') aLine++;
      if (ops[j].kind !== 'del') bLine++;
    }
    i = end;
  }
  return `${out.join('\n')}\n`;
}

function countSameBefore(ops: Op[], i: number): number {
  let n = 0;
  for (let j = i - 1; j >= 0 && ops[j].kind === 'same'; j--) n++;
  return n;
}
