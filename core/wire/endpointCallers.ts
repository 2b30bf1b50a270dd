/**
 * From an authenticated access key to the Caller the KMS evaluates: the identities.json entry that owns the key
 * (its principal, IAM policies and tags) plus what the connection says (source IP, user agent, no TLS), or the
 * endpoint's default identity when no identities are configured.
 *
 * Callers are made once per identity and connection context and then reused: the KMS caches the parsed IAM
 * policies and the resolved principal per Caller object (core/kms/service/caller.ts), so a new Caller per request
 * would parse every policy on every request.
 */
import type { Identity } from '../kms/store/identities';
import { callerFromIdentity, rootCaller, type Caller, type CallerContext } from '../kms/service/caller';

/** The access key and secret of the default identity, as LocalStack and the AWS docs' examples use them. */
export const DEFAULT_ACCESS_KEY_ID = 'test';
export const DEFAULT_SECRET_ACCESS_KEY = 'test';

/** The identity a request signed with test/test acts as when no identities are configured: the account's root user. */
export function defaultIdentity(account: string): Identity {
  return {
    principal: `arn:aws:iam::${account}:root`,
    accessKeyId: DEFAULT_ACCESS_KEY_ID,
    secretAccessKey: DEFAULT_SECRET_ACCESS_KEY,
    policies: [],
    tags: {},
    description: 'the default identity: no identities are configured',
  };
}

/** How many connection contexts (source IP, user agent) are remembered per identity before starting over. */
const MAX_CONTEXTS = 64;

export class EndpointCallers {
  /** Lookups by access key, per identities list: a list is indexed once, however many requests it serves. */
  private readonly indexes = new WeakMap<readonly Identity[], Map<string, Identity>>();
  private readonly callers = new WeakMap<Identity, Map<string, Caller>>();
  private readonly fallback: Identity;

  constructor(
    private readonly identities: () => readonly Identity[],
    private readonly account: string,
  ) {
    this.fallback = defaultIdentity(account);
  }

  /**
   * The identity that owns `accessKeyId`, or undefined. With no identities configured, only the default access
   * key is known.
   */
  find(accessKeyId: string): Identity | undefined {
    const list = this.identities();
    if (list.length === 0) return accessKeyId === DEFAULT_ACCESS_KEY_ID ? this.fallback : undefined;
    let index = this.indexes.get(list);
    if (!index) {
      index = new Map(list.map((identity) => [identity.accessKeyId, identity]));
      this.indexes.set(list, index);
    }
    return index.get(accessKeyId);
  }

  /** The Caller of `identity` on a connection with `context`, the same object for the same identity and context. */
  callerFor(identity: Identity, context: CallerContext): Caller {
    let byContext = this.callers.get(identity);
    if (!byContext) {
      byContext = new Map();
      this.callers.set(identity, byContext);
    }
    const key = `${context.sourceIp ?? ''}\u0000${context.userAgent ?? ''}\u0000${context.secureTransport === true}`;
    let caller = byContext.get(key);
    if (!caller) {
      if (byContext.size >= MAX_CONTEXTS) byContext.clear();
      // The default identity is the root user, made as every host makes it, with the access key for the audit log.
      caller = identity === this.fallback ? { ...rootCaller(this.account, context), accessKeyId: identity.accessKeyId } : callerFromIdentity(identity, context);
      byContext.set(key, caller);
    }
    return caller;
  }
}
