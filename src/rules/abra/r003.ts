// R003 image-tagged: every image names a tag or a digest.
import { defineRule } from '../rule.js';
import { code, loadedAbraView } from '../kit/views.js';
import { emptiedSubstitutions, serviceImages } from '../kit/images.js';

export default defineRule({
  meta: {
    id: 'R003',
    name: 'image-tagged',
    level: 'warn',
    description: 'Every service image has a tag or a digest (judged on the `abra` view); an image that is not a valid reference fails too.',
    details: [
      'abra\'s rule R003 ("all images use a tag"). An image without a tag means `:latest`: what runs depends on when',
      'each node pulled, a redeploy can silently upgrade the app, and abra cannot tell which upstream version a',
      'recipe release ships. A digest (`image@sha256:…`) pins the image too and passes. An image string docker cannot',
      'parse as a reference fails the rule, as abra\'s parser does.',
    ].join('\n'),
    fix: 'Pin the image to a release tag, e.g. `nginx:1.27-alpine`.',
  },
  check(ctx) {
    const view = loadedAbraView(ctx);
    if (!view) return;
    for (const img of serviceImages(view)) {
      const logicalPath = `services.${img.service}.image`;
      if (!img.parsed.ok) {
        // An unset variable that empties part of the image is the thing to fix: name it as written.
        const emptied = emptiedSubstitutions(ctx, view, img.mergedPath);
        const because = emptied.length > 0 ? `: ${emptied.map(code).join(', ')} ${emptied.length > 1 ? 'are' : 'is'} unset in this view and ${emptied.length > 1 ? 'render' : 'renders'} empty (.env.sample must set ${emptied.length > 1 ? 'them' : 'it'})` : '';
        ctx.report({
          message: `service ${code(img.service)}: image ${code(img.image)} is not a valid image reference (${img.parsed.reason})${because}`,
          view,
          mergedPath: img.mergedPath,
          at: 'value',
          logicalPath,
          fix: emptied.length > 0
            ? `Set ${emptied.map(code).join(', ')} where the deploy takes its variables (.env.sample for a recipe, the deploying shell for docker stack), or give a default: \`\${name:-1.2.3}\`.`
            : 'Write the image as `[registry/]name[:tag][@digest]`, with a lowercase name.',
        });
      } else if (img.parsed.ref.tag === undefined && img.parsed.ref.digest === undefined) {
        ctx.report({
          message: `service ${code(img.service)}: image ${code(img.image)} has no tag (docker pulls \`:latest\`)`,
          view,
          mergedPath: img.mergedPath,
        at: 'value',
          logicalPath,
        });
      }
    }
  },
});
