/**
 * The store files a long-running endpoint consults on every request, read again only when they changed:
 * identities.json (who may sign) and clock.json (the sandbox clock's offset). A request looks at each file with
 * one stat; it is read and parsed only when its size, modification time or inode changed (an atomic rewrite
 * always makes a new inode). So `kms-studio clock advance` or an edit of identities.json made while the endpoint
 * serves applies to the next request, and an unchanged file costs a stat instead of a read and a parse.
 *
 * The SandboxClock of core/kms reads clock.json on every `now()`, several times a request. One stat answers for
 * the rest of the synchronous run it was made in (until the next microtask): the endpoint checks the signature,
 * authorizes and encrypts in one such run, after the whole request arrived, so every read of the run still comes
 * after anything another process did before the request was sent, and the request sees one clock throughout.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClockOffsetStore } from '../kms/clock';
import { loadIdentities, type Identity } from '../kms/store/identities';

/** What identifies a version of a file without reading it; 'absent' when there is none. */
function fileStamp(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}:${stat.ino}` : 'absent';
}

interface CachedRead<T> {
  (): T;
  /** Makes the next call look at the file again, for a writer that just changed it in this run. */
  forget(): void;
}

/**
 * `read` of `file`, re-run only when the file's stamp changed; remembered only once it succeeded. The stamp is
 * taken once per synchronous run (see above).
 */
function cachedRead<T>(file: string, read: (present: boolean) => T): CachedRead<T> {
  let stamp: string | undefined;
  let value: T;
  let looked = false;
  const lookAgain = () => {
    looked = false;
  };
  const cached = () => {
    if (looked) return value;
    const now = fileStamp(file);
    if (now !== stamp) {
      value = read(now !== 'absent');
      stamp = now;
    }
    looked = true;
    queueMicrotask(lookAgain);
    return value;
  };
  cached.forget = lookAgain;
  return cached;
}

const NO_IDENTITIES: readonly Identity[] = Object.freeze([]);

/**
 * The identities of `file` (none when it does not exist), the same array until the file changes, so everything
 * cached per identity (parsed IAM policies, access key lookups) survives between requests. A file that became
 * invalid throws the store's IdentitiesFileError on every request until it is fixed, rather than serving stale
 * identities.
 */
export function identitiesFromFile(file: string): () => readonly Identity[] {
  return cachedRead(file, (present) => (present ? loadIdentities(file) : NO_IDENTITIES));
}

/**
 * The store's clock offsets with clock.json's offset read only when the file changed; writes (the clock command's
 * `advance`, made through this object or by another process) go to the store as before.
 */
export function cachedClockOffsets(store: ClockOffsetStore & { readonly dir: string }): ClockOffsetStore {
  const offset = cachedRead(path.join(store.dir, 'clock.json'), (present) => (present ? store.readClockOffset() : 0));
  return {
    readClockOffset: offset,
    writeClockOffset: (offsetMs) => {
      try {
        store.writeClockOffset(offsetMs);
      } finally {
        offset.forget();
      }
    },
    withLock: (fn) => store.withLock(() => fn()),
  };
}
