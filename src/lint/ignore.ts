// The configuration's `ignore` globs: findings in matching files are dropped.
import { segmentMatches } from '../load/gitignore.js';

/** The config's `ignore` globs (`*` within a path segment, `**` across segments) as a predicate. */
export function ignoreMatcher(globs: readonly string[]): (file: string) => boolean {
  if (globs.length === 0) return () => false;
  // Matched segment by segment with a memo table, not a RegExp: the globs come from the linted repository,
  // and `**/**/**/…` as a RegExp backtracks exponentially.
  // Repeated `**` segments mean one; collapsing them also bounds the matcher's recursion by the path's length.
  const patterns = globs.map((glob) => glob.replace(/^\.\//, '').split('/').filter((seg, i, all) => !(seg === '**' && all[i - 1] === '**')));
  return (file) => {
    const path = file.split('/');
    return patterns.some((pattern) => globMatches(pattern, path));
  };
}

/** Pattern segments against path segments: `**` is any number of segments; a match may end at a directory. */
function globMatches(pattern: readonly string[], path: readonly string[]): boolean {
  const memo = new Map<number, boolean>();
  const match = (i: number, j: number): boolean => {
    if (i === pattern.length) return true; // the rest is inside a matched directory
    const key = i * (path.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let result: boolean;
    if (pattern[i] === '**') {
      // Iterative over j so a long path does not deepen the stack.
      result = false;
      for (let k = j; k <= path.length && !result; k++) result = match(i + 1, k);
    } else {
      result = j < path.length && segmentMatches(pattern[i], path[j]) && match(i + 1, j + 1);
    }
    memo.set(key, result);
    return result;
  };
  return match(0, 0);
}
