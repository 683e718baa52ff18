// HTTP for the two rules that need the network (R006, R013, only with --online), used by their `gather`
// (before the rules run; `check` does no I/O). Rules are synchronous, so the default client runs one short-lived `node` child process per request (Node's own fetch, nothing from
// the recipe) and waits for it; results are cached per URL for the process, so a catalogue run fetches the
// recipe catalogue once. Tests inject their own client.
import { childProcess } from '../../load/node-builtins.js';

export type HttpResult = { ok: true; status: number; body: string } | { ok: false; error: string };

export interface HttpGetOptions {
  timeoutMs: number;
  /** Largest body read; longer bodies fail the request. */
  maxBytes: number;
  /** Read the body (false: only the status is needed). */
  body: boolean;
}

export type HttpGet = (url: string, options: HttpGetOptions) => HttpResult;

/** What an online rule's `gather` requested for the recipe named `recipe`, and the answer. */
export interface HttpFacts {
  url: string;
  recipe: string;
  result: HttpResult;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

// Runs in the child: fetch, bounded read, one JSON line on stdout.
const CHILD_SCRIPT = `
const [url, timeout, max, wantBody] = process.argv.slice(1);
(async () => {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(Number(timeout)), redirect: 'follow', headers: { 'user-agent': 'stacklint' } });
    let body = '';
    if (wantBody === '1' && res.body) {
      const chunks = []; let size = 0;
      for await (const chunk of res.body) {
        size += chunk.length;
        if (size > Number(max)) throw new Error('response larger than ' + max + ' bytes');
        chunks.push(Buffer.from(chunk));
      }
      body = Buffer.concat(chunks).toString('utf8');
    } else if (res.body) {
      await res.body.cancel();
    }
    process.stdout.write(JSON.stringify({ status: res.status, body }));
  } catch (e) {
    const cause = e && e.cause && e.cause.message ? ': ' + e.cause.message : '';
    process.stdout.write(JSON.stringify({ error: String(e && e.message ? e.message : e) + cause }));
  }
})();
`;

/** Requests `url` in a child `node` process and waits for it. Only http(s) URLs. */
export function childProcessHttpGet(url: string, options: HttpGetOptions): HttpResult {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, error: `${url} is not a URL` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { ok: false, error: `${url}: only http and https URLs are fetched` };
  const run = childProcess().spawnSync(process.execPath, ['-e', CHILD_SCRIPT, url, String(options.timeoutMs), String(options.maxBytes), options.body ? '1' : '0'], {
    encoding: 'utf8',
    timeout: options.timeoutMs + 5_000,
    maxBuffer: options.maxBytes * 2 + 4096,
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  if (run.error) return { ok: false, error: run.error.message };
  try {
    const out = JSON.parse(run.stdout) as { status?: number; body?: string; error?: string };
    if (typeof out.status === 'number') return { ok: true, status: out.status, body: out.body ?? '' };
    return { ok: false, error: out.error ?? 'request failed' };
  } catch {
    return { ok: false, error: (run.stderr || 'request failed').trim().split('\n')[0] };
  }
}

/** Wraps a client with a per-process cache keyed by URL and whether the body was read. */
export function cachedHttpGet(get: HttpGet): HttpGet {
  const cache = new Map<string, HttpResult>();
  return (url, options) => {
    const key = `${options.body ? 'body' : 'status'} ${url}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = get(url, options);
      cache.set(key, hit);
    }
    return hit;
  };
}

export const defaultHttpGet: HttpGet = cachedHttpGet(childProcessHttpGet);
