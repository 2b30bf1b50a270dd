/**
 * CreateAlias, UpdateAlias, DeleteAlias and ListAliases. An alias is a name for a key, not a key: it has its
 * own ARN, the alias operations need permission on the alias (IAM policies only) as well as on the key (key
 * policy), and a key policy's Resource never means a key by its alias. `alias/aws/` names belong to AWS
 * managed keys and cannot be created, changed or deleted by anyone else.
 */
import { KmsError } from '../../errors';
import type { AliasEntry } from '../aliasTable';
import { AWS_MANAGED_ALIAS_PREFIX, awsManagedAliasNames } from '../awsManagedKeys';
import type { CallContext, ResolvedKey } from '../callContext';
import { aliasArnOf, type KeyRecord } from '../keyRecord';
import { pendingDeletionRefusal } from '../keyStateTable';
import { page } from '../paging';
import { aliasNotFound, limitExceeded, validation } from '../serviceErrors';
import type * as S from '../shapes';

/** AWS KMS quota: a key has at most 50 aliases. */
export const MAX_ALIASES_PER_KEY = 50;

/**
 * `alias/aws/` is reserved for AWS managed keys (AWS KMS Developer Guide, "Create aliases"). AWS refuses such
 * names with NotAuthorizedException and no message, an exception outside the KMS API model.
 */
function refuseReserved(aliasName: string): void {
  if (aliasName.startsWith(AWS_MANAGED_ALIAS_PREFIX)) throw new KmsError('NotAuthorizedException', '');
}

function checkAliasCount(ctx: CallContext, key: KeyRecord): void {
  if (ctx.parts.aliases.namesOf(key).length >= MAX_ALIASES_PER_KEY) {
    throw limitExceeded(`${key.arn} already has ${MAX_ALIASES_PER_KEY} aliases, the most a KMS key can have.`);
  }
}

export function createAlias(ctx: CallContext, request: S.AliasRequest): S.EmptyResponse {
  refuseReserved(request.AliasName);
  const aliasArn = aliasArnOf(ctx.region, ctx.account, request.AliasName);
  return ctx.store.withLock(() => {
    const target = ctx.resolveKey(request.TargetKeyId, { aliases: false });
    ctx.authorize('CreateAlias', target, { aliasArn });
    ctx.checkState(target);
    if (ctx.parts.aliases.get(ctx.region, ctx.account, request.AliasName)) {
      throw new KmsError('AlreadyExistsException', `An alias with the name ${aliasArn} already exists`);
    }
    checkAliasCount(ctx, target.record);
    const now = ctx.now.toISOString();
    ctx.parts.aliases.put({ aliasName: request.AliasName, aliasArn, account: ctx.account, region: ctx.region, targetKeyId: target.record.keyId, creationDate: now, lastUpdatedDate: now });
    return {};
  });
}

/** What UpdateAlias compares: an alias may move only between keys of the same type and key usage. */
function keyType(key: KeyRecord): string {
  const type = key.keySpec === 'SYMMETRIC_DEFAULT' ? 'symmetric' : key.keySpec.startsWith('HMAC_') ? 'HMAC' : 'asymmetric';
  return `${type} ${key.keyUsage}`;
}

export function updateAlias(ctx: CallContext, request: S.AliasRequest): S.EmptyResponse {
  refuseReserved(request.AliasName);
  return ctx.store.withLock(() => {
    const entry = ctx.parts.aliases.get(ctx.region, ctx.account, request.AliasName);
    if (!entry) throw aliasNotFound(aliasArnOf(ctx.region, ctx.account, request.AliasName));
    const target = ctx.resolveKey(request.TargetKeyId, { aliases: false });
    const current = ctx.findKey(entry.targetKeyId);
    // UpdateAlias needs the permission on the alias, on the key it points to now and on the new key.
    if (current) ctx.authorize('UpdateAlias', current, { aliasArn: entry.aliasArn });
    ctx.authorize('UpdateAlias', target, { aliasArn: entry.aliasArn });
    // Key state table, note 10: the key the alias leaves may be pending deletion, the key it moves to may not.
    const refusal = pendingDeletionRefusal(target.record.arn, target.record.keyState);
    if (refusal) throw refusal;
    ctx.checkState(target);
    if (current && keyType(current.record) !== keyType(target.record)) {
      throw validation(`Alias ${request.AliasName} points to a ${keyType(current.record)} key and cannot be moved to ${target.record.arn}, a ${keyType(target.record)} key.`);
    }
    if (entry.targetKeyId !== target.record.keyId) checkAliasCount(ctx, target.record);
    ctx.parts.aliases.put({ ...entry, targetKeyId: target.record.keyId, lastUpdatedDate: ctx.now.toISOString() });
    return {};
  });
}

export function deleteAlias(ctx: CallContext, request: S.DeleteAliasRequest): S.EmptyResponse {
  refuseReserved(request.AliasName);
  return ctx.store.withLock(() => {
    const entry = ctx.parts.aliases.get(ctx.region, ctx.account, request.AliasName);
    if (!entry) throw aliasNotFound(aliasArnOf(ctx.region, ctx.account, request.AliasName));
    const target: ResolvedKey | undefined = ctx.findKey(entry.targetKeyId);
    if (target) {
      ctx.authorize('DeleteAlias', target, { aliasArn: entry.aliasArn });
      ctx.checkState(target);
    }
    ctx.parts.aliases.delete(ctx.region, ctx.account, request.AliasName);
    return {};
  });
}

function listEntry(entry: AliasEntry): S.AliasListEntry {
  return {
    AliasName: entry.aliasName,
    AliasArn: entry.aliasArn,
    TargetKeyId: entry.targetKeyId,
    CreationDate: new Date(entry.creationDate),
    LastUpdatedDate: new Date(entry.lastUpdatedDate),
  };
}

export function listAliases(ctx: CallContext, request: S.ListAliasesRequest): S.ListAliasesResponse {
  ctx.authorize('ListAliases', undefined);
  const key = request.KeyId !== undefined ? ctx.resolveKey(request.KeyId, { aliases: false }) : undefined;
  const existing = ctx.parts.aliases.list(ctx.region, ctx.account);
  let aliases: S.AliasListEntry[];
  if (key) {
    aliases = existing.filter((e) => e.targetKeyId === key.record.keyId).map(listEntry);
  } else {
    // AWS lists the AWS managed aliases of an account before their keys exist, without a TargetKeyId.
    const names = new Set(existing.map((e) => e.aliasName));
    const reserved = awsManagedAliasNames()
      .filter((name) => !names.has(name))
      .map((name) => ({ AliasName: name, AliasArn: aliasArnOf(ctx.region, ctx.account, name) }));
    aliases = [...existing.map(listEntry), ...reserved].sort((a, b) => (a.AliasName < b.AliasName ? -1 : a.AliasName > b.AliasName ? 1 : 0));
  }
  const p = page(aliases, (a) => a.AliasName, request.Limit ?? 50, request.Marker);
  return { Aliases: p.items, Truncated: p.truncated, ...(p.nextMarker ? { NextMarker: p.nextMarker } : {}) };
}
