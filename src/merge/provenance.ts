// Provenance of a merged config: a tree parallel to the config that says which file (and raw path in
// it) provided each value. Only places where files mix get nodes; below them, a file's own origin
// tree answers. Nodes are immutable and shared between views.
import type { Origin, Path, PathSeg } from '../load/types.js';
import { childOrigin, originAt } from './origins.js';
import type { ConfigValue, OriginNode, Provenance } from './types.js';

export interface ProvNode {
  /** The file that provided this value (for containers: the last file that mentions it). */
  readonly file: string;
  /** Where in that file: its origin subtree. */
  readonly origin: OriginNode;
  /** Children that came from elsewhere than `origin` says (other files, or merged). */
  readonly kids?: ReadonlyMap<PathSeg, ProvNode>;
  /**
   * Where children not in `kids` come from, when that is another node (a merged map's base entries): saves
   * a node per inherited entry, for every view.
   */
  readonly inherits?: ProvNode;
  /** Every file mentioning this value, in order, when more than one does. */
  readonly definedBy?: readonly Origin[];
  /** Values a later file overrode here, oldest first. */
  readonly replaced?: readonly Origin[];
}

export function fileProv(file: string, origin: OriginNode): ProvNode {
  return { file, origin };
}

export function childProv(node: ProvNode, seg: PathSeg): ProvNode {
  const kid = node.kids?.get(seg);
  if (kid) return kid;
  if (node.inherits) return childProv(node.inherits, seg);
  return { file: node.file, origin: childOrigin(node.origin, seg) };
}

export function originOf(node: ProvNode): Origin {
  return { file: node.file, path: node.origin.raw };
}

export function definedByOf(node: ProvNode): readonly Origin[] {
  return node.definedBy ?? [originOf(node)];
}

function childValue(value: ConfigValue | undefined, seg: PathSeg): ConfigValue | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return typeof seg === 'number' ? value[seg] : undefined;
  return typeof seg === 'string' && Object.hasOwn(value, seg) ? value[seg] : undefined;
}

/** Provenance queries over a merged config and its provenance tree. */
export function provenanceOf(config: ConfigValue, root: ProvNode): Provenance {
  const find = (path: Path): ProvNode | undefined => {
    let node = root;
    let value: ConfigValue | undefined = config;
    for (const seg of path) {
      value = childValue(value, seg);
      if (value === undefined) return undefined;
      node = childProv(node, seg);
    }
    return node;
  };
  return {
    // The most asked query (rules ask it for every value they read back as written): answered without
    // building the nodes `find` makes below the merge's own.
    origin: (path) => {
      let value: ConfigValue | undefined = config;
      for (const seg of path) {
        value = childValue(value, seg);
        if (value === undefined) return undefined;
      }
      let node = root;
      let i = 0;
      while (i < path.length) {
        const kid = node.kids?.get(path[i]);
        if (kid) {
          node = kid;
          i++;
        } else if (node.inherits) {
          node = node.inherits;
        } else {
          break;
        }
      }
      return { file: node.file, path: originAt(node.origin, path, i).raw };
    },
    definedBy: (path) => {
      const node = find(path);
      return node ? [...definedByOf(node)] : [];
    },
    replaced: (path) => [...(find(path)?.replaced ?? [])],
  };
}
