// dangling-reference: per view, a service depends on a service, or uses a network, named volume, secret
// or config, that the merged configuration does not define at top level.
import { defineRule, mergedViews } from '../rule.js';
import type { RecipeView } from '../rule.js';
import type { StackConfig } from '../../merge/index.js';
import { filesDefining, KIND_WORD, rawMentions, referencesOf, resolves, sectionOf } from './references.js';
import type { Reference } from './references.js';
import { defaultComposeFiles, code } from '../kit/files.js';

type Loaded = RecipeView & { config: StackConfig };

function sameFiles(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

function refKey(r: Reference): string {
  return `${r.service}\u0000${r.kind}\u0000${r.name}`;
}

export default defineRule({
  meta: {
    id: 'dangling-reference',
    name: 'dangling-reference',
    level: 'error',
    description:
      'A service uses a network, secret, config or named volume — or depends on a service — that the merged configuration does not define, per view.',
    details: [
      'docker stack deploy refuses a service that uses an undefined network, secret, config or named volume',
      '("undefined network", "undefined secret" …) — after the other services of the stack may already have been created.',
      'A `depends_on` naming no service is ignored by swarm (it ignores depends_on entirely), so it is a warning: it',
      'usually means a service was renamed or moved to an overlay.',
      '',
      'Views: a reference is judged in every view (abra\'s all-files merge, compose.yml alone, compose.yml + each overlay,',
      'each COMPOSE_FILE line of .env.sample). A reference that dangles only in a partial view is not reported there when',
      'a larger view containing all of its files resolves it: e.g. bonfire\'s `app` depends on `db`, which only',
      'compose.postgres.yml defines, and .env.sample always enables that overlay, so `compose.yml` alone is not a',
      'configuration anyone deploys. The recipe\'s default configuration (its last active COMPOSE_FILE line, or',
      'compose.yml when there is none) is always judged on its own.',
    ].join('\n'),
    fix: 'Define it in the top-level section (`networks:`, `volumes:`, `secrets:`, `configs:`) of the file that uses it, or fix the name.',
  },
  check(ctx) {
    const views = mergedViews(ctx.views);
    // Most views define everything they use: only the names some view leaves undefined are looked up further.
    const unresolved = views.map((view) => referencesOf(view.config).filter((ref) => !resolves(view.config, ref)));
    if (unresolved.every((refs) => refs.length === 0)) return;
    const wanted = new Set(unresolved.flat().map(refKey));
    const defaults = defaultComposeFiles(ctx);
    const resolvedIn = new Map<string, Loaded[]>();
    for (const view of views) {
      for (const ref of referencesOf(view.config)) {
        const key = refKey(ref);
        if (!wanted.has(key) || !resolves(view.config, ref)) continue;
        const list = resolvedIn.get(key) ?? [];
        list.push(view);
        resolvedIn.set(key, list);
      }
    }
    views.forEach((view, v) => {
      const isDefault = view.kind !== 'abra' && sameFiles(view.files, defaults);
      const done = new Set<string>();
      for (const ref of unresolved[v]) {
        if (done.has(refKey(ref))) continue;
        done.add(refKey(ref));
        if (!isDefault) {
          const larger = (resolvedIn.get(refKey(ref)) ?? []).some(
            (w) => w !== view && w.kind !== 'abra' && view.files.every((f) => w.files.includes(f)),
          );
          if (larger) continue;
        }
        const section = sectionOf(ref.kind);
        const word = KIND_WORD[ref.kind];
        const elsewhere = filesDefining(ctx, section, ref.name).filter((f) => !view.files.includes(f));
        const hint = elsewhere.length > 0 ? ` (only ${elsewhere.join(', ')} defines it, and this view does not include it)` : '';
        const message =
          ref.kind === 'depends_on'
            ? `service ${ref.service} depends on ${code(ref.name)}, which is no service in this view${hint}`
            : `service ${ref.service} uses the ${word} ${code(ref.name)}, which no top-level ${code(section + ':')} entry defines in this view${hint}`;
        const fix =
          ref.kind === 'depends_on'
            ? `Remove \`${ref.name}\` from depends_on (swarm ignores depends_on anyway) or fix the service name.`
            : elsewhere.length > 0
              ? `Move the use into the overlay that defines \`${ref.name}\`, define it in the file that uses it, or enable ${elsewhere[0]} wherever this file is used (${ctx.recipe.kind === 'plain' ? `\`-c ${elsewhere[0]}\` in the deploy command` : 'COMPOSE_FILE in .env.sample'}).`
              : `Define \`${ref.name}\` under the top-level \`${section}:\` section, or fix the name.`;
        const severity = ref.kind === 'depends_on' ? 'warning' : undefined;
        const logicalPath = `services.${ref.service}.${ref.kind}[${ref.name}]`;
        let mentioned = false;
        for (const file of view.files) {
          const doc = ctx.recipe.composeFile(file)?.doc;
          for (const m of rawMentions(doc?.data, ref)) {
            mentioned = true;
            ctx.report({ message, fix, file, path: m.path, at: m.at, view, logicalPath, severity });
          }
        }
        if (!mentioned) {
          ctx.report({ message, fix, view, mergedPath: ['services', ref.service, ref.kind], logicalPath, severity });
        }
      }
    });
  },
});
