/**
 * The editor's KMS, wired as the CLI wires it (core/cli/openKms.ts): the FolderStore of a folder, its sandbox
 * clock, its audit log and an AuditRecorder, in a Kms. No `vscode` here: KmsHost decides the folder and the root
 * key, this only opens them.
 *
 * The audit log is wrapped so the session knows the event of each call: Kms.call runs its pipeline, audit event
 * included, synchronously before its promise is returned, so the event appended during the call is that call's.
 */
import { AuditRecorder, FileAuditLog, type AuditEvent, type AuditFilter, type AuditLog } from '../../../core/kms/audit';
import { SandboxClock } from '../../../core/kms/clock';
import { Kms, validateKeyRecord, type KeyRecord } from '../../../core/kms/service';
import { FolderStore, type AliasRecord } from '../../../core/kms/store';

/** The audit log, remembering the last event appended and telling listeners about each. */
export class ObservedAuditLog implements AuditLog {
  last: AuditEvent | undefined;
  private readonly listeners = new Set<(event: AuditEvent) => void>();

  constructor(readonly inner: FileAuditLog) {}

  append(event: AuditEvent): void {
    this.last = event;
    this.inner.append(event);
    for (const listener of this.listeners) listener(event);
  }

  read(filter?: AuditFilter): AuditEvent[] {
    return this.inner.read(filter);
  }

  onAppend(listener: (event: AuditEvent) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }
}

export interface KmsSessionOptions {
  storeDir: string;
  rootKey: Uint8Array;
  /** Names the root key in WrongRootKeyError. */
  rootKeySource: string;
  defaultRegion: string;
  /** Quiet time before the store watcher reports changes. */
  watchDebounceMs?: number;
}

export class KmsSession {
  readonly kms: Kms;
  readonly store: FolderStore<KeyRecord, AliasRecord>;
  readonly clock: SandboxClock;
  readonly log: ObservedAuditLog;

  private constructor(options: KmsSessionOptions) {
    this.store = FolderStore.open<KeyRecord>(options.storeDir, options.rootKey, {
      create: true,
      rootKeySource: options.rootKeySource,
      validateKeyRecord,
      ...(options.watchDebounceMs !== undefined ? { watchDebounceMs: options.watchDebounceMs } : {}),
    });
    this.clock = new SandboxClock(this.store);
    this.log = new ObservedAuditLog(new FileAuditLog(this.store.auditDir));
    this.kms = new Kms({ store: this.store, clock: this.clock, audit: new AuditRecorder(this.log, this.clock), defaultRegion: options.defaultRegion });
  }

  /** Opens (creating when missing) the store; throws the store layer's errors. */
  static open(options: KmsSessionOptions): KmsSession {
    return new KmsSession(options);
  }

  get storeDir(): string {
    return this.store.dir;
  }

  /** Every key of every region, without material: what the key explorer lists. */
  keys(region?: string): KeyRecord[] {
    return this.store.listKeys(region).map((listing) => listing.record);
  }

  /** The key named by ID, key ARN, alias name or alias ARN in `region`; undefined when there is none. */
  findKey(keyIdOrAlias: string, region: string): KeyRecord | undefined {
    let id = keyIdOrAlias;
    let where = region;
    const arn = /^arn:[^:]+:kms:([^:]+):\d{12}:(key|alias)\/(.+)$/.exec(keyIdOrAlias);
    if (arn) {
      where = arn[1]!;
      id = arn[2] === 'key' ? arn[3]! : `alias/${arn[3]!}`;
    }
    if (id.startsWith('alias/')) {
      const target = this.store.readAliases(where).get(id)?.targetKeyId;
      if (!target) return undefined;
      id = target;
    }
    return this.store.listKeys(where).find((k) => k.keyId === id)?.record;
  }

  /** Alias names of each key of `region`, by key ID (the KMS's own account only). */
  aliasesByKey(region: string): Map<string, string[]> {
    const byKey = new Map<string, string[]>();
    for (const [name, record] of this.store.readAliases(region)) {
      if (name.startsWith('arn:')) continue;
      const list = byKey.get(record.targetKeyId) ?? [];
      list.push(name);
      byKey.set(record.targetKeyId, list);
    }
    return byKey;
  }

  dispose(): void {
    this.log.inner.dispose();
  }
}
