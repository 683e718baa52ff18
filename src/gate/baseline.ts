// `.stacklint-baseline.json`: a recipe's accepted findings. `stacklint lint` reports a finding the
// baseline lists as known (shown, never failing); `stacklint baseline` writes the file. Entries are
// matched by fingerprint (rule + file + logical path + overlay combination, never line numbers), so
// the baseline survives edits elsewhere in the file.
import { join } from 'node:path';
import { jsonSyntaxProblem } from '../load/excerpt.js';
import type { Finding } from '../lint/types.js';
import { ABSENT, moveAside, readForWrite, withLocks, writeInside, WriteError } from '../write/index.js';
import { matchFindings } from './match.js';

export const BASELINE_FILE = '.stacklint-baseline.json';
export const BASELINE_VERSION = 1;
/** Larger baselines are refused rather than parsed. */
export const MAX_BASELINE_BYTES = 8 * 1024 * 1024;

const ABOUT =
  'Findings `stacklint lint` reports as known instead of failing. Regenerate with `stacklint baseline`; ' +
  'give an entry a "reason" to say why it stays (kept when the file is regenerated).';

export interface BaselineEntry {
  rule: string;
  file: string;
  /** The finding's logical path, e.g. `services.sidekiq` (for people: matching uses the fingerprint). */
  path: string;
  message: string;
  fingerprint: string;
  reason?: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  entries: BaselineEntry[];
}

/**
 * A baseline file that can't be used; the message starts with the file's path. Exit 2. `unparsable`: the
 * file was read but is no baseline (`stacklint baseline` moves such a file aside); otherwise it could not
 * be read (a link, a directory, no permission).
 */
export class BaselineError extends Error {
  constructor(
    message: string,
    readonly unparsable = true,
  ) {
    super(message);
  }
}

const ENTRY_KEYS = new Set(['rule', 'file', 'path', 'message', 'fingerprint', 'reason']);

export function baselinePath(recipeDir: string): string {
  return join(recipeDir, BASELINE_FILE);
}

/** The recipe's baseline, or undefined when it has none. Read as it would be rewritten: never through a link. */
export function readBaseline(recipeDir: string): Baseline | undefined {
  const read = readBaselineFile(recipeDir);
  return read.exists ? parseBaselineBytes(read.bytes, baselinePath(recipeDir)) : undefined;
}

function readBaselineFile(recipeDir: string): ReturnType<typeof readForWrite> {
  try {
    return readForWrite(recipeDir, BASELINE_FILE, MAX_BASELINE_BYTES);
  } catch (err) {
    if (err instanceof WriteError) throw new BaselineError(err.message, false);
    throw err;
  }
}

function parseBaselineBytes(bytes: Buffer, file: string): Baseline {
  if (bytes.length > MAX_BASELINE_BYTES) throw new BaselineError(`${file}: larger than ${MAX_BASELINE_BYTES} bytes`);
  return parseBaseline(bytes.toString('utf8'), file);
}

export function parseBaseline(text: string, file: string = BASELINE_FILE): Baseline {
  let doc: unknown;
  const json = text.replace(/^\uFEFF/, '');
  try {
    doc = JSON.parse(json);
  } catch (err) {
    const p = jsonSyntaxProblem(json, err);
    const where = p.line !== undefined ? `:${p.line}:${p.column}` : '';
    throw new BaselineError(`${file}${where}: not valid JSON (${p.message}); regenerate it with \`stacklint baseline\``);
  }
  const fail = (what: string): never => {
    throw new BaselineError(`${file}: ${what}`);
  };
  if (!isObject(doc)) return fail('expected a JSON object with "version" and "findings"');
  if (doc.version !== BASELINE_VERSION) {
    return fail(`unsupported version ${JSON.stringify(doc.version)} (this stacklint reads version ${BASELINE_VERSION})`);
  }
  if (!Array.isArray(doc.findings)) return fail('"findings" must be an array');
  const entries = doc.findings.map((raw: unknown, i: number): BaselineEntry => {
    const at = `findings[${i}]`;
    if (!isObject(raw)) return fail(`${at}: expected an object`);
    for (const key of Object.keys(raw)) if (!ENTRY_KEYS.has(key)) fail(`${at}: unknown key "${key}"`);
    if (typeof raw.fingerprint !== 'string' || raw.fingerprint === '') fail(`${at}: "fingerprint" must be a non-empty string`);
    for (const key of ['rule', 'file', 'path', 'message', 'reason']) {
      if (raw[key] !== undefined && typeof raw[key] !== 'string') fail(`${at}: "${key}" must be a string`);
    }
    const entry: BaselineEntry = {
      rule: (raw.rule as string | undefined) ?? '',
      file: (raw.file as string | undefined) ?? '',
      path: (raw.path as string | undefined) ?? '',
      message: (raw.message as string | undefined) ?? '',
      fingerprint: raw.fingerprint as string,
    };
    if (typeof raw.reason === 'string' && raw.reason.trim() !== '') entry.reason = raw.reason;
    return entry;
  });
  return { version: BASELINE_VERSION, entries };
}

export interface BaselineMatch {
  /** Findings the baseline lists: their `state` is now 'known' (and `reason` set when the entry has one). */
  known: Finding[];
  /** Findings it doesn't list: their `state` is now 'new'. */
  unlisted: Finding[];
  /** Entries that no longer match a finding (fixed since, or reworded beyond recognition). */
  stale: BaselineEntry[];
}

/** Marks one recipe's findings known or new against its baseline. */
export function applyBaseline(findings: readonly Finding[], baseline: Baseline): BaselineMatch {
  const m = matchFindings(
    findings,
    baseline.entries,
    (f) => ({ key: f.fingerprint, message: f.message }),
    (e) => ({ key: e.fingerprint, message: e.message }),
  );
  for (const [f, e] of m.pairs) {
    f.state = 'known';
    if (e.reason !== undefined) f.reason = e.reason;
  }
  for (const f of m.onlyCurrent) f.state = 'new';
  return { known: m.pairs.map(([f]) => f), unlisted: m.onlyCurrent, stale: m.onlyPrevious };
}

export interface BaselineBuild {
  baseline: Baseline;
  added: number;
  kept: number;
  removed: number;
}

/**
 * A baseline listing every finding. Reasons of entries that still match are kept; `reason` is given to
 * the entries that are new. Entries are sorted (file, rule, path) so the file diffs cleanly.
 */
export function buildBaseline(findings: readonly Finding[], previous?: Baseline, reason?: string): BaselineBuild {
  const m = matchFindings(
    findings,
    previous?.entries ?? [],
    (f) => ({ key: f.fingerprint, message: f.message }),
    (e) => ({ key: e.fingerprint, message: e.message }),
  );
  const entries: BaselineEntry[] = [];
  for (const [f, e] of m.pairs) entries.push(entryOf(f, e.reason));
  for (const f of m.onlyCurrent) entries.push(entryOf(f, reason));
  entries.sort(
    (a, b) => cmp(a.file, b.file) || cmp(a.rule, b.rule) || cmp(a.path, b.path) || cmp(a.fingerprint, b.fingerprint) || cmp(a.message, b.message),
  );
  return {
    baseline: { version: BASELINE_VERSION, entries },
    added: m.onlyCurrent.length,
    kept: m.pairs.length,
    removed: m.onlyPrevious.length,
  };
}

function entryOf(f: Finding, reason: string | undefined): BaselineEntry {
  const e: BaselineEntry = { rule: f.rule, file: f.file, path: f.logicalPath, message: f.message, fingerprint: f.fingerprint };
  if (reason !== undefined && reason.trim() !== '') e.reason = reason;
  return e;
}

export function serializeBaseline(baseline: Baseline): string {
  const doc = {
    version: baseline.version,
    about: ABOUT,
    findings: baseline.entries.map((e) => {
      const out: Record<string, string> = { rule: e.rule, file: e.file, path: e.path, message: e.message, fingerprint: e.fingerprint };
      if (e.reason !== undefined) out.reason = e.reason;
      return out;
    }),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export interface BaselineUpdate {
  /** Absolute path of the baseline file. */
  file: string;
  written: boolean;
  /** An unparsable baseline moved aside (`move-aside`): where to, and what was wrong with it. */
  movedAside?: { to: string; why: string };
}

/**
 * Read-modify-write of a recipe's baseline under its lock, so that concurrent runs (two `baseline`s, a
 * `review` accepting a finding) never lose each other's entries. `change` gets the current baseline and
 * returns the new one, or undefined to leave the file alone. An unparsable file is an error (`throw`) or is
 * moved to `.stacklint-baseline.json.bak` first (`move-aside`), never overwritten. Throws BaselineError or
 * WriteError (from src/write: a link, a read-only file, a full disk, a lock held too long).
 */
export function updateBaseline(
  recipeDir: string,
  change: (previous: Baseline | undefined) => Baseline | undefined,
  onUnparsable: 'throw' | 'move-aside',
): BaselineUpdate {
  const file = baselinePath(recipeDir);
  return withLocks(recipeDir, [BASELINE_FILE], () => {
    const read = readBaselineFile(recipeDir);
    let previous: Baseline | undefined;
    let expect = read.hash;
    let movedAside: BaselineUpdate['movedAside'];
    if (read.exists) {
      try {
        previous = parseBaselineBytes(read.bytes, file);
      } catch (err) {
        if (!(err instanceof BaselineError) || onUnparsable === 'throw') throw err;
        movedAside = { to: moveAside(recipeDir, BASELINE_FILE), why: err.message };
        expect = ABSENT;
      }
    }
    const next = change(previous);
    if (next === undefined) return { file, written: false, movedAside };
    writeInside(recipeDir, BASELINE_FILE, serializeBaseline(next), { expect });
    return { file, written: true, movedAside };
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
