import type { Rule } from '../rule.js';
import proxyAliasCollision from './proxy-alias-collision.js';
import unknownHost from './unknown-host.js';
import traefikLabels from './traefik-labels.js';
import backupbotLabels from './backupbot-labels.js';

export const NETWORK_RULES: readonly Rule[] = [proxyAliasCollision, unknownHost, traefikLabels, backupbotLabels];
