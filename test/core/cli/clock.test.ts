import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createKey, sandbox, itRefusesUsage } from './kmsSandbox';

const DAY_MS = 24 * 60 * 60 * 1000;

function timeOf(stdout: string): number {
  const first = stdout.split('\n')[0]!;
  assert.match(first, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'the first line is the sandbox time, ISO 8601');
  return Date.parse(first);
}

describe('kms-studio clock', () => {
  it('show, advance DAYS (fractions allowed) and reset', async () => {
    const box = sandbox();
    await createKey(box);
    const shown = await box.run(['clock', '--store', 'store', 'show']);
    assert.equal(shown.code, 0, shown.stderr);
    assert.ok(Math.abs(timeOf(shown.stdout) - Date.now()) < 60_000);
    assert.match(shown.stdout, /sandbox time is system time\n/);

    const advanced = await box.run(['clock', '--store', 'store', 'advance', '1.5']);
    assert.equal(advanced.code, 0, advanced.stderr);
    assert.ok(Math.abs(timeOf(advanced.stdout) - (Date.now() + 1.5 * DAY_MS)) < 60_000);
    assert.match(advanced.stdout, /sandbox time is system time \+ 1\.5 days/);

    const again = await box.run(['clock', '--store', 'store', 'advance', '30']);
    assert.match(again.stdout, /system time \+ 31\.5 days/);

    // The KMS sees the same time: a key created now is dated 31.5 days ahead.
    const created = await box.call('CreateKey');
    const creation = (created['KeyMetadata'] as { CreationDate: number }).CreationDate * 1000;
    assert.ok(Math.abs(creation - (Date.now() + 31.5 * DAY_MS)) < 60_000);

    const reset = await box.run(['clock', '--store', 'store', 'reset']);
    assert.equal(reset.code, 0);
    assert.ok(Math.abs(timeOf(reset.stdout) - Date.now()) < 60_000);
  });

  it('says which deletions are pending and when', async () => {
    const box = sandbox();
    const keyId = await createKey(box);
    await box.call('ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 10 });
    const shown = await box.run(['clock', '--store', 'store', 'advance', '3']);
    assert.match(shown.stdout, new RegExp(`key ${keyId} \\(us-east-1\\): pending deletion, deleted in 7 days`));
  });

  it('lets automatic rotation happen: due after advancing past the rotation date, done by the next request', async () => {
    const box = sandbox();
    const keyId = await createKey(box);
    await box.call('EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 });
    const before = await box.run(['clock', '--store', 'store', 'show']);
    assert.match(before.stdout, new RegExp(`key ${keyId} \\(us-east-1\\): next automatic rotation in 90 days`));
    const after = await box.run(['clock', '--store', 'store', 'advance', '91']);
    assert.match(after.stdout, new RegExp(`key ${keyId} \\(us-east-1\\): automatic rotation was due .*; the next request to the store rotates it`));
    const rotations = await box.call('ListKeyRotations', { KeyId: keyId });
    assert.deepEqual((rotations['Rotations'] as Array<{ RotationType: string }>).map((r) => r.RotationType), ['AUTOMATIC']);
  });

  describe('usage errors: exit 2', () => {
    const cases: Array<[string, string[], RegExp]> = [
      ['no action', ['clock', '--store', 'store'], /name an action: show, advance DAYS or reset/],
      ['an unknown action', ['clock', '--store', 'store', 'rewind', '3'], /unknown action 'rewind'/],
      ['advance without days', ['clock', '--store', 'store', 'advance'], /advance needs a number of days/],
      ['advance by a negative number', ['clock', '--store', 'store', 'advance', '--', '-3'], /"-3" is not a number of days >= 0/],
      ['advance by words', ['clock', '--store', 'store', 'advance', 'week'], /"week" is not a number of days/],
      ['extra arguments', ['clock', '--store', 'store', 'show', 'now'], /unexpected 'now' after show/],
      ['no --store', ['clock', 'show'], /--store DIR is required/],
      ['a store that does not exist', ['clock', '--store', 'elsewhere', 'show'], /There is no KMS store in .*elsewhere/],
      ['an unknown flag', ['clock', '--store', 'store', 'show', '--utc'], /Unknown option '--utc'/],
    ];
    itRefusesUsage(cases);
  });
});
