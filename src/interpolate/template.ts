// docker CLI's variable substitution for one string value (template.Substitute), quirks included.
import { goQuote } from './go-strconv.js';
import { parseSubstitution, scanTemplate } from './scan.js';
import type { Operator, TemplateToken } from './scan.js';

export type { Operator } from './scan.js';

/** Returns the variable's value, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

/** One `$NAME` / `${…}` reference as docker evaluated it. */
export interface VariableUse {
  /** The name docker looked up (after its own, sometimes surprising, parse). */
  variable: string;
  /** Offsets of the whole reference in the template (`$` included, end exclusive). */
  start: number;
  end: number;
  form: 'braced' | 'unbraced';
  /** The operator docker applied, which may differ from the one the author meant (see pitfalls). */
  operator?: Operator;
  /** Default value (`:-`, `-`) or error message (`:?`, `?`). */
  argument?: string;
  /** Whether the variable was set (possibly to ""). */
  set: boolean;
}

export interface InterpolationError {
  /** docker's full line, e.g. `invalid interpolation format for services.web.image: "…"; you may …`. */
  dockerMessage: string;
  /** What docker quotes in that line: the whole template, or `required variable X is missing a value: msg`. */
  template: string;
  kind: 'invalid-format' | 'required-missing';
}

export interface InterpolationResult {
  /** The substituted text, as docker computes it (failed parts are empty). */
  value: string;
  uses: VariableUse[];
  /** Set when docker would reject this value. */
  error?: InterpolationError;
  /** The result would be longer than `maxLength`: `value` is the template as written, unsubstituted. */
  tooLong?: boolean;
}

/**
 * The longest value substitution may build (UTF-16 units): `${A}` a thousand times over a 64 KiB variable is a
 * 64 MB value, and a file of such values exhausts memory. Longer results are left as written and reported.
 */
export const MAX_INTERPOLATED_LENGTH = 1024 * 1024;

export interface InterpolateStringOptions {
  /** docker's dotted path of the value, used in `error.dockerMessage` (default `value`). */
  dockerPath?: string;
  /** Default MAX_INTERPOLATED_LENGTH. */
  maxLength?: number;
}

/** docker's wording for a failed substitution at `dockerPath`. */
export function invalidFormatMessage(dockerPath: string, template: string): string {
  return `invalid interpolation format for ${dockerPath}: ${goQuote(template)}; you may need to escape any $ with another $`;
}

interface Evaluated {
  value: string;
  use: VariableUse;
  /** Set when a required variable is missing. */
  missing?: string;
}

function evaluate(token: TemplateToken, lookup: Lookup): Evaluated {
  const parsed = parseSubstitution(token.body!);
  const found = lookup(parsed.variable);
  const use: VariableUse = {
    variable: parsed.variable,
    start: token.start,
    end: token.end,
    form: token.kind === 'braced' ? 'braced' : 'unbraced',
    set: found !== undefined,
  };
  if (parsed.operator) {
    use.operator = parsed.operator;
    use.argument = parsed.argument;
  }
  const argument = parsed.argument ?? '';
  switch (parsed.operator) {
    case ':-':
      return { value: found ? found : argument, use };
    case '-':
      return { value: found ?? argument, use };
    case ':?':
    case '?': {
      const ok = parsed.operator === '?' ? found !== undefined : !!found;
      if (ok) return { value: found!, use };
      return { value: '', use, missing: `required variable ${parsed.variable} is missing a value: ${argument}` };
    }
    default:
      return { value: found ?? '', use };
  }
}

/**
 * Substitutes variables in one value exactly as docker's CLI does. Quirks kept on purpose:
 * the error state is overwritten by every later substitution (so a later success hides an
 * earlier failure), an invalid `$` vanishes from the output, and unset variables become "".
 */
export function interpolateString(template: string, lookup: Lookup, options: InterpolateStringOptions = {}): InterpolationResult {
  const parts: string[] = [];
  const uses: VariableUse[] = [];
  const maxLength = options.maxLength ?? MAX_INTERPOLATED_LENGTH;
  let length = template.length; // an upper bound of the text kept from the template, plus what substitution adds
  let failure: { template: string; kind: InterpolationError['kind'] } | undefined;
  let last = 0;
  for (const token of scanTemplate(template)) {
    parts.push(template.slice(last, token.start));
    last = token.end;
    if (token.kind === 'escape') {
      parts.push('$');
    } else if (token.kind === 'invalid') {
      failure = { template, kind: 'invalid-format' };
    } else {
      const result = evaluate(token, lookup);
      uses.push(result.use);
      length += result.value.length;
      if (length > maxLength) return { value: template, uses, tooLong: true };
      parts.push(result.value);
      failure = result.missing === undefined ? undefined : { template: result.missing, kind: 'required-missing' };
    }
  }
  parts.push(template.slice(last));
  const out: InterpolationResult = { value: parts.join(''), uses };
  if (failure) {
    out.error = { ...failure, dockerMessage: invalidFormatMessage(options.dockerPath ?? 'value', failure.template) };
  }
  return out;
}
