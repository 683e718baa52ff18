export { ABSENT, assertWritable, changedSince, errnoText, inspectTarget, insideRoot, moveAside, readForWrite, shown, writeInside, writeUserFile, WriteError } from './safe-write.js';
export type { ReadForWrite, WriteOptions } from './safe-write.js';
export { lockPathOf, withLocks } from './lock.js';
export { hashBytes } from './hash.js';
