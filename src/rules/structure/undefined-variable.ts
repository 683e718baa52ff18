// undefined-variable: a `${VAR}` without a default that nothing in the recipe sets — .env.sample (a
// commented `#VAR=` line counts), abra.sh, or STACK_NAME — so it silently becomes "".
import { defineRule } from '../rule.js';
import { dollarScans, labelDollarUses, variableDefined } from './variables.js';
import { deployLookup, loadedComposeFiles, positionInValue, positionOf, showPath } from '../kit/files.js';

/** `${X_VERSION}` in a top-level secret or config `name:`: secret-version-var and R012 report those. */
function versionOfName(path: readonly (string | number)[], variable: string): boolean {
  return path.length === 3 && (path[0] === 'secrets' || path[0] === 'configs') && path[2] === 'name' && variable.endsWith('_VERSION');
}

export default defineRule({
  meta: {
    id: 'undefined-variable',
    name: 'undefined-variable',
    level: 'warn',
    description:
      'A `${VAR}` without a default is used in a compose file, but .env.sample does not set it (not even commented), abra.sh does not export it, and it is not STACK_NAME.',
    details: [
      'docker replaces a variable that is not set with an empty string, with only a warning on the operator\'s terminal.',
      'Operators build their app\'s env file from `.env.sample`, so a variable the sample does not mention is one they',
      'will not know to set: an image tag, a domain or a secret version silently becomes "".',
      '',
      'A variable counts as defined when .env.sample sets it (a commented `#VAR=value` line documents an optional one),',
      'when abra.sh assigns or exports it, or when it is STACK_NAME (abra sets it). References with a default',
      '(`${VAR:-x}`, `${VAR-x}`) are fine; required ones (`${VAR:?msg}`) are reported by `interpolation`; an unbraced',
      '`$word` in a label is reported by `interpolation` as a literal `$` that needs `$$`. A recipe without .env.sample is',
      'not checked (R008 reports the missing file). Version variables in secret and config names (`${SECRET_X_VERSION}`)',
      'are left to `secret-version-var` and `R012`, which know where each belongs.',
      '',
      'A plain stack (not a recipe) that keeps a `.env.sample` is checked too, as an info: docker stack reads no env',
      'file, so the variable must come from the deploying shell or CI, and the sample is where operators look for it.',
      'What every deploying shell sets (`PWD`, and a login shell\'s `HOME`, `USER`, `LOGNAME`, `SHELL`, `PATH`) is never',
      'reported there.',
    ].join('\n'),
    fix: 'Add the variable to .env.sample (commented, `#VAR=value`, if it is optional), or give it a default: `${VAR:-value}`.',
  },
  check(ctx) {
    // Without a .env.sample every variable is undocumented: R008 reports the missing file instead.
    if (!ctx.recipe.envSample) return;
    const lookup = deployLookup(ctx);
    const defined = variableDefined(ctx);
    const plain = ctx.recipe.kind === 'plain';
    for (const { file, doc, data } of loadedComposeFiles(ctx)) {
      const seen = new Set<string>();
      for (const scan of dollarScans(data, lookup)) {
        const { path, value } = scan;
        if (scan.uses.length === 0) continue;
        const literalDollars = new Set(labelDollarUses(scan, defined));
        for (const use of scan.uses) {
          if (use.operator || literalDollars.has(use) || defined(use.variable)) continue;
          if (versionOfName(path, use.variable)) continue;
          const where = showPath(path);
          const key = `${where}\u0000${use.variable}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const literal = use.form === 'unbraced' && /[a-z]/.test(use.variable) ? ` (if "$${use.variable}" is meant literally, write "$$${use.variable}")` : '';
          ctx.report({
            message: plain
              ? `${where} uses the variable ${use.variable}, which .env.sample does not set (not even commented): the deploying shell or CI must set it (docker stack reads no .env file), else it becomes ""${literal}`
              : `${where} uses the variable ${use.variable}, which .env.sample does not set (not even commented) and abra.sh does not export: it becomes ""${literal}`,
            fix: `Add \`${use.variable}=…\` to .env.sample (commented, \`#${use.variable}=…\`, if it is optional), or give it a default: \`\${${use.variable}:-value}\`.`,
            ...(plain ? { severity: 'info' as const } : {}),
            file,
            ...(positionInValue(doc, path, use.start, use.end) ?? positionOf(doc, path) ?? { line: 1, column: 1 }),
            logicalPath: `${where}:$${use.variable}`,
          });
        }
      }
    }
  },
});
