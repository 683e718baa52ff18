// A small, strict argument parser: unknown options are usage errors, never silently ignored.

export class UsageError extends Error {}

export interface OptionSpec {
  /** Long name without dashes, e.g. 'compose-file'. */
  name: string;
  short?: string;
  /** 'boolean' flags take no value; 'string' takes one; 'list' is repeatable and splits on commas when `split`. */
  type: 'boolean' | 'string' | 'list';
  split?: boolean;
  description: string;
  valueName?: string;
}

export interface ParsedArgs {
  options: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[]): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
      spec = byLong.get(name);
      if (!spec) throw new UsageError(`unknown option --${name}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      const name = arg[1];
      spec = byShort.get(name);
      if (!spec) throw new UsageError(`unknown option -${name}`);
      if (arg.length > 2) inline = arg[2] === '=' ? arg.slice(3) : arg.slice(2);
    } else {
      positionals.push(arg);
      continue;
    }
    if (spec.type === 'boolean') {
      if (inline !== undefined && !['true', 'false'].includes(inline)) {
        throw new UsageError(`option --${spec.name} takes no value`);
      }
      options[spec.name] = inline !== 'false';
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length) throw new UsageError(`option --${spec.name} needs a value`);
      value = argv[++i];
    }
    if (spec.type === 'string') {
      options[spec.name] = value;
    } else {
      const list = (options[spec.name] as string[] | undefined) ?? [];
      list.push(...(spec.split ? value.split(',').filter((v) => v !== '') : [value]));
      options[spec.name] = list;
    }
  }
  return { options, positionals };
}

/** Formats the options table for --help. */
export function formatOptions(specs: readonly OptionSpec[]): string {
  const rows = specs.map((s) => {
    const flag = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.type === 'boolean' ? '' : ` ${s.valueName ?? 'VALUE'}`}`;
    return [flag, s.description] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`).join('\n');
}
