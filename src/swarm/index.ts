// The swarm stage: what `docker stack deploy` makes of a merged view (docker's compose convert step) —
// deployed names, the networks services join and the names that resolve there — and the host references
// services make, read from what the maintainer wrote.
export {
  scopedName,
  deployedName,
  networkDockerName,
  externalNetworkName,
  serviceNetworkKeys,
  attachedNetworkKeys,
  sharedNetworkKeys,
  servicesNamed,
  namesOfStack,
  namesOnNetworks,
} from './networks.js';
export type { NamedDefinition, NameTarget, NetworkName } from './networks.js';
export { collectHostRefs, refLocation } from './host-refs.js';
export type { HostRef, RefSource } from './host-refs.js';
export { shortName, urlHosts, envValueHosts, commandHosts, templateHosts, maskTemplate, looksLikeShell, isHostEnvKey } from './host-text.js';
export type { HostHit, ShortName } from './host-text.js';
export {
  STACK_MARK,
  OPAQUE_MARK,
  rawOf,

  markInterpolate,
  rawEntryValue,
  rawEntryKey,
  rawStrings,
  recipeRelative,
  lineColumn,
  writtenKey,
} from './raw-values.js';
export type { RawValue } from './raw-values.js';
