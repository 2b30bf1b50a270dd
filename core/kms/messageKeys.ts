/**
 * The AES keys a KMS derives from its key material for ciphertext blobs (see ciphertext.ts), kept so that HKDF,
 * which costs about as much as the AES-GCM of a 4 KB message, is not run for every message.
 *
 * Sealing: one derived key per material (named by key ID and material ID, and checked against the material's
 * bytes, so two stores that happen to share names never share keys), replaced by one under a fresh salt after
 * its message limit. Opening: the keys of the salts seen most recently, so the messages of one sealing key open
 * without HKDF. A kept key is only ever what HKDF gives for its material, salt and info, so using it is
 * indistinguishable from deriving it again.
 *
 * A MessageKeys belongs to one KMS (its lifetime is the KMS's), holds copies of the material it derived from
 * (the caller's copies are wiped after each call), and wipes what it drops: on eviction, when a key is deleted
 * (forgetKey), and on clear().
 */

/** The most derived keys kept for sealing and, separately, for opening. */
const CACHE_SIZE = 256;

export interface DerivedKey {
  readonly salt: Uint8Array;
  readonly key: Uint8Array;
}

interface Entry extends DerivedKey {
  readonly keyId: string;
  readonly material: Uint8Array;
  uses: number;
}

/** Equality of two key materials, in time that does not depend on where they differ. */
function sameMaterial(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function wipe(entry: Entry): void {
  entry.material.fill(0);
  entry.key.fill(0);
}

export type Derive = (material: Uint8Array, salt: Uint8Array) => Uint8Array;

export class MessageKeys {
  private readonly sealing = new Map<string, Entry>();
  private readonly opening = new Map<string, Entry>();

  /**
   * The sealing key of a material (named `keyId materialId`), and the salt to write in the header: a fresh salt,
   * drawn by `newSalt`, when there is none yet or the last one has sealed `limit` messages.
   */
  sealingKey(keyId: string, name: string, material: Uint8Array, limit: number, newSalt: () => Uint8Array, derive: Derive): DerivedKey {
    const held = this.sealing.get(name);
    if (held && held.uses < limit && sameMaterial(held.material, material)) {
      held.uses++;
      return held;
    }
    const salt = newSalt();
    const entry: Entry = { keyId, material: material.slice(), salt, key: derive(material, salt), uses: 1 };
    this.keep(this.sealing, name, entry);
    return entry;
  }

  /** The key that opens messages of a material (named `name`, which includes the salt) under `salt`. */
  openingKey(keyId: string, name: string, material: Uint8Array, salt: Uint8Array, derive: Derive): Uint8Array {
    const held = this.opening.get(name);
    if (held && sameMaterial(held.material, material)) return held.key;
    const entry: Entry = { keyId, material: material.slice(), salt: salt.slice(), key: derive(material, salt), uses: 0 };
    this.keep(this.opening, name, entry);
    return entry.key;
  }

  /** Drops and wipes everything derived from the materials of a key: it was deleted. */
  forgetKey(keyId: string): void {
    for (const cache of [this.sealing, this.opening]) {
      for (const [name, entry] of cache) {
        if (entry.keyId !== keyId) continue;
        cache.delete(name);
        wipe(entry);
      }
    }
  }

  clear(): void {
    for (const cache of [this.sealing, this.opening]) {
      for (const entry of cache.values()) wipe(entry);
      cache.clear();
    }
  }

  private keep(cache: Map<string, Entry>, name: string, entry: Entry): void {
    const old = cache.get(name);
    if (old) {
      cache.delete(name);
      wipe(old);
    }
    if (cache.size >= CACHE_SIZE) {
      const [oldestName, oldest] = cache.entries().next().value!;
      cache.delete(oldestName);
      wipe(oldest);
    }
    cache.set(name, entry);
  }
}
