// version-label: the app service carries `coop-cloud.${STACK_NAME}.version=x.y.z+<upstream>` and its upstream
// part matches the app image tag.
import type { Path } from '../../load/types.js';
import { defineRule } from '../rule.js';
import { parseImageReference } from '../kit/images.js';
import { code, loadedAbraView, loadedBaseView, serviceDefinition } from '../kit/views.js';
import type { MergedView } from '../rule.js';

const LABEL = /^coop-cloud\.[^.]*\.version$/;
const LEGACY_LABEL = /^coop-cloud\.[^.]*\.app\.version$/;
const VALUE = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\+(\S+)$/;
const SHOWN_LABEL = 'coop-cloud.${STACK_NAME}.version';

export default defineRule({
  meta: {
    id: 'version-label',
    name: 'version-label',
    level: 'warn',
    description: 'The `app` service has the deploy label `coop-cloud.${STACK_NAME}.version=x.y.z+<upstream>`, and its upstream part equals the app image tag.',
    details: [
      'abra reads the deployed recipe version from this label (`abra app ls`, upgrades and rollbacks compare it), and',
      '`abra recipe sync`/`release` write it as `<recipe semver>+<app image tag>`, e.g. `2.0.1+1.0.6-social-amd64`.',
      'A missing label leaves deployed apps without a version; a value that is not `x.y.z+upstream` (empty, `latest`,',
      'the legacy `coop-cloud.${STACK_NAME}.app.version` form) cannot be compared; an upstream part that differs from',
      'the `app` image tag means the image was bumped without a recipe release (or the other way round). Judged on',
      'the `abra` view (the merge `abra recipe sync` reads), or the base view when that one does not load.',
    ].join('\n'),
    fix: 'Run `abra recipe sync <recipe>` (or set the deploy label `coop-cloud.${STACK_NAME}.version=<x.y.z>+<app image tag>` by hand).',
  },
  check(ctx) {
    const view = loadedAbraView(ctx) ?? loadedBaseView(ctx);
    if (!view) return;
    const app = view.config.services?.app;
    if (!app) return; // R009
    /** Reports a value that is not `x.y.z+upstream`; returns the match otherwise. */
    const checkValue = (service: string, key: string, value: string): RegExpExecArray | undefined => {
      const m = VALUE.exec(value);
      if (m) return m;
      ctx.report({
        message: value === ''
          ? `the ${code(SHOWN_LABEL)} label of service ${code(service)} is empty; expected \`x.y.z+<upstream version>\``
          : `the ${code(SHOWN_LABEL)} label of service ${code(service)} is ${code(value)}, not \`x.y.z+<upstream version>\``,
        view,
        mergedPath: ['services', service, 'deploy', 'labels', key],
        at: 'value',
        logicalPath: `services.${service}.deploy.labels[coop-cloud.version]`,
      });
      return undefined;
    };
    const deployLabels = app.deploy?.labels ?? {};
    const labelKey = Object.keys(deployLabels).find((k) => LABEL.test(k));
    const elsewhere = labelKey === undefined ? labelOnOtherService(view) : undefined;
    if (elsewhere) {
      ctx.report({
        message: `service ${code(elsewhere.service)} carries the ${code(SHOWN_LABEL)} label; it belongs on \`app\`, the service abra versions`,
        view,
        mergedPath: ['services', elsewhere.service, 'deploy', 'labels', elsewhere.key],
        at: 'value',
        logicalPath: 'services.app.deploy.labels[coop-cloud.version]',
        fix: 'Move the label to the `deploy: labels:` of the `app` service.',
      });
      checkValue(elsewhere.service, elsewhere.key, elsewhere.value);
      return;
    }
    if (labelKey === undefined) {
      const legacy = Object.keys(deployLabels).find((k) => LEGACY_LABEL.test(k));
      const containerKey = Object.keys(app.labels ?? {}).find((k) => LABEL.test(k));
      const where = serviceDefinition(view, 'app');
      let message: string;
      let target: { mergedPath: Path } | { file: string; path: Path; at: 'key' } | Record<string, never>;
      if (legacy !== undefined) {
        message = `service \`app\` uses the legacy label \`coop-cloud.\${STACK_NAME}.app.version\`; abra reads ${code(SHOWN_LABEL)}`;
        target = { mergedPath: ['services', 'app', 'deploy', 'labels', legacy] };
      } else if (containerKey !== undefined) {
        message = `service \`app\` sets ${code(SHOWN_LABEL)} under \`labels:\`; abra reads it from \`deploy: labels:\``;
        target = { mergedPath: ['services', 'app', 'labels', containerKey] };
      } else {
        message = `service \`app\` has no ${code(SHOWN_LABEL)} deploy label`;
        target = app.deploy?.labels ? { mergedPath: ['services', 'app', 'deploy', 'labels'] } : where ? { file: where.file, path: where.path, at: 'key' } : {};
      }
      ctx.report({ message, view, ...target, logicalPath: 'services.app.deploy.labels[coop-cloud.version]' });
      return;
    }
    const logicalPath = 'services.app.deploy.labels[coop-cloud.version]';
    const mergedPath: Path = ['services', 'app', 'deploy', 'labels', labelKey];
    const m = checkValue('app', labelKey, deployLabels[labelKey] ?? '');
    if (!m) return;
    const upstream = m[4];
    const image = typeof app.image === 'string' ? parseImageReference(app.image) : undefined;
    const tag = image?.ok ? image.ref.tag : undefined;
    if (tag === undefined || tag === upstream) return;
    ctx.report({
      message: `the ${code(SHOWN_LABEL)} label of service \`app\` says upstream ${code(upstream)}, but the app image tag is ${code(tag)}`,
      view,
      mergedPath,
      at: 'value',
      logicalPath: `${logicalPath}.upstream`,
      fix: `Set the label to \`${m[1]}.${m[2]}.${m[3]}+${tag}\` (bumping the recipe version if the image changed), or run \`abra recipe sync\`.`,
    });
  },
});

/** The version label on a service other than `app` (abra reads the first one it finds). */
function labelOnOtherService(view: MergedView): { service: string; key: string; value: string } | undefined {
  for (const [service, def] of Object.entries(view.config.services ?? {})) {
    if (service === 'app') continue;
    const labels = def?.deploy?.labels ?? {};
    const key = Object.keys(labels).find((k) => LABEL.test(k));
    if (key !== undefined) return { service, key, value: labels[key] ?? '' };
  }
  return undefined;
}
