/**
 * node:crypto when the runtime has it, undefined otherwise. The modules with a portable fallback (AES-GCM, HKDF,
 * and so the ciphertext format above them) load node:crypto through here instead of importing it, so they still
 * load in a browser or a worker; the modules that need RSA or key generation import node:crypto directly.
 */
import type * as NodeCrypto from 'node:crypto';

function load(): typeof NodeCrypto | undefined {
  try {
    return require('node:crypto') as typeof NodeCrypto;
  } catch {
    return undefined;
  }
}

export const optionalNodeCrypto: typeof NodeCrypto | undefined = load();
