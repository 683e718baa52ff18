// The content hash the lost-update guard compares: what a file held when it was read.
import { nodeCrypto } from '../load/node-builtins.js';

export function hashBytes(bytes: Uint8Array): string {
  return nodeCrypto().createHash('sha256').update(bytes).digest('hex');
}
