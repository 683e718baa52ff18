export * from './types.js';
export { CONFIG_FILE_NAMES, ConfigDirectories, findConfigFile, loadConfigFile, loadConfigFor, loadConfigForSync, parseConfigText } from './load.js';
export type { FindOptions } from './load.js';
export { validateConfig } from './validate.js';
export type { ValidateOptions } from './validate.js';
export type { Located, LocatedEntry, Pos } from './located.js';
export * from './suppressions.js';
