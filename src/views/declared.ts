// Views a plain stack's repository declares in its own files: `COMPOSE_FILE` in `.env.example` / `.env.dist`,
// and the `-c` files of plain `docker stack deploy` commands in its scripts, Makefiles, CI workflows and
// README. Everything is read as text, never run: a command whose files are not literal names is skipped.
import { posix } from 'node:path';
import { parseEnvFile } from './env-file.js';
import { compareBytes } from './go-glob.js';

/** A file list a repository declares, and where. */
export interface DeclaredView {
  files: string[];
  /** Stack-relative file that declares it, and the position of the declaration (1-based). */
  source: { file: string; line: number; column: number };
}

/** Env files besides .env.sample whose COMPOSE_FILE names a view (docker compose's convention, documented for operators). */
export const EXAMPLE_ENV_FILES = ['.env.example', '.env.dist'] as const;

/** Files whose `docker stack deploy -c …` lines declare views, by stack-relative path. */
export function isDeployScript(rel: string): boolean {
  const parts = rel.split('/');
  const name = parts[parts.length - 1];
  if (parts.length === 1 && /^(readme(\.md)?|makefile|gnumakefile|[^/]+\.mk|\.gitlab-ci\.ya?ml|\.drone\.ya?ml|\.woodpecker\.ya?ml)$/i.test(name)) return true;
  if (parts.length <= 2 && /\.(sh|bash)$/.test(name)) return true;
  if (parts.length === 3 && parts[0] === '.github' && parts[1] === 'workflows' && /\.ya?ml$/.test(name)) return true;
  return parts.length === 2 && parts[0] === '.woodpecker' && /\.ya?ml$/.test(name);
}

/** COMPOSE_FILE lines (active or commented) of an example env file, split on ':' as docker compose does. */
export function composeFileDeclarations(text: string, file: string): DeclaredView[] {
  const out: DeclaredView[] = [];
  for (const e of parseEnvFile(text).entries) {
    // Only earlier COMPOSE_FILE lines may be expanded into it (`$COMPOSE_FILE:b.yml`); any other variable is the operator's.
    if (e.key !== 'COMPOSE_FILE' || e.raw.replace(/\$\{?COMPOSE_FILE\}?/g, '').includes('$')) continue;
    const files = e.value.split(':').filter((f) => f !== '');
    if (files.length > 0) out.push({ files, source: { file, line: e.line, column: e.column } });
  }
  return out;
}

const DOCKER_WORD = /\bdocker(?=[ \t])/g;
/** docker's global options that take a value (`docker --context prod stack deploy …`); `-c` there is --context. */
const GLOBAL_VALUE_OPTIONS = new Set(['-c', '--context', '-H', '--host', '--config', '-l', '--log-level', '--tlscacert', '--tlscert', '--tlskey']);
/** A deploy command naming more compose files than this is no plain declaration (a real one names a few). */
const MAX_DECLARED_FILES = 64;
/** Characters after which a shell word is no longer a plain file name. */
export const NOT_LITERAL = /[$`*?[\]{}~\\<>()|;&]/;

/** A logical line of a script: physical lines continued with a backslash, joined. */
export interface CommandLine {
  text: string;
  /** Where each physical line begins in `text`, with its 1-based line number (for positions). */
  starts: Array<{ offset: number; line: number }>;
}

/** The logical lines of `text` (a continued command: `docker stack deploy \` then `  -c a.yml \`, joined). */
export function commandLines(text: string): CommandLine[] {
  const out: CommandLine[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const starts = [{ offset: 0, line: i + 1 }];
    let line = lines[i].replace(/\r$/, '');
    while (line.endsWith('\\') && i + 1 < lines.length && starts.length < 50) {
      line = `${line.slice(0, -1)} `;
      starts.push({ offset: line.length, line: i + 2 });
      line += lines[++i].replace(/\r$/, '');
    }
    out.push({ text: line, starts });
  }
  return out;
}

/** docker compose's default file names, in the order it looks for them in the working directory. */
export const COMPOSE_DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'] as const;

/** A `docker-compose up` / `docker compose up` command: the files it names with `-f`, none for compose's default. */
export interface ComposeUpCommand {
  files: string[];
  line: number;
}

const COMPOSE_COMMAND = /\bdocker(?:-compose|[ \t]+compose)(?=[ \t])/g;
/** docker compose's global options that take a value (the next word is not the subcommand). */
/** Words read after `docker compose` to find its subcommand. */
const MAX_COMPOSE_WORDS = 32;
const COMPOSE_VALUE_OPTIONS = new Set(['-p', '--project-name', '--env-file', '--profile', '--project-directory', '--ansi', '--parallel', '--progress']);

/**
 * The `docker compose up` commands of a script or README (read as text, never run): a file they name that no
 * `docker stack deploy` names is run by docker compose, not deployed as a stack. A `-f` that is not a literal
 * name leaves the command out.
 */
export function composeUpCommands(text: string): ComposeUpCommand[] {
  const out: ComposeUpCommand[] = [];
  for (const logical of commandLines(text)) {
    let read = 0;
    for (const m of logical.text.matchAll(COMPOSE_COMMAND)) {
      if (m.index < read) continue; // a word of the command before: each word is read once
      const from = m.index + m[0].length;
      // Options before the subcommand are few: a bounded number of words is enough to find it.
      const { words, end } = commandWords(logical.text.slice(from), MAX_COMPOSE_WORDS);
      read = from + end;
      const files: string[] = [];
      let literal = true;
      let up = false;
      for (let i = 0; i < words.length; i++) {
        const word = words[i];
        const inline = /^(?:-f|--file)=(.+)$/.exec(word);
        if (word === '-f' || word === '--file' || inline) {
          const file = inline ? inline[1] : words[++i];
          if (file === undefined || file === '-' || NOT_LITERAL.test(file)) literal = false;
          else files.push(posix.normalize(file));
          continue;
        }
        if (COMPOSE_VALUE_OPTIONS.has(word)) {
          i++;
          continue;
        }
        if (word.startsWith('-')) continue;
        up = word === 'up';
        break;
      }
      if (up && literal) out.push({ files, line: positionIn(logical, m.index).line });
    }
  }
  return out;
}

/** The 1-based line and column of `offset` in a logical line. */
export function positionIn(line: CommandLine, offset: number): { line: number; column: number } {
  const at = [...line.starts].reverse().find((s) => s.offset <= offset)!;
  return { line: at.line, column: offset - at.offset + 1 };
}

/**
 * The `docker stack deploy` commands of one logical line: where `docker` is, and the `-c` / `--compose-file`
 * files (undefined when one is not a literal name: a variable, a glob, a substitution, `-` for stdin).
 */
export function deployCommandsIn(line: string): Array<{ offset: number; files: string[] | undefined }> {
  const out: Array<{ offset: number; files: string[] | undefined }> = [];
  let read = 0;
  for (const m of line.matchAll(DOCKER_WORD)) {
    if (m.index < read) continue; // a word of the command before
    const rest = deployArguments(line.slice(m.index + m[0].length));
    if (rest === undefined) continue;
    const { words, end } = commandWords(rest);
    read = line.length - rest.length + end;
    out.push({ offset: m.index, files: composeFilesOf(words) });
  }
  return out;
}

/**
 * The `-c` / `--compose-file` files of each `docker stack deploy` command in `text`, in order. A command is
 * skipped when a file is not a literal name (a variable, a glob, a substitution, `-` for stdin) or when it
 * names none. Lines continued with a backslash are joined.
 */
export function deployCommandDeclarations(text: string, file: string): DeclaredView[] {
  const out: DeclaredView[] = [];
  for (const line of commandLines(text)) {
    for (const { offset, files } of deployCommandsIn(line.text)) {
      if (files && files.length > 0) out.push({ files, source: { file, ...positionIn(line, offset) } });
    }
  }
  return out;
}

/** What follows `docker [global options] stack deploy|up`, or undefined when the command is another one. */
function deployArguments(afterDocker: string): string | undefined {
  const word = /^[ \t]+(\S+)/;
  let rest = afterDocker;
  for (let i = 0; i < 12; i++) {
    const m = word.exec(rest);
    if (!m) return undefined;
    rest = rest.slice(m[0].length);
    if (m[1] === 'stack') {
      const sub = word.exec(rest);
      return sub && (sub[1] === 'deploy' || sub[1] === 'up') ? rest.slice(sub[0].length) : undefined;
    }
    if (!m[1].startsWith('-')) return undefined;
    if (GLOBAL_VALUE_OPTIONS.has(m[1])) {
      const value = word.exec(rest);
      if (!value) return undefined;
      rest = rest.slice(value[0].length);
    }
  }
  return undefined;
}

/** The -c values of one command's words; undefined when one is not a literal file name. */
function composeFilesOf(words: readonly string[]): string[] | undefined {
  const files: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i];
    let value: string | undefined;
    if (word === '-c' || word === '--compose-file') value = words[++i];
    else if (word.startsWith('--compose-file=')) value = word.slice('--compose-file='.length);
    else if (/^-c[^-]/.test(word)) value = word.slice(word[2] === '=' ? 3 : 2);
    else continue;
    if (value === undefined || value === '' || value === '-' || value.startsWith('-') || NOT_LITERAL.test(value)) return undefined;
    files.push(...value.split(',').filter((f) => f !== ''));
    if (files.length > MAX_DECLARED_FILES) return undefined;
  }
  return files;
}

/**
 * The words of a command up to its end (`;`, `&&`, `||`, `|`, `#`, a backtick closing Markdown code, a
 * quote left open: the end of a quoted YAML or JSON string), with '…' and "…" quotes removed.
 */
export function shellWords(text: string): string[] {
  return commandWords(text).words;
}

/**
 * `shellWords`, with where the scan stopped in `text`: the words of one command are read once, so a line of
 * repeated commands stays linear (a quote left open is looked for once per quote character). At most `maxWords`.
 */
export function commandWords(text: string, maxWords = Infinity): { words: string[]; end: number } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  for (; i < text.length && words.length < maxWords; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) break; // the quote around the whole command (YAML `run: "docker stack deploy …"`) ends it
      word += text.slice(i + 1, end);
      inWord = true;
      i = end;
      continue;
    }
    if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      continue;
    }
    if (c === ';' || c === '&' || c === '|' || c === '`' || (c === '#' && !inWord)) break;
    word += c;
    inWord = true;
  }
  if (inWord && words.length < maxWords) words.push(word);
  return { words, end: i };
}

export interface DeclarationSources {
  /** Stack-relative paths of the stack's files. */
  files: readonly string[];
  read: (rel: string) => string | undefined;
  /** Whether a stack-relative path names an existing file inside the stack. */
  exists: (rel: string) => boolean;
}

/**
 * Every view the stack's files declare, with only existing files: COMPOSE_FILE of .env.example / .env.dist,
 * then deploy commands of scripts (byte order of paths). A file is looked up from the stack's directory, then
 * from the declaring script's own directory; a declaration naming a file found in neither is left out.
 */
export function declaredViews(sources: DeclarationSources): DeclaredView[] {
  const out: DeclaredView[] = [];
  const top = new Set(sources.files.filter((f) => !f.includes('/')));
  const place = (declared: DeclaredView[]) => {
    for (const d of declared) {
      const dir = posix.dirname(d.source.file);
      const files = d.files.map((f) => locate(f, dir, sources.exists));
      if (files.every((f): f is string => f !== undefined)) out.push({ files, source: d.source });
    }
  };
  for (const name of EXAMPLE_ENV_FILES) {
    if (!top.has(name)) continue;
    const text = sources.read(name);
    if (text !== undefined) place(composeFileDeclarations(text, name));
  }
  for (const rel of sources.files.filter(isDeployScript).sort(compareBytes)) {
    const text = sources.read(rel);
    if (text !== undefined && text.includes('stack')) place(deployCommandDeclarations(text, rel));
  }
  return out;
}

/** A declared file as a stack-relative path, or undefined when it is not an existing file inside the stack. */
function locate(file: string, scriptDir: string, exists: (rel: string) => boolean): string | undefined {
  if (posix.isAbsolute(file)) return undefined;
  for (const base of scriptDir === '.' ? ['.'] : ['.', scriptDir]) {
    const rel = posix.normalize(posix.join(base, file));
    if (rel === '..' || rel.startsWith('../')) continue;
    if (exists(rel)) return rel;
  }
  return undefined;
}
