// Go's path/filepath Match and Glob semantics over a directory listing, so the `abra` view sees exactly the
// files abra's `filepath.Glob(dir + "/compose**yml")` sees: `*` never crosses '/', matching is
// case-sensitive, and results come back in byte order.

/** Compiles a Go filepath.Match pattern (Unix flavour); undefined for a malformed pattern (ErrBadPattern). */
export function compileGoPattern(pattern: string): RegExp | undefined {
  let re = '';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= chars.length) return undefined;
      re += escapeRegExp(chars[++i]);
    } else if (c === '[') {
      const cls = compileClass(chars, i + 1);
      if (!cls) return undefined;
      re += cls.source;
      i = cls.end;
    } else re += escapeRegExp(c);
  }
  // The only pattern is abra's constant `compose**yml` (views.ts), matched against file names.
  // eslint-disable-next-line stacklint/static-regexp
  return new RegExp(`^${re}$`, 'u');
}

export function goMatch(pattern: string, name: string): boolean {
  return compileGoPattern(pattern)?.test(name) ?? false;
}

/** Names in `listing` that match `pattern`, in byte-wise (UTF-8) order like Go's sort.Strings. */
export function goGlob(pattern: string, listing: readonly string[]): string[] {
  const re = compileGoPattern(pattern);
  if (!re) return [];
  return [...new Set(listing.filter((name) => re.test(name)))].sort(compareBytes);
}

export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** `[` already consumed; returns the class as a RegExp fragment and the index of its closing `]`. */
function compileClass(chars: string[], start: number): { source: string; end: number } | undefined {
  let i = start;
  let negate = false;
  if (chars[i] === '^') { negate = true; i++; }
  const ranges: string[] = [];
  while (i < chars.length && chars[i] !== ']') {
    const lo = classChar(chars, i);
    if (!lo) return undefined;
    i = lo.next;
    if (chars[i] === '-') {
      const hi = classChar(chars, i + 1);
      if (!hi || hi.char < lo.char) return undefined;
      ranges.push(`${escapeClass(lo.char)}-${escapeClass(hi.char)}`);
      i = hi.next;
    } else ranges.push(escapeClass(lo.char));
  }
  if (chars[i] !== ']' || ranges.length === 0) return undefined;
  // Go's classes never match the separator, negated or not.
  const body = ranges.join('');
  return { source: negate ? `(?!/)[^${body}]` : `(?!/)[${body}]`, end: i };
}

function classChar(chars: string[], i: number): { char: string; next: number } | undefined {
  const c = chars[i];
  if (c === undefined || c === '-' || c === ']') return undefined;
  if (c === '\\') return chars[i + 1] === undefined ? undefined : { char: chars[i + 1], next: i + 2 };
  return { char: c, next: i + 1 };
}

function escapeRegExp(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function escapeClass(c: string): string {
  return c.replace(/[\]\\^-]/g, '\\$&');
}
