// R011 image-present: every service has a non-empty image — in the abra merge and in every deploy view.
import { asMapping } from '../../load/path.js';
import type { Origin } from '../../load/types.js';
import { defineRule, mergedViews } from '../rule.js';
import type { RecipeView, RuleContext } from '../rule.js';
import { BASE_FILE, code, loadedBaseView, rawString, serviceDefinition } from '../kit/views.js';

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
      '',
      'The rule is a fact of swarm, not a Co-op Cloud convention: it runs on plain swarm stacks too (`docker stack',
      'deploy` stops with "invalid image reference for service worker: no image specified"). There variables come',
      'from the deploying shell, so an image that only an unset variable empties is an info.',
    ].join('\n'),
    fix: 'Give the service an `image:`, or — when the overlay meant to configure an existing service — put its settings under that service\'s name.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      for (const [name, service] of Object.entries(view.config.services ?? {})) {
        const image = service?.image;
        if (typeof image === 'string' && image !== '') continue;
        const logicalPath = `services.${name}.image`;
        const loaded = view.origin(['services', name, 'image']);
        const written = loaded ?? writtenImage(ctx, view, name);
        // A view that failed is judged on what loaded: an image its files write but that did not load is the failure's.
        if (view.failure && !loaded && written) continue;
        if (written) {
          const raw = rawString(ctx, written);
          const interpolated = raw !== undefined && raw !== '';
          // A plain stack takes its variables from the deploying shell: an image emptied by one is said, not an error.
          const fromShell = interpolated && ctx.recipe.kind === 'plain';
          ctx.report({
            message: interpolated
              ? `service ${code(name)} has an empty image: ${code(raw)} interpolates to nothing${fromShell ? ' here; the deploying shell must set its variables (docker stack reads no .env file)' : ''}`
              : `service ${code(name)} has an empty image`,
            ...(fromShell ? { severity: 'info' as const, fix: `Export the variables of ${code(raw)} in the shell or CI job that runs \`docker stack deploy\`, or give a default (\`\${IMAGE:-nginx:1.27}\`).` } : {}),
            view,
            file: written.file,
            path: written.path,
            at: 'value',
            logicalPath,
          });
          continue;
        }
        const where = serviceDefinition(view, name);
        const renamed = where ? renamedBaseService(ctx, name, where.file) : undefined;
        ctx.report({
          ...(renamed
            ? { suggestion: `If \`${name}\` in ${where!.file} configures the base service \`${renamed}\` (renamed since the overlay was written), rename \`${name}:\` there to \`${renamed}:\`.` }
            : {}),
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
function writtenImage(ctx: RuleContext, view: RecipeView, service: string): Origin | undefined {
  for (const file of [...view.files].reverse()) {
    const services = asMapping(asMapping(ctx.recipe.composeFile(file)?.doc.data)?.services);
    const def = asMapping(services?.[service]);
    if (def && Object.hasOwn(def, 'image')) return { file, path: ['services', service, 'image'] };
  }
  return undefined;
}

/**
 * The base file's service an image-less overlay service most likely meant, when exactly one base service the
 * overlay does not mention has a similar name (`worker` → `app-worker`, `sidekiq` → `sidekiqs`).
 */
function renamedBaseService(ctx: RuleContext, name: string, file: string): string | undefined {
  if (file === BASE_FILE) return undefined;
  const base = loadedBaseView(ctx);
  if (!base || Object.hasOwn(base.config.services, name)) return undefined;
  const mentioned = asMapping(asMapping(ctx.recipe.composeFile(file)?.doc.data)?.services) ?? {};
  const candidates = Object.keys(base.config.services).filter((s) => !Object.hasOwn(mentioned, s) && similarNames(name, s));
  return candidates.length === 1 ? candidates[0] : undefined;
}

export function similarNames(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  const tokens = (s: string) => s.split(/[-_.]/).filter((t) => t.length >= 3);
  const shared = tokens(x).some((t) => tokens(y).includes(t));
  if (shared) return true;
  return editDistance(x, y) <= Math.max(1, Math.floor(Math.max(x.length, y.length) / 4));
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
