// The edits behind a diagnostic's code actions: the finding's own fix (the edits `lint --fix` applies), a
// `# stacklint-disable-next-line RULE -- reason` above its line, or a `# stacklint-disable-file RULE --
// reason` at the top of its file. Pure: texts in, LSP text edits out.
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver';
import { cannotSuppressInline, suppressionEdit } from './engine-adapter.js';
import type { Finding } from './engine-adapter.js';

/** Said in the directive until the maintainer writes why; the comment is meant to be edited. */
export const DEFAULT_REASON = 'TODO: say why this is fine here';

export type EditsOrWhyNot = { ok: true; edits: TextEdit[] } | { ok: false; message: string };

/** The finding's fix as edits per file (recipe-relative), against the texts the lint read. */
export function fixEdits(finding: Finding, textOf: (file: string) => string | undefined): { ok: true; edits: Map<string, TextEdit[]> } | { ok: false; message: string } {
  const out = new Map<string, TextEdit[]>();
  for (const edit of finding.edits ?? []) {
    const text = textOf(edit.file);
    if (text === undefined) return { ok: false, message: `${edit.file} cannot be read` };
    if (!(0 <= edit.start && edit.start <= edit.end && edit.end <= text.length)) return { ok: false, message: `${edit.file} changed since the lint` };
    const doc = TextDocument.create('file:///x', '', 0, text);
    const list = out.get(edit.file) ?? [];
    list.push({ range: { start: doc.positionAt(edit.start), end: doc.positionAt(edit.end) }, newText: edit.text });
    out.set(edit.file, list);
  }
  return out.size > 0 ? { ok: true, edits: out } : { ok: false, message: 'no fix' };
}

export function suppressLineEdits(finding: Finding, text: string, reason = DEFAULT_REASON): EditsOrWhyNot {
  const edit = suppressionEdit({ text, file: finding.file, line: finding.line, rule: finding.rule, reason });
  if (!edit.ok) return edit;
  return { ok: true, edits: [replacementOf(text, edit.text)] };
}

export function suppressFileEdits(finding: Finding, text: string, reason = DEFAULT_REASON): EditsOrWhyNot {
  const refusal = cannotSuppressInline(finding.file, finding.rule);
  if (refusal) return { ok: false, message: refusal };
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return { ok: true, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: `# stacklint-disable-file ${finding.rule} -- ${reason}${eol}` }] };
}

/** One edit that turns `before` into `after`: the changed middle between their common prefix and suffix. */
export function replacementOf(before: string, after: string): TextEdit {
  let prefix = 0;
  const max = Math.min(before.length, after.length);
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const doc = TextDocument.create('file:///x', '', 0, before);
  return {
    range: { start: doc.positionAt(prefix), end: doc.positionAt(before.length - suffix) },
    newText: after.slice(prefix, after.length - suffix),
  };
}
