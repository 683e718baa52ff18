// R001 compose-version: every compose file abra lints declares `version: "3.8"`.
import { asMapping, positionOf } from '../../load/path.js';
import { goFormatValue } from '../../schema/index.js';
import { defineRule } from '../rule.js';
import { code } from '../kit/views.js';
import { insertVersionEdit } from '../kit/edits.js';
import type { TextEdit } from '../types.js';

function editsOf(edit: TextEdit | undefined): TextEdit[] | undefined {
  return edit ? [edit] : undefined;
}

export const EXPECTED_VERSION = '3.8';

export default defineRule({
  meta: {
    id: 'R001',
    name: 'compose-version',
    level: 'warn',
    fixable: true,
    description: 'Every compose file abra lints (top-level `compose*yml`) declares `version: "3.8"`.',
    details: [
      'abra\'s rule R001 ("compose config has expected version"). Co-op Cloud recipes pin the compose file format to',
      '3.8 so that every overlay agrees with the base file: docker refuses to merge files whose versions differ',
      '("version mismatched between two composefiles"), and a missing `version` means "the newest 3.x" to docker,',
      'which is not what the other files say. Judged on the files of the `abra` view, one finding per file.',
    ].join('\n'),
    fix: 'Set `version: "3.8"` at the top of the file.',
  },
  check(ctx) {
    const abra = ctx.views.find((v) => v.kind === 'abra');
    if (!abra) return;
    for (const file of abra.files) {
      const doc = ctx.recipe.composeFile(file)?.doc;
      if (!doc || doc.errors.length > 0) continue;
      const data = asMapping(doc.data);
      if (!data) continue;
      if (!Object.hasOwn(data, 'version')) {
        ctx.report({
          message: `${file} has no \`version\`; abra expects "${EXPECTED_VERSION}"`,
          view: abra,
          file,
          line: 1,
          column: 1,
          logicalPath: 'version',
          fix: `Add \`version: "${EXPECTED_VERSION}"\` as the first key of the file.`,
          edits: editsOf(insertVersionEdit(doc, file, EXPECTED_VERSION)),
        });
        continue;
      }
      const version = goFormatValue(data.version);
      if (version === EXPECTED_VERSION) continue;
      ctx.report({
        message: `${file} declares version ${code(version)}; abra expects "${EXPECTED_VERSION}"`,
        view: abra,
        file,
        ...(positionOf(doc, ['version'], 'value') ?? { line: 1, column: 1 }),
        logicalPath: 'version',
      });
    }
  },
});
