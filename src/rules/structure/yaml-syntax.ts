// yaml-syntax: compose files that docker cannot read — YAML errors, duplicate keys, aliases to anchors
// of another file, non-string keys — and files docker reads differently from how they look (several
// YAML documents, of which docker reads only the first).
import type { FileDoc, LoadError } from '../../load/types.js';
import { defineRule } from '../rule.js';
import type { RuleContext } from '../rule.js';
import { findNonStringKeyMaps, positionOf, code, showPath } from '../kit/files.js';

const KIND_FIX: Record<LoadError['kind'], string> = {
  'yaml-syntax': 'Fix the YAML at this position (indentation, quoting, an unclosed bracket or quote).',
  'duplicate-key':
    'Remove or rename the repeated key: docker refuses a mapping with the same key twice (merge the two entries into one).',
  'unknown-anchor':
    'Define the anchor (`&name`) in this file before the alias (`*name`) uses it: anchors work within one file only, never across compose files.',
  'not-a-mapping': 'A compose file must be a mapping at its top level (`version:`, `services:`, …).',
  'read-error': 'Make the file readable (it must be a regular UTF-8 text file inside the recipe).',
  limit: 'Simplify the file: it nests or expands aliases far beyond what a compose file needs.',
};

/** `&name` anchors defined in a file's text (a cheap scan; only used to explain a cross-file alias). */
function anchorsIn(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/(?:^|[\s:\-\[{,])&([^\s,\[\]{}]+)/g)) out.add(m[1]);
  return out;
}

/** Lines where a further YAML document starts with content (docker reads only the first document). */
/** Document markers at the start of a line. */
const MARKER_LINE = /^(?:---|\.\.\.)(?:\s|$)/gm;

function laterDocument(doc: FileDoc): { line: number } | undefined {
  // Most files have no marker, or only a leading `---`: only a marker with something before it can start a
  // later document.
  MARKER_LINE.lastIndex = 0;
  let candidate = false;
  for (let m = MARKER_LINE.exec(doc.text); m && !candidate; m = MARKER_LINE.exec(doc.text)) {
    candidate = /\S/.test(doc.text.slice(0, m.index).replace(/^\uFEFF/, ''));
  }
  if (!candidate) return undefined;
  const lines = doc.text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let content = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const marker = /^(---|\.\.\.)(\s|$)/.test(line);
    if (!marker) {
      if (line.trim() !== '' && !line.trimStart().startsWith('#') && !line.startsWith('%')) content = true;
      continue;
    }
    if (!content) continue;
    // A marker after content: is there content in the next document?
    const rest = line.slice(3);
    const restHasContent = line.startsWith('---') && rest.trim() !== '' && !rest.trim().startsWith('#');
    const later = lines.slice(i + 1).some((l) => l.trim() !== '' && !l.trimStart().startsWith('#') && !/^(---|\.\.\.)(\s|$)/.test(l) && !l.startsWith('%'));
    if (restHasContent || later) return { line: i + 1 };
    return undefined;
  }
  return undefined;
}

function checkErrors(ctx: RuleContext, file: string, doc: FileDoc): void {
  for (const error of doc.errors) {
    let message = `${file} cannot be loaded: ${error.message}`;
    let fix = error.kind === 'read-error' && ctx.recipe.kind === 'plain' ? 'Make the file readable (it must be a regular UTF-8 text file inside the repository).' : KIND_FIX[error.kind];
    if (error.kind === 'unknown-anchor') {
      const name = /unknown anchor '([^']*)'/.exec(error.message)?.[1];
      const elsewhere = name
        ? ctx.recipe.composeFiles.filter((c) => c.file !== file && anchorsIn(c.doc.text).has(name)).map((c) => c.file)
        : [];
      if (name && elsewhere.length > 0) {
        message = `${file} uses the alias *${name}, but the anchor &${name} is defined in ${elsewhere.join(', ')}: YAML anchors do not work across compose files`;
        fix = `Repeat the anchored block (an \`x-…\` section with \`&${name}\`) in ${file} itself, or write the values out: each compose file is parsed on its own.`;
      } else if (name) {
        message = `${file} uses the alias *${name}, but no anchor &${name} is defined before it in this file`;
      }
    }
    const range = error.range;
    ctx.report({
      message,
      fix,
      file,
      ...(range
        ? { line: range.start.line, column: range.start.column, endLine: range.end.line, endColumn: range.end.column }
        : { line: 1, column: 1 }),
      logicalPath: `yaml.${error.kind}`,
    });
  }
}

export default defineRule({
  meta: {
    id: 'yaml-syntax',
    name: 'yaml-syntax',
    level: 'error',
    description:
      'Compose files must be YAML that docker can read: no syntax errors, duplicate keys, aliases to anchors of another file, or non-string keys.',
    details: [
      'docker reads each compose file with Go\'s yaml.v3 before anything else, and stops the whole deploy at the first file',
      'it cannot read. Besides plain syntax errors, yaml.v3 refuses a mapping that repeats a key, and docker refuses keys that',
      'are not strings (`8080: 80`, `true:`) once it converts the file for validation.',
      '',
      'Anchors (`&name`) and aliases (`*name`, `<<: *name`) only work inside one file: every compose file is parsed on its own,',
      'so an overlay cannot reuse an `x-` block that `compose.yml` anchors.',
      '',
      'A file holding several YAML documents (a second `---` followed by content) is valid YAML, but docker reads only the',
      'first document and silently ignores the rest; this is reported as a warning.',
    ].join('\n'),
    fix: 'Fix the YAML at the reported position.',
  },
  check(ctx) {
    for (const { file, doc } of ctx.recipe.composeFiles) {
      if (doc.errors.length > 0) {
        checkErrors(ctx, file, doc);
        continue;
      }
      const later = laterDocument(doc);
      if (later) {
        ctx.report({
          message: `${file} holds more than one YAML document: docker reads only the first and ignores everything after the \`---\` on line ${later.line}`,
          fix: 'Move the later document\'s content into the first one (or into an overlay file), and remove the extra `---`.',
          file,
          line: later.line,
          column: 1,
          endColumn: 4,
          logicalPath: 'yaml.multiple-documents',
          severity: 'warning',
        });
      }
      for (const { path, map } of findNonStringKeyMaps(doc.data)) {
        for (const [key] of map.entries) {
          if (typeof key === 'string') continue;
          const text = key === null ? 'null' : String(key);
          const where = path.length > 0 ? showPath(path) : 'the top level';
          const pos =
            positionOf(doc, [...path, text], 'key') ??
            (key === null ? positionOf(doc, [...path, '~'], 'key') ?? positionOf(doc, [...path, ''], 'key') : undefined) ??
            positionOf(doc, path, 'key') ??
            { line: 1, column: 1, endLine: 1, endColumn: 1 };
          ctx.report({
            message: `the key ${code(text)} in ${where} is ${key === null ? 'null' : `a ${typeof key === 'bigint' ? 'number' : typeof key}`}, not a string: docker cannot process it`,
            fix: `Quote the key (\`"${text}":\`) so YAML reads it as a string.`,
            file,
            ...pos,
            logicalPath: `${path.length > 0 ? showPath(path) : ''}[${text}]`,
          });
        }
      }
    }
  },
});
