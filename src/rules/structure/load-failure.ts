// load-failure: per view, docker's typed load and merge succeed (the failures no syntax, schema or
// interpolation rule explains: values that do not decode, env_files that cannot be read, merge errors), and
// the files configs and secrets name exist inside the recipe. A path or link leaving the recipe is reported
// and never read.
import { isAbsolute, relative, resolve } from 'node:path';
import { defineRule, mergedViews } from '../rule.js';
import type { RecipeView, RuleContext } from '../rule.js';
import { code } from '../kit/files.js';

// The rule's fix speaks of a recipe; a plain stack's files are its repository's, named from its first compose file.
const PLAIN_FIX = 'Correct the value docker cannot decode, or point the file at one in the repository, relative to the first compose file.';
import { emptiedIn } from '../kit/images.js';
import { interpolateString } from '../../interpolate/index.js';

/** docker's multi-line decode errors on one line, with the recipe's absolute path taken out. */
function oneLine(message: string, recipeDir: string): string {
  const abs = resolve(recipeDir);
  return message
    .split(`${abs}/`).join('')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join('; ')
    .replace(/following error\(s\):;/, 'following error(s):')
    .slice(0, 1000);
}

/**
 * The `env_file:` entry of `file` that names the env file an error is about (`invalid env file (PATH): …`,
 * `open PATH: …`), so the finding points at the line to fix rather than at the top of the file.
 */
function envFileEntryOf(ctx: RuleContext, file: string, error: string): Array<string | number> | undefined {
  const named = /^invalid env file \((.+?)\): /.exec(error)?.[1] ?? /^open (.+?): /.exec(error)?.[1];
  const services = (ctx.recipe.composeFile(file)?.doc.data as { services?: unknown } | undefined)?.services;
  if (!named || !services || typeof services !== 'object') return undefined;
  const target = resolve(ctx.recipe.dir, named);
  for (const [service, definition] of Object.entries(services as Record<string, unknown>)) {
    const envFile = definition && typeof definition === 'object' ? (definition as { env_file?: unknown }).env_file : undefined;
    if (typeof envFile === 'string' && resolve(ctx.recipe.dir, envFile) === target) return ['services', service, 'env_file'];
    if (!Array.isArray(envFile)) continue;
    const index = envFile.findIndex((entry) => typeof entry === 'string' && resolve(ctx.recipe.dir, entry) === target);
    if (index >= 0) return ['services', service, 'env_file', index];
  }
  return undefined;
}

/** Whether `word` occurs in `text` between non-word characters. */
function hasWord(text: string, word: string): boolean {
  const isWordChar = (c: string | undefined) => c !== undefined && /\w/.test(c);
  for (let at = text.indexOf(word); at >= 0 && word !== ''; at = text.indexOf(word, at + 1)) {
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + word.length])) return true;
  }
  return false;
}

/** Values of a parsed file (at most this many looked at) searched for the one an unset variable emptied. */
const MAX_VALUES_SEARCHED = 20_000;

/**
 * The value of `data` that an unset variable emptied and that docker's error quotes as substituted
 * (`certs:$CERTS_DIR` → `certs:` in "invalid spec: certs::"): the variable is the thing to fix.
 */
function emptiedValueIn(data: unknown, error: string, env: (name: string) => string | undefined): { path: Array<string | number>; raw: string; rendered: string; emptied: string[] } | undefined {
  let best: { path: Array<string | number>; raw: string; rendered: string; emptied: string[] } | undefined;
  let seen = 0;
  const visit = (value: unknown, path: Array<string | number>) => {
    if (++seen > MAX_VALUES_SEARCHED) return;
    if (typeof value === 'string') {
      const emptied = emptiedIn(value, env);
      if (emptied.length === 0) return;
      const rendered = interpolateString(value, env).value;
      if (typeof rendered !== 'string') return;
      // Quoted by docker (`invalid spec: certs::`), or wholly empty where docker names the field (`field Source must not be empty`).
      const key = path[path.length - 1];
      const quoted = rendered !== '' && error.includes(rendered);
      const named = rendered === '' && typeof key === 'string' && hasWord(error.toLowerCase(), key.toLowerCase());
      if (!quoted && !named) return;
      if (!best || rendered.length > best.rendered.length) best = { path, raw: value, rendered, emptied };
      return;
    }
    if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  visit(data, []);
  return best;
}

function reportLoadFailures(ctx: RuleContext, view: RecipeView, fix: string | undefined): void {
  const plain = ctx.recipe.kind === 'plain';
  for (const stages of view.stages) {
    // Every failure of the typed load, each where it is written (docker prints only the first); for a file that
    // failed earlier (schema, interpolation), those of what was left once the refused values were taken out.
    const loaded = stages.normalised ?? stages.salvaged;
    const errors = loaded?.errors ?? (loaded?.error !== undefined ? [{ message: loaded.error }] : []);
    for (const error of errors) {
      const text = oneLine(oneLine(error.message, ctx.recipe.dir), ctx.recipe.root);
      // Named by what failed, not by the service: an env_file in a YAML anchor that many services merge is one finding.
      const logicalPath = `load:${text.slice(0, 200)}`;
      const emptied = emptiedValueIn(ctx.recipe.composeFile(stages.file)?.doc.data, error.message, view.env);
      if (emptied) {
        const names = emptied.emptied.map(code).join(', ');
        const one = emptied.emptied.length === 1;
        const source = plain ? 'the deploying shell or CI must set it (docker stack reads no .env file)' : '.env.sample does not set it for this view';
        ctx.report({
          message: `${code(emptied.raw)} becomes ${emptied.rendered === '' ? 'empty' : code(emptied.rendered)} because ${names} ${one ? 'is' : 'are'} unset: ${source.replace(' it ', one ? ' it ' : ' them ')}; without ${one ? 'it' : 'them'} docker cannot load ${stages.file}: ${text}`,
          fix: plain
            ? `Export ${names} in the shell or CI job that runs \`docker stack deploy\`, or give a default (\`\${NAME:-…}\`).`
            : `Set ${names} in .env.sample, or give a default (\`\${NAME:-…}\`).`,
          file: stages.file,
          path: emptied.path,
          at: 'value',
          view,
          logicalPath,
          ...(plain ? { severity: 'info' as const } : {}),
        });
        continue;
      }
      const entry = error.path ?? envFileEntryOf(ctx, stages.file, error.message);
      ctx.report({
        message: `docker cannot load ${stages.file}: ${text}`,
        file: stages.file,
        ...(entry ? { path: entry, at: 'value' as const } : { line: 1, column: 1 }),
        view,
        logicalPath,
        ...(fix ? { fix } : {}),
      });
    }
  }
  // Every file loaded on its own, yet the view failed: the merge itself did.
  const allLoaded = view.stages.length > 0 && view.stages.length === view.files.length && view.stages.every((s) => s.normalised && s.normalised.error === undefined);
  if (view.failure && allLoaded) {
    const file = view.failure.file ?? view.files[view.files.length - 1];
    ctx.report({
      message: `docker cannot merge ${view.files.join(' + ')}: ${oneLine(view.failure.message, ctx.recipe.dir)}`,
      file,
      line: 1,
      column: 1,
      view,
      logicalPath: 'merge',
      ...(fix ? { fix } : {}),
    });
  }
}

/** Private keys and certificates: an operator provides them, a repository never holds them. */
const CREDENTIAL_FILE = /\.(?:pem|key|crt|cer|cert|p12|pfx|jks|keystore|der|csr)$|(?:^|\/)id_(?:rsa|ecdsa|ed25519|dsa)$/i;

/** What the read boundary is called in messages: a recipe, or a plain stack's repository. */
function boundaryWord(ctx: RuleContext): 'recipe' | 'repository' | "stack's directory" {
  if (resolve(ctx.recipe.root) !== resolve(ctx.recipe.dir)) return 'repository';
  return ctx.recipe.kind === 'recipe' ? 'recipe' : "stack's directory";
}

/** The fix for a file a view names that is missing, or a link out of what stacklint reads. */
function missingFileFix(ctx: RuleContext, rel: string, link: boolean): string | undefined {
  if (ctx.recipe.kind !== 'plain') return undefined;
  const boundary = boundaryWord(ctx);
  if (link) return `Name a regular file inside the ${boundary}, relative to the first compose file (stacklint never follows a link out of it).`;
  // Without a git work tree above it, a plain stack's reads stop at its own directory: say how to widen them.
  const noWorkTree = boundary === "stack's directory" ? ' No git work tree lies above the stack, so stacklint reads only its directory: `--root DIR` names the repository (its `.gitignore` then counts).' : '';
  return `Add \`${rel}\` (or create it before deploying), or name a file that exists, relative to the first compose file.${noWorkTree}`;
}

/**
 * Why a missing file is expected to be missing (the repository's facts: a submodule, `.gitignore`, an example,
 * a CI write; on a plain stack also a secret or certificate the operator provides), or undefined.
 */
function expectedAbsence(ctx: RuleContext, rel: string, credential: boolean, namedBy: readonly string[]): { why: string; fix: string } | undefined {
  const reason = ctx.recipe.absentReason(rel, namedBy);
  const created = 'docker stack deploy fails until it exists';
  if (reason?.kind === 'other-checkout') {
    return {
      why: `which is not in this repository: ${reason.file}:${reason.line} has the operator deploy this stack inside a clone of ${reason.url}, where it is read from`,
      fix: `Nothing to do if the stack is deployed in that clone; to have the file checked, lint the stack inside a clone of ${reason.url}.`,
    };
  }
  if (reason?.kind === 'submodule') {
    return {
      why: `inside the git submodule ${code(reason.submodule)}, not checked out here: stacklint cannot check it`,
      fix: `Check out the submodule (\`git submodule update --init ${reason.submodule}\`) to have the file checked.`,
    };
  }
  if (reason?.kind === 'gitignored') {
    return {
      why: `which is not in the repository: created before deploy (${reason.file}:${reason.line} \`${reason.pattern}\` keeps it out of git); ${created}`,
      fix: 'Create the file before running `docker stack deploy` (document how beside the stack).',
    };
  }
  if (reason?.kind === 'example') {
    return {
      why: `which is not in the repository: created before deploy from ${code(reason.example)}; ${created}`,
      fix: `Create it from ${reason.example} before running \`docker stack deploy\`.`,
    };
  }
  if (reason?.kind === 'written') {
    return {
      why: `which is not in the repository: created before deploy (${reason.file}:${reason.line} writes it); ${created}`,
      fix: `Run ${reason.file} (or the step that writes it) before \`docker stack deploy\`.`,
    };
  }
  if (credential && ctx.recipe.kind === 'plain') {
    return {
      why: `which is not in the repository: a secret or certificate the operator provides before deploy (never committed); ${created}`,
      fix: 'Place the file beside the stack on the deploying machine before `docker stack deploy`, or create the secret with `docker secret create` and mark it `external: true`.',
    };
  }
  return undefined;
}

/** env_file entries (`env_file: x`, `[x, …]`, `[{path: x}]`) of every service of a parsed compose file. */
function envFileEntries(data: unknown): Array<{ path: Array<string | number>; value: string }> {
  const services = data && typeof data === 'object' ? (data as { services?: unknown }).services : undefined;
  if (!services || typeof services !== 'object') return [];
  const out: Array<{ path: Array<string | number>; value: string }> = [];
  for (const [service, definition] of Object.entries(services as Record<string, unknown>)) {
    const envFile = definition && typeof definition === 'object' ? (definition as { env_file?: unknown }).env_file : undefined;
    if (typeof envFile === 'string') out.push({ path: ['services', service, 'env_file'], value: envFile });
    if (!Array.isArray(envFile)) continue;
    envFile.forEach((entry, index) => {
      if (typeof entry === 'string') out.push({ path: ['services', service, 'env_file', index], value: entry });
      else if (entry && typeof entry === 'object' && typeof (entry as { path?: unknown }).path === 'string') {
        out.push({ path: ['services', service, 'env_file', index, 'path'], value: (entry as { path: string }).path });
      }
    });
  }
  return out;
}

/**
 * env_files the deploy reads but the repository does not hold, by design: the pipeline loads the view with
 * them empty, and they are named here (info) at their `env_file:` line.
 */
function reportExpectedEnvFiles(ctx: RuleContext): void {
  const plain = ctx.recipe.kind === 'plain';
  for (const { file, doc } of ctx.recipe.composeFiles) {
    const views = ctx.views.filter((v) => v.files.includes(file));
    for (const entry of envFileEntries(doc.data)) {
      if (entry.value.includes('$')) continue; // interpolated per view; judged by the load itself
      let message: string | undefined;
      let fix: string | undefined;
      const outside = relative(resolve(ctx.recipe.root), resolve(ctx.recipe.dir, entry.value));
      if (plain && !isAbsolute(entry.value) && (outside.startsWith('..') || isAbsolute(outside))) {
        ctx.report({
          message: `env_file ${code(entry.value)} is outside the ${resolve(ctx.recipe.root) === resolve(ctx.recipe.dir) ? "stack's directory (no git work tree or --root holds more)" : 'repository'}: a deploy would read it from the operator's machine; stacklint does not read it`,
          fix: 'Keep the env file in the repository and name it relative to the compose file.',
          file,
          path: entry.path,
          at: 'value',
          logicalPath: `${entry.path.join('.')}:outside`,
          ...(views[0] ? { view: views[0] } : {}),
        });
        continue;
      }
      if (isAbsolute(entry.value)) {
        if (!plain) continue;
        message = `env_file ${code(entry.value)} is a file on the deploying machine (not in the repository); stacklint does not read it`;
        fix = 'Nothing to do if the deploying machine has the file; keep it in the repository instead to have it checked.';
      } else {
        const rel = relative(resolve(ctx.recipe.dir), resolve(ctx.recipe.dir, entry.value));
        const read = ctx.recipe.read?.(rel);
        if (!read || read.ok || read.reason !== 'missing') continue;
        const expected = expectedAbsence(ctx, rel, CREDENTIAL_FILE.test(rel), [file]);
        if (!expected) continue;
        message = `env_file ${code(rel)}, ${expected.why}`;
        fix = expected.fix;
      }
      const report = { message, fix, file, path: entry.path, at: 'value' as const, severity: 'info' as const, logicalPath: `${entry.path.join('.')}:expected` };
      if (views.length === 0) ctx.report(report);
      for (const view of views) ctx.report({ ...report, view });
    }
  }
}

/** The value as the file that set it wrote it (merged paths are resolved to absolute ones). */
function writtenValue(ctx: RuleContext, view: RecipeView, mergedPath: string[]): string | undefined {
  const origin = view.origin(mergedPath);
  let value: unknown = origin ? ctx.recipe.composeFile(origin.file)?.doc.data : undefined;
  for (const seg of origin?.path ?? []) value = value && typeof value === 'object' ? (value as Record<string | number, unknown>)[seg] : undefined;
  return typeof value === 'string' ? value : undefined;
}

export default defineRule({
  meta: {
    id: 'load-failure',
    name: 'load-failure',
    level: 'error',
    description:
      'docker can load and merge every view (values decode, env_files are readable), and the files that configs and secrets name exist inside the recipe.',
    details: [
      'After the YAML, interpolation and schema checks, docker converts each file to typed values (durations, byte sizes,',
      'env_files read into the environment) and merges the files of a view. A failure there stops `docker stack deploy`; it is',
      'reported here with docker\'s message when no other rule explains it.',
      '',
      'A config or secret `file:` is read by `docker stack deploy` relative to the recipe. A path that does not exist fails',
      'the deploy. A path — or a symbolic link — that leads outside the recipe would make a deploy read a file from the',
      'operator\'s machine (`file: ../../etc/passwd`); stacklint reports it and never reads it.',
      '',
      'A missing file the repository expects to be created before deploy is info, at the `file:` / `env_file:` line, not an',
      'error: one in a git submodule that is not checked out (`.gitmodules`), one `.gitignore` keeps out of git (patterns,',
      'negation, directory patterns, anchoring, nested .gitignore files), one an example names (`.env.example` next to',
      '`.env`, `x.sample`, `x.dist`, `x.template`, `name.example.ext`), or one the repository\'s CI workflow or a script of it',
      'writes (`> file`, `tee`, `cp`, `openssl -out`). The view is then loaded with such an env_file empty. On a plain stack an',
      'absolute path is a file on the deploying machine (info, never read), and a missing secret, key or certificate',
      '(`*.pem`, `*.key`, `*.crt`, …) is one the operator provides (info). A recipe keeps these as errors unless it ignores',
      'or examples the file itself. A value docker cannot decode because an unset variable emptied it names the variable and',
      'where it must come from (the deploying shell on a plain stack, info there; .env.sample on a recipe).',
      '',
      'A plain stack that the repository\'s own documents (README, guides beside it, deploy scripts) deploy inside a clone of',
      'another repository (a `git clone URL` then `cd` into it before the deploy command naming the compose file) reads its',
      'relative files there: one this repository lacks is info, naming the document, its line and the clone. Not when the',
      'clone is this repository (a remote of `.git/config`, the folder it is checked out in), nor when a document deploys the',
      'file here too; every other check still runs.',
    ].join('\n'),
    fix: 'Correct the value docker cannot decode, or point the file at one inside the recipe.',
  },
  check(ctx) {
    for (const view of ctx.views) reportLoadFailures(ctx, view, ctx.recipe.kind === 'plain' ? PLAIN_FIX : undefined);
    reportExpectedEnvFiles(ctx);
    const recipeDir = resolve(ctx.recipe.dir);
    const root = resolve(ctx.recipe.root);
    const plain = ctx.recipe.kind === 'plain';
    const boundary = boundaryWord(ctx);
    for (const view of mergedViews(ctx.views)) {
      for (const section of ['configs', 'secrets'] as const) {
        for (const [name, def] of Object.entries(view.config[section] ?? {})) {
          const file = def?.file;
          if (typeof file !== 'string' || file === '') continue;
          const rel = relative(recipeDir, resolve(recipeDir, file));
          const fromRoot = relative(root, resolve(recipeDir, file));
          const where = `${section}.${name}.file`;
          const mergedPath = [section, name, 'file'];
          const written = writtenValue(ctx, view, mergedPath) ?? rel;
          if (plain && isAbsolute(written)) {
            // `docker stack deploy` on the operator's machine reads it there: by design, and never read here.
            ctx.report({
              message: `${where} names ${code(written)}, a file on the deploying machine (not in the repository); stacklint does not read it`,
              view,
              mergedPath,
              logicalPath: where,
              severity: 'info',
              fix: 'Nothing to do if the deploying machine has the file; keep it in the repository instead to have it checked.',
            });
            continue;
          }
          if (rel === '' || fromRoot === '' || fromRoot === '..' || fromRoot.startsWith('../') || isAbsolute(fromRoot)) {
            ctx.report({
              message: `${where} names ${code(written)}, outside the ${boundary}: a deploy would read it from the operator's machine; stacklint does not read it`,
              view,
              mergedPath,
              logicalPath: where,
              fix: `Put the file in the ${boundary} and name it relative to the compose file (e.g. \`./${section === 'configs' ? 'app.conf.tmpl' : 'secret.txt'}\`).`,
            });
            continue;
          }
          const read = ctx.recipe.read?.(rel);
          if (!read || read.ok) continue;
          // Binary or large files are docker's business; a directory, FIFO, device or link loop is not a file at all.
          const notAFile = read.kind === 'directory' || read.kind === 'special' || read.kind === 'loop';
          if (read.reason === 'unreadable' && !notAFile) continue;
          if (read.reason === 'missing') {
            const namedBy = view.origin(mergedPath)?.file;
            const expected = expectedAbsence(ctx, rel, section === 'secrets' || CREDENTIAL_FILE.test(rel), namedBy !== undefined ? [namedBy] : []);
            if (expected) {
              ctx.report({ message: `${where} names ${code(rel)}, ${expected.why}`, view, mergedPath, logicalPath: where, severity: 'info', fix: expected.fix });
              continue;
            }
          }
          const message = notAFile
            ? `${where} names ${code(rel)}: ${read.message.replace(/; not read$/, '')}; docker stack deploy cannot read it`
            : read.reason === 'outside'
              ? `${where} names ${code(rel)}, a link to a path outside the ${boundary}; stacklint does not read it`
              : `${where} names ${code(rel)}, which does not exist in the ${boundary}: docker stack deploy fails`;
          const fix = notAFile ? PLAIN_FIX : missingFileFix(ctx, rel, read.reason === 'outside');
          ctx.report({ message, view, mergedPath, logicalPath: where, ...(plain && fix ? { fix } : {}) });
        }
      }
    }
  },
});
