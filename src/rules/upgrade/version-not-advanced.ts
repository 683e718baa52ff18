// version-not-advanced: the change alters what gets deployed, but the recipe version label
// `coop-cloud.${STACK_NAME}.version` of the `app` service is not greater than at the base revision (or its
// upstream part does not follow the new `app` image tag). abra compares that label to decide what an upgrade is.
import { resolve } from 'node:path';
import { defineRule } from '../rule.js';
import type { MergedView, RecipeInfo } from '../rule.js';
import { code } from '../kit/views.js';
import { parseImageReference } from '../kit/images.js';
import { compareRelease, fileText, pairedViews, placeOf } from './sides.js';

const LABEL = /^coop-cloud\.[^.]*\.version$/;
const VALUE = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\+(\S+)$/;

export default defineRule({
  meta: {
    id: 'version-not-advanced',
    name: 'version-not-advanced',
    level: 'warn',
    requires: 'base',
    description: 'What a deploy creates changed since the base revision, but the `coop-cloud.${STACK_NAME}.version` label did not advance (semver), or its upstream part does not match the new `app` image tag.',
    details: [
      'abra reads the deployed version from the `app` service\'s deploy label and offers upgrades to greater',
      'versions: a change released under the same (or a lower) version is invisible to `abra app upgrade`, and',
      'deployed apps never get it. A change is any difference, in any deploy view that loads on both sides, of the',
      'merged configuration or of a file a config or secret reads; the label is read from the `compose.yml` view',
      '(else the first such view). Only the version part (x.y.z) is compared;',
      'the upstream part after `+` must equal the `app` image tag when that tag changed.',
    ].join('\n'),
    fix: 'Release the change as a new recipe version: `abra recipe release`, or raise the label by hand (`x.y.z+<app image tag>`).',
  },
  check(ctx) {
    const pairs = pairedViews(ctx);
    const pair = pairs.find((p) => p.head.kind === 'base') ?? pairs[0];
    if (!pair) return;
    // Any deploy view counts: an overlay's image bump is a change for the apps that enable it.
    if (!pairs.some((p) => deployChanged(p.baseRecipe, p.base, ctx.recipe, p.head))) return;
    const now = versionLabel(pair.head);
    const then = versionLabel(pair.base);
    if (!now || !then) return; // version-label reports a missing or malformed label
    const nowValue = VALUE.exec(now.value);
    const thenValue = VALUE.exec(then.value);
    if (!nowValue || !thenValue) return;
    const at = { view: pair.head, mergedPath: ['services', 'app', 'deploy', 'labels', now.key], at: 'value' as const, logicalPath: 'services.app.deploy.labels[coop-cloud.version]' };
    const baseAt = placeOf(pair.baseRecipe, pair.base, ['services', 'app', 'deploy', 'labels', then.key]);
    const release = (m: RegExpExecArray) => [Number(m[1]), Number(m[2]), Number(m[3])];
    if (compareRelease(release(nowValue), release(thenValue)) <= 0) {
      ctx.report({
        ...at,
        message: `the deployed configuration changed since the base, but the recipe version ${code(now.value)} is not greater than ${code(then.value)} (base ${baseAt}): \`abra app upgrade\` does not offer the change`,
      });
      return;
    }
    const tagNow = appTag(pair.head);
    if (tagNow !== undefined && tagNow !== appTag(pair.base) && nowValue[4] !== tagNow) {
      ctx.report({
        ...at,
        message: `the \`app\` image tag changed to ${code(tagNow)} (base ${placeOf(pair.baseRecipe, pair.base, ['services', 'app', 'image'])}), but the version label's upstream part is ${code(nowValue[4])}`,
        fix: `Set the label to \`${nowValue[1]}.${nowValue[2]}.${nowValue[3]}+${tagNow}\`.`,
      });
    }
  },
});

function versionLabel(view: MergedView): { key: string; value: string } | undefined {
  const labels = view.config.services?.app?.deploy?.labels ?? {};
  const key = Object.keys(labels).find((k) => LABEL.test(k));
  return key === undefined ? undefined : { key, value: labels[key] };
}

function appTag(view: MergedView): string | undefined {
  const image = view.config.services?.app?.image;
  if (typeof image !== 'string') return undefined;
  const parsed = parseImageReference(image);
  return parsed.ok ? parsed.ref.tag : undefined;
}

/** Whether the merged configuration (version label aside) or a config/secret file's content differs. */
function deployChanged(baseRecipe: RecipeInfo, before: MergedView, headRecipe: RecipeInfo, after: MergedView): boolean {
  if (comparable(before, baseRecipe.dir) !== comparable(after, headRecipe.dir)) return true;
  for (const kind of ['configs', 'secrets'] as const) {
    for (const [key, def] of Object.entries(after.config[kind] ?? {})) {
      const old = fileText(baseRecipe, before.config[kind]?.[key]?.file);
      const now = fileText(headRecipe, def?.file);
      if ((old?.text ?? '') !== (now?.text ?? '')) return true;
    }
  }
  return false;
}

/** The merged config as text, without the version label, paths inside the recipe relative (the base lives elsewhere). */
function comparable(view: MergedView, dir: string): string {
  const root = resolve(dir);
  return JSON.stringify(view.config, (key, value: unknown) => {
    if (LABEL.test(key)) return undefined;
    if (typeof value === 'string' && value.startsWith(root)) return `.${value.slice(root.length)}`;
    return value;
  });
}
