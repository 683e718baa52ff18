import type { Rule } from '../rule.js';
import yamlSyntax from './yaml-syntax.js';
import schema from './schema.js';
import interpolation from './interpolation.js';
import undefinedVariable from './undefined-variable.js';
import danglingReference from './dangling-reference.js';
import unusedDefinition from './unused-definition.js';
import mergeDropsEntry from './merge-drops-entry.js';
import swarmUnsupported from './swarm-unsupported.js';
import networkDriver from './network-driver.js';
import loadFailure from './load-failure.js';
import notAnalysed from './not-analysed.js';
import composeOnlyTag from './compose-only-tag.js';

export const STRUCTURE_RULES: readonly Rule[] = [
  yamlSyntax,
  schema,
  interpolation,
  undefinedVariable,
  danglingReference,
  unusedDefinition,
  mergeDropsEntry,
  swarmUnsupported,
  networkDriver,
  loadFailure,
  notAnalysed,
  composeOnlyTag,
];
