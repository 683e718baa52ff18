// Error texts about a file that failed to parse quote it only as a short, escaped excerpt: the file may be
// anything (a link once led to /proc/self/environ), and its bytes must not reach a terminal or CI log raw.

/** At most this many characters of a file are quoted in an error. */
export const EXCERPT_CHARS = 24;

/** A short excerpt of `text` from `offset`, as a JSON string literal (controls and quotes escaped). */
export function excerptAt(text: string, offset: number, chars = EXCERPT_CHARS): string {
  const start = Math.max(0, Math.min(offset, text.length));
  const piece = text.slice(start, start + chars);
  const escaped = JSON.stringify(piece).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return start + chars < text.length ? `${escaped}…` : escaped;
}

export interface SyntaxProblem {
  message: string;
  /** Where, when V8 says (it does not for an unexpected token). */
  line?: number;
  column?: number;
}

/**
 * `JSON.parse`'s error, reworded without the part of the input V8 quotes ("Unexpected token 'P', "PATH=/usr/"...
 * is not valid JSON"), with the line and column when V8 names an offset, and a short escaped excerpt there.
 */
export function jsonSyntaxProblem(text: string, error: unknown): SyntaxProblem {
  const raw = String((error as Error)?.message ?? error).split('\n')[0];
  const offsetMatch = /at position (\d+)/.exec(raw);
  const token = /^Unexpected token '(.{1,2})'/u.exec(raw);
  let offset: number | undefined = offsetMatch ? Number(offsetMatch[1]) : undefined;
  let what: string;
  if (/Unexpected end of JSON input/.test(raw)) {
    what = 'the text ends too early';
    offset = text.length;
  } else if (token) {
    what = `unexpected character ${excerptAt(token[1], 0, 2)}`;
  } else {
    // Cut at V8's ` in JSON at position N…` or at its quoted excerpt `, "…"` (found by search, not a backtracking pattern).
    const cuts = [raw.indexOf(' in JSON at position '), raw.indexOf(', "')].filter((i) => i >= 0);
    what = (cuts.length > 0 ? raw.slice(0, Math.min(...cuts)) : raw).slice(0, 80);
  }
  if (offset === undefined) return { message: what };
  const excerpt = offset < text.length ? ` at ${excerptAt(text, offset)}` : '';
  return { message: `${what}${excerpt}`, ...lineColumn(text, offset) };
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
