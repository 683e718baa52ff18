export * from './env-file.js';
export * from './abra-sh.js';
export * from './go-glob.js';
export * from './view-env.js';
export * from './views.js';
export * from './given-env.js';
export * from './declared.js';
export * from './checkout.js';
