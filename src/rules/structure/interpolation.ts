// interpolation: `${…}` that docker rejects (error), and substitutions docker accepts silently but that
// do not do what they look like (warnings), positioned inside the value where the source allows.
import type { FileDoc, Path } from '../../load/types.js';
import { interpolateString, MAX_INTERPOLATED_FILE_LENGTH, MAX_INTERPOLATED_LENGTH } from '../../interpolate/index.js';
import { defineRule } from '../rule.js';
import type { RuleContext, TextEdit } from '../rule.js';
import { valueOffsets } from '../kit/edits.js';
import { dollarScans, labelDollarUses, variableDefined } from './variables.js';
import { deployLookup, loadedComposeFiles, positionInValue, positionOf, code, showPath, valueAt } from '../kit/files.js';
import type { Position } from '../kit/files.js';

const FIX: Record<string, string> = {
  'invalid-dollar': 'Write `$$` for a literal `$`, or `${NAME}` for a variable.',
  'dash-in-required-message':
    'Remove every `-` from the error message of `${X:?message}` (docker looks for `-` before `?` and turns the whole thing into a default).',
  'unbraced-operator-swallows': 'Put the variable in braces: `${NAME}-text` instead of `$NAME-text`.',
  'nested-reference': 'docker does not nest references: set the default in .env.sample instead of `${A:-${B}}`, or use a literal default.',
  'label-dollar': 'Write `$$` for each literal `$` in the label (htpasswd hashes: `$$apr1$$…`).',
};

function pos(doc: FileDoc, path: Path, start: number, end: number): Position {
  return positionInValue(doc, path, start, end) ?? positionOf(doc, path) ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
}

/** Pitfalls reported per value: a value with thousands is hostile or generated, and the first few say it all. */
const MAX_PITFALLS_PER_VALUE = 20;
/** Quoted text in a message is cut beyond this many characters. */
const MAX_QUOTED = 200;

function clip(text: string): string {
  return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

function fileChecks(ctx: RuleContext): void {
  const lookup = deployLookup(ctx);
  const defined = variableDefined(ctx);
  for (const { file, doc, data } of loadedComposeFiles(ctx)) {
    const seen = new Set<string>();
    // Values are keyed by a small id: a key holding the value itself costs its length per pitfall.
    const valueIds = new Map<string, number>();
    const report = (path: Path, value: string, kind: string, start: number, end: number, message: string, severity: 'error' | 'warning', dollars: number[] = []) => {
      let id = valueIds.get(value);
      if (id === undefined) valueIds.set(value, (id = valueIds.size));
      const key = `${kind}\u0000${id}\u0000${start}`;
      if (seen.has(key)) return; // the same value again through a YAML alias
      seen.add(key);
      ctx.report({
        message,
        fix: kind === 'nested-reference' && ctx.recipe.kind === 'plain'
          ? 'docker does not nest references: set the default in the deploying shell instead of `${A:-${B}}`, or use a literal default.'
          : FIX[kind],
        file,
        ...pos(doc, path, start, end),
        logicalPath: `${showPath(path)}:${kind}:${clip(value.slice(start, end))}`,
        severity,
        edits: escapeDollarEdits(doc, file, path, dollars),
      });
    };
    for (const scan of dollarScans(data, lookup)) {
      const { path, value } = scan;
      const rejected = scan.pitfalls.length > 0 && interpolateString(value, lookup).error?.kind === 'invalid-format';
      for (const p of scan.pitfalls.slice(0, MAX_PITFALLS_PER_VALUE)) {
        const text = clip(value.slice(p.start, p.end));
        if (p.kind === 'invalid-dollar') {
          // A bare `$` (not `${…}`) was meant literally: `$$` keeps it. `${}` and `${X:+y}` need a decision.
          const bare = value[p.start] === '$' && value[p.start + 1] !== '{';
          report(path, value, p.kind, p.start, p.end, `${showPath(path)}: ${p.explanation}`, rejected ? 'error' : 'warning', bare ? [p.start] : []);
        } else {
          report(path, value, p.kind, p.start, p.end, `${showPath(path)}: ${code(text)}: ${p.explanation}`, 'warning');
        }
      }
      const literal = labelDollarUses(scan, defined);
      if (literal.length > 0) {
        const first = literal[0];
        const texts = literal.slice(0, MAX_PITFALLS_PER_VALUE).map((u) => code(clip(value.slice(u.start, u.end))));
        const names = [...new Set(literal.slice(0, MAX_PITFALLS_PER_VALUE).map((u) => u.variable))];
        report(
          path,
          value,
          'label-dollar',
          first.start,
          first.end,
          `${showPath(path)}: ${texts.join(', ')} ${texts.length === 1 ? 'is read as a variable' : 'are read as variables'} (${names.join(', ')}) that nothing sets, so docker replaces ${texts.length === 1 ? 'it' : 'them'} with "": a literal "$" in a label must be written "$$"`,
          'warning',
          literal.map((u) => u.start),
        );
      }
    }
  }
}

/** `$` → `$$` at each offset of the value, when the value is written as itself (else no edit). */
function escapeDollarEdits(doc: FileDoc, file: string, path: Path, dollars: number[]): TextEdit[] | undefined {
  if (dollars.length === 0) return undefined;
  const edits: TextEdit[] = [];
  for (const at of dollars) {
    const offsets = valueOffsets(doc, path, at, at);
    if (!offsets) return undefined;
    edits.push({ file, start: offsets.start, end: offsets.start, text: '$' });
  }
  return edits;
}

/** Failures that depend on the view's environment: required variables without a value, failed casts. */
function viewChecks(ctx: RuleContext): void {
  for (const view of ctx.views) {
    for (const stages of view.stages) {
      const doc = ctx.recipe.composeFile(stages.file)?.doc;
      if (!doc) continue;
      for (const path of stages.interpolationTooLong) {
        const raw = valueAt(doc.data, path);
        const where = showPath(path);
        ctx.report({
          message: `${where}: substituting the variables would make this value longer than ${MAX_INTERPOLATED_LENGTH / (1024 * 1024)} MiB (or the file's values longer than ${MAX_INTERPOLATED_FILE_LENGTH / (1024 * 1024)} MiB) in this view; it is linted as written, not substituted`,
          fix: `Keep variables that grow by repetition out of compose values: set the value itself in ${ctx.recipe.kind === 'plain' ? 'the deploying shell' : '.env.sample'}.`,
          file: stages.file,
          ...pos(doc, path, 0, typeof raw === 'string' ? raw.length : 0),
          logicalPath: `${where}:too-long`,
          severity: 'warning',
          view,
        });
      }
      for (const error of stages.interpolationErrors) {
        const raw = valueAt(doc.data, error.path);
        if (typeof raw !== 'string') continue;
        const evaluated = interpolateString(raw, view.env);
        const where = showPath(error.path);
        if (evaluated.error?.kind === 'invalid-format') continue; // reported per file
        if (evaluated.error?.kind === 'required-missing') {
          const use = [...evaluated.uses].reverse().find((u) => (u.operator === '?' ? !u.set : u.operator === ':?' && !view.env(u.variable)));
          const start = use?.start ?? 0;
          const end = use?.end ?? raw.length;
          const variable = use?.variable ?? '';
          if (ctx.recipe.kind === 'plain') {
            // A plain stack has no .env.sample: the deploying shell or CI sets its variables (docker stack reads no .env).
            ctx.report({
              message: `${where}: ${code(clip(raw.slice(start, end)))} requires ${variable}, which the deploying shell must set (docker stack reads no .env file): without it docker fails with "required variable ${variable} is missing a value"`,
              fix: `Export ${variable} in the shell or CI job that runs \`docker stack deploy\`, and document it beside the stack.`,
              file: stages.file,
              ...pos(doc, error.path, start, end),
              logicalPath: `${where}:required:${variable}`,
              severity: 'info',
              view,
            });
            continue;
          }
          ctx.report({
            message: `${where}: ${code(clip(raw.slice(start, end)))} requires ${variable}, which .env.sample does not set for this view: docker fails with "required variable ${variable} is missing a value"`,
            fix: `Document ${variable} in .env.sample (\`${variable}=…\`, or commented \`#${variable}=…\` for an optional setting).`,
            file: stages.file,
            ...pos(doc, error.path, start, end),
            logicalPath: `${where}:required:${variable}`,
            view,
          });
          continue;
        }
        // Substitution worked, the typed cast failed.
        const unset = [...new Set(evaluated.uses.filter((u) => view.env(u.variable) === undefined).map((u) => u.variable))];
        if (ctx.recipe.kind === 'plain' && unset.length > 0) {
          // Unset here, but a plain stack's variables come from the deploying shell: name them and where they come from.
          ctx.report({
            message: `${where}: ${code(clip(raw))} is empty while ${unset.join(', ')} ${unset.length === 1 ? 'is' : 'are'} unset, which docker cannot use here: the deploying shell must set ${unset.length === 1 ? 'it' : 'them'} (docker stack reads no .env file)`,
            fix: `Export ${unset.join(', ')} in the shell or CI job that runs \`docker stack deploy\`, or give a default (\`\${NAME:-…}\`) that fits the field.`,
            file: stages.file,
            ...pos(doc, error.path, 0, raw.length),
            logicalPath: `${where}:cast`,
            severity: 'info',
            view,
          });
          continue;
        }
        ctx.report({
          message: `${where}: ${code(clip(raw))} becomes ${clip(JSON.stringify(evaluated.value))} in this view, which docker cannot use here (${error.dockerMessage.replace(/^.*failed to cast to expected type: /, '')})`,
          fix: `Give the variable a valid value in ${ctx.recipe.kind === 'plain' ? 'the deploying shell' : '.env.sample'}, or a default (\`\${NAME:-3}\`) that fits the field.`,
          file: stages.file,
          ...pos(doc, error.path, 0, raw.length),
          logicalPath: `${where}:cast`,
          view,
        });
      }
    }
  }
}

export default defineRule({
  meta: {
    id: 'interpolation',
    name: 'interpolation',
    level: 'error',
    fixable: true,
    description:
      'Variable substitutions must be valid `${…}` (error), and must not rely on silent quirks: `${X:?msg - with dash}`, unbraced `$VAR-text`, nested `${A:-${B}}`, a bare `$` in a label (warnings).',
    details: [
      "docker substitutes `$NAME` and `${…}` in every value of each compose file before validating it. A `$` that starts no",
      'valid reference (`$1`, a trailing `$`, `${}`, `${X:+y}`) makes docker refuse the file — unless a later reference in the',
      'same value succeeds, in which case the `$` silently disappears.',
      '',
      'Quirks docker accepts without a word:',
      '- `${X:?message - with a dash}`: docker looks for `-` before `?`, so this is a default for a variable that is never set;',
      '  the check never fails and the value becomes the message text.',
      '- `$VAR-text` or `$VAR:-x`: the unbraced form takes everything up to the next `}` as operator text.',
      '- `${A:-${B}}`: references do not nest; the default is cut at the first `}`.',
      '- A `$` in a label value (htpasswd hashes `$apr1$…`, regexes) reads as a variable that nothing sets and becomes "":',
      '  write `$$`.',
      '',
      'Also reported per view: a required variable (`${X:?…}`) that the view\'s environment does not set, and a value whose',
      'substitution cannot be converted to the type docker needs (`replicas: ${N}` with N unset). The `abra` view reads only',
      '.env.sample\'s active lines (as `abra recipe lint` does); the deploy views also count commented `#X=value` lines and',
      'abra.sh exports — so a required variable reported for `abra` only is documented, but only as a comment.',
    ].join('\n'),
    fix: 'Write `$$` for a literal `$`, use braces for variables, and keep `-` out of `:?` messages.',
  },
  check(ctx) {
    fileChecks(ctx);
    viewChecks(ctx);
  },
});
