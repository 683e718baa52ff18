// image-downgrade: a service's image tag moved to a lower version than at the base revision. Upgrading a
// deployed app then runs an older release on data the newer one may have migrated.
import { defineRule } from '../rule.js';
import { code } from '../kit/views.js';
import { parseImageReference, parseSemverLikeTag } from '../kit/images.js';
import { compareRelease, imageRepository, pairedViews, placeOf } from './sides.js';

export default defineRule({
  meta: {
    id: 'image-downgrade',
    name: 'image-downgrade',
    level: 'warn',
    requires: 'base',
    description: 'An image tag moved to a lower version than at the base revision (semver-like tags of the same repository and suffix).',
    details: [
      'An upgrade that runs an older image on a volume the newer one has migrated (database schemas, on-disk',
      'formats) can fail to start or corrupt data. Compared per service and view: the same image repository, both',
      'tags semver-like (`1.2.3`, `v2.6`, `16-alpine`) with the same suffix, and the head\'s version lower.',
    ].join('\n'),
    fix: 'Restore the newer tag, or release the downgrade as its own recipe version with a note on how to roll data back.',
  },
  check(ctx) {
    for (const pair of pairedViews(ctx)) {
      for (const [service, def] of Object.entries(pair.head.config.services ?? {})) {
        const before = pair.base.config.services?.[service];
        if (!def?.image || !before?.image) continue;
        if (imageRepository(def.image) === undefined || imageRepository(def.image) !== imageRepository(before.image)) continue;
        const tagNow = tagOf(def.image);
        const tagThen = tagOf(before.image);
        if (!tagNow || !tagThen) continue;
        const now = parseSemverLikeTag(tagNow);
        const then = parseSemverLikeTag(tagThen);
        if (!now.ok || !then.ok || now.tag.suffix !== then.tag.suffix) continue;
        if (compareRelease(now.tag.release, then.tag.release) >= 0) continue;
        ctx.report({
          message: `the image of service ${code(service)} moved down from ${code(tagThen)} (base ${placeOf(pair.baseRecipe, pair.base, ['services', service, 'image'])}) to ${code(tagNow)}: upgraded apps run an older release on data the newer one may have migrated`,
          view: pair.head,
          mergedPath: ['services', service, 'image'],
          at: 'value',
          logicalPath: `services.${service}.image`,
        });
      }
    }
  },
});

function tagOf(image: string): string | undefined {
  const parsed = parseImageReference(image);
  return parsed.ok ? parsed.ref.tag : undefined;
}
