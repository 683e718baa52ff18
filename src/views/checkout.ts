// Deploys a repository's own documents run inside a clone of another repository: a guide that says
// `git clone https://github.com/o/other.git`, `cd other`, then `docker stack deploy -c stack.yml s` has the
// operator deploy the stack from that checkout, where the files the stack names live. Read as text, never run.
import { commandLines, commandWords, deployCommandsIn, NOT_LITERAL, positionIn } from './declared.js';

/** A `git clone URL [DIR]` command, and where it is written (1-based). */
export interface CloneCommand {
  url: string;
  /** The directory the clone is made in: DIR, or git's default (the URL's last path segment minus `.git`). */
  dir: string;
  line: number;
  column: number;
}

/** A `docker stack deploy` command of a document, and the clone it runs in when the document entered one. */
export interface DeployRun {
  /** The `-c` files as written. */
  files: string[];
  line: number;
  column: number;
  /** The clone the document `cd`s into before this command (and has not left), if any. */
  clone?: CloneCommand;
}

/** `git clone` options that take the next word as their value (git-clone(1)). */
const CLONE_VALUE_OPTIONS = new Set([
  '-b', '--branch', '-o', '--origin', '-u', '--upload-pack', '--reference', '--reference-if-able', '--separate-git-dir',
  '--depth', '--shallow-since', '--shallow-exclude', '-c', '--config', '--template', '-j', '--jobs', '--filter',
  '--server-option', '--bundle-uri', '--ref-format', '--revision',
]);
const GIT_CLONE = /\bgit[ \t]+clone(?=[ \t])/g;
/** A `cd` command's arguments are read this far at most (a directory name is short). */
const MAX_CD_CHARS = 4096;
const CD = /\bcd(?=[ \t]|$)/g;
/** What may stand before `cd` (blanks aside) for it to be a command: `&&`, `;`, a prompt (`$ `), a list item, `run:`. */
const COMMAND_START_CHARS = ';&|(`$%>*:-';

/**
 * git's default directory for a clone of `url` (git's guess_dir_name): the last path segment, without a
 * trailing `/`, `/.git` or `.git`; undefined when none is left.
 */
export function cloneDirectoryOf(url: string): string | undefined {
  let path = withoutTrailingSlashes(withoutTrailingSlashes(url).replace(/\/\.git$/, ''));
  path = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf(':')) + 1).replace(/\.git$/, '').replace(/\.bundle$/, '');
  return path === '' || path === '.' || path === '..' ? undefined : path;
}

/** The repository a URL names, comparable across spellings: `git@host:o/r.git` and `https://host/o/r` are both `host/o/r`. */
export function normalisedRepositoryUrl(url: string): string {
  let u = url.trim().toLowerCase();
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//.exec(u);
  if (scheme) u = u.slice(scheme[0].length);
  else if (/^[^/:]+:/.test(u)) u = u.replace(':', '/'); // scp-like `user@host:owner/name`
  u = u.replace(/^[^/@]*@/, '').replace(/^([^/:]+):\d+\//, '$1/');
  return withoutTrailingSlashes(withoutTrailingSlashes(u).replace(/\.git$/, ''));
}

function withoutTrailingSlashes(text: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === '/') end--;
  return text.slice(0, end);
}

/** `git clone [options] URL [DIR]` from its words; undefined when URL or DIR is not a literal word. */
function cloneOf(words: readonly string[]): { url: string; dir: string } | undefined {
  const operands: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    if (word === '--') {
      operands.push(...words.slice(i + 1));
      break;
    }
    if (word.startsWith('-') && operands.length === 0) {
      if (CLONE_VALUE_OPTIONS.has(word)) i++;
      continue;
    }
    operands.push(word);
  }
  if (operands.length === 0 || operands.length > 2 || operands.some((w) => w === '' || NOT_LITERAL.test(w))) return undefined;
  const dir = operands[1] ?? cloneDirectoryOf(operands[0]);
  const normalised = dir === undefined ? undefined : normalisedPath(dir);
  return normalised === undefined ? undefined : { url: operands[0], dir: normalised };
}

/** Whether `cd` at `at` starts a command: only blanks between it and a line start, `&&`, `;`, a prompt, … */
function startsCommand(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  return i < 0 || COMMAND_START_CHARS.includes(text[i]);
}

/** The clone `target` (a normalised relative path) enters: the longest cloned directory it is or lies in. */
function enteredClone(cloned: ReadonlyMap<string, CloneCommand>, target: string): CloneCommand | undefined {
  const parts = target.split('/');
  for (let n = parts.length; n > 0; n--) {
    const clone = cloned.get(parts.slice(0, n).join('/'));
    if (clone) return clone;
  }
  return undefined;
}

/** A relative literal path without `./` and trailing `/`; undefined for one that leaves (`..`, `/`, `~`, `-`). */
function normalisedPath(path: string): string | undefined {
  if (path === '' || path === '-' || path.startsWith('/') || NOT_LITERAL.test(path)) return undefined;
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) return undefined;
  return parts.join('/');
}

type Event =
  | { offset: number; kind: 'clone'; clone: { url: string; dir: string } | undefined }
  | { offset: number; kind: 'cd'; target: string | undefined }
  | { offset: number; kind: 'deploy'; files: string[] | undefined };

/**
 * Every `docker stack deploy` command of a document (a README, a guide, a script), in order, each with the
 * clone it runs in: a `git clone URL [DIR]` earlier in the document followed, still before the deploy, by a
 * `cd DIR` (its own line or chained with `&&`; `cd DIR/sub` too), not left since by another `cd` (`cd ..`,
 * an absolute path, `cd` alone). Prompts (`$ `), list markers and `run:` before a command are allowed.
 */
export function deployRuns(text: string): DeployRun[] {
  const out: DeployRun[] = [];
  const cloned = new Map<string, CloneCommand>();
  let inside: CloneCommand | undefined;
  for (const line of commandLines(text)) {
    const events: Event[] = [];
    // Each command's words are read once: a match inside the words of the one before is no command.
    let read = 0;
    for (const m of line.text.matchAll(GIT_CLONE)) {
      if (m.index < read) continue;
      const from = m.index + m[0].length;
      const { words, end } = commandWords(line.text.slice(from));
      read = from + end;
      events.push({ offset: m.index, kind: 'clone', clone: cloneOf(words) });
    }
    read = 0;
    for (const m of line.text.matchAll(CD)) {
      if (m.index < read || !startsCommand(line.text, m.index)) continue;
      const from = m.index + m[0].length;
      // Options (`-P`, `-L`) and the directory: a few words at most.
      const { words, end } = commandWords(line.text.slice(from, from + MAX_CD_CHARS), 4);
      read = from + end;
      events.push({ offset: m.index, kind: 'cd', target: words.find((w) => w === '-' || !w.startsWith('-')) });
    }
    for (const d of deployCommandsIn(line.text)) events.push({ offset: d.offset, kind: 'deploy', files: d.files });
    events.sort((a, b) => a.offset - b.offset);
    for (const event of events) {
      if (event.kind === 'clone') {
        if (event.clone) cloned.set(event.clone.dir, { ...event.clone, ...positionIn(line, event.offset) });
      } else if (event.kind === 'cd') {
        const target = event.target === undefined ? undefined : normalisedPath(event.target);
        // Into a clone (or a folder of it); anywhere else that is not a folder of where it stands leaves the clone.
        const entered = target === undefined ? undefined : enteredClone(cloned, target);
        if (entered !== undefined) inside = entered;
        else if (target === undefined) inside = undefined;
      } else if (event.files && event.files.length > 0) {
        out.push({ files: event.files, ...positionIn(line, event.offset), ...(inside ? { clone: inside } : {}) });
      }
    }
  }
  return out;
}

/** What names this repository: its remotes' URLs and the names of the folders it is checked out in. */
export interface RepositoryIdentity {
  remotes: readonly string[];
  /** The repository root's folder name and the folders down to the stack (a vendored copy is named after its origin). */
  folders: readonly string[];
}

/**
 * Whether a clone URL clearly names another repository than this one: not one of its remotes (by URL or by
 * repository name: a fork is a copy), and its name is not a word of a folder the stack lies in (the checkout's
 * own folder, `owner+name`, `name-main`, a vendored copy). Unknown names count as this repository.
 */
export function isOtherRepository(url: string, identity: RepositoryIdentity): boolean {
  const name = cloneDirectoryOf(url)?.toLowerCase();
  if (name === undefined) return false;
  const target = normalisedRepositoryUrl(url);
  for (const remote of identity.remotes) {
    if (normalisedRepositoryUrl(remote) === target || cloneDirectoryOf(remote)?.toLowerCase() === name) return false;
  }
  return !identity.folders.some((folder) => hasWord(folder.toLowerCase(), name));
}

/** Whether `word` occurs in `text` between characters that are not letters or digits. */
function hasWord(text: string, word: string): boolean {
  const alnum = (c: string | undefined) => c !== undefined && /[a-z0-9]/.test(c);
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (!alnum(text[at - 1]) && !alnum(text[at + word.length])) return true;
  }
  return false;
}
