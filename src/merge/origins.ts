// Origin trees: which raw path of a file each part of a normalised value came from.
import type { Path, PathSeg } from '../load/types.js';
import type { OriginNode } from './types.js';

export interface OriginLeaf extends OriginNode {
  /** A value made from one raw scalar (a short-syntax port, `build: .`): everything below maps to it. */
  readonly leaf: true;
}

export function originNode(raw: Path, kids?: Map<PathSeg, OriginNode>): OriginNode {
  return kids && kids.size > 0 ? { raw, kids } : { raw };
}

export function originLeaf(raw: Path): OriginLeaf {
  return { raw, leaf: true };
}

/** The origin of `node`'s child `seg`: listed, or the raw child of the same name (or the leaf itself). */
export function childOrigin(node: OriginNode, seg: PathSeg): OriginNode {
  const kid = node.kids?.get(seg);
  if (kid) return kid;
  if ((node as Partial<OriginLeaf>).leaf) return node;
  return { raw: [...node.raw, seg] };
}

/** The origin at `path` below `node`, from the segment at `from` on. */
export function originAt(node: OriginNode, path: Path, from = 0): OriginNode {
  let current = node;
  for (let i = from; i < path.length; i++) {
    const kid = current.kids?.get(path[i]);
    if (kid) current = kid;
    // Below a raw path with no listed children, the raw path just goes on: one copy, not one per segment.
    else if (!(current as Partial<OriginLeaf>).leaf) return { raw: [...current.raw, ...path.slice(i)] };
  }
  return current;
}
