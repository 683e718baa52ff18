// From a position in a compose file to the logical path of the key or value under it (the reverse of
// FileDoc.locate), for hover, definitions and references.
import type { FileDoc, Path, PathSeg, SourceRange, YamlValue } from '../load/types.js';

export interface PathAtPosition {
  path: Path;
  /** On the mapping key itself, or on (or inside) the value. */
  on: 'key' | 'value';
  /** The scalar under the cursor, when it is one. */
  value?: YamlValue;
}

const MAX_DEPTH = 64;

function contains(range: SourceRange | undefined, offset: number): boolean {
  return range !== undefined && range.start.offset <= offset && offset <= range.end.offset;
}

function isMapping(v: YamlValue | undefined): v is { [key: string]: YamlValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
}

/** The deepest key or value at `offset` (0-based, UTF-16), or undefined outside the document's data. */
export function pathAt(doc: FileDoc, offset: number): PathAtPosition | undefined {
  if (doc.data === undefined) return undefined;
  const visit = (path: PathSeg[], value: YamlValue): PathAtPosition | undefined => {
    if (path.length > MAX_DEPTH) return undefined;
    const children: Array<[PathSeg, YamlValue]> = Array.isArray(value)
      ? value.map((v, i) => [i, v] as [PathSeg, YamlValue])
      : isMapping(value)
        ? Object.entries(value)
        : [];
    for (const [seg, child] of children) {
      const childPath = [...path, seg];
      if (typeof seg === 'string') {
        const key = doc.locateKey(childPath);
        const val = doc.locate(childPath);
        // locateKey falls back to the value's range when there is no key: only a distinct range is the key.
        if (key && val && key.start.offset !== val.start.offset && contains({ start: key.start, end: key.end }, offset) && offset < val.start.offset) {
          return { path: childPath, on: 'key' };
        }
        if (contains(val, offset)) return visit(childPath, child) ?? { path: childPath, on: 'value', value: child };
      } else if (contains(doc.locate(childPath), offset)) {
        return visit(childPath, child) ?? { path: childPath, on: 'value', value: child };
      }
    }
    return undefined;
  };
  return visit([], doc.data);
}
