/**
 * What the same keys and requests would cost in AWS KMS, from AWS's published prices, and what caching data keys
 * would save.
 *
 * DEFAULT_KMS_PRICES are the list prices of the AWS KMS pricing page (aws.amazon.com/kms/pricing, US East, in
 * USD), which infracost's price data agrees with:
 * - each KMS key $1/month, prorated hourly; AWS managed keys and keys pending deletion are free;
 * - automatic rotation adds $1/month for each of the first two rotations of a key; later rotations add nothing
 *   (the pricing change of May 2024);
 * - requests: $0.03 per 10,000 for symmetric and HMAC keys and for RSA_2048 keys, $0.15 per 10,000 for other
 *   asymmetric keys, $0.10 per 10,000 ECC GenerateDataKeyPair requests, $12 per 10,000 RSA GenerateDataKeyPair
 *   requests;
 * - 20,000 free requests a month across all regions; requests that use asymmetric keys and GenerateDataKeyPair
 *   requests are excluded from the free tier.
 * Prices change and differ by region: callers pass their own in `prices` (any subset overrides the defaults).
 * A month is 730 hours, as AWS's pricing calculator counts it.
 */

export type RequestPriceClass = 'symmetric' | 'rsa2048' | 'asymmetric' | 'eccDataKeyPair' | 'rsaDataKeyPair';

export const REQUEST_PRICE_CLASSES: readonly RequestPriceClass[] = ['symmetric', 'rsa2048', 'asymmetric', 'eccDataKeyPair', 'rsaDataKeyPair'];

export interface KmsPrices {
  currency: string;
  keyPerMonth: number;
  rotationPerMonth: number;
  /** How many rotations of a key add `rotationPerMonth`; later ones are free. */
  billedRotationsPerKey: number;
  hoursPerMonth: number;
  /** Request prices are per this many requests. */
  requestsPerUnit: number;
  perUnit: Record<RequestPriceClass, number>;
  freeRequestsPerMonth: number;
  /** Which request classes the free tier covers. */
  freeTierClasses: readonly RequestPriceClass[];
}

export const DEFAULT_KMS_PRICES: Readonly<KmsPrices> = Object.freeze({
  currency: 'USD',
  keyPerMonth: 1,
  rotationPerMonth: 1,
  billedRotationsPerKey: 2,
  hoursPerMonth: 730,
  requestsPerUnit: 10_000,
  perUnit: Object.freeze({ symmetric: 0.03, rsa2048: 0.03, asymmetric: 0.15, eccDataKeyPair: 0.1, rsaDataKeyPair: 12 }),
  freeRequestsPerMonth: 20_000,
  freeTierClasses: Object.freeze(['symmetric'] as RequestPriceClass[]),
});

export type PriceOverrides = Partial<Omit<KmsPrices, 'perUnit'>> & { perUnit?: Partial<Record<RequestPriceClass, number>> };

export function pricesWith(overrides: PriceOverrides = {}): KmsPrices {
  return { ...DEFAULT_KMS_PRICES, ...overrides, perUnit: { ...DEFAULT_KMS_PRICES.perUnit, ...overrides.perUnit } };
}

/** A key's life in the period estimated. */
export interface KeyUsage {
  keyId?: string;
  /** Hours the key existed and was not pending deletion. */
  hours: number;
  /** Rotations of its material so far (on-demand or automatic). */
  rotations?: number;
  /** AWS managed keys (aws/…) cost nothing to keep. */
  awsManaged?: boolean;
}

export interface RequestUsage {
  operation: string;
  /** The KeySpec of the KMS key used; absent means a symmetric key. */
  keySpec?: string;
  /** For GenerateDataKeyPair*: the KeyPairSpec of the pair generated. */
  keyPairSpec?: string;
  count: number;
}

export interface Usage {
  keys?: readonly KeyUsage[];
  requests?: readonly RequestUsage[];
  /** Months the usage spans, for the free tier; default 1. */
  months?: number;
}

export interface RequestClassCost {
  requests: number;
  /** After the free tier. */
  billable: number;
  cost: number;
}

export interface CostEstimate {
  currency: string;
  keys: number;
  requests: Record<RequestPriceClass, RequestClassCost>;
  freeRequestsUsed: number;
  total: number;
}

/** Which price a request pays. GenerateDataKeyPair is priced by the pair generated, not by the KMS key. */
export function priceClassOf(request: Pick<RequestUsage, 'operation' | 'keySpec' | 'keyPairSpec'>): RequestPriceClass {
  if (request.operation === 'GenerateDataKeyPair' || request.operation === 'GenerateDataKeyPairWithoutPlaintext') {
    return request.keyPairSpec?.startsWith('RSA_') ? 'rsaDataKeyPair' : 'eccDataKeyPair';
  }
  const spec = request.keySpec ?? 'SYMMETRIC_DEFAULT';
  if (spec === 'SYMMETRIC_DEFAULT' || spec.startsWith('HMAC_')) return 'symmetric';
  if (spec === 'RSA_2048') return 'rsa2048';
  return 'asymmetric';
}

// Money is summed in floating point; rounding to a millionth of a dollar hides the binary fractions.
function round(amount: number): number {
  return Math.round(amount * 1e6) / 1e6;
}

export function estimateCost(usage: Usage, overrides: PriceOverrides = {}): CostEstimate {
  const prices = pricesWith(overrides);
  let keys = 0;
  for (const key of usage.keys ?? []) {
    if (key.awsManaged || key.hours <= 0) continue;
    // Prorated hourly: a started hour counts whole.
    const months = Math.ceil(key.hours) / prices.hoursPerMonth;
    const rotations = Math.min(key.rotations ?? 0, prices.billedRotationsPerKey);
    keys += months * (prices.keyPerMonth + rotations * prices.rotationPerMonth);
  }

  const requests = Object.fromEntries(REQUEST_PRICE_CLASSES.map((c) => [c, { requests: 0, billable: 0, cost: 0 }])) as Record<RequestPriceClass, RequestClassCost>;
  for (const request of usage.requests ?? []) requests[priceClassOf(request)].requests += Math.max(0, request.count);

  let free = prices.freeRequestsPerMonth * (usage.months ?? 1);
  let freeRequestsUsed = 0;
  let total = keys;
  for (const priceClass of REQUEST_PRICE_CLASSES) {
    const entry = requests[priceClass];
    let billable = entry.requests;
    if (prices.freeTierClasses.includes(priceClass)) {
      const covered = Math.min(free, billable);
      free -= covered;
      freeRequestsUsed += covered;
      billable -= covered;
    }
    entry.billable = billable;
    entry.cost = round((billable / prices.requestsPerUnit) * prices.perUnit[priceClass]);
    total += entry.cost;
  }
  return { currency: prices.currency, keys: round(keys), requests, freeRequestsUsed, total: round(total) };
}

/** Requests a cache answered instead of KMS: e.g. 9,000 of 10,000 GenerateDataKey calls served from a data key cache. */
export interface CacheHits {
  operation: string;
  count: number;
}

/** The usage with `hits` requests of each operation removed (never below zero). */
export function withCacheHits(usage: Usage, hits: readonly CacheHits[]): Usage {
  const remaining = new Map<string, number>();
  for (const hit of hits) remaining.set(hit.operation, (remaining.get(hit.operation) ?? 0) + Math.max(0, hit.count));
  const requests = (usage.requests ?? []).map((request) => {
    const left = remaining.get(request.operation) ?? 0;
    const removed = Math.min(left, request.count);
    remaining.set(request.operation, left - removed);
    return { ...request, count: request.count - removed };
  });
  return { ...usage, requests };
}

export interface CachingComparison {
  withoutCache: CostEstimate;
  withCache: CostEstimate;
  saved: number;
}

/** What data key caching (AWS Encryption SDK caching CMM, S3 Bucket Keys, …) saves on the given usage. */
export function compareDataKeyCaching(usage: Usage, hits: readonly CacheHits[], overrides: PriceOverrides = {}): CachingComparison {
  const withoutCache = estimateCost(usage, overrides);
  const withCache = estimateCost(withCacheHits(usage, hits), overrides);
  return { withoutCache, withCache, saved: round(withoutCache.total - withCache.total) };
}
