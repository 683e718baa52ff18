// Substitutions docker accepts silently but that almost certainly do not do what the author meant.
import { parseSubstitution, scanTemplate } from './scan.js';
import type { TemplateToken } from './scan.js';

export type PitfallKind =
  /** `${X:?msg}` whose message contains `-`: docker reads it as a default, X is never required. */
  | 'dash-in-required-message'
  /** `$X-…`, `$X:-…`, `$X?…`: an unbraced operator swallows the rest of the value (up to a `}`). */
  | 'unbraced-operator-swallows'
  /** A `$` that starts no valid reference (`$`, `$1`, `${}`, `${X:+y}`, trailing `$`…). */
  | 'invalid-dollar'
  /** `${A:-${B}}`: references do not nest; the default is cut at the first `}`. */
  | 'nested-reference';

export interface InterpolationPitfall {
  kind: PitfallKind;
  /** Offsets in the template (end exclusive). */
  start: number;
  end: number;
  explanation: string;
}

function requiredMessagePitfall(token: TemplateToken): InterpolationPitfall | undefined {
  const body = token.body!;
  const required = /^[^:?-]*(:\?|\?)/.exec(body);
  const parsed = parseSubstitution(body);
  if (!required || (parsed.operator !== '-' && parsed.operator !== ':-')) return undefined;
  return {
    kind: 'dash-in-required-message',
    start: token.start,
    end: token.end,
    explanation:
      `docker checks for "-" before "?", so this is read as a default for a variable named ` +
      `"${parsed.variable}": the check never fails and the value becomes "${parsed.argument}". ` +
      'Remove the "-" from the message.',
  };
}

function unbracedPitfall(token: TemplateToken, template: string): InterpolationPitfall | undefined {
  const parsed = parseSubstitution(token.body!);
  if (!parsed.operator) return undefined;
  const name = /^[^:?-]*/.exec(token.body!)![0];
  return {
    kind: 'unbraced-operator-swallows',
    start: token.start,
    end: token.end,
    explanation:
      `"${template.slice(token.start, token.end)}" is read as "\${${token.body}}": everything after $${name}` +
      ' up to the next "}" or the end of the value becomes part of the reference. Use braces: ${' + name + '}…',
  };
}

function nestedPitfall(token: TemplateToken): InterpolationPitfall | undefined {
  const parsed = parseSubstitution(token.body!);
  if (!parsed.argument?.includes('${')) return undefined;
  return {
    kind: 'nested-reference',
    start: token.start,
    end: token.end,
    explanation:
      'docker does not nest references: the inner "${" is literal text and the outer reference ends at' +
      ' the first "}", so the rest of the value is left over as text.',
  };
}

function invalidPitfall(token: TemplateToken, template: string, errorHidden: boolean): InterpolationPitfall {
  const what = token.end >= template.length ? 'a trailing "$"' : `"$" followed by "${template[token.end]}"`;
  const outcome = errorHidden
    ? 'docker silently drops this "$" (a later reference in the same value hides the error)'
    : 'docker rejects the value ("invalid interpolation format")';
  return {
    kind: 'invalid-dollar',
    start: token.start,
    end: token.end,
    explanation: `${what} is not a variable reference: ${outcome}. Write "$$" for a literal "$".`,
  };
}

/** The silent pitfalls in one value, in order of position. */
export function findInterpolationPitfalls(template: string): InterpolationPitfall[] {
  const tokens = scanTemplate(template);
  const pitfalls: InterpolationPitfall[] = [];
  // docker keeps only the error state of the last reference or invalid `$` in the value.
  const decisive = tokens.filter((t) => t.kind !== 'escape').pop();
  const errorHidden = decisive !== undefined && decisive.kind !== 'invalid';
  for (const token of tokens) {
    if (token.kind === 'invalid') pitfalls.push(invalidPitfall(token, template, errorHidden));
    if (token.kind !== 'braced' && token.kind !== 'unbraced') continue;
    const found = [
      requiredMessagePitfall(token),
      token.kind === 'unbraced' ? unbracedPitfall(token, template) : undefined,
      nestedPitfall(token),
    ];
    for (const p of found) if (p) pitfalls.push(p);
  }
  return pitfalls;
}
