// compose-only-tag: a YAML tag docker stack does not know (`!reset`, `!override`, any `!name`). docker compose
// gives `!reset` / `!override` a meaning; docker stack's yaml.v3 decode does not: a tagged scalar is its text as
// a string, a tagged mapping or sequence merges as if untagged (verified with docker 28.2.2:
// tests/golden/compose-tags).
import type { FileTag, YamlValue } from '../../load/types.js';
import { resolvePlainScalar } from '../../load/scalars.js';
import { defineRule } from '../rule.js';
import { code, showPath } from '../kit/files.js';
import type { TextEdit } from '../types.js';

function describeValue(value: YamlValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return `the boolean ${value}`;
  return `the number ${String(value)}`;
}

/** What docker stack makes of one tag, and the edit that keeps that meaning everywhere, if there is one. */
function explain(tag: FileTag, key: string): { message: string; removable: boolean } {
  const known = tag.tag === '!reset' || tag.tag === '!override';
  const unknownTo = known ? `${code(tag.tag)} is compose-only` : `${code(tag.tag)} is not a tag docker stack knows`;
  const written = code(`${key}: ${tag.tag}${tag.kind === 'scalar' && tag.text ? ` ${tag.text}` : ''}`);
  if (tag.kind === 'scalar') {
    const text = tag.text ?? '';
    const untagged = resolvePlainScalar(text);
    const asString = `the string "${text}"`;
    if (tag.tag === '!reset') {
      const build = key === 'build' ? ` (build context "${text}")` : '';
      return {
        message: `${unknownTo}: docker stack reads ${written} as ${asString}${build}; it does not remove \`${key}\` from the other files`,
        removable: false,
      };
    }
    if (typeof untagged === 'string' && untagged === text) {
      return {
        message: `${unknownTo} and changes nothing for docker stack: ${written} is ${asString}, as it is without the tag`,
        removable: true,
      };
    }
    return {
      message: `${unknownTo}: docker stack reads ${written} as ${asString}, not ${describeValue(untagged)}`,
      removable: false,
    };
  }
  const what = tag.kind === 'mapping' ? 'mapping' : 'list';
  const merged = tag.kind === 'sequence' && (key === 'ports' || key === 'volumes' || key === 'secrets' || key === 'configs')
    ? `its entries are added to the other files' \`${key}\` (those stay)`
    : `it merges with the other files' \`${key}\` like an untagged ${what}`;
  if (tag.tag === '!reset') {
    return {
      message: `${unknownTo}: docker stack ignores it on ${code(key)}, ${merged}, so nothing is ${tag.empty ? 'cleared' : 'reset'}`,
      removable: false,
    };
  }
  if (tag.tag === '!override') {
    return { message: `${unknownTo}: docker stack ignores it on ${code(key)}, ${merged}, so nothing is replaced`, removable: false };
  }
  return { message: `${unknownTo}: it reads ${code(key)} as an untagged ${what}`, removable: false };
}

/** Removes the tag and the blank after it: only for a tag whose scalar means the same to every reader untagged. */
function removeTagEdit(file: string, text: string, tag: FileTag): TextEdit[] | undefined {
  const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const start = tag.range.start.offset + shift;
  const end = tag.range.end.offset + shift;
  if (text.slice(start, end) !== tag.tag || text[end] !== ' ') return undefined;
  return [{ file, start, end: end + 1, text: '' }];
}

export default defineRule({
  meta: {
    id: 'compose-only-tag',
    name: 'compose-only-tag',
    level: 'warn',
    fixable: true,
    description: 'A YAML tag docker stack does not know (`!reset`, `!override`, any `!name`): it reads the value otherwise than docker compose does.',
    details: [
      'docker compose gives `!reset` (remove the inherited value) and `!override` (replace instead of merge) a meaning;',
      '`docker stack deploy` and `docker stack config` do not. They read a tagged scalar as its text, a string:',
      '`build: !reset null` becomes the build context "null" and removes nothing, `replicas: !reset 3` is the',
      'string "3" (a schema error). A tagged mapping or list merges as if untagged: `ports: !override [...]` is',
      'added to the base file\'s ports, which stay published; `environment: !reset {}` clears nothing. A README',
      'that tells swarm users to write `!override` leaves their old ports open without a word from docker.',
    ].join('\n'),
    fix: 'docker stack cannot remove or replace a value an earlier -c file sets: move the value out of the base file into the files that need it, or deploy with a file that holds the final value. An `!override` on a single value can simply be removed (`--fix`).',
  },
  check(ctx) {
    for (const { file, doc } of ctx.recipe.composeFiles) {
      if (doc.errors.length > 0 || !doc.tags) continue;
      for (const tag of doc.tags()) {
        const key = [...tag.path].reverse().find((seg): seg is string => typeof seg === 'string') ?? 'value';
        const { message, removable } = explain(tag, key);
        ctx.report({
          message,
          file,
          line: tag.range.start.line,
          column: tag.range.start.column,
          endLine: tag.range.end.line,
          endColumn: tag.range.end.column,
          logicalPath: `${showPath(tag.path)}#${tag.tag}`,
          edits: removable ? removeTagEdit(file, doc.text, tag) : undefined,
        });
      }
    }
  },
});
