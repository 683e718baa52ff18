// git's ignore rules, read statically: `.gitignore` patterns (negation, directory-only patterns, anchoring,
// `*` `?` `[…]` `**`), the `.gitmodules` submodule paths and the remotes of `.git/config`. Used to tell a file
// the operator or CI creates before deploying (ignored, so never committed) from one that is missing, and this
// repository from another one a guide clones. Nothing is run (no `git`).

export interface IgnoreRule {
  /** The pattern's '/'-separated glob segments, matched against the path relative to the .gitignore's directory. */
  segments: string[];
  negated: boolean;
  /** A trailing `/`: the pattern matches directories only. */
  directoryOnly: boolean;
  /** The line as written, and its 1-based line number. */
  source: string;
  line: number;
}

/** An ignore file's rules, with the directory (root-relative, '' for the root) it applies to. */
export interface IgnoreFile {
  dir: string;
  file: string;
  rules: IgnoreRule[];
}

/** Whether one path segment matches one glob segment (`*`, `?`, `[…]`, `[!…]`, `\x`), by a scanner (no RegExp). */
export function segmentMatches(glob: string, name: string): boolean {
  // Iterative wildcard matching: on a mismatch, back up to the last `*` and let it take one more character.
  let g = 0;
  let n = 0;
  let starG = -1;
  let starN = 0;
  while (n < name.length) {
    const step = g < glob.length ? matchOne(glob, g, name[n]) : undefined;
    if (g < glob.length && glob[g] === '*') {
      starG = g++;
      starN = n;
    } else if (step !== undefined && step > 0) {
      g = step;
      n++;
    } else if (starG >= 0) {
      g = starG + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (g < glob.length && glob[g] === '*') g++;
  return g === glob.length;
}

/** The glob index after matching `c` at `g`, or 0 when it does not match (`*` is handled by the caller). */
function matchOne(glob: string, g: number, c: string): number {
  const t = glob[g];
  if (t === '?') return g + 1;
  if (t === '\\' && g + 1 < glob.length) return glob[g + 1] === c ? g + 2 : 0;
  if (t === '[') {
    const close = glob.indexOf(']', g + 2);
    if (close > 0) {
      let i = g + 1;
      const negated = glob[i] === '!' || glob[i] === '^';
      if (negated) i++;
      let found = false;
      for (; i < close; i++) {
        if (glob[i + 1] === '-' && i + 2 < close) {
          if (c >= glob[i] && c <= glob[i + 2]) found = true;
          i += 2;
        } else if (glob[i] === c) {
          found = true;
        }
      }
      return found !== negated ? close + 1 : 0;
    }
  }
  return t === c ? g + 1 : 0;
}

/** Whether path segments match pattern segments, `**` standing for zero or more directories. */
function segmentsMatch(pattern: readonly string[], path: readonly string[]): boolean {
  const failed = new Set<number>();
  const from = (i: number, j: number): boolean => {
    const key = i * (path.length + 1) + j;
    if (failed.has(key)) return false;
    let ok: boolean;
    if (i === pattern.length) ok = j === path.length;
    else if (pattern[i] === '**') {
      // A trailing `/**` is everything inside (at least one more segment); elsewhere zero or more directories.
      if (i === pattern.length - 1) ok = j < path.length;
      else {
        ok = false;
        for (let k = j; k <= path.length && !ok; k++) ok = from(i + 1, k);
      }
    } else ok = j < path.length && segmentMatches(pattern[i], path[j]) && from(i + 1, j + 1);
    if (!ok) failed.add(key);
    return ok;
  };
  return from(0, 0);
}

/** Trailing whitespace off, unless escaped with a backslash (git keeps `foo\ `). */
function trimUnescapedEnd(text: string): string {
  let end = text.length;
  while (end > 0 && /\s/.test(text[end - 1]) && text[end - 2] !== '\\') end--;
  return text.slice(0, end);
}

/** Parses a .gitignore text: comments and blank lines skipped, trailing unescaped spaces trimmed. */
export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    let pattern = trimUnescapedEnd(raw);
    if (pattern === '' || pattern.startsWith('#')) return;
    let negated = false;
    if (pattern.startsWith('!')) {
      negated = true;
      pattern = pattern.slice(1);
    } else if (pattern.startsWith('\\!') || pattern.startsWith('\\#')) {
      pattern = pattern.slice(1);
    }
    const directoryOnly = pattern.endsWith('/') && !pattern.endsWith('\\/');
    if (directoryOnly) pattern = pattern.slice(0, -1);
    if (pattern === '') return;
    // A slash at the start or in the middle anchors the pattern to the .gitignore's directory; else any depth.
    const anchored = pattern.includes('/');
    if (pattern.startsWith('/')) pattern = pattern.slice(1);
    // Repeated `**` segments mean one; collapsing them bounds the matcher's work by the path's length.
    const segments = pattern.split('/').filter((seg, i, all) => seg !== '' && !(seg === '**' && all[i - 1] === '**'));
    rules.push({ segments: anchored ? segments : ['**', ...segments], negated, directoryOnly, source: raw.trim(), line: index + 1 });
  });
  return rules;
}

/** The last rule of the files (ordered root first) that decides `path` (root-relative), or undefined. */
function decidingRule(files: readonly IgnoreFile[], path: string, isDirectory: boolean): { file: IgnoreFile; rule: IgnoreRule } | undefined {
  let decided: { file: IgnoreFile; rule: IgnoreRule } | undefined;
  for (const file of files) {
    const prefix = file.dir === '' ? '' : `${file.dir}/`;
    if (!path.startsWith(prefix) || path === file.dir) continue;
    const inner = path.slice(prefix.length);
    for (const rule of file.rules) {
      if (rule.directoryOnly && !isDirectory) continue;
      if (segmentsMatch(rule.segments, inner.split('/'))) decided = { file, rule };
    }
  }
  return decided;
}

/**
 * Whether git ignores `path` (root-relative, '/'-separated): the deciding rule, or undefined when not ignored.
 * A file under an ignored directory is ignored whatever later rules say (git does not descend into it).
 * `files` are ordered shallow to deep, so a deeper .gitignore overrides a shallower one.
 */
export function ignoredBy(files: readonly IgnoreFile[], path: string): { file: string; line: number; pattern: string } | undefined {
  const parts = path.split('/');
  for (let depth = 1; depth <= parts.length; depth++) {
    const prefix = parts.slice(0, depth).join('/');
    const isDirectory = depth < parts.length;
    const decided = decidingRule(files, prefix, isDirectory);
    if (decided && !decided.rule.negated) return { file: decided.file.file, line: decided.rule.line, pattern: decided.rule.source };
  }
  return undefined;
}

/** Submodule paths (root-relative) a `.gitmodules` text declares, with their names. */
export function parseGitmodules(text: string): Array<{ name: string; path: string; url?: string }> {
  const out: Array<{ name: string; path: string; url?: string }> = [];
  let current: { name: string; path?: string; url?: string } | undefined;
  const flush = () => {
    if (!current?.path) return;
    let path = current.path.startsWith('./') ? current.path.slice(2) : current.path;
    while (path.endsWith('/')) path = path.slice(0, -1);
    out.push({ name: current.name, path, ...(current.url ? { url: current.url } : {}) });
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[submodule\s+"([^"]*)"\]$/.exec(line);
    if (section) {
      flush();
      current = { name: section[1] };
      continue;
    }
    if (line.startsWith('[')) {
      flush();
      current = undefined;
      continue;
    }
    const equals = line.indexOf('=');
    const key = equals > 0 ? line.slice(0, equals).trim().toLowerCase() : '';
    if (current && (key === 'path' || key === 'url')) {
      const value = line.slice(equals + 1).trim();
      current[key] = value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
    }
  }
  flush();
  return out;
}

/** The `url` values of a `.git/config` text's `[remote "…"]` sections (read as text, never through git). */
export function parseGitRemoteUrls(text: string): string[] {
  const out: string[] = [];
  let inRemote = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      inRemote = /^\[remote\s+"[^"]*"\]/i.test(line);
      continue;
    }
    const m = /^url[ \t]*=/i.exec(line);
    if (!inRemote || !m) continue;
    let value = line.slice(m[0].length).replace(/\s[;#].*$/, '').trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (value !== '') out.push(value);
  }
  return out;
}
