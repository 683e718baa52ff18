// R013 recipe-repo: the recipe's repository exists upstream on git.coopcloud.tech (needs --online).
import { defineRule } from '../rule.js';
import type { Rule } from '../rule.js';
import { DEFAULT_TIMEOUT_MS, defaultHttpGet } from './http.js';
import type { HttpFacts } from './http.js';
import { numberOption, stringOption } from '../kit/options.js';
import { code, recipeAnchorFile } from '../kit/views.js';
import type { OnlineRuleDeps } from './r006.js';

/** `{recipe}` is replaced by the recipe name. */
export const DEFAULT_REPO_URL = 'https://git.coopcloud.tech/coop-cloud/{recipe}.git';

/** Builds R013 with an injectable HTTP client (tests); the default export uses the real one. */
export function createR013(deps: OnlineRuleDeps = {}): Rule<HttpFacts> {
  const httpGet = deps.httpGet ?? defaultHttpGet;
  return defineRule<HttpFacts>({
    meta: {
      id: 'R013',
      name: 'recipe-repo',
      level: 'warn',
      requires: 'online',
      description: 'The recipe\'s git repository exists on git.coopcloud.tech (needs `--online`).',
      details: [
        'abra\'s rule R013 ("git.coopcloud.tech repo exists"). abra fetches recipes, their tags and the catalogue',
        'metadata from the Co-op Cloud forge; a recipe that only lives elsewhere cannot be installed by name. The rule',
        `requests ${DEFAULT_REPO_URL} (option \`repoUrl\`, where \`{recipe}\` stands for the recipe name; option`,
        '`recipe` overrides the name, which defaults to the directory name) and expects HTTP 200; a 404 is a finding,',
        'any other failure an `info` finding saying the check could not be made.',
      ].join('\n'),
      fix: 'Publish the recipe at git.coopcloud.tech/coop-cloud/<recipe> (ask the Co-op Cloud maintainers for a repository).',
    },
    gather({ recipe: info, options }) {
      const recipe = stringOption(options, 'recipe', info.name);
      const url = stringOption(options, 'repoUrl', DEFAULT_REPO_URL).split('{recipe}').join(encodeURIComponent(recipe));
      const timeoutMs = numberOption(options, 'timeoutMs', DEFAULT_TIMEOUT_MS);
      return { url, recipe, result: httpGet(url, { timeoutMs, maxBytes: 1, body: false }) };
    },
    check(ctx) {
      const { url, recipe, result } = ctx.facts;
      const anchor = { file: recipeAnchorFile(ctx), line: 1, column: 1, logicalPath: 'repository' };
      if (result.ok && result.status >= 200 && result.status < 300) return;
      if (result.ok && (result.status === 404 || result.status === 410)) {
        ctx.report({ ...anchor, message: `recipe ${code(recipe)} has no repository at ${url} (HTTP ${result.status})` });
        return;
      }
      ctx.report({
        ...anchor,
        message: `could not check the recipe repository ${url}: ${result.ok ? `HTTP ${result.status}` : result.error}`,
        severity: 'info',
        fix: 'Check the network, or set the rule option `repoUrl` (e.g. `https://git.example.org/recipes/{recipe}.git`).',
      });
    },
  });
}

export default createR013();
