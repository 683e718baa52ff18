// Tokenises a value the way docker CLI's template regex does (cli/compose/template/template.go):
//   \$(?i:(\$) | ([_a-z][_a-z0-9]*(?::?[-?][^}]*)?) | {([_a-z][_a-z0-9]*(?::?[-?][^}]*)?)} | ())
// Go's regexp is leftmost-first with greedy quantifiers; no backtracking can change these matches,
// so a single forward scan reproduces them in linear time.

export type TokenKind = 'escape' | 'unbraced' | 'braced' | 'invalid';

export interface TemplateToken {
  kind: TokenKind;
  /** Offset of the `$`. */
  start: number;
  /** Offset just past the token. */
  end: number;
  /** For unbraced/braced: what docker calls the substitution (NAME plus any operator and text). */
  body?: string;
  /** Offset of `body` in the template. */
  bodyStart?: number;
}

// Under (?i), Go folds [a-z] to also match U+017F (long s) and U+212A (Kelvin sign).
function isNameStart(c: string | undefined): boolean {
  if (c === undefined) return false;
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_' || c === '\u017f' || c === '\u212a';
}

function isNameChar(c: string | undefined): boolean {
  return isNameStart(c) || (c !== undefined && c >= '0' && c <= '9');
}

/** Length of the `:?[-?]` operator at i, or 0. */
function operatorLength(t: string, i: number): number {
  const c = t[i];
  if (c === '-' || c === '?') return 1;
  if (c === ':' && (t[i + 1] === '-' || t[i + 1] === '?')) return 2;
  return 0;
}

/** Finds the next `}` at or after `from`, reusing the last answer: positions only move forward. */
class CloseBraceFinder {
  private cached = -1;
  constructor(private readonly t: string) {}
  next(from: number): number {
    if (this.cached < from) {
      const i = this.t.indexOf('}', from);
      this.cached = i < 0 ? this.t.length : i;
    }
    return this.cached;
  }
}

function nameEnd(t: string, from: number): number {
  let j = from;
  while (isNameChar(t[j])) j++;
  return j;
}

function scanUnbraced(t: string, dollar: number, braces: CloseBraceFinder): TemplateToken {
  const afterName = nameEnd(t, dollar + 2);
  const op = operatorLength(t, afterName);
  // With an operator, `[^}]*` swallows everything up to the next `}` or the end of the value.
  const end = op ? braces.next(afterName + op) : afterName;
  return { kind: 'unbraced', start: dollar, end, body: t.slice(dollar + 1, end), bodyStart: dollar + 1 };
}

function scanBraced(t: string, dollar: number, braces: CloseBraceFinder): TemplateToken {
  const invalid: TemplateToken = { kind: 'invalid', start: dollar, end: dollar + 1 };
  if (!isNameStart(t[dollar + 2])) return invalid;
  const afterName = nameEnd(t, dollar + 3);
  const op = operatorLength(t, afterName);
  const close = op ? braces.next(afterName + op) : afterName;
  if (t[close] !== '}') return invalid;
  return { kind: 'braced', start: dollar, end: close + 1, body: t.slice(dollar + 2, close), bodyStart: dollar + 2 };
}

/** All `$` tokens of a template, in order. Text between tokens is literal. */
export function scanTemplate(t: string): TemplateToken[] {
  const tokens: TemplateToken[] = [];
  const braces = new CloseBraceFinder(t);
  let dollar = t.indexOf('$');
  while (dollar >= 0) {
    const next = t[dollar + 1];
    let token: TemplateToken;
    if (next === '$') token = { kind: 'escape', start: dollar, end: dollar + 2 };
    else if (isNameStart(next)) token = scanUnbraced(t, dollar, braces);
    else if (next === '{') token = scanBraced(t, dollar, braces);
    else token = { kind: 'invalid', start: dollar, end: dollar + 1 };
    tokens.push(token);
    dollar = t.indexOf('$', token.end);
  }
  return tokens;
}

export type Operator = ':-' | '-' | ':?' | '?';

export interface ParsedSubstitution {
  /** The name docker looks up (for a misparsed body this can contain `:`, `?`, spaces…). */
  variable: string;
  operator?: Operator;
  /** Default value or error message. */
  argument?: string;
  /** Offset of `variable` within the body (always 0) and of the operator, when there is one. */
  operatorIndex?: number;
}

/**
 * How docker reads a substitution body: it tries `:-`, then `-`, then `:?`, then `?`, each by
 * "contains anywhere" and a split at the first occurrence. So `X:?a-b` is a `-` default of `X:?a`.
 */
export function parseSubstitution(body: string): ParsedSubstitution {
  for (const operator of [':-', '-', ':?', '?'] as const) {
    const i = body.indexOf(operator);
    if (i >= 0) {
      return { variable: body.slice(0, i), operator, argument: body.slice(i + operator.length), operatorIndex: i };
    }
  }
  return { variable: body };
}
