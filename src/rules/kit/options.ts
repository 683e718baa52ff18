// Reading a rule's options from the configuration: a wrong type falls back to the default.

/** A rule option that must be a string, or the default. */
export function stringOption(options: Record<string, unknown>, name: string, fallback: string): string {
  const v = options[name];
  return typeof v === 'string' && v !== '' ? v : fallback;
}

/** A rule option that must be a positive number, or the default. */
export function numberOption(options: Record<string, unknown>, name: string, fallback: number): number {
  const v = options[name];
  return typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback;
}
