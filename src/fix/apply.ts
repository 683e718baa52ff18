// Applies findings' edits to file texts: each finding's edits are one group, taken whole or not at all.
// A group that overlaps a group already taken waits for the next pass (the re-lint reports it again,
// positioned in the new text). Bytes outside the edited ranges are never touched.
import type { TextEdit } from '../rules/types.js';

export interface EditGroup {
  /** Identifies the finding, for reporting and for blocking a group that proved unsafe. */
  id: string;
  /** Edits with `file` as a key of the texts map (absolute paths, in the fixer). */
  edits: TextEdit[];
}

export interface ApplyResult {
  /** New text of every file that changed. */
  texts: Map<string, string>;
  applied: string[];
  /** Groups left for a later pass (they overlap a group taken in this one). */
  deferred: string[];
  /** Groups that can never apply: an edit outside its file's text, edits that overlap each other, an unreadable file. */
  invalid: string[];
}

/** Two edits of the same file collide: overlapping ranges, or an insertion inside/at the edge of a replacement. */
function collide(a: TextEdit, b: TextEdit): boolean {
  if (a.file !== b.file) return false;
  const aPoint = a.start === a.end;
  const bPoint = b.start === b.end;
  if (aPoint && bPoint) return false; // two insertions at one place: both kept, in order
  if (aPoint) return b.start <= a.start && a.start <= b.end;
  if (bPoint) return a.start <= b.start && b.start <= a.end;
  return a.start < b.end && b.start < a.end;
}

/** A group's own edits may touch at their edges (delete a block, insert after it) but never overlap. */
function selfOverlapping(edits: readonly TextEdit[]): boolean {
  return edits.some((a, i) => edits.some((b, j) => j > i && a.file === b.file && a.start < b.end && b.start < a.end));
}

function sameEdit(a: TextEdit, b: TextEdit): boolean {
  return a.file === b.file && a.start === b.start && a.end === b.end && a.text === b.text;
}

/** Takes groups in order; `texts` maps every file the groups name to its current text (undefined: unreadable). */
export function applyEditGroups(texts: ReadonlyMap<string, string | undefined>, groups: readonly EditGroup[]): ApplyResult {
  const taken: Array<TextEdit & { order: number }> = [];
  const applied: string[] = [];
  const deferred: string[] = [];
  const invalid: string[] = [];
  let order = 0;
  for (const group of groups) {
    const valid = group.edits.length > 0 && group.edits.every((e) => {
      const text = texts.get(e.file);
      return text !== undefined && Number.isInteger(e.start) && Number.isInteger(e.end) && 0 <= e.start && e.start <= e.end && e.end <= text.length;
    });
    if (!valid || selfOverlapping(group.edits)) {
      invalid.push(group.id);
      continue;
    }
    // The same edit from another finding (one fix reported in several places) is already taken.
    const fresh = group.edits.filter((e, i) => !taken.some((t) => sameEdit(t, e)) && group.edits.findIndex((o) => sameEdit(o, e)) === i);
    if (fresh.some((e) => taken.some((t) => collide(t, e)))) {
      deferred.push(group.id);
      continue;
    }
    for (const e of fresh) taken.push({ ...e, order: order++ });
    applied.push(group.id);
  }
  const out = new Map<string, string>();
  const files = new Set(taken.map((e) => e.file));
  for (const file of files) {
    // From the end of the file backwards; at one offset, the later-taken insertion first, so order is kept.
    const edits = taken.filter((e) => e.file === file).sort((a, b) => b.start - a.start || b.end - a.end || b.order - a.order);
    let text = texts.get(file)!;
    for (const e of edits) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    if (text !== texts.get(file)) out.set(file, text);
  }
  return { texts: out, applied, deferred, invalid };
}
