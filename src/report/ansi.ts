// Minimal ANSI styling; the caller decides whether colour is wanted (NO_COLOR, TTY) and passes a flag.
export interface Paint {
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  underline(s: string): string;
}

export function paint(color: boolean): Paint {
  const style = (open: number, close: number) => (s: string) => (color && s ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return {
    red: style(31, 39),
    yellow: style(33, 39),
    cyan: style(36, 39),
    green: style(32, 39),
    dim: style(2, 22),
    bold: style(1, 22),
    underline: style(4, 24),
  };
}

/** Text without ANSI escapes, for measuring and for tests. */
export function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}
