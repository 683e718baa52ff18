// The text edit behind "suppress this finding": one `# stacklint-disable-next-line RULE -- reason` line
// inserted above the finding's line, indented like it, leaving every other byte of the file as it was.
// Pure: text in, text out. YAML files are re-parsed to prove the comment changed no value (a line inside
// a multi-line string would).
import { isDeepStrictEqual } from 'node:util';
import { loadYamlText } from '../load/yaml.js';

export interface SuppressionRequest {
  /** The file's current text. */
  text: string;
  /** Recipe-relative name: decides whether the file takes `#` comments. */
  file: string;
  /** 1-based line of the finding. */
  line: number;
  /** Rule id, e.g. R011. */
  rule: string;
  reason: string;
}

export type SuppressionEdit =
  | {
      ok: true;
      text: string;
      /** 1-based line the directive is on in the new text. */
      directiveLine: number;
      /** True when an existing directive above the line was extended instead of a line inserted. */
      extended: boolean;
    }
  | { ok: false; message: string };

const YAML_FILE = /\.ya?ml$/i;
/** Files whose syntax has `#` line comments (templates are judged by the name under `.tmpl`). */
const HASH_EXTENSIONS = /\.(ya?ml|sh|bash|env|conf|cnf|cfg|toml|py|rb|properties)$/i;
const HASH_NAMES = /^(Caddyfile|Dockerfile|Makefile|\.env(\..*)?|abra\.sh|nginx\.conf)$/i;
const RULE_ID = /^[A-Za-z][A-Za-z0-9_-]*$/;
const DIRECTIVE_ABOVE = /^[ \t]*#\s*stacklint-disable-next-line(\s|$)/;

/** True when a `# …` line is a comment in this file (YAML, shell, Caddyfile, nginx, .env, and their templates). */
export function takesHashComments(file: string): boolean {
  const base = file.split('/').pop() ?? file;
  const name = base.replace(/\.tmpl$/i, '');
  return HASH_EXTENSIONS.test(name) || HASH_NAMES.test(name);
}

/** Why a finding in `file` can't get an inline suppression, or undefined when it can. */
export function cannotSuppressInline(file: string, rule: string): string | undefined {
  if (rule === 'unused-suppression') return 'a stale or malformed directive is fixed by editing or deleting it, not by another directive';
  if (!takesHashComments(file)) return `${file} has no \`#\` comments, so it cannot carry a suppression: accept the finding into the baseline instead`;
  return undefined;
}

export function suppressionEdit(req: SuppressionRequest): SuppressionEdit {
  const fail = (message: string): SuppressionEdit => ({ ok: false, message });
  const refusal = cannotSuppressInline(req.file, req.rule);
  if (refusal) return fail(refusal);
  if (!RULE_ID.test(req.rule)) return fail(`'${req.rule}' is not a rule id`);
  const reason = req.reason.replace(/\s+/g, ' ').trim();
  if (reason === '') return fail('a reason is required');
  // In a template the comment is template text too: `{{` would be executed when the config is rendered.
  if (/\.tmpl$/i.test(req.file) && /\{\{|\}\}/.test(reason)) return fail('the reason cannot contain `{{` or `}}` in a template');

  const bom = req.text.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = req.text.slice(bom.length);
  const lines = splitLines(body);
  if (!Number.isInteger(req.line) || req.line < 1 || req.line > lines.length) {
    return fail(`${req.file} has no line ${req.line} (it has ${lines.length}); re-lint and try again`);
  }
  const target = lines[req.line - 1];
  const eol = target.eol || lines.find((l) => l.eol)?.eol || '\n';
  const above = req.line >= 2 ? lines[req.line - 2] : undefined;

  let edited: Line[];
  let directiveLine: number;
  let extended = false;
  if (above && DIRECTIVE_ABOVE.test(above.content)) {
    // A second directive above the first would make the first target the new comment: extend it instead.
    const updated = extendDirective(above.content, req.rule, reason);
    if (updated === undefined) return fail(`line ${req.line - 1} already disables ${req.rule} for this line; re-lint (r) to refresh`);
    edited = [...lines.slice(0, req.line - 2), { content: updated, eol: above.eol }, ...lines.slice(req.line - 1)];
    directiveLine = req.line - 1;
    extended = true;
  } else {
    const indent = /^[ \t]*/.exec(target.content)![0];
    const directive = `${indent}# stacklint-disable-next-line ${req.rule} -- ${reason}`;
    edited = [...lines.slice(0, req.line - 1), { content: directive, eol }, ...lines.slice(req.line - 1)];
    directiveLine = req.line;
  }
  const text = bom + edited.map((l) => l.content + l.eol).join('');

  if (YAML_FILE.test(req.file)) {
    const before = loadYamlText(req.text, req.file);
    if (before.errors.length > 0) return fail(`${req.file} does not load as YAML (${before.errors[0].message}); fix that first`);
    const after = loadYamlText(text, req.file);
    if (after.errors.length > 0 || !isDeepStrictEqual(before.data, after.data)) {
      return fail(`a comment above line ${req.line} would change ${req.file}'s content (the line is inside a multi-line value); suppress by editing the file, or accept into the baseline`);
    }
  }
  return { ok: true, text, directiveLine, extended };
}

interface Line {
  content: string;
  /** '\n', '\r\n', or '' for a last line without a newline. */
  eol: string;
}

function splitLines(text: string): Line[] {
  const out: Line[] = [];
  const re = /\r?\n/g;
  let start = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ content: text.slice(start, m.index), eol: m[0] });
    start = m.index + m[0].length;
  }
  if (start < text.length || out.length === 0) out.push({ content: text.slice(start), eol: '' });
  return out;
}

/** The directive line with `rule` added (and its reason), or undefined when it already names the rule. */
function extendDirective(line: string, rule: string, reason: string): string | undefined {
  const word = /stacklint-disable-next-line/.exec(line)!;
  const afterWord = word.index + word[0].length;
  const rest = line.slice(afterWord);
  const sep = rest.search(/(^|\s)--(\s|$)/);
  const list = sep < 0 ? rest : rest.slice(0, sep);
  const named = list.split(/[\s,]+/).filter(Boolean);
  if (named.includes(rule)) return undefined;
  const head = line.slice(0, afterWord) + list.trimEnd();
  const oldReason = sep < 0 ? '' : rest.slice(sep).replace(/^\s*--/, '').trim();
  const joined = named.length > 0 ? `${head}, ${rule}` : `${head} ${rule}`;
  return `${joined} -- ${oldReason ? `${oldReason}; ${rule}: ${reason}` : reason}`;
}
