// Small linear-time text helpers for the places a regular expression would backtrack on hostile text
// (`/0+$/`, `/\s*\n\s*/`: quadratic on a long run that does not end where the pattern needs it to).

/** `text` without the trailing run of `char`. */
export function trimTrailing(text: string, char: string): string {
  let end = text.length;
  while (end > 0 && text[end - 1] === char) end--;
  return text.slice(0, end);
}

/** Each run of white space that holds a line break becomes one space (other runs stay as written). */
export function foldLineBreaks(text: string): string {
  return text.replace(/\s+/g, (run) => (run.includes('\n') ? ' ' : run));
}
