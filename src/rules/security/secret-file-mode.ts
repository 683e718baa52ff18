// secret-file-mode: a secret or config is mounted with a mode that lets other users read or write it, or a
// mode written in decimal that was meant as octal.
import { valueAt } from '../../load/path.js';
import { defineRule, mergedViews } from '../rule.js';
import { code } from '../kit/views.js';
import { rawOf } from '../../swarm/index.js';

export default defineRule({
  meta: {
    id: 'secret-file-mode',
    name: 'secret-file-mode',
    level: 'warn',
    description: 'A secret mounted with an explicit `mode` that others can read, a secret or config that others can write, or a `mode` written in decimal (`440`) that was meant as octal (`0440`).',
    details: [
      '`mode` is the file\'s permission bits. YAML reads `0440` as octal (yaml.v3 keeps YAML 1.1\'s leading-zero octal)',
      'but `440` as the decimal number 440 = 0o670, which gives the group write access and is not what anyone meant;',
      '`644` is 0o1204. A secret given an explicit mode readable by others (`0444`, `0644`) is readable by every user in',
      'the container, and any mode writable by others lets any process replace the file the app reads. Docker\'s own',
      'default for secrets (0444 when `mode` is not set) is not reported. Judged per view.',
    ].join('\n'),
    fix: 'Write the mode in octal with a leading zero (`mode: 0400`, or `0440` with a matching `gid`), and keep "others" at 0.',
  },
  check(ctx) {
    for (const view of mergedViews(ctx.views)) {
      for (const [service, svc] of Object.entries(view.config.services ?? {})) {
        for (const kind of ['secrets', 'configs'] as const) {
          (svc[kind] ?? []).forEach((ref, i) => {
            if (ref.mode === undefined) return;
            const mergedPath = ['services', service, kind, i, 'mode'];
            const raw = rawOf(ctx.recipe, view, mergedPath);
            const doc = raw ? ctx.recipe.composeFile(raw.file)?.doc : undefined;
            const range = raw && doc ? doc.locate(raw.path) : undefined;
            const written = range && doc ? doc.text.slice(range.start.offset, range.end.offset) : undefined;
            const what = `${kind === 'secrets' ? 'secret' : 'config'} ${code(ref.source ?? '(no source)')} of ${code(service)}`;
            const octal = `0${ref.mode.toString(8)}`;
            const base = { view, mergedPath, at: 'value' as const };
            if (written !== undefined && /^[1-7][0-7]{2}$/.test(written) && valueAt(doc!.data, raw!.path) === Number(written)) {
              ctx.report({
                ...base,
                message: `${what} has \`mode: ${written}\`, which YAML reads as decimal ${written} = ${octal} in octal; \`mode: 0${written}\` was probably meant`,
                logicalPath: `services.${service}.${kind}[${ref.source}].mode:decimal`,
                fix: `Write \`mode: 0${written}\`.`,
              });
              return;
            }
            if (ref.mode & 0o002) {
              ctx.report({ ...base, message: `${what} is mounted with mode ${octal}: any user in the container can overwrite it`, logicalPath: `services.${service}.${kind}[${ref.source}].mode` });
            } else if (kind === 'secrets' && ref.mode & 0o004) {
              ctx.report({ ...base, message: `${what} is mounted with mode ${octal}: every user in the container can read it`, logicalPath: `services.${service}.${kind}[${ref.source}].mode` });
            }
          });
        }
      }
    }
  },
});
