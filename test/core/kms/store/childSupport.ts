/** What the test processes and their child processes share; no node:test here, children are not test runs. */
import { createHash } from 'node:crypto';

/** Key material the child processes and the parent both derive from a key ID. */
export function materialFor(keyId: string): Uint8Array {
  return new Uint8Array(createHash('sha256').update(`material:${keyId}`).digest());
}
