// Pairs the findings of two runs (or a run and a baseline) by fingerprint, as multisets: two findings
// with one fingerprint need two entries. Within a fingerprint, identical messages pair first.

export interface Keyed {
  key: string;
  message: string;
}

export interface Matched<C, P> {
  pairs: Array<[C, P]>;
  /** In `current` only: new. */
  onlyCurrent: C[];
  /** In `previous` only: fixed (or a stale baseline entry). */
  onlyPrevious: P[];
}

export function matchFindings<C, P>(current: readonly C[], previous: readonly P[], keyC: (c: C) => Keyed, keyP: (p: P) => Keyed): Matched<C, P> {
  const pool = new Map<string, Array<{ item: P; message: string; used: boolean }>>();
  for (const p of previous) {
    const k = keyP(p);
    const list = pool.get(k.key) ?? [];
    list.push({ item: p, message: k.message, used: false });
    pool.set(k.key, list);
  }
  const pairs: Array<[C, P]> = [];
  const unpaired: Array<{ item: C; key: string }> = [];
  // Pass 1: same fingerprint and same message.
  for (const c of current) {
    const k = keyC(c);
    const hit = pool.get(k.key)?.find((p) => !p.used && p.message === k.message);
    if (hit) {
      hit.used = true;
      pairs.push([c, hit.item]);
    } else {
      unpaired.push({ item: c, key: k.key });
    }
  }
  // Pass 2: same fingerprint, the message reworded (a rule's wording changed, a value in it changed).
  const onlyCurrent: C[] = [];
  for (const { item, key } of unpaired) {
    const hit = pool.get(key)?.find((p) => !p.used);
    if (hit) {
      hit.used = true;
      pairs.push([item, hit.item]);
    } else {
      onlyCurrent.push(item);
    }
  }
  const onlyPrevious = [...pool.values()].flat().filter((p) => !p.used).map((p) => p.item);
  return { pairs, onlyCurrent, onlyPrevious };
}
