// Helpers of the security and cross-service rules (registry-security): what a merged view mounts,
// publishes and sets, traced back to what the maintainer wrote.
import { asMapping } from '../../load/path.js';
import type { Path } from '../../load/types.js';
import { interpolateString } from '../../interpolate/index.js';
import type { ServiceConfig } from '../../merge/index.js';
import type { RuleContext } from '../rule.js';
import type { MergedView } from '../rule.js';

import { rawOf } from '../../swarm/index.js';

/** A host path a service bind-mounts, as written (interpolated with the view's environment). */
export interface HostMount {
  service: string;
  index: number;
  /** The host path, normalised (no trailing slash, no `.` segments). */
  source: string;
  target: string;
  readOnly: boolean;
  mergedPath: Path;
}

/** Absolute host paths bind-mounted by the services of a view (paths relative to the recipe are not host paths). */
export function hostMounts(ctx: RuleContext, view: MergedView): HostMount[] {
  const out: HostMount[] = [];
  for (const [service, svc] of Object.entries(view.config.services ?? {})) {
    (svc.volumes ?? []).forEach((mount, index) => {
      if (mount.type !== 'bind' || !mount.source) return;
      const mergedPath = ['services', service, 'volumes', index];
      const raw = rawSource(ctx, view, mergedPath);
      const written = raw === undefined ? undefined : interpolateString(raw, view.env).value;
      if (written === undefined || !written.startsWith('/')) return; // ./file, ~/x or unknown: not judged
      out.push({ service, index, source: normalisePath(written), target: mount.target, readOnly: !!mount.read_only, mergedPath });
    });
  }
  return out;
}

/** The source of a volume entry as written: the part before the first `:` of the short syntax, or `source:`. */
function rawSource(ctx: RuleContext, view: MergedView, mergedPath: Path): string | undefined {
  const raw = rawOf(ctx.recipe, view, mergedPath);
  if (!raw) return undefined;
  if (typeof raw.node === 'string') {
    const colon = raw.node.indexOf(':');
    return colon < 0 ? undefined : raw.node.slice(0, colon);
  }
  const source = asMapping(raw.node)?.source;
  return typeof source === 'string' ? source : undefined;
}

export function normalisePath(path: string): string {
  const parts: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

/** True when `path` is `dir` or inside it. */
export function isUnder(path: string, dir: string): boolean {
  return dir === '/' ? path === '/' : path === dir || path.startsWith(`${dir}/`);
}

/** Where a secret or config is mounted in the container: docker's defaults for a missing or relative target. */
export function fileTarget(kind: 'secrets' | 'configs', ref: { source: string; target?: string }): string {
  const target = ref.target ?? '';
  if (kind === 'secrets') {
    if (target === '') return `/run/secrets/${ref.source}`;
    return target.startsWith('/') ? normalisePath(target) : normalisePath(`/run/secrets/${target}`);
  }
  if (target === '') return `/${ref.source}`;
  return normalisePath(target.startsWith('/') ? target : `/${target}`);
}

/** Services of a view in a stable order, with their config. */
export function services(view: MergedView): Array<[string, ServiceConfig]> {
  return Object.entries(view.config.services ?? {});
}
