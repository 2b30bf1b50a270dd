/**
 * The editor's door to the embedded KMS: opens the session for the configured store with the root key from
 * SecretStorage, reopens it when the store setting changes, tells listeners when the store changes (whoever
 * changed it: this window, the CLI, the local endpoint), and makes every call as the acting identity.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuditEvent } from '../../../core/kms/audit';
import { KmsError } from '../../../core/kms/errors';
import { DEFAULT_ACCOUNT, rootCaller, type Caller, type KeyRecord } from '../../../core/kms/service';
import type { Identity } from '../../../core/kms/store';
import { identitiesFromFile } from '../../../core/wire/storeFileCache';
import { callerForSetting, mergeIdentities, rootPrincipal, type KnownIdentity } from '../model/actingIdentity';
import { storeProblemText } from '../model/errorAdvice';
import { resolveStoreLocation } from '../model/storeLocation';
import { KmsSession } from './kmsSession';
import { rootKeyFor } from './rootKey';
import { workspaceIdentities } from './workspaceIdentities';

export const DEFAULT_REGION = 'us-east-1';
const USER_AGENT = 'kms-studio-vscode';
const STORE_IDENTITIES_SOURCE = "the store's identities.json";

/** The identities as merged at one moment, kept while neither part changed (the same arrays in and out). */
interface MergedIdentities {
  store: readonly Identity[];
  workspace: KnownIdentity[];
  known: KnownIdentity[];
  list: Identity[];
}

/** A KMS call that failed with an AWS exception: the exception, and what the audit log recorded of the call. */
export class KmsCallError extends Error {
  override readonly name: string;
  readonly explanation: unknown;

  constructor(
    readonly operation: string,
    readonly error: KmsError,
    readonly region: string,
    readonly event: AuditEvent | undefined,
    readonly caller: Caller,
  ) {
    super(error.message);
    this.name = error.name;
    this.explanation = error.explanation;
  }

  /** The key the call acted on, as the audit event names it. */
  get keyArn(): string | undefined {
    return this.event?.resources?.[0]?.ARN;
  }
}

/** The store could not be opened: the message says why and what to do. */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
}

export interface CallOptions {
  region?: string;
  /** Call as this caller instead of the acting identity (the explorer's sweep calls as the account root). */
  caller?: Caller;
}

export class KmsHost implements vscode.Disposable {
  private session: KmsSession | undefined;
  private opening: Promise<KmsSession> | undefined;
  /** Counts store location changes, so an open that began before one does not install the old store. */
  private generation = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private sessionDisposables: { dispose(): void }[] = [];
  /**
   * The store's identities.json, looked at again (one stat) on every use and re-read when it changed, as the
   * CLI's endpoint does: an edit by anyone applies to the next request without a watcher.
   */
  private storeIdentities: (() => readonly Identity[]) | undefined;
  private storeIdentitiesProblem: string | undefined;
  /** The workspace's identities.json files, read again whenever the watcher reports a change. */
  private workspaceKnown: KnownIdentity[] = [];
  private workspaceLoaded: Promise<void> | undefined;
  /** One array per change of either part: the endpoint's lookups and core's caches are kept per array. */
  private merged: MergedIdentities | undefined;
  /** The acting identity's Caller, kept while the setting and the identities stay the same: core caches per Caller. */
  private cachedCaller: { setting: string; identities: KnownIdentity[]; caller: Caller } | undefined;
  private readonly storeChanged = new vscode.EventEmitter<void>();
  private readonly identityChanged = new vscode.EventEmitter<void>();
  private readonly auditAppended = new vscode.EventEmitter<AuditEvent>();
  /** Fires after any change of the store, by any process, and after the store is reopened elsewhere. */
  readonly onDidChangeStore = this.storeChanged.event;
  readonly onDidChangeIdentity = this.identityChanged.event;
  readonly onDidAppendAudit = this.auditAppended.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.storeChanged,
      this.identityChanged,
      this.auditAppended,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('kmsStudio.store.location')) this.reopen();
        if (event.affectsConfiguration('kmsStudio.identity') || event.affectsConfiguration('kmsStudio.region')) this.identityChanged.fire();
      }),
    );
    const watcher = vscode.workspace.createFileSystemWatcher('**/identities.json');
    const reload = (): void => this.invalidateIdentities();
    this.disposables.push(watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload), watcher.onDidDelete(reload));
  }

  private config(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('kmsStudio');
  }

  /** The default Region of calls that name no key (kmsStudio.region). */
  region(): string {
    return this.config().get<string>('region', DEFAULT_REGION).trim() || DEFAULT_REGION;
  }

  /** The principal ARN the calls act as. */
  principal(): string {
    return this.config().get<string>('identity', '').trim() || rootPrincipal(DEFAULT_ACCOUNT);
  }

  storeDir(): string {
    return resolveStoreLocation(this.config().get<string>('store.location', ''), {
      home: os.homedir(),
      globalStorage: this.context.globalStorageUri.fsPath,
      ...(vscode.workspace.workspaceFolders?.[0] ? { workspaceFolder: vscode.workspace.workspaceFolders[0].uri.fsPath } : {}),
    });
  }

  /** The session if it is open; no attempt to open it. */
  current(): KmsSession | undefined {
    return this.session;
  }

  /** The open session, opening the store on first use. Throws StoreOpenError with what to do. */
  open(): Promise<KmsSession> {
    if (this.session) return Promise.resolve(this.session);
    const opening = (this.opening ??= this.openNow(this.generation).finally(() => {
      if (this.opening === opening) this.opening = undefined;
    }));
    return opening;
  }

  private async openNow(generation: number): Promise<KmsSession> {
    let dir = '(unresolved)';
    try {
      dir = this.storeDir();
      const rootKey = await rootKeyFor(this.context.secrets, process.env, {
        lockFile: path.join(this.context.globalStorageUri.fsPath, 'root-key.lock'),
        storeDir: dir,
      });
      if (rootKey.created) this.output.info(`Generated a root key for the KMS store and kept it in ${rootKey.source}`);
      if (generation !== this.generation) {
        // The store location changed while the root key was read: open the new one instead.
        rootKey.key.fill(0);
        return this.open();
      }
      const session = KmsSession.open({ storeDir: dir, rootKey: rootKey.key, rootKeySource: rootKey.source, defaultRegion: this.region() });
      rootKey.key.fill(0);
      this.session = session;
      this.storeIdentities = identitiesFromFile(path.join(session.storeDir, 'identities.json'));
      this.sessionDisposables = [
        session.store.watch(() => this.storeChanged.fire()),
        session.log.onAppend((event) => this.auditAppended.fire(event)),
      ];
      this.output.info(`Opened the KMS store in ${dir}`);
      this.invalidateIdentities();
      return session;
    } catch (error) {
      if (error instanceof StoreOpenError) throw error;
      const name = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      this.output.error(`Could not open the KMS store in ${dir}: ${message}`);
      throw new StoreOpenError(storeProblemText(name, message, dir));
    }
  }

  private reopen(): void {
    this.generation++;
    this.opening = undefined;
    this.closeSession();
    this.invalidateIdentities();
    this.storeChanged.fire();
  }

  private closeSession(): void {
    for (const d of this.sessionDisposables) d.dispose();
    this.sessionDisposables = [];
    this.session?.dispose();
    this.session = undefined;
    this.storeIdentities = undefined;
  }

  /** A workspace identities.json changed, or the store was reopened: read the workspace's files again now. */
  private invalidateIdentities(): void {
    this.workspaceLoaded = undefined;
    void this.loadWorkspaceIdentities().then(() => this.identityChanged.fire());
  }

  private loadWorkspaceIdentities(): Promise<void> {
    this.workspaceLoaded ??= (async () => {
      const load = await workspaceIdentities(() => []).catch((error: unknown) => ({
        identities: this.workspaceKnown,
        problems: [`Could not read the workspace's identities.json files: ${error instanceof Error ? error.message : String(error)}`],
      }));
      for (const problem of load.problems) this.output.warn(problem);
      this.workspaceKnown = load.identities;
    })();
    return this.workspaceLoaded;
  }

  /** The store's identities (a stat, and a read when the file changed) merged with the workspace's as last read. */
  private identitiesMerged(): MergedIdentities {
    let store: readonly Identity[] = [];
    try {
      store = this.storeIdentities?.() ?? [];
      this.storeIdentitiesProblem = undefined;
    } catch (error) {
      // Shown once per problem; the store's file counts as empty until it is fixed, never as its old content.
      const problem = error instanceof Error ? error.message : String(error);
      if (problem !== this.storeIdentitiesProblem) this.output.warn(problem);
      this.storeIdentitiesProblem = problem;
    }
    const merged = this.merged;
    if (merged && merged.store === store && merged.workspace === this.workspaceKnown) return merged;
    const known = mergeIdentities([store.map((identity) => ({ identity, source: STORE_IDENTITIES_SOURCE })), this.workspaceKnown]);
    this.merged = { store, workspace: this.workspaceKnown, known, list: known.map((k) => k.identity) };
    return this.merged;
  }

  /**
   * Identities of the store's identities.json and the workspace's identities.json files: the store's file as it
   * is now, the workspace's as last read (again on every change the watcher reports); `fresh` reads those again.
   */
  async knownIdentities(fresh = false): Promise<KnownIdentity[]> {
    if (fresh) this.workspaceLoaded = undefined;
    if (!this.session) await this.open().catch(() => undefined);
    await this.loadWorkspaceIdentities();
    return this.identitiesMerged().known;
  }

  /** The identities now, for the endpoint's signature checks on every request: see knownIdentities. */
  identitiesNow(): readonly Identity[] {
    return this.identitiesMerged().list;
  }

  /** The acting identity as a Caller; throws IdentityError for a setting that names no principal. */
  async caller(): Promise<Caller> {
    const setting = this.config().get<string>('identity', '');
    const identities = await this.knownIdentities();
    const cached = this.cachedCaller;
    if (cached && cached.setting === setting && cached.identities === identities) return cached.caller;
    const resolved = callerForSetting(setting, identities, DEFAULT_ACCOUNT);
    const caller = { ...resolved, context: { ...resolved.context, userAgent: USER_AGENT } };
    this.cachedCaller = { setting, identities, caller };
    return caller;
  }

  /**
   * Calls `operation` as the acting identity (or `options.caller`). An AWS exception becomes a KmsCallError that
   * carries the call's audit event, so a denial can be explained with the key it concerned.
   */
  async call<T>(operation: string, request: object, options: CallOptions = {}): Promise<T> {
    const session = await this.open();
    const caller = options.caller ?? (await this.caller());
    const region = options.region ?? this.region();
    // The pipeline and its audit event run synchronously inside kms.call, before the promise is returned.
    const before = session.log.last;
    const pending = session.kms.call(operation, request, caller, { region });
    const event = session.log.last !== before ? session.log.last : undefined;
    try {
      return (await pending) as T;
    } catch (error) {
      if (error instanceof KmsError) throw new KmsCallError(operation, error, region, event, caller);
      throw error;
    }
  }

  /**
   * Carries out what the KMS clock made due (deletions, rotations, expiry) now, rather than at the next call: a
   * ListKeys as the account's root user, which every key policy of the account lets through IAM.
   */
  async sweep(region?: string): Promise<void> {
    await this.call('ListKeys', {}, { caller: rootCaller(DEFAULT_ACCOUNT), ...(region ? { region } : {}) });
  }

  /** The key record behind a key ID, ARN or alias in `region`, read from the store without a KMS call. */
  async keyRecord(keyIdOrAlias: string, region?: string): Promise<KeyRecord | undefined> {
    return (await this.open()).findKey(keyIdOrAlias, region ?? this.region());
  }

  dispose(): void {
    this.closeSession();
    for (const d of this.disposables) d.dispose();
  }
}
