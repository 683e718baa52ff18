// unused-definition: a top-level network, volume, secret or config that no service uses in any view.
import { defineRule, mergedViews } from '../rule.js';
import { KIND_WORD, rawMentions, rawNames, referencesOf } from './references.js';
import type { RefKind, Reference } from './references.js';
import { asMapping, loadedComposeFiles, positionOf, code } from '../kit/files.js';

const SECTIONS = ['networks', 'volumes', 'secrets', 'configs'] as const;

export default defineRule({
  meta: {
    id: 'unused-definition',
    name: 'unused-definition',
    level: 'warn',
    description: 'A top-level network, volume, secret or config that no service uses in any view.',
    details: [
      'A definition nothing uses is usually left over from a rename or a service that moved to an overlay. It is not',
      'harmless in swarm: `docker stack deploy` still creates the network, volume, secret or config (an external one must',
      'exist, or the deploy fails), and abra asks operators to generate secrets the recipe never mounts.',
      '',
      'A definition counts as used when, in at least one view that includes its file (abra\'s all-files merge,',
      'compose.yml alone, compose.yml + each overlay, each COMPOSE_FILE line, each `-c` list), some service uses it and the',
      'merge kept this file\'s definition (a later file\'s definition of the same name replaces it wholesale) or the use is',
      'written in this file too (stacks deployed with `-c a.yml -c b.yml` often define a shared network in each file). A',
      'network named `default` is used by every service without `networks:`.',
    ].join('\n'),
    fix: 'Remove the definition, or use it from the service that needs it.',
  },
  check(ctx) {
    const views = mergedViews(ctx.views);
    // Per file: names used in some loaded view that includes the file; files in no loaded view are not judged.
    const used = new Map<string, Set<string>>();
    for (const view of views) {
      // Top-level definitions are replaced wholesale: a file's definition is used in this view when it is the one
      // the merge kept (an overlay's copy that a later file replaces is not), or when the file itself writes the use
      // (stacks deployed with `-c a.yml -c b.yml` define a shared network in each file, beside the services using it).
      const uses = referencesOf(view.config).map((r) => ({ ref: r, key: `${r.kind}\u0000${r.name}`, keptFrom: view.origin([r.kind, r.name])?.file }));
      for (const file of view.files) {
        const set = used.get(file) ?? new Set<string>();
        const data = ctx.recipe.composeFile(file)?.doc.data;
        for (const use of uses) {
          if (use.keptFrom === undefined || use.keptFrom === file || writesUse(data, use.ref)) set.add(use.key);
        }
        used.set(file, set);
      }
    }
    // A view that failed to load cannot say what it uses (what loaded may lack it): count the raw mentions of its files too.
    for (const view of ctx.views) {
      if (view.failure === undefined) continue;
      const names = new Set<string>();
      for (const file of view.files) {
        const data = ctx.recipe.composeFile(file)?.doc.data;
        for (const section of SECTIONS) for (const n of rawNames(data, section)) names.add(`${section}\u0000${n}`);
      }
      for (const file of view.files) {
        const set = used.get(file);
        if (set) for (const n of names) set.add(n);
      }
    }
    for (const { file, doc, data } of loadedComposeFiles(ctx)) {
      const usedHere = used.get(file);
      if (!usedHere) continue;
      for (const section of SECTIONS) {
        const defs = asMapping(data[section]);
        for (const name of Object.keys(defs ?? {})) {
          if (usedHere.has(`${section}\u0000${name}`)) continue;
          const word = KIND_WORD[section as RefKind];
          ctx.report({
            message: `the ${word} ${code(name)} is defined here but no service uses it in any view`,
            fix:
              section === 'secrets' || section === 'configs'
                ? `Remove \`${name}\` from \`${section}:\`, or mount it in the service that needs it (\`${section}: [${name}]\`).`
                : `Remove \`${name}\` from \`${section}:\`, or use it from the service that needs it.`,
            file,
            ...(positionOf(doc, [section, name], 'key') ?? { line: 1, column: 1 }),
            logicalPath: `${section}.${name}`,
          });
        }
      }
    }
  },
});

/** Whether a compose file's raw data writes the reference: lists the name, or (for `default`) defines the service without `networks:`. */
function writesUse(data: unknown, ref: Reference): boolean {
  if (ref.kind === 'networks' && ref.name === 'default') {
    const service = asMapping(asMapping(asMapping(data)?.services)?.[ref.service]);
    return !!service && !Object.hasOwn(service, 'networks') && !Object.hasOwn(service, 'network_mode');
  }
  return rawMentions(data as Parameters<typeof rawMentions>[0], ref).length > 0;
}
