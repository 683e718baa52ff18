// Writes docs/rules.md from the rules' metadata: `npm run docs`.
import { writeFileSync } from 'node:fs';
import { ALL_RULES } from '../src/rules/index.js';
import { UNUSED_SUPPRESSION } from '../src/lint/meta-rules.js';
import { renderRulesMarkdown } from '../src/rules/docs.js';

writeFileSync(new URL('../docs/rules.md', import.meta.url), renderRulesMarkdown([...ALL_RULES.map((r) => r.meta), UNUSED_SUPPRESSION]));
