import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_KMS_PRICES, compareDataKeyCaching, estimateCost, priceClassOf, withCacheHits } from '../../../../core/kms/audit/pricing';
import { countRequests, requestUsageOf } from '../../../../core/kms/audit/requestCounters';
import { buildAuditEvent, type AuditInput } from '../../../../core/kms/audit/auditEvent';

const MONTH = DEFAULT_KMS_PRICES.hoursPerMonth;
const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) < 1e-6, `${actual} is not ${expected}`);

describe('estimateCost', () => {
  it('charges $1 a month for a customer managed key, prorated hourly', () => {
    close(estimateCost({ keys: [{ hours: MONTH }] }).total, 1);
    close(estimateCost({ keys: [{ hours: 24 }] }).total, 24 / MONTH);
    // A started hour counts whole.
    close(estimateCost({ keys: [{ hours: 0.2 }] }).total, 1 / MONTH);
  });

  it('adds $1 a month for each of the first two rotations only', () => {
    close(estimateCost({ keys: [{ hours: MONTH, rotations: 1 }] }).keys, 2);
    close(estimateCost({ keys: [{ hours: MONTH, rotations: 2 }] }).keys, 3);
    close(estimateCost({ keys: [{ hours: MONTH, rotations: 9 }] }).keys, 3);
  });

  it('charges nothing to keep an AWS managed key', () => {
    close(estimateCost({ keys: [{ hours: MONTH, awsManaged: true }] }).total, 0);
  });

  it('gives 20,000 symmetric requests a month free, then $0.03 per 10,000', () => {
    // One key and 100,000 requests: (100,000 - 20,000) / 10,000 * $0.03 + $1.
    const estimate = estimateCost({ keys: [{ hours: MONTH }], requests: [{ operation: 'Decrypt', count: 99_000 }, { operation: 'Encrypt', count: 1_000 }] });
    close(estimate.total, 1.24);
    assert.equal(estimate.freeRequestsUsed, 20_000);
    assert.equal(estimate.requests.symmetric.billable, 80_000);
    close(estimateCost({ requests: [{ operation: 'Decrypt', count: 15_000 }] }).total, 0);
    close(estimateCost({ requests: [{ operation: 'Decrypt', count: 60_000 }], months: 3 }).total, 0);
  });

  it('prices asymmetric requests by key spec, outside the free tier', () => {
    close(estimateCost({ requests: [{ operation: 'Sign', keySpec: 'ECC_NIST_P256', count: 10_000 }] }).total, 0.15);
    close(estimateCost({ requests: [{ operation: 'Decrypt', keySpec: 'RSA_4096', count: 10_000 }] }).total, 0.15);
    close(estimateCost({ requests: [{ operation: 'Verify', keySpec: 'RSA_2048', count: 10_000 }] }).total, 0.03);
    close(estimateCost({ requests: [{ operation: 'GenerateMac', keySpec: 'HMAC_256', count: 10_000 }] }).total, 0);
  });

  it('prices GenerateDataKeyPair by the pair generated', () => {
    close(estimateCost({ requests: [{ operation: 'GenerateDataKeyPair', keyPairSpec: 'RSA_2048', count: 10_000 }] }).total, 12);
    close(estimateCost({ requests: [{ operation: 'GenerateDataKeyPairWithoutPlaintext', keyPairSpec: 'ECC_NIST_P384', count: 10_000 }] }).total, 0.1);
  });

  it('takes prices given as settings over the defaults', () => {
    const estimate = estimateCost({ keys: [{ hours: MONTH }], requests: [{ operation: 'Decrypt', count: 30_000 }] }, { keyPerMonth: 1.2, perUnit: { symmetric: 0.05 }, freeRequestsPerMonth: 0 });
    close(estimate.total, 1.2 + 0.15);
    close(estimateCost({ requests: [{ operation: 'Sign', keySpec: 'ECC_NIST_P256', count: 10_000 }] }, { perUnit: { symmetric: 1 } }).total, 0.15);
  });
});

describe('priceClassOf', () => {
  it('sorts requests into the price classes of the pricing page', () => {
    assert.equal(priceClassOf({ operation: 'Encrypt' }), 'symmetric');
    assert.equal(priceClassOf({ operation: 'Encrypt', keySpec: 'RSA_2048' }), 'rsa2048');
    assert.equal(priceClassOf({ operation: 'Sign', keySpec: 'ECC_SECG_P256K1' }), 'asymmetric');
    assert.equal(priceClassOf({ operation: 'GenerateDataKeyPair', keySpec: 'SYMMETRIC_DEFAULT', keyPairSpec: 'RSA_4096' }), 'rsaDataKeyPair');
  });
});

describe('data key caching', () => {
  it('shows what serving data keys from a cache saves', () => {
    const usage = { keys: [{ hours: MONTH }], requests: [{ operation: 'GenerateDataKey', count: 1_000_000 }, { operation: 'Decrypt', count: 500_000 }] };
    const comparison = compareDataKeyCaching(usage, [{ operation: 'GenerateDataKey', count: 990_000 }]);
    close(comparison.withoutCache.total, 1 + (1_500_000 - 20_000) / 10_000 * 0.03);
    close(comparison.withCache.total, 1 + (510_000 - 20_000) / 10_000 * 0.03);
    close(comparison.saved, (990_000 / 10_000) * 0.03);
  });

  it('never removes more requests than there were', () => {
    const usage = withCacheHits({ requests: [{ operation: 'GenerateDataKey', count: 10 }, { operation: 'GenerateDataKey', keySpec: 'SYMMETRIC_DEFAULT', count: 5 }] }, [{ operation: 'GenerateDataKey', count: 12 }, { operation: 'Decrypt', count: 5 }]);
    assert.deepEqual(usage.requests!.map((r) => r.count), [0, 3]);
  });
});

describe('request counters from the audit log', () => {
  const at = new Date('2024-06-01T00:00:00Z');
  const key = (id: string) => `arn:aws:kms:us-east-1:111122223333:key/${id}`;
  const record = (input: Partial<AuditInput>) => buildAuditEvent({ operation: 'Decrypt', region: 'us-east-1', caller: { arn: 'arn:aws:iam::111122223333:user/alice' }, ...input }, at);
  const events = [
    record({ keyArn: key('k1'), keySpec: 'SYMMETRIC_DEFAULT' }),
    record({ keyArn: key('k1'), keySpec: 'SYMMETRIC_DEFAULT', error: { code: 'AccessDeniedException', message: 'no' } }),
    record({ keyArn: key('k1'), operation: 'Encrypt', keySpec: 'SYMMETRIC_DEFAULT' }),
    record({ keyArn: key('k2'), operation: 'Sign', keySpec: 'ECC_NIST_P256' }),
    record({ operation: 'ListKeys' }),
  ];

  it('count requests and failures per key and operation', () => {
    assert.deepEqual(countRequests(events), [
      { operation: 'ListKeys', requests: 1, failures: 0 },
      { keyArn: key('k1'), operation: 'Decrypt', requests: 2, failures: 1 },
      { keyArn: key('k1'), operation: 'Encrypt', requests: 1, failures: 0 },
      { keyArn: key('k2'), operation: 'Sign', requests: 1, failures: 0 },
    ]);
  });

  it('feed the estimate with the key spec each request used', () => {
    const usage = requestUsageOf(events);
    assert.deepEqual(usage.find((u) => u.operation === 'Sign'), { operation: 'Sign', keySpec: 'ECC_NIST_P256', count: 1 });
    const estimate = estimateCost({ requests: usage });
    assert.equal(estimate.requests.symmetric.requests, 4);
    assert.equal(estimate.requests.asymmetric.requests, 1);
    close(estimate.total, 0.15 / 10_000);
  });
});
