// R004 image-stable-tag: no image uses `latest`, or no tag at all.
import { defineRule } from '../rule.js';
import { code, loadedAbraView } from '../kit/views.js';
import { serviceImages } from '../kit/images.js';

export default defineRule({
  meta: {
    id: 'R004',
    name: 'image-stable-tag',
    level: 'warn',
    description: 'No image tag is `latest`; an image without a tag (which means `latest`) fails too (judged on the `abra` view).',
    details: [
      'abra\'s rule R004 ("no unstable tags"). `latest` moves: two nodes can run different versions, a redeploy can',
      'upgrade the app across a breaking release without anyone choosing to, and a rollback has nothing to roll back',
      'to. As in abra, only a tag counts as stable: an untagged image fails, and so does an image pinned by digest',
      'alone (abra reads the tag, and a digest-only reference has none); `name:1.2@sha256:…` passes.',
    ].join('\n'),
    fix: 'Replace `latest` with the release tag the recipe was tested with, e.g. `postgres:17-alpine`.',
  },
  check(ctx) {
    const view = loadedAbraView(ctx);
    if (!view) return;
    for (const img of serviceImages(view)) {
      if (!img.parsed.ok) continue; // R003 reports references that do not parse
      const { tag, digest } = img.parsed.ref;
      let message: string | undefined;
      if (tag === 'latest') message = `service ${code(img.service)}: image ${code(img.image)} uses the unstable tag \`latest\``;
      else if (tag === undefined && digest !== undefined) message = `service ${code(img.service)}: image ${code(img.image)} is pinned by digest but has no tag`;
      else if (tag === undefined) message = `service ${code(img.service)}: image ${code(img.image)} has no tag, so it runs \`latest\``;
      if (!message) continue;
      ctx.report({
        message,
        view,
        mergedPath: img.mergedPath,
        at: 'value',
        logicalPath: `services.${img.service}.image`,
        ...(tag === undefined && digest !== undefined ? { fix: 'Add the tag the digest belongs to: `name:1.2.3@sha256:…`.' } : {}),
      });
    }
  },
});
