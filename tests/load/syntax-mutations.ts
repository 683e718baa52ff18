// Single-character deletions and one-line indentation changes (one space more, one less, two more, a tab in
// front) of every compose file of the shared corpus (../shared/corpus/recipes): every deletion of a character
// that is not a letter or digit (indentation, indicators, quotes, brackets, `:`, `#`, …), every ninth deletion
// of a letter or digit (inside words, where YAML rarely breaks), every indentation change. Shared by
// scripts/record-docker-syntax.ts (records docker's answer to each once) and docker-syntax.test.ts (replays).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS = fileURLToPath(new URL('../../../shared/corpus/recipes/', import.meta.url));

export interface CorpusFile {
  /** recipe/file.yml */
  name: string;
  text: string;
  sha256: string;
}

/** The corpus's compose files (compose.yml, compose.*.yml at each recipe's top), in byte order. */
export function corpusComposeFiles(): CorpusFile[] {
  if (!existsSync(CORPUS)) throw new Error(`the shared corpus is missing: ${CORPUS}`);
  const files: CorpusFile[] = [];
  for (const recipe of readdirSync(CORPUS).sort()) {
    const dir = join(CORPUS, recipe);
    if (!existsSync(join(dir, 'compose.yml'))) continue;
    for (const name of readdirSync(dir).sort()) {
      if (!/^compose(\..+)?\.ya?ml$/.test(name)) continue;
      const text = readFileSync(join(dir, name), 'utf8');
      files.push({ name: `${recipe}/${name}`, text, sha256: createHash('sha256').update(text).digest('hex') });
    }
  }
  return files;
}

export interface Mutation {
  /** `d<offset>` (deleted UTF-16 unit), or `i<line><op>` with op one of + - ++ t. */
  id: string;
  text: string;
}

/** The mutations of one file, each resulting text once (the first mutation that gives it). */
export function mutationsOf(text: string): Mutation[] {
  const seen = new Set<string>([text]);
  const out: Mutation[] = [];
  const add = (id: string, mutated: string) => {
    if (seen.has(mutated)) return;
    seen.add(mutated);
    out.push({ id, text: mutated });
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) continue; // half a surrogate pair is no text
    if (/[A-Za-z0-9]/.test(text[i]) && i % 9 !== 0) continue;
    add(`d${i}`, text.slice(0, i) + text.slice(i + 1));
  }
  const lines = text.split('\n');
  lines.forEach((line, n) => {
    if (line.trim() === '') return;
    const edit = (op: string, changed: string) => add(`i${n}${op}`, [...lines.slice(0, n), changed, ...lines.slice(n + 1)].join('\n'));
    edit('+', ` ${line}`);
    if (line.startsWith(' ')) edit('-', line.slice(1));
    edit('++', `  ${line}`);
    edit('t', `\t${line}`);
  });
  return out;
}
