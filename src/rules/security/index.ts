// The security, cross-service and style rules (the peers' rule sets, judged on merged views).
import type { Rule } from '../rule.js';
import dockerSocket from './docker-socket.js';
import hostPathMount from './host-path-mount.js';
import addedCapabilities from './added-capabilities.js';
import hostNamespace from './host-namespace.js';
import secretInEnvironment from './secret-in-environment.js';
import secretFileMode from './secret-file-mode.js';
import publishedPort from './published-port.js';
import portConflict from './port-conflict.js';
import sharedVolumeWrite from './shared-volume-write.js';
import duplicateMountTarget from './duplicate-mount-target.js';
import relativeMountTarget from './relative-mount-target.js';
import mutableImageTag from './mutable-image-tag.js';
import resourceLimits from './resource-limits.js';
import portsQuoted from './ports-quoted.js';

export const SECURITY_RULES: readonly Rule[] = [
  dockerSocket,
  hostPathMount,
  addedCapabilities,
  hostNamespace,
  secretInEnvironment,
  secretFileMode,
  publishedPort,
  portConflict,
  sharedVolumeWrite,
  duplicateMountTarget,
  relativeMountTarget,
  mutableImageTag,
  resourceLimits,
  portsQuoted,
];
