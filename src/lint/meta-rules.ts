import type { RuleMeta } from '../rules/types.js';

/** Reported by the engine itself (not a rule module): a suppression comment that suppressed nothing. */
export const UNUSED_SUPPRESSION: RuleMeta = {
  id: 'unused-suppression',
  name: 'unused-suppression',
  level: 'warn',
  description: 'A `# stacklint-disable…` comment that suppresses no finding, or one that cannot be read.',
  fix: 'Remove the comment, or correct the rule id it names.',
};
