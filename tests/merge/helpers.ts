// Test helpers: YAML text -> docker's typed load, with a fake filesystem and environment.
import { loadYamlText } from '../../src/load/yaml.js';
import { mergeNormalised, normaliseFile } from '../../src/merge/index.js';
import type { MergeResult, NormaliseContext, NormalisedFile } from '../../src/merge/index.js';

export const WORKDIR = '/stack';

export function context(env: Record<string, string> = {}, files: Record<string, string> = {}): NormaliseContext {
  return {
    workingDir: WORKDIR,
    home: '/home/op',
    lookup: (name) => (Object.hasOwn(env, name) ? env[name] : undefined),
    readEnvFile: (abs) =>
      Object.hasOwn(files, abs) ? { ok: true, text: files[abs] } : { ok: false, message: `open ${abs}: no such file or directory` },
  };
}

/** Loads and normalises one file given as YAML text (no interpolation, no schema). */
export function norm(text: string, file = 'a.yml', ctx: NormaliseContext = context()): NormalisedFile {
  const doc = loadYamlText(text, file);
  if (!doc.data) throw new Error(`bad test yaml: ${doc.errors[0]?.message}`);
  return normaliseFile(doc.data, file, ctx, doc);
}

/** Normalises each text as a.yml, b.yml, c.yml … and merges them in order. */
export function mergeTexts(texts: string[], ctx: NormaliseContext = context()): MergeResult {
  const files = texts.map((t, i) => norm(t, `${'abcdefgh'[i]}.yml`, ctx));
  for (const f of files) if (f.error) throw new Error(`${f.file}: ${f.error}`);
  return mergeNormalised(files);
}

/** Recursively freezes a value, so that any mutation by the code under test throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}
