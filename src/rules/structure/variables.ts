// Interpolation helpers shared by `interpolation` and `undefined-variable`: which references in a
// compose file's values are silent pitfalls, and which variables a recipe defines somewhere.
import type { Path, PathSeg, YamlValue } from '../../load/types.js';
import { NonStringKeyMap } from '../../load/types.js';
import { findInterpolationPitfalls, interpolateString } from '../../interpolate/index.js';
import type { InterpolationPitfall, VariableUse } from '../../interpolate/index.js';
import type { RuleContext } from '../rule.js';
import { deployLookup } from '../kit/files.js';
import { namesSetInShell } from '../../views/index.js';

/** A label value (services.*.labels, deploy.labels, build.labels, top-level *.labels), map or list form. */
export function isLabelValue(path: Path): boolean {
  return path.length >= 2 && path[path.length - 2] === 'labels';
}

export interface ValueScan {
  path: PathSeg[];
  value: string;
  pitfalls: InterpolationPitfall[];
  /** References as docker evaluates them with the deploy environment. */
  uses: VariableUse[];
}

/** Defines whether a variable is set for the recipe: the deploy env, or anything abra.sh assigns or exports. */
export function variableDefined(ctx: RuleContext): (name: string) => boolean {
  const lookup = deployLookup(ctx);
  // Read once for all names: abra.sh is a stranger's text, and a scan per name asked about costs names × bytes.
  let inAbraSh: Set<string> | undefined;
  return (name) => {
    if (name === 'STACK_NAME' || lookup(name) !== undefined) return true;
    inAbraSh ??= namesSetInShell(ctx.recipe.exists('abra.sh') ? (ctx.recipe.readText('abra.sh') ?? '') : '');
    return inAbraSh.has(name);
  };
}

export function scanValue(path: PathSeg[], value: string, lookup: (name: string) => string | undefined): ValueScan {
  if (!value.includes('$')) return { path, value, pitfalls: [], uses: [] };
  return { path, value, pitfalls: findInterpolationPitfalls(value), uses: interpolateString(value, lookup).uses };
}

/**
 * The scans of every string of a file's data that holds a `$` (the only strings interpolation can change),
 * walked and scanned once per data and lookup: the interpolation and undefined-variable rules share them.
 */
export function dollarScans(data: YamlValue, lookup: (name: string) => string | undefined): readonly ValueScan[] {
  const known = scansByData.get(data as object);
  if (known && known.lookup === lookup) return known.scans;
  const scans: ValueScan[] = [];
  const path: PathSeg[] = [];
  const walk = (node: YamlValue) => {
    if (typeof node === 'string') {
      if (node.includes('$')) scans.push(scanValue([...path], node, lookup));
    } else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        walk(node[i]);
        path.pop();
      }
    } else if (node !== null && typeof node === 'object' && !(node instanceof NonStringKeyMap)) {
      // docker does not interpolate inside a mapping with non-string keys (the file fails anyway).
      for (const key of Object.keys(node)) {
        path.push(key);
        walk((node as Record<string, YamlValue>)[key]);
        path.pop();
      }
    }
  };
  walk(data);
  scansByData.set(data as object, { lookup, scans });
  return scans;
}

const scansByData = new WeakMap<object, { lookup: (name: string) => string | undefined; scans: ValueScan[] }>();

/**
 * An unbraced `$name` in a label value that names no variable the recipe defines: almost always a
 * literal `$` (an htpasswd hash `$apr1$…`, a regex) that needed `$$`; docker replaces it with "".
 */
export function labelDollarUses(scan: ValueScan, defined: (name: string) => boolean): VariableUse[] {
  if (!isLabelValue(scan.path)) return [];
  return scan.uses.filter((u) => u.form === 'unbraced' && !u.operator && !defined(u.variable));
}
