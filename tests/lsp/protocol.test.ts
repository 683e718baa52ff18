// `stacklint lsp` over the protocol, as an editor drives it: a scripted client (vscode-jsonrpc) talks to the
// built CLI (`node bin/stacklint.js lsp --stdio`; npm test builds it first). Every wait is for a condition
// on what the server published, never for a time.
import { cpSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LspClient, positionOf, uriOf } from './client.js';
import type { Diagnostic } from './client.js';
import { applyEdits, copyRecipe, CORPUS, EXAMPLE_RECIPE, NAV_RECIPE, removeTempDirs, STACK_FRAME, tempDir, writeRecipe } from './recipes.js';
import { lintRecipeJob } from '../../src/lint/job.js';
import { ALL_RULES, RECIPE_CONVENTION_RULES } from '../../src/rules/index.js';

const clients: LspClient[] = [];
function start(): LspClient {
  const c = LspClient.start();
  clients.push(c);
  return c;
}
afterEach(() => {
  for (const c of clients.splice(0)) c.kill();
  removeTempDirs();
});

const codes = (ds: Diagnostic[] | undefined) => (ds ?? []).map((d) => String(d.code));
const r011In = (ds: Diagnostic[] | undefined) => (ds ?? []).find((d) => d.code === 'R011');

describe('stacklint lsp: lifecycle', () => {
  it('initializes with its capabilities, shuts down and exits 0', async () => {
    const c = start();
    const result = (await c.initialize(null)) as { capabilities: Record<string, unknown>; serverInfo: { name: string } };
    expect(result.serverInfo.name).toBe('stacklint');
    expect(result.capabilities).toMatchObject({
      textDocumentSync: { openClose: true, change: 2 },
      hoverProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      executeCommandProvider: { commands: ['stacklint.acceptIntoBaseline'] },
    });
    expect(await c.stop()).toBe(0);
  });

  it('asks a client that can watch files to watch what a lint reads', async () => {
    const c = start();
    await c.initialize(copyRecipe(EXAMPLE_RECIPE), { debounceMs: 20 }, true);
    const registration = await c.waitFor('a registration', () => c.registrations[0] as { registrations: Array<{ method: string; registerOptions: { watchers: Array<{ globPattern: string }> } }> });
    expect(registration.registrations[0].method).toBe('workspace/didChangeWatchedFiles');
    expect(registration.registrations[0].registerOptions.watchers.map((w) => w.globPattern)).toEqual(expect.arrayContaining(['**/compose*.{yml,yaml}', '**/.env.sample', '**/.stacklint-baseline.json']));
  });

  it('exits 1 when the client exits without a shutdown', async () => {
    const c = start();
    await c.initialize(null);
    await c.connection.sendNotification('exit');
    await c.waitFor('the exit', () => c.exitCode !== undefined);
    expect(c.exitCode).toBe(1);
  });

  it('`lsp --help` teaches, and a stray argument is a usage error (exit 2)', async () => {
    const help = LspClient.start(['lsp', '--help']);
    clients.push(help);
    await help.waitFor('exit', () => help.exitCode !== undefined);
    const bad = LspClient.start(['lsp', 'somewhere']);
    clients.push(bad);
    await bad.waitFor('exit', () => bad.exitCode !== undefined);
    expect(help.exitCode).toBe(0);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('lsp takes no arguments');
  });
});

describe('stacklint lsp: diagnostics', () => {
  it('publishes every finding of the workspace recipe on its file and range, with rule, docs link, severity and views', async () => {
    const dir = copyRecipe(EXAMPLE_RECIPE);
    const overlay = join(dir, 'compose.smtpauth.yml');
    const c = start();
    await c.initialize(dir);
    const r011 = await c.waitFor('R011 in the overlay', () => r011In(c.diagnosticsOf(overlay)));
    const text = readFileSync(overlay, 'utf8');
    expect(r011.range.start).toEqual(positionOf(text, 'sidekiq:'));
    expect(r011.severity).toBe(1);
    expect(r011.source).toBe('stacklint');
    expect(r011.codeDescription?.href).toMatch(/docs\/rules\.md#r011$/);
    expect(r011.message).toMatch(/^service `sidekiq` has no image/);
    expect(r011.message).toMatch(/\nviews: .*compose\.yml\+compose\.smtpauth\.yml/);
    // Findings in files that are not open are published too: the template and the base.
    await c.waitFor(
      'the template and base findings',
      () => codes(c.diagnosticsOf(join(dir, 'Caddyfile.tmpl'))).includes('proxy-alias-collision') && codes(c.diagnosticsOf(join(dir, 'compose.yml'))).includes('backupbot-labels'),
    );
  });

  it('follows unsaved incremental edits of an overlay and of the base, in every file of the recipe, and clears what disappears', async () => {
    const dir = copyRecipe(EXAMPLE_RECIPE);
    const overlay = join(dir, 'compose.smtpauth.yml');
    const base = join(dir, 'compose.yml');
    const template = join(dir, 'Caddyfile.tmpl');
    const c = start();
    await c.initialize(dir);
    let text = readFileSync(overlay, 'utf8');
    await c.open(overlay, text, 1);
    await c.waitFor('R011 for version 1', () => c.latest.get(uriOf(overlay))?.version === 1 && r011In(c.diagnosticsOf(overlay)));

    // Delete the sidekiq block (an incremental change), never saved.
    const from = positionOf(text, '  # sidekiq moved');
    const to = positionOf(text, 'secrets:\n  smtp_password:');
    await c.change(overlay, 2, [{ range: { start: from, end: to }, text: '' }]);
    text = applyEdits(text, [{ range: { start: from, end: to }, newText: '' }]);
    await c.waitFor('no R011 for version 2', () => c.latest.get(uriOf(overlay))?.version === 2 && !r011In(c.diagnosticsOf(overlay)));
    expect(readFileSync(overlay, 'utf8')).toContain('sidekiq:'); // the disk is untouched

    // Take `web` off the shared proxy network in the (open, unsaved) base: the template's finding clears.
    await c.waitFor('the template finding', () => codes(c.diagnosticsOf(template)).includes('proxy-alias-collision'));
    const baseText = readFileSync(base, 'utf8');
    await c.open(base, baseText, 1);
    const webNetworks = positionOf(baseText, '      - proxy', baseText.indexOf('  web:'));
    await c.change(base, 2, [{ range: { start: webNetworks, end: { line: webNetworks.line + 1, character: 0 } }, text: '      - internal\n' }]);
    await c.waitFor('the template finding cleared', () => !codes(c.diagnosticsOf(template)).includes('proxy-alias-collision'));

    // Closing the unsaved buffers goes back to the disk: both findings return.
    await c.close(base);
    await c.close(overlay);
    await c.waitFor('R011 back from the disk', () => r011In(c.diagnosticsOf(overlay)) && codes(c.diagnosticsOf(template)).includes('proxy-alias-collision'));
  });

  it('the newest edit wins when edits arrive faster than the recipe lints', async () => {
    const dir = copyRecipe(EXAMPLE_RECIPE);
    const overlay = join(dir, 'compose.smtpauth.yml');
    const original = readFileSync(overlay, 'utf8');
    const withoutSidekiq = original.replace(/ {2}# sidekiq moved[\s\S]*?(?=secrets:\n {2}smtp_password:)/, '');
    const c = LspClient.start();
    clients.push(c);
    await c.initialize(dir, { debounceMs: 0 });
    await c.open(overlay, original, 1);
    for (let v = 2; v <= 40; v++) await c.change(overlay, v, [{ text: v % 2 === 0 ? withoutSidekiq : original }]);
    await c.change(overlay, 41, [{ text: withoutSidekiq }]);
    const last = await c.waitFor('version 41', () => (c.latest.get(uriOf(overlay))?.version === 41 ? c.latest.get(uriOf(overlay)) : undefined));
    expect(codes(last.diagnostics)).not.toContain('R011');
    // Nothing older is published after the newest version's diagnostics (a request's round trip later).
    await c.request('textDocument/hover', { textDocument: { uri: uriOf(overlay) }, position: { line: 0, character: 0 } });
    const afterIt = c.published.slice(c.published.indexOf(last) + 1).filter((p) => p.uri === uriOf(overlay));
    expect(afterIt.every((p) => p.version === 41)).toBe(true);
  });

  it('a file changed on disk but not open (workspace/didChangeWatchedFiles) is re-linted; its cleared findings are removed', async () => {
    const dir = copyRecipe(EXAMPLE_RECIPE);
    const overlay = join(dir, 'compose.smtpauth.yml');
    const c = start();
    await c.initialize(dir);
    await c.waitFor('R011', () => r011In(c.diagnosticsOf(overlay)));
    writeFileSync(overlay, 'version: "3.8"\nservices:\n  app:\n    environment:\n      - A=b\n');
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(overlay), type: 2 }] });
    await c.waitFor('the overlay has no findings left', () => c.diagnosticsOf(overlay)?.length === 0);
  });

  it('applies the recipe config file as the CLI does; a broken one is a diagnostic on it', async () => {
    const dir = copyRecipe(EXAMPLE_RECIPE);
    writeFileSync(join(dir, '.stacklintrc.yml'), 'rules:\n  R002: off\n');
    const overlay = join(dir, 'compose.smtpauth.yml');
    const c = start();
    await c.initialize(dir);
    await c.waitFor('R011', () => r011In(c.diagnosticsOf(overlay)));
    expect(codes(c.diagnosticsOf(overlay))).not.toContain('R002');
    // A broken config file is a diagnostic on it, not a crash.
    writeFileSync(join(dir, '.stacklintrc.yml'), 'rules:\n  R002: loud\n');
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(dir, '.stacklintrc.yml')), type: 2 }] });
    const config = await c.waitFor('the config diagnostic', () => c.diagnosticsOf(join(dir, '.stacklintrc.yml'))?.[0]);
    expect(config.message).toMatch(/R002/);
    expect(config.severity).toBe(1);
    await c.waitFor('the recipe findings cleared while the config is broken', () => !r011In(c.diagnosticsOf(overlay)));
  });

  it('a file outside any recipe gets no findings, and the server carries on', async () => {
    const lone = join(tempDir(), 'notes', 'compose-ish.yml');
    mkdirSync(join(lone, '..'), { recursive: true });
    writeFileSync(lone, 'services:\n  app: {}\n');
    const dir = copyRecipe(EXAMPLE_RECIPE);
    const c = start();
    await c.initialize(dir);
    await c.open(lone, readFileSync(lone, 'utf8'));
    expect(await c.request('textDocument/hover', { textDocument: { uri: uriOf(lone) }, position: { line: 1, character: 3 } })).toBeNull();
    expect(await c.request('textDocument/definition', { textDocument: { uri: uriOf(lone) }, position: { line: 1, character: 3 } })).toBeNull();
    await c.close(lone);
    await c.open(join(dir, 'compose.yml'), readFileSync(join(dir, 'compose.yml'), 'utf8'));
    await c.waitFor('the recipe still linted', () => c.latest.get(uriOf(join(dir, 'compose.yml')))?.version === 1);
    expect(c.published.filter((p) => p.uri === uriOf(lone)).every((p) => p.diagnostics.length === 0)).toBe(true);
  });

  it('a half-typed YAML document at every 40th prefix of a corpus file: never dies, no stack traces, the CLI findings', async () => {
    const dir = copyRecipe(join(CORPUS, 'abramon'));
    const file = join(dir, 'compose.yml');
    const full = readFileSync(file, 'utf8');
    const c = LspClient.start();
    clients.push(c);
    await c.initialize(dir, { debounceMs: 0 });
    await c.open(file, full, 1);
    let version = 1;
    for (let end = 0; end <= full.length; end += 40) {
      const prefix = full.slice(0, end);
      version++;
      await c.change(file, version, [{ text: prefix }]);
      const expectedVersion = version;
      const published = await c.waitFor(`version ${expectedVersion}`, () => {
        const p = c.latest.get(uriOf(file));
        return p?.version === expectedVersion ? p : undefined;
      });
      for (const d of published.diagnostics) expect(d.message).not.toMatch(STACK_FRAME);
      // The same findings `stacklint lint` reports for this text, on this file.
      const cli = await lintRecipeJob(dir, { overlay: new Map([[file, prefix]]) }, ALL_RULES);
      const expected = cli.findings.filter((f) => f.file === 'compose.yml').map((f) => `${f.rule}@${f.line}:${f.column} ${f.message}`).sort();
      const got = published.diagnostics.map((d) => `${d.code}@${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message.split('\nviews: ')[0]}`).sort();
      expect(got, `prefix of ${end} characters`).toEqual(expected);
    }
    expect(c.stderr).not.toMatch(STACK_FRAME);
    expect(await c.stop()).toBe(0);
  }, 180_000);
});

describe('stacklint lsp: nonsense from the client', () => {
  it('answers unknown methods and malformed params with errors, ignores bad notifications, and keeps serving', async () => {
    const dir = copyRecipe(EXAMPLE_RECIPE);
    const c = start();
    await c.initialize(dir);
    await expect(c.request('stacklint/nonsense', { a: 1 })).rejects.toMatchObject({ code: -32601 });
    await expect(c.request('textDocument/hover', {})).rejects.toMatchObject({ code: -32602 });
    await expect(c.request('textDocument/hover', { textDocument: { uri: 42 }, position: { line: 0, character: 0 } })).rejects.toMatchObject({ code: -32602 });
    await expect(c.request('textDocument/definition', { textDocument: { uri: uriOf(join(dir, 'compose.yml')) }, position: { line: -1, character: 'x' } })).rejects.toMatchObject({ code: -32602 });
    await expect(c.request('workspace/executeCommand', { command: 'rm -rf /', arguments: [] })).rejects.toMatchObject({ code: -32602 });
    expect(await c.request('textDocument/codeAction', { textDocument: { uri: uriOf(join(dir, 'compose.yml')) }, range: null, context: null })).toEqual([]);
    expect(await c.request('workspace/executeCommand', { command: 'stacklint.acceptIntoBaseline', arguments: [{ recipe: 5 }] })).toBeNull();
    await c.connection.sendNotification('textDocument/didOpen', { textDocument: null });
    await c.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(join(dir, 'compose.yml')), version: 3 }, contentChanges: [{ range: 'x', text: 5 }] });
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: 'all of them' });
    await c.connection.sendNotification('stacklint/whatever', [1, 2, 3]);
    await c.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'untitled:Untitled-1', languageId: 'yaml', version: 1, text: 'services: {' } });
    // Still serving: an open document is linted and a hover answered.
    const overlay = join(dir, 'compose.smtpauth.yml');
    await c.open(overlay, readFileSync(overlay, 'utf8'), 7);
    await c.waitFor('diagnostics of version 7', () => c.latest.get(uriOf(overlay))?.version === 7);
    const hover = await c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uriOf(overlay) }, position: positionOf(readFileSync(overlay, 'utf8'), 'sidekiq:') });
    expect(hover?.contents.value).toContain('compose.smtpauth.yml:15');
    expect(c.stderr).not.toMatch(STACK_FRAME);
    for (const log of c.logs) expect(log).not.toMatch(STACK_FRAME);
    expect(await c.stop()).toBe(0);
  });
});

describe('stacklint lsp: hover, code actions, navigation', () => {
  it('hover shows the merged value per view and its provenance', async () => {
    const dir = writeRecipe(join(tempDir(), 'nav'), NAV_RECIPE);
    const overlay = join(dir, 'compose.smtp.yml');
    const c = start();
    await c.initialize(dir);
    const text = readFileSync(overlay, 'utf8');
    await c.open(overlay, text);
    const hover = await c.request<{ contents: { kind: string; value: string } }>('textDocument/hover', { textDocument: { uri: uriOf(overlay) }, position: positionOf(text, 'nginx:1.28') });
    expect(hover.contents.kind).toBe('markdown');
    const value = hover.contents.value;
    expect(value).toContain('services.app.image');
    expect(value).toContain('"nginx:1.28"');
    expect(value).toContain('from `compose.yml:5`, replaced by `compose.smtp.yml:4`');
    // Only views that include the overlay are shown.
    expect(value).toMatch(/_in [^_]*compose\.yml\+compose\.smtp\.yml/);
    expect(value).not.toMatch(/_in compose\.yml_/);
  });

  it('code actions: apply the fix, suppress on the line or in the file, accept into the baseline', async () => {
    // The overlay without its version: R001, which --fix fixes.
    const dir = writeRecipe(join(tempDir(), 'nav'), { ...NAV_RECIPE, 'compose.smtp.yml': NAV_RECIPE['compose.smtp.yml'].replace('version: "3.8"\n', '') });
    const overlay = join(dir, 'compose.smtp.yml');
    const c = start();
    await c.initialize(dir);
    let text = readFileSync(overlay, 'utf8');
    await c.open(overlay, text, 1);
    const r001 = await c.waitFor('R001 (no version) in the overlay', () => c.diagnosticsOf(overlay)?.find((d) => d.code === 'R001'));
    type Action = { title: string; edit?: { changes: Record<string, Array<{ range: Diagnostic['range']; newText: string }>> }; command?: { command: string; arguments: unknown[] } };
    const actions = await c.request<Action[]>('textDocument/codeAction', { textDocument: { uri: uriOf(overlay) }, range: r001.range, context: { diagnostics: [r001] } });
    expect(actions.map((a) => a.title)).toEqual([
      expect.stringMatching(/^Fix R001/),
      'Suppress R001 on this line',
      'Suppress R001 in this file',
      'Accept R001 into .stacklint-baseline.json',
    ]);
    // The fix: the same edit `lint --fix` makes.
    const fixed = applyEdits(text, actions[0].edit!.changes[uriOf(overlay)]);
    expect(fixed).toBe(`version: "3.8"\n${text}`);
    // Suppress in the file: a directive at the top; applied, R001 goes away and nothing new appears.
    const suppressed = applyEdits(text, actions[2].edit!.changes[uriOf(overlay)]);
    expect(suppressed.split('\n')[0]).toMatch(/^# stacklint-disable-file R001 -- \S/);
    await c.change(overlay, 2, [{ text: suppressed }]);
    text = suppressed;
    await c.waitFor('R001 suppressed', () => c.latest.get(uriOf(overlay))?.version === 2 && !codes(c.diagnosticsOf(overlay)).includes('R001'));
    expect(codes(c.diagnosticsOf(overlay))).not.toContain('unused-suppression');

    // Suppress on the line: version-label for `app` in the base (not open), a directive above its line.
    const base = join(dir, 'compose.yml');
    const label = await c.waitFor('version-label in the base', () => c.diagnosticsOf(base)?.find((d) => d.code === 'version-label'));
    const lineActions = await c.request<Action[]>('textDocument/codeAction', { textDocument: { uri: uriOf(base) }, range: label.range, context: { diagnostics: [label] } });
    const onLine = lineActions.find((a) => a.title === 'Suppress version-label on this line')!;
    const after = applyEdits(readFileSync(base, 'utf8'), onLine.edit!.changes[uriOf(base)]);
    expect(after.split('\n')[label.range.start.line]).toMatch(/^ {2}# stacklint-disable-next-line version-label -- \S/);
    expect(after.split('\n')[label.range.start.line + 1]).toBe('  app:');

    // Accept into the baseline: the command writes the file; the finding is then shown as known (a hint).
    const accept = lineActions.find((a) => a.command?.command === 'stacklint.acceptIntoBaseline')!;
    await c.request('workspace/executeCommand', accept.command);
    const baseline = JSON.parse(readFileSync(join(dir, '.stacklint-baseline.json'), 'utf8'));
    expect(baseline.findings.map((f: { rule: string }) => f.rule)).toEqual(['version-label']);
    await c.waitFor('version-label known', () => {
      const d = (c.diagnosticsOf(base) ?? []).find((x) => x.code === 'version-label');
      return d?.severity === 4 && d.message.includes('known: accepted in .stacklint-baseline.json');
    });
    // A known finding is not offered for the baseline again.
    const known = c.diagnosticsOf(base)!.find((x) => x.code === 'version-label')!;
    const again = await c.request<Action[]>('textDocument/codeAction', { textDocument: { uri: uriOf(base) }, range: known.range, context: { diagnostics: [known] } });
    expect(again.map((a) => a.title)).not.toContain('Accept version-label into .stacklint-baseline.json');
  });

  it('a code action asked while the next lint is pending waits for that lint and answers from it', async () => {
    const dir = writeRecipe(join(tempDir(), 'nav'), { ...NAV_RECIPE, 'compose.smtp.yml': NAV_RECIPE['compose.smtp.yml'].replace('version: "3.8"\n', '') });
    const overlay = join(dir, 'compose.smtp.yml');
    const c = start();
    // A long debounce: the edit's lint is certainly still pending when the request arrives.
    await c.initialize(dir, { debounceMs: 400 });
    const text = readFileSync(overlay, 'utf8');
    await c.open(overlay, text, 1);
    const r001 = await c.waitFor('R001 in the overlay', () => c.diagnosticsOf(overlay)?.find((d) => d.code === 'R001'));
    const edited = `${text}# a comment\n`;
    await c.change(overlay, 2, [{ text: edited }]);
    type Action = { title: string; edit?: { changes: Record<string, Array<{ range: Diagnostic['range']; newText: string }>> } };
    const actions = await c.request<Action[]>('textDocument/codeAction', { textDocument: { uri: uriOf(overlay) }, range: r001.range, context: { diagnostics: [r001] } });
    expect(actions.map((a) => a.title)).toContain('Suppress R001 in this file');
    // Computed against the edited buffer (the lint of version 2), not the text R001 was first reported on.
    const inFile = actions.find((a) => a.title === 'Suppress R001 in this file')!;
    expect(applyEdits(edited, inFile.edit!.changes[uriOf(overlay)]).endsWith('# a comment\n')).toBe(true);
    expect(c.latest.get(uriOf(overlay))?.version).toBe(2);
    expect(await c.stop()).toBe(0);
  });

  it('definition and references across files: entries, depends_on, config file, ${VAR}', async () => {
    const dir = writeRecipe(join(tempDir(), 'nav'), NAV_RECIPE);
    const base = join(dir, 'compose.yml');
    const overlay = join(dir, 'compose.smtp.yml');
    const baseText = readFileSync(base, 'utf8');
    const overlayText = readFileSync(overlay, 'utf8');
    const c = start();
    await c.initialize(dir);
    type Loc = { uri: string; range: Diagnostic['range'] };
    const at = (file: string, text: string, needle: string, from = 0, shift = 1) => {
      const p = positionOf(text, needle, from);
      return { textDocument: { uri: uriOf(file) }, position: { line: p.line, character: p.character + shift } };
    };
    const where = (locs: Loc[] | null) => (locs ?? []).map((l) => `${l.uri.split('/').pop()}:${l.range.start.line + 1}`).sort();

    // A service's secret entry → the top-level definition in the overlay.
    expect(where(await c.request('textDocument/definition', at(overlay, overlayText, '- smtp_password', 0, 3)))).toEqual(['compose.smtp.yml:9']);
    // depends_on → the service (defined in the base only).
    expect(where(await c.request('textDocument/definition', at(base, baseText, '- db', 0, 3)))).toEqual(['compose.yml:15']);
    // A config's `file:` → the template.
    expect(where(await c.request('textDocument/definition', at(base, baseText, 'nginx.conf.tmpl')))).toEqual(['nginx.conf.tmpl:1']);
    // ${VAR} → its .env.sample line (commented ones count).
    expect(where(await c.request('textDocument/definition', at(overlay, overlayText, 'SECRET_SMTP_PASSWORD_VERSION')))).toEqual(['.env.sample:6']);
    expect(where(await c.request('textDocument/definition', at(base, baseText, '${DOMAIN}', 0, 3)))).toEqual(['.env.sample:2']);
    // The config entry of a service → the top-level config.
    expect(where(await c.request('textDocument/definition', at(base, baseText, 'source: nginx_conf', 0, 9)))).toEqual(['compose.yml:21']);
    // References of the network from its definition: both services' entries.
    const networkDef = positionOf(baseText, 'internal:', baseText.indexOf('\nnetworks:'));
    const refs = await c.request<Loc[]>('textDocument/references', { textDocument: { uri: uriOf(base) }, position: { line: networkDef.line, character: 3 }, context: { includeDeclaration: false } });
    expect(where(refs)).toEqual(['compose.yml:14', 'compose.yml:18']);
    // References of a variable: its uses in compose files and templates, and its declaration.
    const domain = await c.request<Loc[]>('textDocument/references', { ...at(join(dir, '.env.sample'), NAV_RECIPE['.env.sample'], 'DOMAIN'), context: { includeDeclaration: true } });
    expect(where(domain)).toEqual(['.env.sample:2', 'compose.yml:7', 'nginx.conf.tmpl:1']);
  });
});

describe('stacklint lsp: workspaces', () => {
  it('a catalogue workspace: every recipe is linted; an opened file belongs to the recipe above it', async () => {
    const catalogue = tempDir();
    const a = copyRecipe(EXAMPLE_RECIPE);
    writeRecipe(join(catalogue, 'nav'), NAV_RECIPE);
    const exampleInCatalogue = join(catalogue, 'example');
    writeRecipe(exampleInCatalogue, Object.fromEntries(['compose.yml', 'compose.smtpauth.yml', '.env.sample', 'abra.sh', 'Caddyfile.tmpl'].map((f) => [f, readFileSync(join(a, f), 'utf8')])));
    const c = start();
    await c.initialize(catalogue);
    await c.waitFor('both recipes', () => r011In(c.diagnosticsOf(join(exampleInCatalogue, 'compose.smtpauth.yml'))) && c.diagnosticsOf(join(catalogue, 'nav', 'compose.smtp.yml')));
    // A file in a subdirectory of a recipe: its recipe is the directory above with compose.yml.
    mkdirSync(join(catalogue, 'nav', 'conf'));
    expect(existsSync(join(catalogue, 'nav', 'compose.yml'))).toBe(true);
    writeFileSync(join(catalogue, 'nav', 'conf', 'x.sh'), 'echo ${DOMAIN}\n');
    await c.open(join(catalogue, 'nav', 'conf', 'x.sh'), 'echo ${DOMAIN}\n', 1, 'sh');
    const def = await c.request<Array<{ uri: string }>>('textDocument/definition', { textDocument: { uri: uriOf(join(catalogue, 'nav', 'conf', 'x.sh')) }, position: { line: 0, character: 8 } });
    expect(def.map((l) => l.uri)).toEqual([uriOf(join(catalogue, 'nav', '.env.sample'))]);
  });
});

describe('stacklint lsp: work-done progress of a workspace lint', () => {
  /** A catalogue of three stacks: a recipe with findings, and two plain stacks with nothing to report. */
  function quietCatalogue(): string {
    const catalogue = tempDir();
    cpSync(EXAMPLE_RECIPE, join(catalogue, 'example'), { recursive: true });
    writeRecipe(join(catalogue, 'quiet'), { 'compose.yml': 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n' });
    writeRecipe(join(catalogue, 'swarm'), { 'docker-stack.yml': 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n' });
    return catalogue;
  }

  it('reports k/N stacks and ends once every stack was linted, those with nothing to publish too', async () => {
    const catalogue = quietCatalogue();
    const c = start();
    await c.initialize(catalogue, { debounceMs: 20 }, false, true);
    await c.waitFor('the end of the progress', () => c.progress.some((p) => p.value.kind === 'end'));
    expect(c.progressTokens).toHaveLength(1);
    expect(c.progress.every((p) => p.token === c.progressTokens[0])).toBe(true);
    const kinds = c.progress.map((p) => p.value.kind);
    expect(kinds[0]).toBe('begin');
    expect(kinds.at(-1)).toBe('end');
    expect(kinds.slice(1, -1).every((k) => k === 'report')).toBe(true);
    expect(c.progress[0].value.title).toBe('stacklint');
    // Counted up to every stack; the last count is all of them.
    const counts = c.progress.filter((p) => p.value.message).map((p) => Number(/^(\d+)\/3 stacks$/.exec(p.value.message!)?.[1]));
    expect(counts.every((n, i) => Number.isInteger(n) && (i === 0 || n >= counts[i - 1]))).toBe(true);
    expect(counts.at(-1)).toBe(3);
    // The recipe's findings were published before the end; the quiet stacks published nothing (so only the end
    // tells a client that they were linted).
    const end = c.arrivals.indexOf('progress end');
    expect(c.arrivals.slice(0, end)).toContain(`publish ${uriOf(join(catalogue, 'example', 'compose.smtpauth.yml'))}`);
    expect(c.published.filter((p) => p.uri.includes('/quiet/') || p.uri.includes('/swarm/'))).toEqual([]);
    // A config file above the three changes: all three are linted again, as a new round of progress.
    writeFileSync(join(catalogue, '.stacklintrc.yml'), 'rules:\n  R011: off\n');
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(catalogue, '.stacklintrc.yml')), type: 1 }] });
    await c.waitFor('the second round ends', () => c.progress.filter((p) => p.value.kind === 'end').length === 2);
    expect(c.progressTokens).toHaveLength(2);
    expect(c.progress.filter((p) => p.token === c.progressTokens[1]).at(-2)?.value.message).toBe('3/3 stacks');
    expect(r011In(c.diagnosticsOf(join(catalogue, 'example', 'compose.smtpauth.yml')))).toBeUndefined();
  });

  it('a client that does not declare window.workDoneProgress gets the diagnostics and no progress', async () => {
    const catalogue = quietCatalogue();
    const c = start();
    await c.initialize(catalogue);
    await c.waitFor('R011 in the recipe', () => r011In(c.diagnosticsOf(join(catalogue, 'example', 'compose.smtpauth.yml'))));
    await c.request('textDocument/hover', { textDocument: { uri: uriOf(join(catalogue, 'example', 'compose.yml')) }, position: { line: 0, character: 0 } });
    expect(c.progressTokens).toEqual([]);
    expect(c.progress).toEqual([]);
  });

  it('a hover asked during a long catalogue lint is answered before it ends; an opened stack jumps the queue and its newest text wins', async () => {
    // Twenty copies of the largest corpus recipe (18 overlays, 36 views each), linted in name order.
    const catalogue = tempDir();
    const names = Array.from({ length: 20 }, (_, i) => `bonfire-${String(i).padStart(2, '0')}`);
    for (const name of names) cpSync(join(CORPUS, 'bonfire'), join(catalogue, name), { recursive: true });
    const c = start();
    await c.initialize(catalogue, { debounceMs: 0 }, false, true);
    await c.waitFor('the first stack linted', () => c.progress.some((p) => p.value.kind === 'report'));
    // The last stack in the queue is opened: it is linted next, before the stacks queued ahead of it.
    const last = join(catalogue, names[19], 'compose.yml');
    const text = readFileSync(last, 'utf8');
    await c.open(last, text, 1);
    // Its hover needs its own model, built while the others are being linted; answered before the lint ends.
    const hover = await c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uriOf(last) }, position: positionOf(text, 'image:') });
    expect(hover?.contents.value).toContain('compose.yml:');
    expect(c.arrivals).not.toContain('progress end');
    const firstOf = (name: string) => c.arrivals.findIndex((a) => a.startsWith(`publish ${uriOf(join(catalogue, name))}/`));
    await c.waitFor('the opened stack linted', () => firstOf(names[19]) >= 0);
    expect(firstOf(names[18]) === -1 || firstOf(names[18]) > firstOf(names[19])).toBe(true);
    // A burst of unsaved edits: the newest text wins, nothing older is published after it.
    const withoutImage = text.replace(/^( {4})image: .*\n/m, '');
    for (let v = 2; v <= 10; v++) await c.change(last, v, [{ text: v % 2 === 0 ? withoutImage : text }]);
    await c.change(last, 11, [{ text: `${text}# typed\n` }]);
    await c.waitFor('version 11 of the opened stack', () => c.latest.get(uriOf(last))?.version === 11);
    await c.waitFor('the end of the catalogue lint', () => c.arrivals.includes('progress end'));
    await c.request('textDocument/hover', { textDocument: { uri: uriOf(last) }, position: { line: 0, character: 0 } });
    const versions = c.published.filter((p) => p.uri === uriOf(last)).map((p) => p.version ?? 0);
    expect(versions.at(-1)).toBe(11);
    expect(versions.every((v, i) => i === 0 || v >= versions[i - 1])).toBe(true);
    expect(await c.stop()).toBe(0);
  }, 120_000);
});

describe('stacklint lsp: plain swarm stacks and unsaved new files', () => {
  const SWARM_BASE = 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n    networks:\n      - nope\n';

  it('serves a directory opened by docker\'s names (docker-stack.yml and its overlays) with the plain-stack rules', async () => {
    const dir = writeRecipe(join(tempDir(), 'shop'), {
      'docker-stack.yml': SWARM_BASE,
      'docker-stack.prod.yml': 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.28\n',
    });
    const base = join(dir, 'docker-stack.yml');
    const overlay = join(dir, 'docker-stack.prod.yml');
    const c = start();
    await c.initialize(dir);
    const dangling = await c.waitFor('the dangling network in docker-stack.yml', () => c.diagnosticsOf(base)?.find((d) => d.code === 'dangling-reference'));
    expect(dangling.range.start).toEqual(positionOf(SWARM_BASE, 'nope'));
    expect(dangling.message).toMatch(/\nviews: .*docker-stack\.yml\+docker-stack\.prod\.yml/);
    // No recipe convention, no `abra` view: the same files forced to be a recipe would have them.
    const all = [...c.latest.values()].flatMap((p) => p.diagnostics);
    expect(all.filter((d) => RECIPE_CONVENTION_RULES.has(String(d.code)))).toEqual([]);
    expect(all.some((d) => /\nviews: (.*, )?abra(,|$)/m.test(d.message))).toBe(false);
    const asRecipe = await lintRecipeJob(dir, { overrides: { preset: 'abra' } }, ALL_RULES);
    expect(asRecipe.findings.some((f) => RECIPE_CONVENTION_RULES.has(f.rule))).toBe(true);
    // Hover in the overlay: the merged value and where it comes from.
    const overlayText = readFileSync(overlay, 'utf8');
    await c.open(overlay, overlayText, 1);
    const hover = await c.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: uriOf(overlay) }, position: positionOf(overlayText, 'nginx:1.28') });
    expect(hover.contents.value).toContain('from `docker-stack.yml:4`, replaced by `docker-stack.prod.yml:4`');
    // An unsaved edit of the overlay that fixes the network clears the finding in the base's merged view.
    await c.change(overlay, 2, [{ text: `${overlayText}networks:\n  nope: {}\n` }]);
    await c.waitFor('the base finding only in the views without the overlay', () => {
      const d = c.diagnosticsOf(base)?.find((x) => x.code === 'dangling-reference');
      return d && !d.message.includes('docker-stack.yml+docker-stack.prod.yml');
    });
  });

  it('takes the views a stack declares: its config\'s views: in hover and diagnostics, .env.example as typed', async () => {
    const dir = writeRecipe(join(tempDir(), 'shop'), {
      'docker-compose.yml': 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.27\n',
      'docker-compose.prod.yml': 'version: "3.8"\nservices:\n  web:\n    image: nginx:1.28\n',
      'docker-compose.extra.yml': 'version: "3.8"\nservices:\n  web:\n    networks:\n      - nope\n',
      '.stacklintrc.yml': 'views:\n  - [docker-compose.yml, docker-compose.prod.yml, docker-compose.extra.yml]\n',
    });
    const declared = 'docker-compose.yml+docker-compose.prod.yml+docker-compose.extra.yml';
    const prod = join(dir, 'docker-compose.prod.yml');
    const extra = join(dir, 'docker-compose.extra.yml');
    const c = start();
    await c.initialize(dir, { debounceMs: 20 }, true);
    const dangling = await c.waitFor('the dangling network of the declared view', () => c.diagnosticsOf(extra)?.find((d) => d.code === 'dangling-reference'));
    expect(dangling.message.split('\nviews: ')[1]).toBe(declared);
    // Hover: the declared view (a merge of three files the guessed views never make), and only that one.
    const prodText = readFileSync(prod, 'utf8');
    const hover = await c.request<{ contents: { value: string } }>('textDocument/hover', { textDocument: { uri: uriOf(prod) }, position: positionOf(prodText, 'nginx:1.28') });
    expect(hover.contents.value).toContain(declared);
    expect(hover.contents.value).not.toMatch(/docker-compose\.prod\.yml_/);
    // Without the config: a plain stack's .env.example COMPOSE_FILE declares its view, typed and unsaved.
    rmSync(join(dir, '.stacklintrc.yml'));
    await c.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(join(dir, '.stacklintrc.yml')), type: 3 }] });
    const example = join(dir, '.env.example');
    await c.open(example, 'COMPOSE_FILE=docker-compose.yml:docker-compose.extra.yml\n', 1, 'sh');
    await c.waitFor('the view .env.example declares', () => c.diagnosticsOf(extra)?.find((d) => d.code === 'dangling-reference')?.message.endsWith('\nviews: docker-compose.yml+docker-compose.extra.yml'));
    const after = await c.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: { uri: uriOf(prod) }, position: positionOf(prodText, 'nginx:1.28') });
    expect(after?.contents.value ?? '').not.toContain('docker-compose.prod.yml');
  });

  it('a directory known only by the views it declares is a stack: config views:, a README deploy line, one typed unsaved', async () => {
    const catalogue = tempDir();
    const configured = writeRecipe(join(catalogue, 'configured'), { 'app.yml': SWARM_BASE, '.stacklintrc.yml': 'views:\n  - [app.yml]\n' });
    const documented = writeRecipe(join(catalogue, 'documented'), { 'site.yml': SWARM_BASE, 'README.md': '```sh\ndocker stack deploy -c site.yml site\n```\n' });
    const typed = writeRecipe(join(catalogue, 'typed'), { 'web.yml': SWARM_BASE });
    const c = start();
    await c.initialize(catalogue);
    for (const file of [join(configured, 'app.yml'), join(documented, 'site.yml')]) {
      const dangling = await c.waitFor(`the dangling network in ${file}`, () => c.diagnosticsOf(file)?.find((d) => d.code === 'dangling-reference'));
      expect(dangling.range.start).toEqual(positionOf(SWARM_BASE, 'nope'));
    }
    // `typed` is no stack until its README, typed and never saved, deploys web.yml: the open web.yml moves to it.
    const web = join(typed, 'web.yml');
    await c.open(web, SWARM_BASE, 1);
    await c.open(join(typed, 'README.md'), 'docker stack deploy -c web.yml web\n', 1, 'markdown');
    await c.waitFor('the dangling network of the stack the unsaved README declares', () => c.diagnosticsOf(web)?.find((d) => d.code === 'dangling-reference'));
    await c.close(join(typed, 'README.md'));
    await c.waitFor('its diagnostics cleared once the README buffer is gone', () => c.diagnosticsOf(web)?.length === 0);
  });

  it('a buffer of a new overlay, never saved, is linted in its views and cleared when closed', async () => {
    const dir = copyRecipe(EXAMPLE_RECIPE);
    const fresh = join(dir, 'compose.worker.yml');
    const text = 'version: "3.8"\nservices:\n  worker:\n    environment:\n      - A=b\n';
    const c = start();
    await c.initialize(dir);
    await c.open(fresh, text, 1);
    const r011 = await c.waitFor('R011 in the unsaved overlay', () => r011In(c.diagnosticsOf(fresh)));
    expect(existsSync(fresh)).toBe(false);
    expect(r011.range.start).toEqual(positionOf(text, 'worker:'));
    expect(r011.message).toMatch(/\nviews: .*compose\.yml\+compose\.worker\.yml/);
    expect(c.latest.get(uriOf(fresh))?.version).toBe(1);
    await c.close(fresh);
    await c.waitFor('its diagnostics cleared', () => c.diagnosticsOf(fresh)?.length === 0);
  });

  it('a buffer of a new base file in a directory that is no stack yet makes it one', async () => {
    const dir = tempDir();
    const fresh = join(dir, 'stack.yml');
    const c = start();
    await c.initialize(dir);
    await c.open(fresh, SWARM_BASE, 1);
    const dangling = await c.waitFor('the dangling network in the unsaved stack.yml', () => c.diagnosticsOf(fresh)?.find((d) => d.code === 'dangling-reference'));
    expect(dangling.range.start).toEqual(positionOf(SWARM_BASE, 'nope'));
    await c.close(fresh);
    await c.waitFor('its diagnostics cleared', () => c.diagnosticsOf(fresh)?.length === 0);
  });
});
