import type { Rule } from './rule.js';

export const STRUCTURE_RULES: readonly Rule[] = [];
