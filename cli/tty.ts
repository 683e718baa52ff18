import { isTerminal } from './output.js';

/** Colour on a TTY unless NO_COLOR is set; --color / --no-color override. */
export function useColor(options: Record<string, unknown>): boolean {
  if (options['no-color']) return false;
  if (options.color) return true;
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return isTerminal(1);
}
