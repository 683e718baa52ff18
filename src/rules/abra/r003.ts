// R003 image-tagged: every image names a tag or a digest.
import { defineRule } from '../rule.js';
import type { MergedView, RuleContext } from '../rule.js';
import { code, loadedAbraView, loadedDeployViews } from '../kit/views.js';
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
      '',
      'On a plain swarm stack (not a recipe) only that last part is judged, on every deploy view and as an error:',
      '`docker stack deploy` refuses an invalid reference before it creates anything.',
    ].join('\n'),
    fix: 'Pin the image to a release tag, e.g. `nginx:1.27-alpine`.',
  },
  check(ctx) {
    // A plain stack has no abra view: its deploy views are judged, and only for what docker refuses.
    const plain = ctx.recipe.kind === 'plain';
    for (const view of plain ? loadedDeployViews(ctx) : [loadedAbraView(ctx)]) {
      if (view) checkImages(ctx, view, plain);
    }
  },
});

function checkImages(ctx: RuleContext, view: MergedView, plain: boolean): void {
  for (const img of serviceImages(view)) {
    const logicalPath = `services.${img.service}.image`;
    if (!img.parsed.ok) {
      // An unset variable that empties part of the image is the thing to fix: name it as written.
      const emptied = emptiedSubstitutions(ctx, view, img.mergedPath);
      const unsetWhere = plain ? `unset here (the deploying shell must set ${emptied.length > 1 ? 'them' : 'it'})` : 'unset in this view';
      const because = emptied.length > 0 ? `: ${emptied.map(code).join(', ')} ${emptied.length > 1 ? 'are' : 'is'} ${unsetWhere} and ${emptied.length > 1 ? 'render' : 'renders'} empty${plain ? '' : ` (.env.sample must set ${emptied.length > 1 ? 'them' : 'it'})`}` : '';
      // On a plain stack the shell's variable is the finding, not each service: a YAML anchor's image that many
      // services merge is one finding where it is written.
      const perVariable = plain && emptied.length > 0;
      ctx.report({
        message: `${perVariable ? '' : `service ${code(img.service)}: `}image ${code(img.image)} is not a valid image reference (${img.parsed.reason})${because}`,
        // docker stack deploy refuses it before creating anything ("invalid image reference for service …"); on a
        // plain stack an unset variable may well come from the deploying shell: then it is said, not an error.
        ...(plain ? { severity: emptied.length > 0 ? ('info' as const) : ('error' as const) } : {}),
        view,
        mergedPath: img.mergedPath,
        at: 'value',
        logicalPath: perVariable ? `image:${emptied.join(',')}` : logicalPath,
        fix: emptied.length > 0
          ? `Set ${emptied.map(code).join(', ')} where the deploy takes its variables (${plain ? 'the deploying shell or CI' : '.env.sample'}), or give a default: \`\${name:-1.2.3}\`.`
          : 'Write the image as `[registry/]name[:tag][@digest]`, with a lowercase name.',
      });
    } else if (!plain && img.parsed.ref.tag === undefined && img.parsed.ref.digest === undefined) {
      ctx.report({
        message: `service ${code(img.service)}: image ${code(img.image)} has no tag (docker pulls \`:latest\`)`,
        view,
        mergedPath: img.mergedPath,
        at: 'value',
        logicalPath,
      });
    }
  }
}
