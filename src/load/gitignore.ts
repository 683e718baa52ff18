// git's ignore rules, read statically: `.gitignore` patterns (negation, directory-only patterns, anchoring,
// `*` `?` `[…]` `**`) and the `.gitmodules` submodule paths. Used to tell a file the operator or CI creates
// before deploying (ignored, so never committed) from one that is missing. Nothing is run (no `git`).

export interface IgnoreRule {
  /** Matches the path relative to the .gitignore's directory. */
  regex: RegExp;
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

/** A glob of .gitignore syntax as the body of a regex over '/'-separated paths. */
function globBody(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        const atStart = i === 0 || glob[i - 1] === '/';
        const atEnd = i + 2 === glob.length || glob[i + 2] === '/';
        if (atStart && atEnd) {
          // `**/` is zero or more directories; a trailing `/**` everything inside.
          if (i + 2 === glob.length) out += '.*';
          else out += '(?:[^/]*/)*';
          i += 2;
          continue;
        }
      }
      out += '[^/]*';
      while (glob[i + 1] === '*') i++;
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (c === '\\' && i + 1 < glob.length) {
      out += glob[i + 1].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      i++;
    } else {
      out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return out;
}

/** Parses a .gitignore text: comments and blank lines skipped, trailing unescaped spaces trimmed. */
export function parseGitignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    let pattern = raw.replace(/(?<!\\)\s+$/, '');
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
    // A slash at the start or in the middle anchors the pattern to the .gitignore's directory.
    const anchored = pattern.includes('/');
    if (pattern.startsWith('/')) pattern = pattern.slice(1);
    let body: string;
    try {
      body = globBody(pattern);
      const regex = new RegExp(anchored ? `^${body}$` : `^(?:[^/]*/)*${body}$`, 'u');
      rules.push({ regex, negated, directoryOnly, source: raw.trim(), line: index + 1 });
    } catch {
      // A pattern git would take but a RegExp cannot (a malformed class): it matches nothing here.
    }
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
      if (rule.regex.test(inner)) decided = { file, rule };
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
    if (current?.path) out.push({ name: current.name, path: current.path.replace(/^\.\//, '').replace(/\/+$/, ''), ...(current.url ? { url: current.url } : {}) });
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
    const entry = /^(path|url)\s*=\s*(.*)$/i.exec(line);
    if (entry && current) current[entry[1].toLowerCase() as 'path' | 'url'] = entry[2].replace(/^"(.*)"$/, '$1').trim();
  }
  flush();
  return out;
}
