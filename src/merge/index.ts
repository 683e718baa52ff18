// The merge stage: docker's typed load of each file, docker stack's merge of the files, and where every
// merged value came from.
export { normaliseFile } from './normalise.js';
export { mergeNormalised, mergeFiles, MergePrefixes } from './merge.js';
export { SERVICE_SPEC, NETWORK_SPEC, VOLUME_SPEC, FILE_OBJECT_SPEC, DEFINITION_SPECS, fieldSpec } from './spec.js';
export type { StructSpec, TypeSpec, ScalarType } from './spec.js';
export { goFormatFloat, formatGoDuration, parseGoDuration, compareGoStrings } from './go.js';
export type {
  ComposeConfig,
  ConfigObject,
  ConfigValue,
  DroppedEntry,
  MergeResult,
  NormaliseContext,
  NormalisedFile,
  LoadError,
  NormaliseSource,
  OriginNode,
  Provenance,
  ZeroMention,
} from './types.js';
export { typedConfig, deployLabels, isExternal, isTraefikImage, traefikEnabled } from './stack-config.js';
export type {
  StackConfig,
  ServiceConfig,
  DeployConfig,
  ServiceNetworkConfig,
  PortConfig,
  VolumeMount,
  FileReference,
  HealthcheckConfig,
  NetworkConfig,
  VolumeConfig,
  FileObjectConfig,
} from './stack-config.js';
