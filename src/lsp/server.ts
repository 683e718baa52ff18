// `stacklint lsp`: a Language Server Protocol server (stdio) over vscode-languageserver. Each recipe the
// workspace holds (or an opened file belongs to) is linted as `stacklint lint` lints it, with the editor's
// open buffers laid over the files on disk; its findings become diagnostics on every file of the recipe.
//
// Scheduling: an edit bumps its recipe's generation and (re)starts a debounce timer; when it fires the recipe
// is queued. One loop lints queued recipes one at a time (the engine is synchronous), yielding to the event
// loop between them so that edits, hovers and cancellations are handled. A run whose recipe was edited while
// it ran (its generation moved) is dropped: the edit's own run follows, so the newest text always wins.
import { READ_LIMITS, readTextInside, realRoot } from '../load/read.js';
import { basename, dirname, join, relative } from 'node:path';
import { CodeActionKind, createConnection, DidChangeWatchedFilesNotification, ErrorCodes, FileChangeType, ResponseError, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import type { CodeAction, Connection, Diagnostic, InitializeParams, InitializeResult, Location, WorkDoneProgressReporter } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fixEdits, suppressFileEdits, suppressLineEdits } from './code-actions.js';
import { diagnosticsByFile, SOURCE } from './diagnostics.js';
import type { DiagnosticData } from './diagnostics.js';
import { BASELINE_FILE, baselineWith, editorModel, lintForEditor, MAX_BASELINE_BYTES } from './engine-adapter.js';
import type { EditorLint, Finding, LintView, RecipeInfo } from './engine-adapter.js';
import { hoverText } from './hover.js';
import { definitionsOf, referencesOf, symbolAt } from './navigation.js';
import type { NavSymbol, Place } from './navigation.js';
import { baseFileOf, CONFIG_FILE, isInside, makesStacks, pathOfUri, recipeDirOf, recipesIn, uriOfPath } from './workspace.js';
import { readForWrite, withLocks, writeInside, WriteError } from '../write/index.js';

export const ACCEPT_INTO_BASELINE = 'stacklint.acceptIntoBaseline';
/** Quiet time after an edit before its recipe is linted again (initializationOptions.debounceMs overrides). */
export const DEFAULT_DEBOUNCE_MS = 150;
/** What a stack's lint reads (its compose files, recipe files, config, baseline, and where a plain stack declares views), for clients that watch files for the server. */
export const WATCHED = ['**/compose*.{yml,yaml}', '**/docker-compose*.{yml,yaml}', '**/docker-stack*.{yml,yaml}', '**/stack.{yml,yaml}', '**/stack.*.{yml,yaml}', '**/.env.sample', '**/.env.{example,dist}', '**/*.{sh,bash}', '**/{Makefile,makefile,GNUmakefile,*.mk}', '**/.github/workflows/*.{yml,yaml}', '**/{.gitlab-ci,.drone,.woodpecker}.{yml,yaml}', '**/{README,Readme,readme,README.md,Readme.md,readme.md}', '**/.woodpecker/*.{yml,yaml}', '**/abra.sh', '**/*.tmpl', '**/.stacklintrc.{yml,yaml,json}', '**/stacklint.config.ts', '**/.stacklint-baseline.json'];

interface RecipeState {
  dir: string;
  /** Bumped by every change to a file of the recipe (buffer edit, save, watched-file event). */
  generation: number;
  timer?: NodeJS.Timeout;
  /** Files that got non-empty diagnostics last time (to clear the ones that have none now). */
  published: Set<string>;
  /** The last lint published, and the buffer texts it read: code actions are computed against them. */
  last?: { generation: number; lint: EditorLint; overlay: Map<string, string> };
  model?: { generation: number; value: Promise<{ recipe: RecipeInfo; views: LintView[] }> };
  /** Requests waiting for the lint of the current generation (code actions, accept). */
  waiting: Array<() => void>;
}

/** A lint of several stacks at once (the workspace's first, or after a config file above them changed). */
interface WorkspaceLint {
  /** Stacks not linted yet in this round. */
  pending: Set<string>;
  total: number;
  /** The client's progress display, once it accepted the token (undefined until then, or when it has none). */
  reporter?: WorkDoneProgressReporter;
}

export interface ServerOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

export function startServer(options: ServerOptions): Connection {
  const connection = createConnection(options.input, options.output);
  const documents = new TextDocuments(TextDocument);
  const recipes = new Map<string, RecipeState>();
  /** Open documents' recipe directory (undefined: the file belongs to no recipe). */
  const docRecipe = new Map<string, string | undefined>();
  const justOpened = new Set<string>();
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  let workspaceFolders: string[] = [];
  let watchRegistration = false;

  const log = (message: string) => connection.console.error(`stacklint: ${message}`);
  const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0];

  // Handlers never let an exception reach the library (which would answer with a stack in some paths):
  // bad params are InvalidParams, anything else is logged as one line and answered with nothing.
  function guarded<P, R>(name: string, handler: (params: P) => R | Promise<R>, fallback: R): (params: P) => Promise<R> {
    return async (params: P) => {
      try {
        return await handler(params);
      } catch (err) {
        if (err instanceof ResponseError) throw err;
        log(`${name}: ${errorText(err)}`);
        return fallback;
      }
    };
  }
  const invalid = (what: string) => new ResponseError(ErrorCodes.InvalidParams, what);
  function documentPath(params: unknown): string {
    const uri = (params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument?.uri;
    if (typeof uri !== 'string') throw invalid('textDocument.uri must be a string');
    const path = pathOfUri(uri);
    if (!path) throw invalid(`not a file: URI: ${uri.slice(0, 200)}`);
    return path;
  }
  function positionOf(params: unknown): { line: number; character: number } {
    const p = (params as { position?: { line?: unknown; character?: unknown } } | undefined)?.position;
    if (!p || !Number.isInteger(p.line) || !Number.isInteger(p.character) || (p.line as number) < 0 || (p.character as number) < 0) {
      throw invalid('position must be { line, character } of whole numbers');
    }
    return p as { line: number; character: number };
  }

  function stateOf(dir: string): RecipeState {
    let st = recipes.get(dir);
    if (!st) {
      st = { dir, generation: 0, published: new Set(), waiting: [] };
      recipes.set(dir, st);
    }
    return st;
  }

  /** Open buffers inside the recipe, by absolute path, with the versions the client gave them. */
  function overlayOf(dir: string): { overlay: Map<string, string>; versions: Map<string, number> } {
    const overlay = new Map<string, string>();
    const versions = new Map<string, number>();
    for (const doc of documents.all()) {
      const path = pathOfUri(doc.uri);
      if (!path || docRecipe.get(doc.uri) !== dir) continue;
      overlay.set(path, doc.getText());
      versions.set(path, doc.version);
    }
    return { overlay, versions };
  }

  /** The open documents' texts by absolute path (a buffer may be a file not saved yet). */
  function openTexts(): Map<string, string> {
    const texts = new Map<string, string>();
    for (const doc of documents.all()) {
      const path = pathOfUri(doc.uri);
      if (path) texts.set(path, doc.getText());
    }
    return texts;
  }

  /** Finds every open document's stack again (a base file buffer was opened or closed); re-lints what moved. */
  function resolveOpenDocuments(delay = debounceMs): void {
    const buffers = openTexts();
    for (const [uri, before] of docRecipe) {
      const path = pathOfUri(uri);
      const after = path ? recipeDirOf(path, buffers) : undefined;
      if (after === before) continue;
      docRecipe.set(uri, after);
      if (before) touch(before, delay);
      if (after) touch(after, delay);
      else void connection.sendDiagnostics({ uri, diagnostics: [] });
    }
  }

  function uriFor(path: string): string {
    for (const doc of documents.all()) if (pathOfUri(doc.uri) === path) return doc.uri;
    return uriOfPath(path);
  }

  // ---- scheduling ----
  const queue = new Set<string>();
  let draining = false;
  const workspaceLints = new Set<WorkspaceLint>();

  /**
   * Lints several stacks, reporting work-done progress (`k/N stacks`) to a client that shows it
   * (`window.workDoneProgress`): the end tells it every stack was linted, even those with nothing to publish.
   */
  function lintSeveral(dirs: readonly string[], delay = debounceMs): void {
    const unique = new Set(dirs);
    for (const dir of unique) touch(dir, delay);
    if (unique.size < 2) return;
    const run: WorkspaceLint = { pending: unique, total: unique.size };
    workspaceLints.add(run);
    connection.window.createWorkDoneProgress().then(
      (reporter) => {
        if (!workspaceLints.has(run)) {
          // Every stack was linted before the client answered: the progress still begins and ends.
          reporter.begin('stacklint', 100, progressText(run));
          reporter.done();
          return;
        }
        run.reporter = reporter;
        reporter.begin('stacklint', percentOf(run), progressText(run));
      },
      (err) => {
        // A client that refuses the token gets the diagnostics without the progress.
        log(`progress: ${errorText(err)}`);
        run.reporter = undefined;
      },
    );
  }

  const progressText = (run: WorkspaceLint) => `${run.total - run.pending.size}/${run.total} stacks`;
  const percentOf = (run: WorkspaceLint) => Math.floor(((run.total - run.pending.size) * 100) / run.total);

  /** A stack's lint of its current text is published (or the stack went away): the rounds it was part of move on. */
  function settled(dir: string): void {
    for (const run of workspaceLints) {
      if (!run.pending.delete(dir)) continue;
      run.reporter?.report(percentOf(run), progressText(run));
      if (run.pending.size > 0) continue;
      workspaceLints.delete(run);
      run.reporter?.done();
    }
  }

  function touch(dir: string, delay = debounceMs): void {
    const st = stateOf(dir);
    st.generation++;
    clearTimeout(st.timer);
    st.timer = setTimeout(() => {
      st.timer = undefined;
      enqueue(dir);
    }, delay);
  }

  /** Wakes the requests that waited for this recipe's next published (or abandoned) lint. */
  function wake(st: RecipeState): void {
    const waiting = st.waiting.splice(0);
    for (const resume of waiting) resume();
  }

  /**
   * The recipe's lint of its current generation: a code action asked right after an edit (or right after the
   * workspace's first lint, before the opened buffer's own run) waits for that run instead of answering from a
   * stale one. Bounded: an editor that keeps typing gets an answer from the newest lint after a few runs.
   */
  async function current(st: RecipeState): Promise<void> {
    for (let round = 0; round < 5 && st.last?.generation !== st.generation && recipes.get(st.dir) === st; round++) {
      await new Promise<void>((resolve) => st.waiting.push(resolve));
    }
  }

  function enqueue(dir: string): void {
    queue.add(dir);
    if (!draining) void drain();
  }

  async function drain(): Promise<void> {
    draining = true;
    try {
      while (queue.size > 0) {
        // Recipes the maintainer is looking at first.
        const open = new Set(docRecipe.values());
        const next = [...queue].find((d) => open.has(d)) ?? queue.values().next().value!;
        queue.delete(next);
        await lintAndPublish(stateOf(next));
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      draining = false;
    }
  }

  async function lintAndPublish(st: RecipeState): Promise<void> {
    // A run whose debounce was restarted is stale before it starts: the timer queues it again.
    if (st.timer !== undefined) return;
    const generation = st.generation;
    const { overlay, versions } = overlayOf(st.dir);
    const baseFile = baseFileOf(st.dir, overlay);
    if (baseFile === undefined) {
      // No longer a stack: what it reported goes away with it.
      for (const path of st.published) void connection.sendDiagnostics({ uri: uriFor(path), diagnostics: [] });
      recipes.delete(st.dir);
      wake(st);
      settled(st.dir);
      return;
    }
    let lint: EditorLint;
    try {
      lint = await lintForEditor(st.dir, overlay);
    } catch (err) {
      lint = { findings: [], failure: { problems: [{ message: `internal error: ${errorText(err)} (a bug in stacklint: please report it)` }] } };
    }
    if (st.generation !== generation) return;
    st.last = { generation, lint, overlay };
    const byFile = diagnosticsByFile(st.dir, lint, baseFile);
    for (const path of st.published) {
      if (!byFile.has(path)) void connection.sendDiagnostics({ uri: uriFor(path), version: versions.get(path), diagnostics: [] });
    }
    // Open buffers of the recipe without findings get an empty list too, tagged with the version judged.
    for (const [path, version] of versions) {
      if (!byFile.has(path) && !st.published.has(path)) void connection.sendDiagnostics({ uri: uriFor(path), version, diagnostics: [] });
    }
    for (const [path, diagnostics] of byFile) void connection.sendDiagnostics({ uri: uriFor(path), version: versions.get(path), diagnostics });
    st.published = new Set(byFile.keys());
    wake(st);
    settled(st.dir);
  }

  /** The stack's files and views for hover and navigation: the views its lint takes, built once per generation. */
  function modelOf(st: RecipeState): Promise<{ recipe: RecipeInfo; views: LintView[] }> {
    if (st.model?.generation !== st.generation) {
      const value = editorModel(st.dir, overlayOf(st.dir).overlay);
      st.model = { generation: st.generation, value };
      // A failed build is not kept: the next request tries again.
      value.catch(() => {
        if (st.model?.value === value) st.model = undefined;
      });
    }
    return st.model.value;
  }

  /** A recipe-relative place as an LSP location. */
  function locationOf(dir: string, place: Place): Location {
    return {
      uri: uriFor(join(dir, place.file)),
      range: {
        start: { line: place.line - 1, character: place.column - 1 },
        end: { line: place.endLine - 1, character: place.endColumn - 1 },
      },
    };
  }

  /** The recipe, recipe-relative file and current text of a request's document (open or on disk). */
  function target(params: unknown): { st: RecipeState; file: string; text: string; offset: number } | undefined {
    const path = documentPath(params);
    const position = positionOf(params);
    const uri = (params as { textDocument: { uri: string } }).textDocument.uri;
    const dir = docRecipe.has(uri) ? docRecipe.get(uri) : recipeDirOf(path, openTexts());
    if (!dir) return undefined;
    const open = documents.get(uri);
    let text: string;
    if (open) text = open.getText();
    else {
      // The guarded read path: a file of the recipe, never through a link out of it, size-checked.
      const read = readTextInside(realRoot(dir), relative(dir, path), { maxBytes: READ_LIMITS.maxFileBytes });
      if (!read.ok) return undefined;
      text = read.text;
    }
    const offset = (open ?? TextDocument.create(uri, '', 0, text)).offsetAt(position);
    return { st: stateOf(dir), file: relative(dir, path).split('\\').join('/'), text, offset };
  }

  // ---- lifecycle ----
  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const init = (params?.initializationOptions ?? {}) as { debounceMs?: unknown };
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0 && init.debounceMs <= 10_000) debounceMs = init.debounceMs;
    watchRegistration = params?.capabilities?.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const folders = Array.isArray(params?.workspaceFolders) ? params.workspaceFolders.map((f) => f?.uri) : [params?.rootUri];
    workspaceFolders = folders.map((u) => (typeof u === 'string' ? pathOfUri(u) : undefined)).filter((p): p is string => p !== undefined);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        executeCommandProvider: { commands: [ACCEPT_INTO_BASELINE] },
      },
      serverInfo: { name: 'stacklint' },
    };
  });

  connection.onInitialized(
    guarded(
      'initialized',
      () => {
        // Every recipe of the workspace is linted once, so findings in files not open are listed too.
        lintSeveral(workspaceFolders.flatMap((folder) => recipesIn(folder)), 0);
        // Files changed behind the editor's back (git checkout, another tool): the client watches, we re-lint.
        if (watchRegistration) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: WATCHED.map((globPattern) => ({ globPattern })) });
      },
      undefined,
    ),
  );

  // ---- documents ----
  documents.onDidOpen(
    guarded(
      'didOpen',
      (e) => {
        const path = pathOfUri(e.document.uri);
        // Linted at once: opening is not typing (the content-change event that follows is skipped).
        justOpened.add(e.document.uri);
        // A new, unsaved base file (or README, config, … declaring a view) makes its directory a stack: the open
        // buffers below it may move to it.
        if (path && makesStacks(path)) resolveOpenDocuments(0);
        const dir = path ? recipeDirOf(path, openTexts()) : undefined;
        docRecipe.set(e.document.uri, dir);
        if (dir) touch(dir, 0);
      },
      undefined,
    ),
  );
  documents.onDidChangeContent(
    guarded(
      'didChange',
      (e) => {
        if (justOpened.delete(e.document.uri)) return;
        const dir = docRecipe.get(e.document.uri);
        if (dir) touch(dir);
      },
      undefined,
    ),
  );
  documents.onDidClose(
    guarded(
      'didClose',
      (e) => {
        const dir = docRecipe.get(e.document.uri);
        docRecipe.delete(e.document.uri);
        if (dir) touch(dir);
        else void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
        // An unsaved base file (or declaration) closed unmakes its stack: the buffers that belonged to it find their stack again.
        const path = pathOfUri(e.document.uri);
        if (path && makesStacks(path)) resolveOpenDocuments();
      },
      undefined,
    ),
  );

  connection.onDidChangeWatchedFiles(
    guarded(
      'didChangeWatchedFiles',
      (params) => {
        const changes = Array.isArray(params?.changes) ? params.changes : [];
        const touched = new Set<string>();
        for (const change of changes) {
          const path = typeof change?.uri === 'string' ? pathOfUri(change.uri) : undefined;
          if (!path) continue;
          // A deleted base file or declaration unmakes its stack (its diagnostics are cleared by the run).
          const parent = dirname(path);
          if (makesStacks(path) && change.type === FileChangeType.Deleted) for (const known of recipes.keys()) if (isInside(path, known)) touched.add(known);
          const dir = recipeDirOf(path, openTexts());
          if (dir) touched.add(dir);
          // A config file above recipes (a catalogue's) applies to every recipe below it.
          if (CONFIG_FILE.test(basename(path))) for (const known of recipes.keys()) if (isInside(known, parent)) touched.add(known);
        }
        lintSeveral([...touched]);
        // A base file or declaration created or deleted behind the editor's back makes or unmakes a stack for open buffers.
        if (changes.some((c) => typeof c?.uri === 'string' && makesStacks(c.uri))) resolveOpenDocuments();
      },
      undefined,
    ),
  );

  // ---- hover, definitions, references ----
  connection.onHover(
    guarded(
      'hover',
      async (params) => {
        const t = target(params);
        if (!t) return null;
        const text = hoverText(await modelOf(t.st), t.file, t.offset);
        return text ? { contents: { kind: 'markdown' as const, value: text } } : null;
      },
      null,
    ),
  );

  /** Definitions or references of the symbol under a request's position, as locations. */
  function navigate(name: string, places: (recipe: RecipeInfo, symbol: NavSymbol, params: unknown) => Place[]) {
    return guarded(
      name,
      async (params: unknown) => {
        const t = target(params);
        if (!t) return null;
        const model = await modelOf(t.st);
        const symbol = symbolAt(model.recipe, t.file, t.text, t.offset);
        if (!symbol) return null;
        return places(model.recipe, symbol, params).map((p) => locationOf(t.st.dir, p));
      },
      null,
    );
  }
  connection.onDefinition(navigate('definition', (recipe, symbol) => definitionsOf(recipe, symbol)));
  connection.onReferences(
    navigate('references', (recipe, symbol, params) => {
      const withDeclarations = (params as { context?: { includeDeclaration?: unknown } }).context?.includeDeclaration === true;
      return referencesOf(recipe, symbol, withDeclarations);
    }),
  );

  // ---- code actions ----
  /** The finding behind a diagnostic, from the lint that produced it, if that lint is still current. */
  async function findingOf(data: unknown): Promise<{ st: RecipeState; finding: Finding } | undefined> {
    const d = data as Partial<DiagnosticData> | undefined;
    if (!d || typeof d.recipe !== 'string' || typeof d.fingerprint !== 'string') return undefined;
    const st = recipes.get(d.recipe);
    if (!st) return undefined;
    await current(st);
    if (!st.last || st.last.generation !== st.generation) return undefined;
    const finding = st.last.lint.findings.find((f) => f.fingerprint === d.fingerprint && f.message === d.message);
    return finding ? { st, finding } : undefined;
  }

  /** A recipe file's text as the last lint read it: the buffer it was given, or the disk. */
  function linted(st: RecipeState, file: string): string | undefined {
    const path = join(st.dir, file);
    const buffer = st.last?.overlay.get(path);
    if (buffer !== undefined) return buffer;
    const read = readTextInside(realRoot(st.dir), file, { maxBytes: READ_LIMITS.maxFileBytes });
    return read.ok ? read.text.replace(/^\uFEFF/, '') : undefined;
  }

  connection.onCodeAction(
    guarded(
      'codeAction',
      async (params) => {
        documentPath(params);
        const diagnostics: Diagnostic[] = Array.isArray(params?.context?.diagnostics) ? params.context.diagnostics : [];
        const actions: CodeAction[] = [];
        for (const diagnostic of diagnostics) {
          if (diagnostic?.source !== SOURCE) continue;
          const found = await findingOf(diagnostic.data);
          if (!found) continue;
          const { st, finding } = found;
          const uri = uriFor(join(st.dir, finding.file));
          if (finding.edits?.length) {
            const fix = fixEdits(finding, (file) => linted(st, file));
            if (fix.ok) {
              const changes = Object.fromEntries([...fix.edits].map(([file, edits]) => [uriFor(join(st.dir, file)), edits]));
              actions.push({ title: `Fix ${finding.rule}: ${finding.fix}`.slice(0, 160), kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: true, edit: { changes } });
            }
          }
          const text = linted(st, finding.file);
          if (text !== undefined) {
            const line = suppressLineEdits(finding, text);
            if (line.ok) actions.push({ title: `Suppress ${finding.rule} on this line`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: line.edits } } });
            const file = suppressFileEdits(finding, text);
            if (file.ok) actions.push({ title: `Suppress ${finding.rule} in this file`, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], edit: { changes: { [uri]: file.edits } } });
          }
          if (finding.state !== 'known') {
            actions.push({
              title: `Accept ${finding.rule} into ${BASELINE_FILE}`,
              kind: CodeActionKind.QuickFix,
              diagnostics: [diagnostic],
              command: { title: `Accept ${finding.rule} into ${BASELINE_FILE}`, command: ACCEPT_INTO_BASELINE, arguments: [diagnostic.data] },
            });
          }
        }
        return actions;
      },
      [],
    ),
  );

  connection.onExecuteCommand(
    guarded(
      'executeCommand',
      async (params) => {
        if (params?.command !== ACCEPT_INTO_BASELINE) throw invalid(`unknown command: ${String(params?.command).slice(0, 100)}`);
        const found = await findingOf(params.arguments?.[0]);
        if (!found) {
          void connection.window.showWarningMessage('stacklint: that finding is no longer reported (the recipe changed); try again');
          return null;
        }
        const { st, finding } = found;
        // Read, change and write under the baseline's lock, through the safe write path (src/write): never
        // through a link, atomically, and only if the file still holds what was read.
        let refused: string | undefined;
        try {
          withLocks(st.dir, [BASELINE_FILE], () => {
            const read = readForWrite(st.dir, BASELINE_FILE, MAX_BASELINE_BYTES);
            const next = baselineWith(read.exists ? read.bytes.toString('utf8') : undefined, finding);
            if (!next.ok) refused = next.message;
            else writeInside(st.dir, BASELINE_FILE, next.text, { expect: read.hash });
          });
        } catch (err) {
          if (!(err instanceof WriteError)) throw err;
          refused = err.message;
        }
        if (refused !== undefined) {
          void connection.window.showWarningMessage(`stacklint: ${refused}`);
          return null;
        }
        touch(st.dir, 0);
        return null;
      },
      null,
    ),
  );

  documents.listen(connection);
  connection.listen();
  return connection;
}
