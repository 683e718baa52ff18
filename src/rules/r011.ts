// R011 image-present: every service has a non-empty image — in the abra merge and in every deploy view.
import type { Origin } from '../load/types.js';
import { defineRule, loadedViews } from './rule.js';
import type { LintView, RuleContext } from './rule.js';
import { asRawMapping, code, rawString, serviceDefinition } from './util-abra-yaml.js';

export default defineRule({
  meta: {
    id: 'R011',
    name: 'image-present',
    level: 'error',
    description: 'Every service has a non-empty `image` — in the `abra` view and in every deploy view; the finding points at the file that defines the image-less service.',
    details: [
      'abra\'s rule R011 ("all services have images"). Swarm cannot create a service without an image: the deploy',
      'fails ("invalid reference format" / "image reference must be provided"). The usual cause is an overlay that',
      'adds settings to a service the base file does not define — e.g. a `sidekiq:` block with only `environment:` in',
      '`compose.smtpauth.yml` while the base runs Sidekiq inside `app`: merging creates a new, image-less service.',
      'abra judges its all-files merge; stacklint also checks each deploy view (base alone, base + each overlay,',
      'each `COMPOSE_FILE` line of .env.sample) and points at the line that defines the service. An image that',
      'interpolates to nothing (`image: ${IMAGE}` with IMAGE unset) fails too.',
    ].join('\n'),
    fix: 'Give the service an `image:`, or — when the overlay meant to configure an existing service — put its settings under that service\'s name.',
  },
  check(ctx) {
    for (const view of loadedViews(ctx)) {
      for (const [name, service] of Object.entries(view.config.services ?? {})) {
        const image = service?.image;
        if (typeof image === 'string' && image !== '') continue;
        const logicalPath = `services.${name}.image`;
        const written = view.origin(['services', name, 'image']) ?? writtenImage(ctx, view, name);
        if (written) {
          const raw = rawString(ctx, written);
          ctx.report({
            message: raw !== undefined && raw !== ''
              ? `service ${code(name)} has an empty image: ${code(raw)} interpolates to nothing`
              : `service ${code(name)} has an empty image`,
            view,
            file: written.file,
            path: written.path,
            at: 'value',
            logicalPath,
          });
          continue;
        }
        const where = serviceDefinition(view, name);
        ctx.report({
          message: where
            ? `service ${code(name)} has no image (${where.file} defines it without one)`
            : `service ${code(name)} has no image`,
          view,
          ...(where ? { file: where.file, path: where.path, at: 'key' as const } : { mergedPath: ['services', name] }),
          logicalPath,
        });
      }
    }
  },
});

/** The last file of the view that writes `image:` for the service (the merge drops an empty image, and its origin). */
function writtenImage(ctx: RuleContext, view: LintView, service: string): Origin | undefined {
  for (const file of [...view.files].reverse()) {
    const services = asRawMapping(asRawMapping(ctx.recipe.composeFile(file)?.doc.data)?.services);
    const def = asRawMapping(services?.[service]);
    if (def && Object.hasOwn(def, 'image')) return { file, path: ['services', service, 'image'] };
  }
  return undefined;
}
