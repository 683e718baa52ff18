// R005 image-semver-tag: image tags are "semver-like", as coopcloud.tech/tagcmp parses them.
import { defineRule } from '../rule.js';
import { code, loadedAbraView } from '../kit/views.js';
import { serviceImages } from '../kit/images.js';
import { parseSemverLikeTag } from '../kit/images.js';

export default defineRule({
  meta: {
    id: 'R005',
    name: 'image-semver-tag',
    level: 'warn',
    description: 'Every image tag is semver-like (`1.2.3`, `v2.6`, `1.14.0-rootless`, `10-alpine`), as abra\'s tag parser accepts it (judged on the `abra` view).',
    details: [
      'abra\'s rule R005 ("tags use semver-like format"). abra compares image tags to offer upgrades (`abra recipe',
      'upgrade`) and to write the recipe version label; it uses coopcloud.tech/tagcmp, which follows Renovate\'s',
      'docker versioning: an optional `v`, one to three dot-separated numbers, then an optional `-suffix` that marks',
      'the variant (`-alpine`, `-rootless`). Tags it cannot order fail: words (`stable`, `testing`), dates and',
      'commit hashes, `RELEASE.2025-01-20T…`, four-part or doubled versions (`1.2.3.4`, `10.0.1-3.1`), and',
      'pre-release letters glued to a number (`3.7.0b1`); `latest` fails here as in abra (and in R004). Untagged',
      'images are left to R003/R004.',
    ].join('\n'),
    fix: 'Use a version tag of the image (`1.2.3` or `1.2.3-variant`); most images publish one next to their moving tags.',
  },
  check(ctx) {
    const view = loadedAbraView(ctx);
    if (!view) return;
    for (const img of serviceImages(view)) {
      if (!img.parsed.ok || img.parsed.ref.tag === undefined) continue;
      const tag = img.parsed.ref.tag;
      const parsed = parseSemverLikeTag(tag);
      if (parsed.ok) continue;
      ctx.report({
        message: `service ${code(img.service)}: image tag ${code(tag)} is not semver-like (${parsed.reason})`,
        view,
        mergedPath: img.mergedPath,
        at: 'value',
        logicalPath: `services.${img.service}.image`,
      });
    }
  },
});
