// Strings built from what is hard for yaml.v3's encoder (newlines at every position, leading and trailing
// spaces, tabs, `#`, `: `, quotes, indicators, numbers and words that resolve to other types, non-printable
// and non-ASCII characters, long lines), put into small compose files as label values and label keys. Shared by
// scripts/record-docker-strings.ts (records docker's answers once) and docker-strings.test.ts (replays them).
// Changing the generator changes the files: re-record.

export const STRINGS_SEED = 20261207;
/** Strings per compose file (one docker call each). */
export const STRINGS_PER_FILE = 500;

/** mulberry32: a small seeded generator, the same sequence on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ATOMS = [
  'a', 'foo', 'web', 'x y', 'traefik.http.routers.app.rule', 'Host(`example.org`)', 'sh -c', 'echo hi', '1', '42', '0x1F', '1e3', '1e400',
  '10:30', '8080:80', 'true', 'yes', 'no', 'on', 'null', '~', '-', '--', '---', '...', '?', ':', ': ', ' :', '#', ' #', '# ', "'", '"',
  '\\', '|', '>', '&', '*', '!', '%', '@', '`', ',', '[', ']', '{', '}', '=', '<<', ' ', '  ', '\t', '\n', '\n\n', '\r', '\r\n',
  'é', 'ü', '日本', '\u00a0', '\u0085', '\u2028', '\u2029', '\ufeff', '\u0001', '\u007f', '\u001b', '🙂', '\ufffe', '\ud7ff', '\ue000',
  '0', '.5', '0o17', '0b101', '+1', '-1', '1_000', '2024-01-01', '2024-01-01T10:00:00Z', '.inf', '-.inf', '.nan', 'Null', 'TRUE', 'y', 'N',
];

const WHOLE = [
  '', ' ', '\n', '\n\n', 'a\n', 'a\n\n', '\na', ' a', 'a ', '\ta', 'a\t', '0', '00', '0.', '.', '-.5', '+.5', '1.5e+3', '0x', '0b', '0o',
  '0b-1', '-0b1', '-0o7', '0o-7', '1__0', '_1', '1_', '0_7', '0x_1F', '0b_1', '9223372036854775807', '9223372036854775808',
  '18446744073709551615', '18446744073709551616', '-9223372036854775808', '-9223372036854775809', '2024-02-30', '2024-2-3',
  '2024-01-01 10:00:00', '2024-01-01t10:00:00Z', '2024-01-01T10:00:00', '2024-01-01 10:00:00Z', '1:2:3', '-1:30', '1:60', '+.INF',
  '.NaN', 'nan', 'inf', 'Infinity', '1e-400', '0x1p-2', '0X1F', '0B1', '0O7', 'On', 'OFF', 'Off', 'oN', 'yES', '<', '=', '<<<',
];

const LONG_WORDS = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit', 'sed', 'do'];

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)];
}

/** The generated strings: unique, `$`-free (docker would interpolate it), in a fixed order. */
export function generatedStrings(): string[] {
  const rnd = random(STRINGS_SEED);
  const out = new Set<string>(WHOLE);
  // A newline, a space, a tab and a `#`/`: ` at every position of some words and sentences.
  const bases = ['abcdef', 'hello world', 'a: b # c', "it's \"quoted\"", 'x'.repeat(20), 'echo hi; exit 0'];
  for (const base of bases) {
    for (let i = 0; i <= base.length; i++) {
      for (const insert of ['\n', '\n\n', ' ', ' \n', '\n ', '\t', '#', ' #', ': ', '\u2028', '\r']) out.add(base.slice(0, i) + insert + base.slice(i));
    }
  }
  // Long lines, with and without spaces, past yaml.v3's usual 80 columns and its 128-byte simple-key limit.
  for (let n = 60; n <= 200; n += 7) {
    let sentence = '';
    while (sentence.length < n) sentence += `${pick(rnd, LONG_WORDS)} `;
    out.add(sentence.trimEnd());
    out.add(sentence);
    out.add('y'.repeat(n));
    out.add(`${sentence}\n${sentence.trimEnd()}`);
  }
  while (out.size < 11000) {
    const parts = 1 + Math.floor(rnd() * 6);
    let s = '';
    for (let i = 0; i < parts; i++) s += pick(rnd, ATOMS);
    out.add(s);
  }
  return [...out].filter((s) => !s.includes('$'));
}

/** A YAML double-quoted scalar that reads back as exactly `s` (printable ASCII as is, the rest escaped). */
export function yamlInputQuoted(s: string): string {
  let out = '"';
  for (const c of s) {
    const code = c.codePointAt(0)!;
    if (c === '"' || c === '\\') out += `\\${c}`;
    else if (code >= 0x20 && code <= 0x7e) out += c;
    else out += `\\U${code.toString(16).toUpperCase().padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** The label name of the i-th string of a file: sorted by yaml.v3 in the same order as i. */
export function labelName(i: number): string {
  return `k${String(i).padStart(5, '0')}`;
}

/** Whether docker's schema takes the string as a label name (patternProperties `^.+$`: no \n, not empty). */
export function usableAsKey(s: string): boolean {
  return s !== '' && !s.includes('\n');
}

/**
 * A compose file with `strings` as label values of service `values`, those usable as names as label keys of
 * service `keys` (yaml.v3 writes keys over 128 bytes as `? key` / `: value`), and all as the `command` list
 * items of service `items` (a sequence: `- ` before each).
 */
export function composeFileFor(strings: readonly string[]): string {
  const lines = ['version: "3.8"', 'services:', '  values:', '    image: alpine', '    labels:'];
  strings.forEach((s, i) => lines.push(`      ${labelName(i)}: ${yamlInputQuoted(s)}`));
  lines.push('  keys:', '    image: alpine', '    labels:');
  strings.forEach((s, i) => {
    if (usableAsKey(s)) lines.push(`      ${yamlInputQuoted(s)}: ${labelName(i)}`);
  });
  lines.push('  items:', '    image: alpine', '    command:');
  for (const s of strings) lines.push(`      - ${yamlInputQuoted(s)}`);
  return `${lines.join('\n')}\n`;
}

/** The generated strings in files of STRINGS_PER_FILE. */
export function generatedFiles(): Array<{ strings: string[]; text: string }> {
  const all = generatedStrings();
  const files: Array<{ strings: string[]; text: string }> = [];
  for (let i = 0; i < all.length; i += STRINGS_PER_FILE) {
    const strings = all.slice(i, i + STRINGS_PER_FILE);
    files.push({ strings, text: composeFileFor(strings) });
  }
  return files;
}
