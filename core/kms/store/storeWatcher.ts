import * as fs from 'node:fs';
import type { Disposable, StoreChange } from './kmsStore';

/**
 * Calls `listener` when the store's version changes, whoever changed it (this process, the CLI, the local
 * endpoint). Any change in the folder starts a quiet period of `debounceMs`; then the version is read, and only a
 * new version is reported, so a burst of writes is one event and writes that commit nothing are none.
 */
export function watchStoreVersion(
  dir: string,
  version: () => string,
  debounceMs: number,
  listener: (change: StoreChange) => void,
): Disposable {
  let last = version();
  let timer: NodeJS.Timeout | undefined;
  const check = (): void => {
    timer = undefined;
    let current: string;
    try {
      current = version();
    } catch {
      return;
    }
    if (current === last) return;
    last = current;
    listener({ version: current });
  };
  // persistent: false, so a watcher alone does not keep a CLI process alive.
  const watcher = fs.watch(dir, { persistent: false }, () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(check, debounceMs);
  });
  const dispose = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    watcher.close();
  };
  watcher.on('error', dispose);
  return { dispose };
}
