/**
 * The store files a long-running endpoint consults on every request, read again only when they changed:
 * identities.json (who may sign) and clock.json (the sandbox clock's offset). Each request looks at the file with
 * one stat; it is read and parsed only when its size, modification time or inode changed (an atomic rewrite
 * always makes a new inode). So `kms-studio clock advance` or an edit of identities.json made while the endpoint
 * serves applies to the next request, and an unchanged file costs a stat instead of a read and a parse: the
 * SandboxClock of core/kms reads clock.json on every `now()`, several times a request.
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

/** `read` of `file`, re-run only when the file's stamp changed; remembered only once it succeeded. */
function cachedRead<T>(file: string, read: (present: boolean) => T): () => T {
  let stamp: string | undefined;
  let value: T;
  return () => {
    const now = fileStamp(file);
    if (now !== stamp) {
      value = read(now !== 'absent');
      stamp = now;
    }
    return value;
  };
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
    writeClockOffset: (offsetMs) => store.writeClockOffset(offsetMs),
    withLock: (fn) => store.withLock(() => fn()),
  };
}
