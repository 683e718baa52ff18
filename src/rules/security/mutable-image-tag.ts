// mutable-image-tag (strict preset): an image referenced by tag only, without a digest.
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';
import { serviceImages } from '../kit/images.js';

export default defineRule({
  meta: {
    id: 'mutable-image-tag',
    name: 'mutable-image-tag',
    level: 'off',
    presets: ['strict'],
    description: 'An image is referenced by tag without a digest (`postgres:16` instead of `postgres:16@sha256:…`), so what runs can change under the same recipe version (opt-in: `strict` preset).',
    details: [
      'Tags are mutable: a registry can move `postgres:16.4` to a rebuilt image, and two nodes can pull different',
      'images for one task spec. A digest pins the exact image; keeping the tag in front (`name:1.2.3@sha256:…`) keeps',
      'abra\'s version checks (R004, R005) and `abra recipe upgrade` working. Co-op Cloud recipes usually pin tags',
      'only, so this rule is off by default; the `strict` preset (`--preset strict`) turns it on. Swarm resolves tags',
      'to digests at deploy time (`--resolve-image always`), which pins a running service but not the recipe.',
    ].join('\n'),
    fix: 'Append the digest of the tested image: `image: postgres:16.4@sha256:<digest>` (`docker buildx imagetools inspect postgres:16.4` prints it).',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      for (const img of serviceImages(view)) {
        if (!img.parsed.ok || img.parsed.ref.digest !== undefined) continue;
        ctx.report({
          message: `service ${code(img.service)}: image ${code(img.image)} has no digest, so the tag can move under it`,
          view,
          mergedPath: img.mergedPath,
          at: 'value',
          logicalPath: `services.${img.service}.image`,
        });
      }
    }
  },
});
