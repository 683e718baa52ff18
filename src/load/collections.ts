// Helpers for arrays and maps that grow with the input. `a.push(...b)` and `Math.max(...b)` pass every
// element as an argument and overflow the stack near a hundred thousand; `map.set(k, [...old, x])` copies
// the list on every add, quadratic in its length. These stay linear at any size.

/** Appends every item of `items` to `target`; returns `target`. */
export function pushAll<T>(target: T[], items: Iterable<T>): T[] {
  for (const item of items) target.push(item);
  return target;
}

/** The largest of `values` (`fallback` when there are none). */
export function maxOf(values: Iterable<number>, fallback = -Infinity): number {
  let max = fallback;
  for (const v of values) if (v > max) max = v;
  return max;
}

/** The smallest of `values` (`fallback` when there are none). */
export function minOf(values: Iterable<number>, fallback = Infinity): number {
  let min = fallback;
  for (const v of values) if (v < min) min = v;
  return min;
}

/** Adds `value` to the list under `key`, in place. */
export function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
