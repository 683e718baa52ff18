export { applyEditGroups } from './apply.js';
export type { ApplyResult, EditGroup } from './apply.js';
export { unifiedDiff } from './diff.js';
export { displayPath, fixTargets, MAX_PASSES } from './fix.js';
export type { FileChange, FixOutcome, FixProblem } from './fix.js';
