declare const __STACKLINT_VERSION__: string | undefined;
/** Injected by the bundler from package.json; 'dev' when run from source. */
export const VERSION: string = typeof __STACKLINT_VERSION__ === 'string' ? __STACKLINT_VERSION__ : 'dev';
