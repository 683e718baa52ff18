// What the repository says about files that are not in it: read once per recipe/stack, inside the read
// boundary, before any rule runs. A missing file is expected when it lies in a git submodule that is not
// checked out, when `.gitignore` keeps it out of git (the operator or CI creates it), when an example names it
// (`.env.example` next to `.env`), when the repository's CI workflow or a script of it writes it, or (a plain
// stack) when its own documentation has the operator deploy it inside a clone of another repository.
import { readdirSync } from 'node:fs';
import { basename, join, posix, relative, resolve, sep } from 'node:path';
import { ignoredBy, parseGitignore, parseGitmodules, parseGitRemoteUrls } from '../load/gitignore.js';
import type { IgnoreFile } from '../load/gitignore.js';
import { deployRuns, isDeployScript, isOtherRepository } from '../views/index.js';
import type { RepositoryIdentity } from '../views/index.js';
import type { RecipeFiles } from './recipe-files.js';

/** Why a file that does not exist is expected not to exist here. */
export type AbsentReason =
  | { kind: 'submodule'; submodule: string; url?: string }
  | { kind: 'gitignored'; file: string; line: number; pattern: string }
  | { kind: 'example'; example: string }
  | { kind: 'written'; file: string; line: number }
  | ({ kind: 'other-checkout' } & CloneDeploy);

/** A document of the repository has the operator deploy a compose file inside a clone of another repository. */
export interface CloneDeploy {
  /** The repository cloned, as the document writes it. */
  url: string;
  /** The document (stack-relative) and the line of its `git clone`. */
  file: string;
  line: number;
}

export interface RepositoryFacts {
  /**
   * Why the missing file `rel` (relative to the stack's directory) is expected to be missing, or undefined.
   * `namedBy`: the compose files that name it; when every one is deployed inside another repository's clone,
   * that is the reason.
   */
  absentReason(rel: string, namedBy?: readonly string[]): AbsentReason | undefined;
}

export interface RepositoryFactsOptions {
  /** A plain stack: its documents' deploy instructions are read (a recipe is deployed by abra, from its own checkout). */
  plain?: boolean;
}

/** Suffixes and infixes an example/template copy of a file carries (`.env.example`, `config.sample.json`). */
const EXAMPLE_MARKERS = ['example', 'sample', 'dist', 'template', 'tmpl', 'tpl'];
/** CI files that may write the files a deploy reads, by root-relative path. */
const CI_FILES = ['.gitlab-ci.yml', '.drone.yml', '.woodpecker.yml', 'bitbucket-pipelines.yml', 'Jenkinsfile', '.circleci/config.yml', 'azure-pipelines.yml'];
const CI_DIRS = ['.github/workflows', '.gitea/workflows', '.forgejo/workflows', '.woodpecker'];
/** Scripts next to the stack or at the repository's top that prepare a deploy. */
const SCRIPT_FILE = /(^|\/)(?:[^/]+\.(?:sh|bash)|Makefile|makefile|justfile|Justfile|Taskfile\.ya?ml)$/;
/** A shell write: `> f`, `>> f`, `tee [-a] f`, `cp|mv|install … f`, `touch f`, `openssl … -out f`, `-keyout f`. */
const WRITE_TARGETS = [
  /(?<![<>0-9&])>>?\s*(['"]?)([^\s'";|&<>()]+)\1/g,
  /\btee\s+(?:-a\s+)?(['"]?)([^\s'";|&<>()]+)\1/g,
  /\b(?:cp|mv|install)\s+(?:-[a-zA-Z]+\s+)*\S+\s+(['"]?)([^\s'";|&<>()]+)\1/g,
  /\btouch\s+(['"]?)([^\s'";|&<>()]+)\1/g,
  /\s-(?:out|keyout|certout)\s+(['"]?)([^\s'";|&<>()]+)\1/g,
];

/** Documentation an operator follows: READMEs, guides (`*.md`, `*.rst`, `*.adoc`, `*.txt`). */
const DOCUMENT = /(?:^|\/)readme(?:\.[A-Za-z]+)?$|\.(?:md|markdown|mdx|rst|adoc|asciidoc|txt)$/i;
/** Documents and deploy scripts read for where a deploy runs, at most. */
const MAX_DEPLOY_DOCUMENTS = 200;

export function repositoryFacts(files: RecipeFiles, options: RepositoryFactsOptions = {}): RepositoryFacts {
  const root = resolve(files.root);
  const dir = resolve(files.dir);
  const dirFromRoot = relative(root, dir).split(sep).join('/');
  /** Root-relative → stack-relative (both '/'-separated). */
  const fromStack = (rootRel: string) => relative(dir, join(root, rootRel)).split(sep).join('/') || '.';
  const readRoot = (rootRel: string): string | undefined => {
    const r = files.read(fromStack(rootRel));
    return r.ok ? r.text : undefined;
  };
  const listRoot = (rootRel: string): string[] => {
    try {
      return readdirSync(join(root, rootRel), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => posix.join(rootRel, e.name)).sort();
    } catch {
      return [];
    }
  };

  // .gitignore files: the root's and each directory's down to the stack, and every one below the stack.
  const ignoreDirs = new Set<string>(['']);
  if (dirFromRoot !== '') dirFromRoot.split('/').forEach((_, i, parts) => ignoreDirs.add(parts.slice(0, i + 1).join('/')));
  for (const f of files.list()) if (f === '.gitignore' || f.endsWith('/.gitignore')) ignoreDirs.add(posix.join(dirFromRoot, posix.dirname(f)).replace(/^\.$/, ''));
  const ignoreFiles: IgnoreFile[] = [];
  for (const d of [...ignoreDirs].sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : 1))) {
    const file = d === '' ? '.gitignore' : `${d}/.gitignore`;
    const text = readRoot(file);
    if (text !== undefined) ignoreFiles.push({ dir: d, file: fromStack(file), rules: parseGitignore(text) });
  }
  const gitmodules = readRoot('.gitmodules');
  const submodules = gitmodules !== undefined ? parseGitmodules(gitmodules) : [];

  // Read now, with the rest of the repository's facts: rules only ask.
  const writes = writeTargetsOf();
  function writeTargetsOf(): Array<{ target: string[]; file: string; line: number }> {
    const writes: Array<{ target: string[]; file: string; line: number }> = [];
    const sources = new Set<string>([...CI_FILES, ...CI_DIRS.flatMap(listRoot).filter((f) => /\.ya?ml$/.test(f))]);
    for (const f of listRoot('')) if (SCRIPT_FILE.test(f)) sources.add(f);
    if (dirFromRoot !== '') for (const f of files.list()) if (!f.includes('/') && SCRIPT_FILE.test(f)) sources.add(posix.join(dirFromRoot, f));
    for (const source of sources) {
      const text = readRoot(source);
      if (text === undefined) continue;
      text.split(/\r?\n/).forEach((line, index) => {
        if (/^\s*#/.test(line)) return;
        for (const pattern of WRITE_TARGETS) {
          for (const m of line.matchAll(pattern)) {
            const target = writtenPath(m[2]);
            if (target.length > 0) writes.push({ target, file: fromStack(source), line: index + 1 });
          }
        }
      });
    }
    return writes;
  }

  const clones = options.plain ? cloneDeploysOf() : new Map<string, CloneDeploy>();
  /**
   * Compose files (stack-relative) that every deploy command of the stack's documents naming them runs inside
   * a clone of another repository. Documents: the stack's deploy scripts (those that declare views), its
   * guides (top level, `docs/`, `doc/`), and the READMEs of the folders above it up to the repository root.
   */
  function cloneDeploysOf(): Map<string, CloneDeploy> {
    const documents = files.list().filter((f) => isDeployScript(f) || (DOCUMENT.test(f) && (!f.includes('/') || /^docs?\/[^/]+$/.test(f))));
    for (let d = dirFromRoot; d !== ''; ) {
      d = d.includes('/') ? d.slice(0, d.lastIndexOf('/')) : '';
      for (const f of listRoot(d)) if (/^readme(?:\.[A-Za-z]+)?$/i.test(posix.basename(f))) documents.push(fromStack(f));
    }
    const identity = repositoryIdentity();
    const inClone = new Map<string, CloneDeploy>();
    const here = new Set<string>();
    for (const document of documents.slice(0, MAX_DEPLOY_DOCUMENTS)) {
      const read = files.read(document);
      if (!read.ok || !read.text.includes('stack')) continue;
      const documentDir = posix.join(dirFromRoot, posix.dirname(document));
      for (const run of deployRuns(read.text)) {
        // As declared views are found: from the stack's directory, then from the document's.
        const named = run.files.map((f) => posix.isAbsolute(f) ? undefined : [posix.normalize(f), fromStack(posix.join(documentDir, f))].find((p) => !p.startsWith('../') && p !== '..' && files.exists(p)));
        const other = run.clone && isOtherRepository(run.clone.url, identity) ? { url: run.clone.url, file: document, line: run.clone.line } : undefined;
        for (const file of named) {
          if (file === undefined) continue;
          if (other && !inClone.has(file)) inClone.set(file, other);
          if (!other) here.add(file);
        }
      }
    }
    for (const file of here) inClone.delete(file);
    return inClone;
  }

  /** This repository's remotes (`.git/config`, read as text) and the folders its checkout and the stack lie in. */
  function repositoryIdentity(): RepositoryIdentity {
    const folders = [basename(root), ...dirFromRoot.split('/').filter((p) => p !== '')];
    const config = readRoot('.git/config');
    if (config !== undefined) return { remotes: parseGitRemoteUrls(config), folders };
    // A linked worktree's or a submodule's `.git` file: its git directory is not read, only named
    // (`<repo>/.git/worktrees/<name>` is a checkout of `<repo>`, `<super>/.git/modules/<name>` of `<name>`).
    const gitdir = (readRoot('.git') ?? '').split('\n').find((l) => l.startsWith('gitdir:'))?.slice('gitdir:'.length).trim();
    const named = gitdir?.split('/.git/');
    if (named && named.length > 1) folders.push(posix.basename(named[0]), ...named.slice(1).join('/').replace(/^(?:worktrees|modules)\//, '').split('/'));
    return { remotes: [], folders };
  }

  return {
    absentReason(rel, namedBy) {
      const rootRel = posix.normalize(posix.join(dirFromRoot, rel.split(sep).join('/')));
      if (rootRel.startsWith('../')) return undefined;
      const clone = namedBy && namedBy.length > 0 ? namedBy.map((f) => clones.get(posix.normalize(f))) : [];
      if (clone.length > 0 && clone.every((c) => c !== undefined)) return { kind: 'other-checkout', ...clone[0]! };
      const submodule = submodules.find((s) => rootRel === s.path || rootRel.startsWith(`${s.path}/`));
      if (submodule) return { kind: 'submodule', submodule: submodule.path, ...(submodule.url ? { url: submodule.url } : {}) };
      const ignored = ignoredBy(ignoreFiles, rootRel);
      if (ignored) return { kind: 'gitignored', ...ignored };
      const example = exampleOf(rel, (candidate) => files.exists(candidate));
      if (example) return { kind: 'example', example };
      const parts = rootRel.split('/');
      const written = writes.find((w) => w.target.length <= parts.length && w.target.every((p, i) => p === parts[parts.length - w.target.length + i]));
      if (written) return { kind: 'written', file: written.file, line: written.line };
      return undefined;
    },
  };
}

/**
 * The path components a shell write names, from the last one that holds a variable on (`$DIR/app/.env` →
 * `app/.env`): where the variable points is unknown, the tail is what matters.
 */
function writtenPath(raw: string): string[] {
  const parts = raw.replace(/^\.\//, '').split('/').filter((p) => p !== '' && p !== '.');
  let from = 0;
  parts.forEach((p, i) => {
    if (p.includes('$') || p.includes('`') || p === '..' || p === '~') from = i + 1;
  });
  const tail = parts.slice(from);
  // `> /dev/null`, `2>&1`, a bare number: not a file the deploy reads.
  if (tail.length === 0 || /^(?:dev|proc|tmp)$/.test(tail[0]) && raw.startsWith('/')) return [];
  if (tail.some((p) => /[*?{}]/.test(p))) return [];
  return tail;
}

/** An existing example/template copy of `rel`: `x.example`, `x.sample`, …, or `name.example.ext` for `name.ext`. */
function exampleOf(rel: string, exists: (rel: string) => boolean): string | undefined {
  const folder = posix.dirname(rel);
  const base = posix.basename(rel);
  const inFolder = (name: string) => (folder === '.' ? name : `${folder}/${name}`);
  const dot = base.lastIndexOf('.');
  const candidates: string[] = [];
  for (const marker of EXAMPLE_MARKERS) {
    candidates.push(`${base}.${marker}`, `${base}-${marker}`, `${base}_${marker}`);
    if (dot > 0) candidates.push(`${base.slice(0, dot)}.${marker}${base.slice(dot)}`);
  }
  // `.env` → `env.example`, `example.env`.
  if (base.startsWith('.') && dot === 0) candidates.push(`${base.slice(1)}.example`, `example${base}`, `${base.slice(1)}.sample`);
  return candidates.map(inFolder).find(exists);
}
