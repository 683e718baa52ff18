// R007 readme-metadata: README.md has a filled-in metadata block.
import { defineRule } from '../rule.js';

export const README_FILE = 'README.md';
export const METADATA_KEYS = ['Category', 'Status', 'Image', 'Healthcheck', 'Backups', 'Email', 'Tests', 'SSO'] as const;

const START = /<!--\s*metadata\s*-->/i;
const END = /<!--\s*endmetadata\s*-->/i;

/**
 * `* **Key**: value` or `- **Key:** value` → key and the value as written after the separator; undefined for
 * any other line. A scanner: the regular expression it replaces backtracked cubically on a line of blanks.
 */
export function metadataItem(line: string): { key: string; value: string } | undefined {
  let i = skipBlank(line, 0);
  if (line[i] !== '*' && line[i] !== '-') return undefined;
  const afterBullet = skipBlank(line, i + 1);
  if (afterBullet === i + 1 || !line.startsWith('**', afterBullet)) return undefined;
  const keyStart = afterBullet + 2;
  let keyEnd = keyStart;
  while (keyEnd < line.length && line[keyEnd] !== '*' && line[keyEnd] !== ':') keyEnd++;
  const written = line.slice(keyStart, keyEnd);
  if (written === '') return undefined;
  // The key is trimmed, but is never empty: a key of blanks keeps its last one.
  const key = written.trim() || written.slice(-1);
  if (line[keyEnd] === ':') {
    i = skipBlank(line, keyEnd + 1);
    if (!line.startsWith('**', i)) return undefined;
    i += 2;
  } else {
    if (!line.startsWith('**', keyEnd)) return undefined;
    i = skipBlank(line, keyEnd + 2);
    if (line[i] !== ':') return undefined;
    i++;
  }
  const value = line.slice(skipBlank(line, i));
  // `(.*)$` of the old pattern: no line terminator inside the value.
  if (/[\n\r\u2028\u2029]/.test(value)) return undefined;
  return { key, value };
}

function skipBlank(line: string, from: number): number {
  let i = from;
  while (i < line.length && line[i].trim() === '') i++;
  return i;
}

interface MetadataItem {
  key: string;
  value: string;
  line: number;
  column: number;
}

interface MetadataBlock {
  /** 1-based line of `<!-- metadata -->`. */
  line: number;
  column: number;
  items: MetadataItem[];
}

/** The metadata block of a README (the first one), or undefined when there is none. */
export function readMetadataBlock(text: string): MetadataBlock | undefined {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const start = lines.findIndex((l) => START.test(l));
  if (start < 0) return undefined;
  const block: MetadataBlock = { line: start + 1, column: lines[start].search(START) + 1, items: [] };
  for (let i = start + 1; i < lines.length && !END.test(lines[i]); i++) {
    const m = metadataItem(lines[i]);
    if (m) block.items.push({ key: m.key, value: m.value.trim(), line: i + 1, column: lines[i].search(/\S/) + 1 });
  }
  return block;
}

export default defineRule({
  meta: {
    id: 'R007',
    name: 'readme-metadata',
    level: 'warn',
    description: 'README.md has a metadata block (`<!-- metadata -->` … `<!-- endmetadata -->`) with Category, Status, Image, Healthcheck, Backups, Email, Tests and SSO filled in.',
    details: [
      'abra\'s rule R007 ("README.md metadata filled in"). The recipe catalogue and `abra recipe ls` read the',
      'category and the feature scores from this block, so operators can see what a recipe supports (backups, email,',
      'SSO…) before installing it. Each line reads `* **Key**: value`; a missing or empty key fails.',
    ].join('\n'),
    fix: 'Add the block to README.md, e.g. `<!-- metadata -->` then `* **Category**: Apps`, `* **Status**: 1, alpha`, `* **Image**: [`app`](https://hub.docker.com/r/org/app), 4, upstream`, `* **Healthcheck**: Yes`, `* **Backups**: No`, `* **Email**: N/A`, `* **Tests**: No`, `* **SSO**: No`, then `<!-- endmetadata -->`.',
  },
  check(ctx) {
    const text = ctx.recipe.exists(README_FILE) ? ctx.recipe.readText(README_FILE) : undefined;
    if (text === undefined) {
      ctx.report({ file: README_FILE, line: 1, column: 1, message: 'the recipe has no README.md, so it has no metadata block', logicalPath: 'README.metadata' });
      return;
    }
    const block = readMetadataBlock(text);
    if (!block) {
      ctx.report({ file: README_FILE, line: 1, column: 1, message: 'README.md has no metadata block (`<!-- metadata -->` … `<!-- endmetadata -->`)', logicalPath: 'README.metadata' });
      return;
    }
    for (const key of METADATA_KEYS) {
      const item = block.items.find((i) => i.key.toLowerCase() === key.toLowerCase());
      if (item && item.value !== '') continue;
      ctx.report({
        file: README_FILE,
        line: item ? item.line : block.line,
        column: item ? item.column : block.column,
        message: item ? `README.md metadata: **${key}** is empty` : `README.md metadata: **${key}** is missing`,
        logicalPath: `README.metadata.${key}`,
        fix: `Fill in \`* **${key}**: …\` in the metadata block of README.md.`,
      });
    }
  },
});
