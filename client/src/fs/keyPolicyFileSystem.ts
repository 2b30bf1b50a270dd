/**
 * Key policies as documents: `kms-studio:/<region>/<keyId>.keypolicy.json`. Reading calls GetKeyPolicy and
 * saving calls PutKeyPolicy, both as the acting identity, so the KMS's lockout safety check, its policy
 * validation and its authorization decide what may be saved. A refusal fails the save with the KMS's reason,
 * and VS Code keeps the edited text in the dirty editor. AWS managed keys' policies are read-only, as in AWS.
 *
 * stat() reads the key record from the store without a KMS call (and without an audit event): it says only that
 * the key exists and when its policy last changed as this window saw it, which VS Code uses to notice a policy
 * changed by someone else (the CLI, the endpoint) before a save overwrites it.
 */
import * as vscode from 'vscode';
import type { KeyRecord } from '../../../core/kms/service';
import type { GetKeyPolicyResponse } from '../../../core/kms/service/shapes';
import { KEY_POLICY_SCHEME } from '../../../server/src/protocol';
import { kmsErrorText } from '../model/errorAdvice';
import { KEY_POLICY_SUFFIX, keyPolicyPath, parseKeyPolicyPath, parseRegionPath, type KeyPolicyLocation } from '../model/keyPolicyPath';
import { KmsCallError, type KmsHost } from '../kms/kmsHost';
import type { KmsSession } from '../kms/kmsSession';
import type { Reporter } from '../ui/reporter';

export { KEY_POLICY_SCHEME };

export function keyPolicyUri(location: KeyPolicyLocation): vscode.Uri {
  return vscode.Uri.from({ scheme: KEY_POLICY_SCHEME, path: keyPolicyPath(location) });
}

/** What this window last saw of a policy: its text and the modification time it reported for it. */
interface Seen {
  text: string;
  mtime: number;
}

export class KeyPolicyFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly seen = new Map<string, Seen>();
  private readonly disposables: vscode.Disposable[];
  /** While above zero, refused reads are not reported: the caller handles them (the explanation view does). */
  private quiet = 0;

  constructor(
    private readonly host: KmsHost,
    private readonly reporter: Reporter,
  ) {
    this.disposables = [this.changed, host.onDidChangeStore(() => void this.noticeChanges())];
  }

  private location(uri: vscode.Uri): KeyPolicyLocation {
    const location = parseKeyPolicyPath(uri.path);
    if (!location) throw vscode.FileSystemError.FileNotFound(uri);
    return location;
  }

  /**
   * Runs `read` on the open store. A store that cannot be opened or read (wrong root key, damage) makes every
   * kms-studio: file Unavailable, with the store's reason, rather than missing or "create the key".
   */
  private async fromStore<T>(uri: vscode.Uri, read: (session: KmsSession) => T): Promise<T> {
    try {
      return read(await this.host.open());
    } catch (error) {
      if (error instanceof vscode.FileSystemError) throw error;
      throw vscode.FileSystemError.Unavailable(`${uri.toString()}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async record(uri: vscode.Uri): Promise<KeyRecord> {
    const { region, keyId } = this.location(uri);
    const record = await this.fromStore(uri, (session) => session.store.listKeys(region).find((k) => k.keyId === keyId)?.record);
    if (!record) throw vscode.FileSystemError.FileNotFound(uri);
    return record;
  }

  /** The modification time for `text`: unchanged while the text is, later whenever it changes. */
  private mtimeFor(uri: vscode.Uri, text: string, created: number): number {
    const key = uri.toString();
    const seen = this.seen.get(key);
    if (seen && seen.text === text) return seen.mtime;
    const mtime = seen ? Math.max(Date.now(), seen.mtime + 1) : created;
    this.seen.set(key, { text, mtime });
    return mtime;
  }

  watch(): vscode.Disposable {
    // Changes are announced for every policy this window has seen (noticeChanges), whatever is watched.
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (uri.path === '/' || uri.path === '') return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const region = parseRegionPath(uri.path);
    if (region) {
      const keys = await this.fromStore(uri, (session) => session.store.listKeys(region).length);
      if (keys === 0) throw vscode.FileSystemError.FileNotFound(uri);
      return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    }
    const record = await this.record(uri);
    const created = Date.parse(record.creationDate);
    return {
      type: vscode.FileType.File,
      ctime: created,
      mtime: this.mtimeFor(uri, record.policy, created),
      size: Buffer.byteLength(record.policy, 'utf8'),
      ...(record.keyManager === 'AWS' ? { permissions: vscode.FilePermission.Readonly } : {}),
    };
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    if (uri.path === '/' || uri.path === '') return this.fromStore(uri, (session) => session.store.listRegions().map((r): [string, vscode.FileType] => [r, vscode.FileType.Directory]));
    const region = parseRegionPath(uri.path);
    if (!region) throw vscode.FileSystemError.FileNotADirectory(uri);
    return this.fromStore(uri, (session) => session.store.listKeys(region).map((k): [string, vscode.FileType] => [`${k.keyId}${KEY_POLICY_SUFFIX}`, vscode.FileType.File]));
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const { region, keyId } = this.location(uri);
    try {
      const response = await this.host.call<GetKeyPolicyResponse>('GetKeyPolicy', { KeyId: keyId, PolicyName: 'default' }, { region });
      const record = await this.host.keyRecord(keyId, region);
      this.mtimeFor(uri, response.Policy, record ? Date.parse(record.creationDate) : Date.now());
      return new TextEncoder().encode(response.Policy);
    } catch (error) {
      throw await this.refusal('GetKeyPolicy', uri, error);
    }
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array, options: { create: boolean; overwrite: boolean }): Promise<void> {
    const { region, keyId } = this.location(uri);
    // Only a missing key is FileNotFound; a store that cannot be read stays Unavailable with its reason (record()).
    const record = await this.record(uri).catch((error: unknown) => {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') {
        throw vscode.FileSystemError.FileNotFound(
          `${uri.toString()}: there is no key ${keyId} in ${region}. A key policy belongs to a key: create the key (KMS: Create Key) and open its policy from the key explorer.`,
        );
      }
      throw error;
    });
    // Every key has a policy, so "create, do not overwrite" always finds one there.
    if (options.create && !options.overwrite) throw vscode.FileSystemError.FileExists(uri);
    if (record.keyManager === 'AWS') {
      throw vscode.FileSystemError.NoPermissions('This is an AWS managed key: AWS owns its key policy, and nobody can change it.');
    }
    const text = new TextDecoder('utf-8').decode(content);
    try {
      await this.host.call('PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: text }, { region });
    } catch (error) {
      throw await this.refusal('PutKeyPolicy', uri, error);
    }
    this.mtimeFor(uri, text, Date.parse(record.creationDate));
    this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  /**
   * A refused read or save as a FileSystemError VS Code shows ("Failed to save …: <reason>"), the KMS's reason
   * and what to do in it. A denial is also reported, so its Explain action is one click away.
   */
  private async refusal(operation: string, uri: vscode.Uri, error: unknown): Promise<vscode.FileSystemError> {
    if (!(error instanceof KmsCallError)) return error instanceof vscode.FileSystemError ? error : new vscode.FileSystemError(error instanceof Error ? error.message : String(error));
    if (error.name === 'NotFoundException') return vscode.FileSystemError.FileNotFound(uri);
    if (error.name === 'AccessDeniedException' && this.quiet === 0) await this.reporter.report(operation, error);
    return new vscode.FileSystemError(kmsErrorText(operation, error.name, error.message));
  }

  /** Runs `task` without reporting refused reads, for a caller that has a fallback of its own. */
  async quietly<T>(task: () => Thenable<T>): Promise<T> {
    this.quiet++;
    try {
      return await task();
    } finally {
      this.quiet--;
    }
  }

  /** After a store change: tells VS Code about every policy it has open whose text changed. */
  private async noticeChanges(): Promise<void> {
    const session = this.host.current();
    if (!session) return;
    const events: vscode.FileChangeEvent[] = [];
    for (const [key, seen] of this.seen) {
      const uri = vscode.Uri.parse(key);
      const location = parseKeyPolicyPath(uri.path);
      if (!location) continue;
      const record = session.store.listKeys(location.region).find((k) => k.keyId === location.keyId)?.record;
      if (!record) {
        this.seen.delete(key);
        events.push({ type: vscode.FileChangeType.Deleted, uri });
      } else if (record.policy !== seen.text) {
        this.mtimeFor(uri, record.policy, Date.parse(record.creationDate));
        events.push({ type: vscode.FileChangeType.Changed, uri });
      }
    }
    if (events.length > 0) this.changed.fire(events);
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions('The kms-studio: folders are the Regions of the KMS; create keys with KMS: Create Key.');
  }

  delete(): void {
    throw vscode.FileSystemError.NoPermissions('A key policy cannot be deleted: every key has one. Schedule the key\'s deletion instead (KMS: Schedule Key Deletion).');
  }

  rename(): void {
    throw vscode.FileSystemError.NoPermissions('Key policies cannot be renamed or moved.');
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
