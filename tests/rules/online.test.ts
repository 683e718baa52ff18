// R006 published-version and R013 recipe-repo need the network: they run against a tiny HTTP server on
// 127.0.0.1 started here (in a child process, because the rules' default client blocks this one while it
// waits), and with an injected client.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintRecipe } from '../../src/lint/engine.js';
import { defaultConfig } from '../../src/config/index.js';
import type { StacklintConfig } from '../../src/config/index.js';
import type { Rule } from '../../src/rules/rule.js';
import r006, { createR006, DEFAULT_CATALOGUE_URL } from '../../src/rules/abra/r006.js';
import r013, { createR013, DEFAULT_REPO_URL } from '../../src/rules/abra/r013.js';
import type { HttpGetOptions, HttpResult } from '../../src/rules/abra/http.js';

const CATALOGUE = {
  published: { versions: [{ '1.0.0+1.27.0': { app: { image: 'nginx', tag: '1.27.0' } } }] },
  unpublished: { versions: [] },
};

const SERVER = `
const http = require('node:http');
const catalogue = ${JSON.stringify(JSON.stringify(CATALOGUE))};
const server = http.createServer((req, res) => {
  const url = req.url;
  if (url === '/recipes.json') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(catalogue); return; }
  if (url === '/broken.json') { res.writeHead(200); res.end('<html>not json</html>'); return; }
  if (url === '/error.json') { res.writeHead(503); res.end('unavailable'); return; }
  if (url === '/coop-cloud/published.git') { res.writeHead(200); res.end('repo'); return; }
  if (url === '/teapot/published.git') { res.writeHead(418); res.end('teapot'); return; }
  res.writeHead(404); res.end('not found');
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

let server: ChildProcess;
let base: string;
let root: string;

function recipe(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'compose.yml'), 'version: "3.8"\nservices:\n  app:\n    image: nginx:1.27.0\n');
  writeFileSync(join(dir, '.env.sample'), `TYPE=${name}\n`);
  return dir;
}

function config(id: string, options: Record<string, unknown>): StacklintConfig {
  const c = defaultConfig();
  c.rules[id] = { level: 'warn', options };
  return c;
}

function run(dir: string, rule: Rule, options: Record<string, unknown>, online = true) {
  return lintRecipe(dir, { rules: [rule], config: config(rule.meta.id, options), only: [rule.meta.id], online });
}

function brief(result: ReturnType<typeof run>) {
  return result.findings.map((f) => [f.severity, f.message]);
}

beforeAll(async () => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'stacklint-online-')));
  server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('\n')) resolve(out.trim());
    });
    server.on('exit', (code) => reject(new Error(`test server exited (${code})`)));
  });
  base = `http://127.0.0.1:${port}`;
});

afterAll(() => {
  server?.kill();
  rmSync(root, { recursive: true, force: true });
});

describe('R006 published-version', () => {
  it('defaults to the real catalogue URL and needs --online', () => {
    expect(DEFAULT_CATALOGUE_URL).toBe('https://recipes.coopcloud.tech/recipes.json');
    expect(r006.meta.requires).toBe('online');
    const result = run(recipe('published'), r006, { catalogueUrl: `${base}/recipes.json` }, false);
    expect(result.findings).toEqual([]);
    expect(result.skipped.map((s) => s.rule)).toEqual(['R006']);
  });

  it('passes a recipe with a published version', () => {
    expect(brief(run(recipe('published'), r006, { catalogueUrl: `${base}/recipes.json` }))).toEqual([]);
  });

  it('reports a recipe without versions, or missing from the catalogue', () => {
    expect(brief(run(recipe('unpublished'), r006, { catalogueUrl: `${base}/recipes.json` }))).toEqual([
      ['warning', 'recipe `unpublished` has no published version in the recipe catalogue'],
    ]);
    const missing = run(recipe('unknown'), r006, { catalogueUrl: `${base}/recipes.json` });
    expect(brief(missing)).toEqual([['warning', 'recipe `unknown` is not in the recipe catalogue']]);
    expect(missing.findings[0]).toMatchObject({ file: 'compose.yml', line: 1, column: 1, logicalPath: 'catalogue' });
  });

  it('looks a recipe up under the name given by the `recipe` option', () => {
    expect(brief(run(recipe('local-checkout'), r006, { catalogueUrl: `${base}/recipes.json`, recipe: 'published' }))).toEqual([]);
  });

  it('says so (info) when the catalogue cannot be read', () => {
    const dir = recipe('published');
    expect(brief(run(dir, r006, { catalogueUrl: `${base}/broken.json` }))).toEqual([['info', expect.stringContaining('the response is not JSON')]]);
    expect(brief(run(dir, r006, { catalogueUrl: `${base}/error.json` }))).toEqual([['info', expect.stringContaining('HTTP 503')]]);
    expect(brief(run(dir, r006, { catalogueUrl: 'http://127.0.0.1:1/recipes.json', timeoutMs: 3000 }))).toEqual([
      ['info', expect.stringContaining('could not read the recipe catalogue')],
    ]);
  });

  it('uses an injected client', () => {
    const calls: string[] = [];
    const rule = createR006({
      httpGet: (url: string, options: HttpGetOptions): HttpResult => {
        calls.push(url);
        expect(options.body).toBe(true);
        return { ok: true, status: 200, body: JSON.stringify({ fake: { versions: [{ '0.1.0+1': {} }] } }) };
      },
    });
    expect(brief(run(recipe('fake'), rule, {}))).toEqual([]);
    expect(brief(run(recipe('other'), rule, {}))).toEqual([['warning', 'recipe `other` is not in the recipe catalogue']]);
    expect(calls).toEqual([DEFAULT_CATALOGUE_URL, DEFAULT_CATALOGUE_URL]);
  });
});

describe('R013 recipe-repo', () => {
  it('defaults to git.coopcloud.tech and needs --online', () => {
    expect(DEFAULT_REPO_URL).toBe('https://git.coopcloud.tech/coop-cloud/{recipe}.git');
    expect(r013.meta.requires).toBe('online');
    expect(run(recipe('published'), r013, {}, false).skipped.map((s) => s.rule)).toEqual(['R013']);
  });

  it('passes when the repository answers 200 and reports a 404', () => {
    const repoUrl = `${base}/coop-cloud/{recipe}.git`;
    expect(brief(run(recipe('published'), r013, { repoUrl }))).toEqual([]);
    expect(brief(run(recipe('unknown'), r013, { repoUrl }))).toEqual([
      ['warning', `recipe \`unknown\` has no repository at ${base}/coop-cloud/unknown.git (HTTP 404)`],
    ]);
  });

  it('says so (info) on other answers and failures', () => {
    expect(brief(run(recipe('published'), r013, { repoUrl: `${base}/teapot/{recipe}.git` }))).toEqual([['info', expect.stringContaining('HTTP 418')]]);
    expect(brief(run(recipe('published'), r013, { repoUrl: 'http://127.0.0.1:1/{recipe}.git', timeoutMs: 3000 }))).toEqual([
      ['info', expect.stringContaining('could not check the recipe repository')],
    ]);
  });

  it('uses an injected client, asking for the status only', () => {
    const seen: Array<[string, boolean]> = [];
    const rule = createR013({
      httpGet: (url, options) => {
        seen.push([url, options.body]);
        return { ok: true, status: url.endsWith('/gitea.git') ? 200 : 404, body: '' };
      },
    });
    expect(brief(run(recipe('gitea'), rule, {}))).toEqual([]);
    expect(seen).toEqual([['https://git.coopcloud.tech/coop-cloud/gitea.git', false]]);
  });
});
