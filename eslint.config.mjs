// One guarantee is checked here, not style: no regular expression in stacklint backtracks super-linearly,
// so no crafted compose file, label, template, README or abra.sh can make a lint hang. eslint-plugin-regexp
// proves it for every pattern it can read; `static-regexp` refuses the patterns it cannot read (built at run
// time), which must be literals or use a scanner instead. `npm test` runs this (`npm run lint:regexp`).
import { getStaticValue } from '@eslint-community/eslint-utils';
import tsParser from '@typescript-eslint/parser';
import regexp from 'eslint-plugin-regexp';

/** `new RegExp(x)` / `RegExp(x)` whose pattern is not a constant of this file: eslint-plugin-regexp skips it. */
const staticRegexp = {
  meta: {
    type: 'problem',
    docs: { description: 'RegExp patterns must be constants of the file so their backtracking can be checked' },
    messages: {
      dynamic:
        'this pattern is built at run time, so no tool can check its backtracking: write a regex literal (or a constant of this file), or match with a scanner',
    },
    schema: [],
  },
  create(context) {
    function check(node) {
      if (node.callee.type !== 'Identifier' || node.callee.name !== 'RegExp') return;
      const pattern = node.arguments[0];
      if (!pattern) return;
      if (pattern.type === 'Literal' && pattern.regex) return;
      if (getStaticValue(pattern, context.sourceCode.getScope(node)) === null) context.report({ node: pattern, messageId: 'dynamic' });
    }
    return { NewExpression: check, CallExpression: check };
  },
};

export default [
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/**', 'scripts/**', 'tests/**', 'fixtures/**', '.scratch/**'] },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx', 'cli/**/*.ts', 'cli/**/*.tsx'],
    languageOptions: { parser: tsParser, ecmaVersion: 'latest', sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { regexp, stacklint: { rules: { 'static-regexp': staticRegexp } } },
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { report: 'potential', ignorePartial: false }],
      'stacklint/static-regexp': 'error',
    },
  },
];
