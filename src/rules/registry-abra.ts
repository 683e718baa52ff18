import type { Rule } from './rule.js';

export const ABRA_RULES: readonly Rule[] = [];
