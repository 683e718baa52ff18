// What the detail pane shows about a finding: the source around it, how the merge produced the value
// (provenance through each view it occurs in), the views it occurs in and not, and the rule's docs.
import type { Path } from '../../src/load/types.js';
import { recipeViews } from '../../src/pipeline/recipe.js';
import type { RecipeView, RecipeInfo } from '../../src/rules/rule.js';
import { pathString } from '../../src/lint/position.js';
import type { RuleMeta } from '../../src/rules/types.js';
import type { Finding } from '../../src/lint/types.js';

export interface SnippetLine {
  line: number;
  text: string;
  /** The finding's own line(s). */
  hit: boolean;
}

export interface FindingDetail {
  snippet: SnippetLine[];
  /** Said instead of a snippet when the file can't be shown. */
  snippetNote?: string;
  /** One line per group of views that agree, e.g. "services.sidekiq: defined only by compose.smtpauth.yml:15; image: set by no file in …". */
  provenance: string[];
  /** Views of the recipe the finding does not occur in. */
  absentFrom: string[];
  rule?: RuleMeta;
}

const CONTEXT_LINES = 2;
const MAX_HIT_LINES = 4;

/** Explains findings of one recipe; the merged views are built once per lint (on first use). */
export class DetailSource {
  private built?: { recipe: RecipeInfo; views: RecipeView[] };
  private readonly cache = new Map<Finding, FindingDetail>();

  constructor(
    private readonly recipeDir: string,
    private readonly rules: readonly RuleMeta[],
  ) {}

  describe(finding: Finding): FindingDetail {
    let detail = this.cache.get(finding);
    if (!detail) {
      this.built ??= recipeViews(this.recipeDir);
      detail = describeFinding(finding, this.built.recipe, this.built.views, this.rules);
      this.cache.set(finding, detail);
    }
    return detail;
  }
}

export function describeFinding(finding: Finding, recipe: RecipeInfo, views: readonly RecipeView[], rules: readonly RuleMeta[]): FindingDetail {
  const text = recipe.readText(finding.file);
  const detail: FindingDetail = {
    snippet: text === undefined ? [] : snippetOf(text, finding.line, finding.endLine),
    provenance: provenanceOf(finding, recipe, views),
    absentFrom: finding.views.length === 0 ? [] : views.map((v) => v.name).filter((name) => !finding.views.includes(name)),
    rule: rules.find((r) => r.id === finding.rule),
  };
  if (text === undefined) detail.snippetNote = `${finding.file} cannot be read`;
  return detail;
}

export function snippetOf(text: string, line: number, endLine = line): SnippetLine[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const lastHit = Math.min(Math.max(endLine, line), line + MAX_HIT_LINES - 1);
  const from = Math.max(1, line - CONTEXT_LINES);
  const to = Math.min(lines.length, lastHit + CONTEXT_LINES);
  const out: SnippetLine[] = [];
  for (let n = from; n <= to; n++) out.push({ line: n, text: lines[n - 1], hit: n >= line && n <= lastHit });
  return out;
}

/** The merge chain of the finding's logical path, grouped over the views that agree. */
export function provenanceOf(finding: Finding, recipe: RecipeInfo, views: readonly RecipeView[]): string[] {
  if (finding.views.length === 0) return [`found in ${finding.file} itself (not a result of the merge)`];
  const tokens = tokenize(finding.logicalPath);
  const byText = new Map<string, string[]>();
  for (const name of finding.views) {
    const view = views.find((v) => v.name === name);
    if (!view) continue;
    const chain = view.config ? chainIn(view, tokens, recipe) : `not merged: ${view.failure?.message ?? 'a file failed to load'}`;
    if (chain === undefined) continue;
    const list = byText.get(chain) ?? [];
    list.push(name);
    byText.set(chain, list);
  }
  return [...byText.entries()].map(([chain, names]) => `${chain} in ${names.join(', ')}`);
}

type Token = { text: string; bracket: boolean };

/** `services.app.deploy.labels[traefik.enable]` → services, app, deploy, labels, [traefik.enable]. */
function tokenize(logicalPath: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < logicalPath.length) {
    const c = logicalPath[i];
    if (c === '[') {
      // A bracket runs to its `]` (or the end of an unclosed one): one pass, whatever the path holds.
      const close = logicalPath.indexOf(']', i + 1);
      const end = close < 0 ? logicalPath.length : close;
      out.push({ text: logicalPath.slice(i + 1, end), bracket: true });
      i = end + 1;
    } else if (c === '.' || c === ']') {
      i++;
    } else {
      let end = i;
      while (end < logicalPath.length && !'.[]'.includes(logicalPath[end])) end++;
      out.push({ text: logicalPath.slice(i, end), bracket: false });
      i = end;
    }
  }
  return out;
}

/** "services.sidekiq: defined only by compose.smtpauth.yml:15; image: set by no file", or undefined when nothing resolves. */
function chainIn(view: RecipeView, tokens: Token[], recipe: RecipeInfo): string | undefined {
  const { path, rest } = resolvePath(view.config, tokens);
  if (path.length === 0) return undefined;
  const origins = view.definedBy(path);
  const at = (o: { file: string; path: Path }) => {
    const line = recipe.composeFile(o.file)?.doc.locateKey(o.path)?.start.line;
    return line === undefined ? o.file : `${o.file}:${line}`;
  };
  let text = `${displayPath(path)}: `;
  if (origins.length === 0) text += 'set by no file (a default)';
  else if (origins.length === 1) text += `defined only by ${at(origins[0])}`;
  else {
    text += `defined by ${origins.map(at).join(', then ')}`;
    const winner = view.origin(path);
    const last = origins[origins.length - 1];
    if (winner && (winner.file !== last.file || pathString(winner.path) !== pathString(last.path))) text += `; value from ${at(winner)}`;
  }
  // A missing plain key under the resolved value is what the merge failed to provide (e.g. `image`).
  if (rest.length > 0 && rest.every((t) => !t.bracket)) text += `; ${rest.map((t) => t.text).join('.')}: set by no file`;
  return text;
}

/** Like the finding's logical path: keys that hold dots (labels) in brackets. */
function displayPath(path: Path): string {
  return path.map((seg, i) => (typeof seg === 'number' || seg.includes('.') ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join('');
}

/** The longest prefix of the tokens present in the merged config (keys may themselves contain dots). */
function resolvePath(config: unknown, tokens: Token[]): { path: Path; rest: Token[] } {
  const path: Array<string | number> = [];
  let node = config;
  let i = 0;
  while (i < tokens.length) {
    if (Array.isArray(node)) {
      const index = Number(tokens[i].text);
      if (!tokens[i].bracket || !Number.isInteger(index) || index < 0 || index >= node.length) break;
      path.push(index);
      node = node[index];
      i++;
      continue;
    }
    if (node === null || typeof node !== 'object') break;
    const record = node as Record<string, unknown>;
    let matched = 0;
    for (let n = tokens.length - i; n >= 1 && matched === 0; n--) {
      const group = tokens.slice(i, i + n);
      if (n > 1 && group.some((t) => t.bracket)) continue;
      const key = group.map((t) => t.text).join('.');
      if (Object.prototype.hasOwnProperty.call(record, key)) {
        path.push(key);
        node = record[key];
        matched = n;
      }
    }
    if (matched === 0) break;
    i += matched;
  }
  return { path, rest: tokens.slice(i) };
}
