// Hover on a key or value of a compose file: its merged value in each view that includes the file, and where
// that value comes from — the same provenance `stacklint config --provenance` prints (`compose.yml:12`,
// `replaced by compose.smtp.yml:7`). Views that agree are listed together.
import { stringify } from 'yaml';
import type { Origin, Path, PathSeg } from '../load/types.js';
import type { LintView, RecipeInfo } from './engine-adapter.js';
import { pathAt } from './yaml-paths.js';

const MAX_VALUE_LINES = 12;
const MAX_VIEWS_LISTED = 6;

/** Markdown for a hover at `offset` of compose file `file` (recipe-relative), or undefined when nothing is there. */
export function hoverText(model: { recipe: RecipeInfo; views: LintView[] }, file: string, offset: number): string | undefined {
  const doc = model.recipe.composeFile(file)?.doc;
  if (!doc) return undefined;
  const at = pathAt(doc, offset);
  if (!at) return undefined;
  const groups = new Map<string, string[]>();
  for (const view of model.views) {
    if (!view.files.includes(file)) continue;
    let text: string;
    if (!view.config) {
      text = `not merged: ${view.failure?.message ?? 'a file of this view failed to load'}`;
    } else {
      const merged = mergedPathOf(view.config, at.path, doc.data);
      if (merged.length === 0) continue;
      const value = valueAt(view.config, merged);
      const dropped = merged.length < at.path.length ? ` (the merged \`${displayPath(merged)}\`; the rest is normalised by docker)` : '';
      text = `${renderValue(value)}\n\n${provenanceText(view, merged, model.recipe, value)}${dropped}`;
    }
    const list = groups.get(text) ?? [];
    list.push(view.name);
    groups.set(text, list);
  }
  if (groups.size === 0) return undefined;
  const heading = `**${displayPath(at.path)}** — merged value by view`;
  const sections = [...groups.entries()].map(([text, names]) => `${text}\n\n_in ${listViews(names)}_`);
  return [heading, ...sections].join('\n\n---\n\n');
}

function listViews(names: string[]): string {
  if (names.length <= MAX_VIEWS_LISTED) return names.join(', ');
  return `${names.slice(0, MAX_VIEWS_LISTED).join(', ')} and ${names.length - MAX_VIEWS_LISTED} more views`;
}

/**
 * The merged path that a raw path of a file becomes: the same keys as far as the merged config has them. A
 * `KEY=value` item of a list-form environment or labels is the merged map's KEY.
 */
function mergedPathOf(config: unknown, raw: Path, rawRoot: unknown): Path {
  const out: PathSeg[] = [];
  let node = config;
  let rawNode = rawRoot;
  for (const seg of raw) {
    const rawChild = (rawNode as Record<string | number, unknown> | undefined)?.[seg];
    if (Array.isArray(node) && typeof seg === 'number' && seg < node.length) {
      out.push(seg);
      node = node[seg];
    } else if (isObject(node) && typeof seg === 'string' && Object.hasOwn(node, seg)) {
      out.push(seg);
      node = node[seg];
    } else if (isObject(node) && typeof seg === 'number' && typeof rawChild === 'string') {
      const key = rawChild.split('=')[0];
      if (!Object.hasOwn(node, key)) break;
      out.push(key);
      node = node[key];
    } else {
      break;
    }
    rawNode = rawChild;
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function valueAt(config: unknown, path: Path): unknown {
  let node = config;
  for (const seg of path) node = (node as Record<string | number, unknown>)[seg];
  return node;
}

function renderValue(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : stringify(value, { lineWidth: 0 }).trimEnd();
  } catch {
    text = String(value);
  }
  const lines = text.split('\n');
  if (lines.length > MAX_VALUE_LINES) text = [...lines.slice(0, MAX_VALUE_LINES), `# … ${lines.length - MAX_VALUE_LINES} more lines`].join('\n');
  return '```yaml\n' + text + '\n```';
}

/** `compose.yml:12`, `compose.yml:12, replaced by compose.smtp.yml:7`, or `…, merged with …` for maps and lists. */
export function provenanceText(view: LintView, path: Path, recipe: RecipeInfo, value: unknown): string {
  const where = (o: Origin) => {
    const line = recipe.composeFile(o.file)?.doc.locateKey(o.path)?.start.line;
    return `\`${line === undefined ? o.file : `${o.file}:${line}`}\``;
  };
  const origins = view.definedBy(path);
  if (origins.length === 0) return 'from: no file (a default docker fills in)';
  const [first, ...later] = origins;
  let text = `from ${where(first)}`;
  const container = typeof value === 'object' && value !== null;
  for (const o of later) text += container ? `, merged with ${where(o)}` : `, replaced by ${where(o)}`;
  const winner = view.origin(path);
  const last = origins[origins.length - 1];
  if (!container && winner && (winner.file !== last.file || displayPath(winner.path) !== displayPath(last.path))) text += `; value from ${where(winner)}`;
  return text;
}

function displayPath(path: Path): string {
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : seg.includes('.') ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join('');
}
