// Report positioning: where in which file a rule's report points. A report names an explicit line/column, a
// raw path into one file, or a merged path of a view, which is resolved through the view's provenance to the
// file and raw path that set the value, then located in that file (the nearest ancestor when the exact node
// is not there).
import type { FileDoc, Origin, Path } from '../load/types.js';
import type { RecipeInfo, RecipeView } from '../pipeline/recipe.js';
import type { RuleReport } from '../rules/rule.js';

/** What a report says about its place (the placing fields of a rule's report; any producer can use them). */
export type ReportPlace = Pick<RuleReport, 'file' | 'path' | 'at' | 'line' | 'column' | 'endLine' | 'endColumn' | 'mergedPath' | 'view' | 'logicalPath'>;

/** A report's place in a file: 1-based range, and the logical path its fingerprint uses. */
export interface Placed {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  logicalPath: string;
}

/** Resolves a report's place: explicit position, raw path, or merged path via provenance. */
export function placeReport(report: ReportPlace, recipe: RecipeInfo): Placed {
  let file = report.file;
  let path = report.path;
  let at = report.at;
  if (report.mergedPath && report.view) {
    const origin = originOf(report.view, report.mergedPath);
    if (origin) {
      file ??= origin.file;
      path ??= origin.path;
    }
    at ??= 'key';
  }
  let range: { line: number; column: number; endLine: number; endColumn: number } | undefined;
  if (report.line !== undefined) {
    range = {
      line: report.line,
      column: report.column ?? 1,
      endLine: report.endLine ?? report.line,
      endColumn: report.endColumn ?? (report.column ?? 1) + 1,
    };
  } else if (file && path) {
    const doc = recipe.composeFile(file)?.doc;
    const found = doc ? locateNearest(doc, path, at ?? 'value') : undefined;
    if (found) range = found;
  }
  range ??= { line: 1, column: 1, endLine: 1, endColumn: 1 };
  return {
    file: file ?? report.view?.files[0] ?? 'compose.yml',
    ...range,
    logicalPath: report.logicalPath ?? (report.mergedPath ? pathString(report.mergedPath) : path ? pathString(path) : ''),
  };
}

/** The origin of a merged path, or of its nearest ancestor that has one. */
export function originOf(view: RecipeView, path: Path): Origin | undefined {
  for (let n = path.length; n > 0; n--) {
    const origin = view.origin(path.slice(0, n));
    if (origin) return origin;
  }
  return undefined;
}

/** The range of a raw path in a file, or of its nearest ancestor found there (keys for ancestors). */
export function locateNearest(doc: FileDoc, path: Path, at: 'key' | 'value') {
  for (let n = path.length; n >= 0; n--) {
    const sub = path.slice(0, n);
    const range = at === 'key' || n < path.length ? doc.locateKey(sub) : doc.locate(sub);
    if (range) {
      return { line: range.start.line, column: range.start.column, endLine: range.end.line, endColumn: range.end.column };
    }
  }
  return undefined;
}

/** Joins a path for messages and logical paths: services.web.ports[0]. */
export function pathString(path: Path): string {
  return path.map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join('');
}
