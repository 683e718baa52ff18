// Which single schema error docker prints, and how (cli/compose/schema/schema.go: toError,
// getMostSpecificError, getDescription, humanReadableType).
import { errorField } from './gojsonschema.js';
import type { GoSchemaError } from './gojsonschema.js';

/** "object" → "mapping", "array" → "list", "[string,number]" → "string or number". */
export function humanReadableType(definition: string): string {
  if (definition.startsWith('[')) {
    const all = definition.slice(1, -1).split(',').map(humanReadableType);
    return `${all.slice(0, -1).join(', ')} or ${all[all.length - 1]}`;
  }
  if (definition === 'object') return 'mapping';
  if (definition === 'array') return 'list';
  return definition;
}

function specificity(error: GoSchemaError): number {
  return errorField(error).split('.').length;
}

function isAlternatives(error: GoSchemaError): boolean {
  return error.type === 'number_one_of' || error.type === 'number_any_of';
}

/** The deepest error; on a tie a later invalid_type beats anything else, otherwise the first wins. */
function mostSpecificIndex(errors: GoSchemaError[]): number {
  let best = 0;
  errors.forEach((error, i) => {
    const delta = specificity(error) - specificity(errors[best]);
    if (delta > 0 || (delta === 0 && error.type === 'invalid_type' && errors[best].type !== 'invalid_type')) best = i;
  });
  return best;
}

function describe(parent: GoSchemaError, child: GoSchemaError | undefined): string {
  if (parent.type === 'invalid_type' && typeof parent.details.expected === 'string') {
    return `must be a ${humanReadableType(parent.details.expected)}`;
  }
  // For oneOf/anyOf docker shows the description of whatever error comes next in the list.
  if (isAlternatives(parent) && child) return child.description;
  return parent.description;
}

/** The line docker prints for a failed validation, e.g. `services.web.ports must be a list`. */
export function dockerSchemaMessage(errors: GoSchemaError[]): string | undefined {
  if (errors.length === 0) return undefined;
  const i = mostSpecificIndex(errors);
  const parent = errors[i];
  const child = isAlternatives(parent) ? errors[i + 1] : undefined;
  return `${errorField(parent)} ${describe(parent, child)}`;
}
