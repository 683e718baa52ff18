// R014 annotated-tags: every git tag of the recipe repository is annotated (needs --git).
import { defineRule } from '../rule.js';
import type { Rule } from '../rule.js';
import { code, recipeAnchorFile } from '../kit/views.js';
import { gitForEachRefTags } from './git-tags.js';
import type { GitTag, GitTagResult, ReadGitTags } from './git-tags.js';

export { gitForEachRefTags };
export type { GitTag, GitTagResult, ReadGitTags };

/** Builds R014 with an injectable tag reader (tests); the default export runs git. */
export function createR014(readTags: ReadGitTags = gitForEachRefTags): Rule<GitTagResult> {
  return defineRule<GitTagResult>({
    meta: {
      id: 'R014',
      name: 'annotated-tags',
      level: 'error',
      requires: 'git',
      description: 'Every git tag of the recipe repository is an annotated tag (needs `--git`).',
      details: [
        'abra\'s rule R014 ("only annotated tags used for recipe version"). abra reads recipe versions from annotated',
        'tags (their message and date are the release notes and order); a lightweight tag is not seen as a release,',
        'and abra refuses to deploy a pinned version while a lightweight tag exists, since `abra app deploy` runs the',
        'error-level lint rules. The rule reads the tags with `git for-each-ref refs/tags` in the recipe directory',
        '(which must be the repository root); nothing of the recipe is run.',
      ].join('\n'),
      fix: 'Replace the tag with an annotated one on the same commit: `git tag -a -f X X^{commit} -m "X"`, then `git push --force origin X`. `abra recipe release` creates annotated tags.',
    },
    gather: ({ recipe }) => readTags(recipe.dir),
    check(ctx) {
      const anchor = { file: recipeAnchorFile(ctx), line: 1, column: 1 };
      const result = ctx.facts;
      if (!result.ok) {
        ctx.report({
          ...anchor,
          message: `could not read the recipe's git tags: ${result.error}`,
          logicalPath: 'git.tags',
          severity: 'info',
          fix: 'Run stacklint with --git on a clone of the recipe repository (the directory that holds .git).',
        });
        return;
      }
      for (const tag of result.tags) {
        if (tag.objectType === 'tag') continue;
        ctx.report({
          ...anchor,
          message: `git tag ${code(tag.name)} is a lightweight tag, not an annotated one`,
          logicalPath: `git.tags.${tag.name}`,
          fix: `Replace it in place with an annotated tag on the same commit: \`git tag -a -f ${tag.name} ${tag.name}^{commit} -m "${tag.name}"\`, then \`git push --force origin ${tag.name}\`.`,
        });
      }
    },
  });
}

export default createR014();
