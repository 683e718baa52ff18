import type { Rule } from '../rule.js';
import immutableConfigChanged from './immutable-config-changed.js';
import secretRenamed from './secret-renamed.js';
import volumeReplaced from './volume-replaced.js';
import serviceRenamed from './service-renamed.js';
import versionNotAdvanced from './version-not-advanced.js';
import imageDowngrade from './image-downgrade.js';

/** Upgrade rules (`requires: 'base'`): they compare the recipe with itself at a base revision. */
export const UPGRADE_RULES: readonly Rule[] = [immutableConfigChanged, secretRenamed, volumeReplaced, serviceRenamed, versionNotAdvanced, imageDowngrade];
