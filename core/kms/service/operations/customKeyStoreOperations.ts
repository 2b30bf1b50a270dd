/**
 * CreateCustomKeyStore, DescribeCustomKeyStores, ConnectCustomKeyStore, DisconnectCustomKeyStore,
 * UpdateCustomKeyStore and DeleteCustomKeyStore, for external key stores (AWS KMS Developer Guide, "External key
 * stores"): a custom key store whose keys depend on an external key store proxy (xksProxy.ts) that this KMS
 * reaches through the registry of proxies the host registered.
 *
 * The connection states are AWS's, without the waiting: ConnectCustomKeyStore asks the proxy for its health at
 * once and leaves the store CONNECTED, or FAILED with a ConnectionErrorCode; DisconnectCustomKeyStore leaves it
 * DISCONNECTED. While a store is not connected its keys are Unavailable (and return to the state they had when it
 * connects again); a store is changed (other than renamed) or deleted only while disconnected, and deleted only
 * when it has no KMS keys left (CustomKeyStoreHasCMKsException).
 */
import { KmsError } from '../../errors';
import type { CallContext } from '../callContext';
import { newCustomKeyStoreId, type CustomKeyStoreRecord } from '../customKeyStores';
import { page } from '../paging';
import { customKeyStoreInvalidState, customKeyStoreNotFound, unsupported, validation } from '../serviceErrors';
import type * as S from '../shapes';
import { secretDigest, XksProxyError, type XksPresentedCredential } from '../xksProxy';

function entryOf(store: CustomKeyStoreRecord): S.CustomKeyStoresListEntry {
  return {
    CustomKeyStoreId: store.id,
    CustomKeyStoreName: store.name,
    ConnectionState: store.connectionState,
    ...(store.connectionErrorCode ? { ConnectionErrorCode: store.connectionErrorCode } : {}),
    CreationDate: new Date(store.creationDate),
    CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
    XksProxyConfiguration: { Connectivity: store.connectivity, AccessKeyId: store.accessKeyId, UriEndpoint: store.uriEndpoint, UriPath: store.uriPath },
  };
}

function credentialOf(store: Pick<CustomKeyStoreRecord, 'accessKeyId' | 'secretDigest'>): XksPresentedCredential {
  return { accessKeyId: store.accessKeyId, secretDigest: store.secretDigest };
}

/**
 * What CreateCustomKeyStore and UpdateCustomKeyStore check of a proxy configuration: that a proxy answers at the
 * endpoint and path, and accepts the credential (XksProxyUriUnreachableException,
 * XksProxyIncorrectAuthenticationCredentialException); that no other store of the account and Region uses the
 * endpoint (XksProxyUriEndpointInUseException).
 */
function checkProxy(ctx: CallContext, config: Pick<CustomKeyStoreRecord, 'uriEndpoint' | 'uriPath' | 'accessKeyId' | 'secretDigest'>, except?: string): void {
  const others = ctx.parts.customKeyStores.list(ctx.region, ctx.account).filter((s) => s.id !== except);
  if (others.some((s) => s.uriEndpoint === config.uriEndpoint && s.uriPath === config.uriPath)) {
    throw new KmsError('XksProxyUriInUseException', `The proxy URI ${config.uriEndpoint}${config.uriPath} is already used by another external key store.`);
  }
  if (others.some((s) => s.uriEndpoint === config.uriEndpoint)) {
    throw new KmsError('XksProxyUriEndpointInUseException', `The proxy URI endpoint ${config.uriEndpoint} is already used by another external key store.`);
  }
  const proxy = ctx.parts.xks.find(config.uriEndpoint, config.uriPath);
  const unreachable = () => new KmsError('XksProxyUriUnreachableException', `KMS was unable to reach an external key store proxy at ${config.uriEndpoint}${config.uriPath}.`);
  if (!proxy) throw unreachable();
  try {
    ctx.xksLatencyMs += proxy.healthStatus(credentialOf(config));
  } catch (error) {
    if (!(error instanceof XksProxyError)) throw error;
    if (error.failure === 'AUTHENTICATION_FAILED') throw new KmsError('XksProxyIncorrectAuthenticationCredentialException', 'The external key store proxy rejected the proxy authentication credential.');
    throw unreachable();
  }
}

function findStore(ctx: CallContext, id: string): CustomKeyStoreRecord {
  const store = ctx.parts.customKeyStores.get(ctx.region, ctx.account, id);
  if (!store) throw customKeyStoreNotFound();
  return store;
}

function checkNameFree(ctx: CallContext, name: string, except?: string): void {
  if (ctx.parts.customKeyStores.list(ctx.region, ctx.account).some((s) => s.name === name && s.id !== except)) {
    throw new KmsError('CustomKeyStoreNameInUseException', `A custom key store named ${name} already exists.`);
  }
}

export function createCustomKeyStore(ctx: CallContext, request: S.CreateCustomKeyStoreRequest): S.CreateCustomKeyStoreResponse {
  if ((request.CustomKeyStoreType ?? 'AWS_CLOUDHSM') !== 'EXTERNAL_KEY_STORE') throw unsupported('AWS CloudHSM key stores are not available in this KMS: create an external key store (CustomKeyStoreType EXTERNAL_KEY_STORE).');
  if ((request.XksProxyConnectivity ?? 'PUBLIC_ENDPOINT') !== 'PUBLIC_ENDPOINT') throw unsupported('External key stores with VPC endpoint service connectivity are not available in this KMS.');
  if (request.XksProxyUriEndpoint === undefined || request.XksProxyUriPath === undefined || request.XksProxyAuthenticationCredential === undefined) {
    throw validation('An external key store needs XksProxyUriEndpoint, XksProxyUriPath and XksProxyAuthenticationCredential.');
  }
  ctx.authorize('CreateCustomKeyStore', undefined);
  return ctx.store.withLock(() => {
    checkNameFree(ctx, request.CustomKeyStoreName);
    const credential = request.XksProxyAuthenticationCredential!;
    const record: CustomKeyStoreRecord = {
      id: newCustomKeyStoreId(),
      name: request.CustomKeyStoreName,
      account: ctx.account,
      region: ctx.region,
      creationDate: ctx.now.toISOString(),
      // A new store is not connected (Developer Guide, "Connect and disconnect external key stores").
      connectionState: 'DISCONNECTED',
      uriEndpoint: request.XksProxyUriEndpoint!,
      uriPath: request.XksProxyUriPath!,
      connectivity: 'PUBLIC_ENDPOINT',
      accessKeyId: credential.AccessKeyId,
      secretDigest: secretDigest(credential.RawSecretAccessKey),
    };
    checkProxy(ctx, record);
    ctx.parts.customKeyStores.put(record);
    return { CustomKeyStoreId: record.id };
  });
}

export function describeCustomKeyStores(ctx: CallContext, request: S.DescribeCustomKeyStoresRequest): S.DescribeCustomKeyStoresResponse {
  ctx.authorize('DescribeCustomKeyStores', undefined);
  let stores = ctx.parts.customKeyStores.list(ctx.region, ctx.account);
  if (request.CustomKeyStoreId !== undefined) stores = stores.filter((s) => s.id === request.CustomKeyStoreId);
  if (request.CustomKeyStoreName !== undefined) stores = stores.filter((s) => s.name === request.CustomKeyStoreName);
  if ((request.CustomKeyStoreId !== undefined || request.CustomKeyStoreName !== undefined) && stores.length === 0) throw customKeyStoreNotFound();
  const ordered = stores.map((s, i) => ({ s, order: String(i).padStart(8, '0') }));
  const p = page(ordered, (e) => e.order, request.Limit ?? 100, request.Marker);
  return { CustomKeyStores: p.items.map((e) => entryOf(e.s)), Truncated: p.truncated, ...(p.nextMarker ? { NextMarker: p.nextMarker } : {}) };
}

/** Moves every key of the store to Unavailable, or back to the state it had. */
function setKeysAvailable(ctx: CallContext, store: CustomKeyStoreRecord, available: boolean): void {
  for (const key of ctx.parts.customKeyStores.keysIn(store)) {
    if (available && key.keyState === 'Unavailable') {
      key.keyState = key.stateWhenAvailable ?? 'Enabled';
      delete key.stateWhenAvailable;
    } else if (!available && key.keyState !== 'Unavailable' && key.keyState !== 'PendingDeletion') {
      // A key pending deletion stays so, so its deletion can be cancelled while the store is disconnected.
      key.stateWhenAvailable = key.keyState;
      key.keyState = 'Unavailable';
    } else continue;
    ctx.store.writeKey(key.region, key.keyId, key);
  }
}

export function connectCustomKeyStore(ctx: CallContext, request: S.CustomKeyStoreIdRequest): S.EmptyResponse {
  ctx.authorize('ConnectCustomKeyStore', undefined);
  return ctx.store.withLock(() => {
    const store = findStore(ctx, request.CustomKeyStoreId);
    if (store.connectionState === 'FAILED' || store.connectionState === 'DISCONNECTING') {
      throw customKeyStoreInvalidState(`Custom key store ${store.id} is ${store.connectionState}: disconnect it before connecting it again.`);
    }
    if (store.connectionState === 'CONNECTED') return {};
    const proxy = ctx.parts.xks.find(store.uriEndpoint, store.uriPath);
    let errorCode: string | undefined;
    try {
      if (!proxy) throw new XksProxyError('UNREACHABLE', '');
      ctx.xksLatencyMs += proxy.healthStatus(credentialOf(store));
    } catch (error) {
      if (!(error instanceof XksProxyError)) throw error;
      errorCode = error.failure === 'AUTHENTICATION_FAILED' ? 'XKS_PROXY_ACCESS_DENIED' : error.failure === 'TIMED_OUT' ? 'XKS_PROXY_TIMED_OUT' : 'XKS_PROXY_NOT_REACHABLE';
    }
    // ConnectCustomKeyStore succeeds whether or not the connection does; the state says which.
    if (errorCode) {
      store.connectionState = 'FAILED';
      store.connectionErrorCode = errorCode;
    } else {
      store.connectionState = 'CONNECTED';
      delete store.connectionErrorCode;
      setKeysAvailable(ctx, store, true);
    }
    ctx.parts.customKeyStores.put(store);
    return {};
  });
}

export function disconnectCustomKeyStore(ctx: CallContext, request: S.CustomKeyStoreIdRequest): S.EmptyResponse {
  ctx.authorize('DisconnectCustomKeyStore', undefined);
  return ctx.store.withLock(() => {
    const store = findStore(ctx, request.CustomKeyStoreId);
    if (store.connectionState === 'DISCONNECTED' || store.connectionState === 'DISCONNECTING') {
      throw customKeyStoreInvalidState(`Custom key store ${store.id} is already ${store.connectionState}.`);
    }
    store.connectionState = 'DISCONNECTED';
    delete store.connectionErrorCode;
    setKeysAvailable(ctx, store, false);
    ctx.parts.customKeyStores.put(store);
    return {};
  });
}

export function updateCustomKeyStore(ctx: CallContext, request: S.UpdateCustomKeyStoreRequest): S.EmptyResponse {
  if (request.CloudHsmClusterId !== undefined || request.KeyStorePassword !== undefined) throw unsupported('AWS CloudHSM key stores are not available in this KMS.');
  if (request.XksProxyConnectivity !== undefined && request.XksProxyConnectivity !== 'PUBLIC_ENDPOINT') throw unsupported('External key stores with VPC endpoint service connectivity are not available in this KMS.');
  ctx.authorize('UpdateCustomKeyStore', undefined);
  return ctx.store.withLock(() => {
    const store = findStore(ctx, request.CustomKeyStoreId);
    const proxyChange = request.XksProxyUriEndpoint !== undefined || request.XksProxyUriPath !== undefined || request.XksProxyAuthenticationCredential !== undefined;
    // Only the name may change while the store is connected (API Reference, UpdateCustomKeyStore).
    if (proxyChange && store.connectionState !== 'DISCONNECTED') throw customKeyStoreInvalidState(`Custom key store ${store.id} must be disconnected to change its proxy configuration.`);
    if (request.NewCustomKeyStoreName !== undefined) {
      checkNameFree(ctx, request.NewCustomKeyStoreName, store.id);
      store.name = request.NewCustomKeyStoreName;
    }
    if (proxyChange) {
      if (request.XksProxyUriEndpoint !== undefined) store.uriEndpoint = request.XksProxyUriEndpoint;
      if (request.XksProxyUriPath !== undefined) store.uriPath = request.XksProxyUriPath;
      const credential = request.XksProxyAuthenticationCredential;
      if (credential) {
        store.accessKeyId = credential.AccessKeyId;
        store.secretDigest = secretDigest(credential.RawSecretAccessKey);
      }
      checkProxy(ctx, store, store.id);
    }
    ctx.parts.customKeyStores.put(store);
    return {};
  });
}

export function deleteCustomKeyStore(ctx: CallContext, request: S.CustomKeyStoreIdRequest): S.EmptyResponse {
  ctx.authorize('DeleteCustomKeyStore', undefined);
  return ctx.store.withLock(() => {
    const store = findStore(ctx, request.CustomKeyStoreId);
    if (store.connectionState !== 'DISCONNECTED') throw customKeyStoreInvalidState(`Custom key store ${store.id} must be disconnected before it is deleted.`);
    const keys = ctx.parts.customKeyStores.keysIn(store);
    if (keys.length > 0) {
      throw new KmsError('CustomKeyStoreHasCMKsException', `Custom key store ${store.id} still has ${keys.length} KMS key${keys.length === 1 ? '' : 's'}: schedule them for deletion and wait for it to finish first.`);
    }
    ctx.parts.customKeyStores.delete(store.id);
    return {};
  });
}
