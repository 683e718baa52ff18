// R006 published-version: the recipe has a version in the Co-op Cloud recipe catalogue (needs --online).
import { defineRule } from '../rule.js';
import type { Rule } from '../rule.js';
import { DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_MS, defaultHttpGet } from './http.js';
import type { HttpFacts, HttpGet } from './http.js';
import { numberOption, stringOption } from '../kit/options.js';
import { code, recipeAnchorFile } from '../kit/views.js';

export const DEFAULT_CATALOGUE_URL = 'https://recipes.coopcloud.tech/recipes.json';

export interface OnlineRuleDeps {
  /** The HTTP client (default: a cached, synchronous client that runs `node`'s fetch in a child process). */
  httpGet?: HttpGet;
}

/** Builds R006 with an injectable HTTP client (tests); the default export uses the real one. */
export function createR006(deps: OnlineRuleDeps = {}): Rule<HttpFacts> {
  const httpGet = deps.httpGet ?? defaultHttpGet;
  return defineRule<HttpFacts>({
    meta: {
      id: 'R006',
      name: 'published-version',
      level: 'warn',
      requires: 'online',
      description: 'The recipe has at least one published version in the recipe catalogue (needs `--online`).',
      details: [
        'abra\'s rule R006 ("has published catalogue version"). Operators install recipes by version from the',
        'catalogue (`abra app new <recipe>` picks the newest published one); a recipe without a published version can',
        'only be deployed from a git checkout with `--chaos`. The rule downloads the catalogue',
        `(${DEFAULT_CATALOGUE_URL}, option \`catalogueUrl\`) once per run and looks the recipe up by its directory`,
        'name (option `recipe` to override). When the catalogue cannot be read, an `info` finding says so.',
      ].join('\n'),
      fix: 'Publish a release: `abra recipe release <recipe>` tags a version and the catalogue picks it up.',
    },
    gather({ recipe: info, options }) {
      const url = stringOption(options, 'catalogueUrl', DEFAULT_CATALOGUE_URL);
      const recipe = stringOption(options, 'recipe', info.name);
      const timeoutMs = numberOption(options, 'timeoutMs', DEFAULT_TIMEOUT_MS);
      return { url, recipe, result: httpGet(url, { timeoutMs, maxBytes: DEFAULT_MAX_BYTES, body: true }) };
    },
    check(ctx) {
      const { url, recipe, result } = ctx.facts;
      const anchor = { file: recipeAnchorFile(ctx), line: 1, column: 1 };
      const unreadable = (why: string) =>
        ctx.report({
          ...anchor,
          message: `could not read the recipe catalogue ${url}: ${why}`,
          logicalPath: 'catalogue',
          severity: 'info',
          fix: 'Check the network, or point the rule option `catalogueUrl` at a reachable copy of recipes.json.',
        });
      if (!result.ok) return unreadable(result.error);
      if (result.status !== 200) return unreadable(`HTTP ${result.status}`);
      let catalogue: unknown;
      try {
        catalogue = JSON.parse(result.body);
      } catch {
        return unreadable('the response is not JSON');
      }
      if (catalogue === null || typeof catalogue !== 'object' || Array.isArray(catalogue)) return unreadable('the response is not a JSON object');
      const entry = Object.hasOwn(catalogue, recipe) ? (catalogue as Record<string, unknown>)[recipe] : undefined;
      const versions = entry && typeof entry === 'object' ? (entry as { versions?: unknown }).versions : undefined;
      if (Array.isArray(versions) && versions.length > 0) return;
      ctx.report({
        ...anchor,
        message: entry === undefined
          ? `recipe ${code(recipe)} is not in the recipe catalogue`
          : `recipe ${code(recipe)} has no published version in the recipe catalogue`,
        logicalPath: 'catalogue',
      });
    },
  });
}

export default createR006();
