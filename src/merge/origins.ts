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

export function originAt(node: OriginNode, path: Path): OriginNode {
  let current = node;
  for (const seg of path) current = childOrigin(current, seg);
  return current;
}
