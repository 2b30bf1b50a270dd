import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { keyMetadataOf, type KeyMetadata } from '../../../core/kms/service';
import {
  keyContextValue,
  keyDescription,
  keyIcon,
  keyLabel,
  keyPickText,
  keyTooltipLines,
  sortedAliases,
} from '../../../client/src/model/keyPresentation';
import { repoRoot } from '../../support/paths';
import { fixture, recordOf, ROOT } from './kmsFixture';

async function keyOf(request: object = {}): Promise<{ metadata: KeyMetadata; f: ReturnType<typeof fixture> }> {
  const f = fixture();
  const created = await f.kms.createKey(request, ROOT);
  return { metadata: (await f.kms.describeKey({ KeyId: created.KeyMetadata.KeyId }, ROOT)).KeyMetadata, f };
}

describe('key label, description and tooltip from DescribeKey', () => {
  it('labels a key by its first alias, customer aliases before alias/aws/, else by its key ID', async () => {
    const { metadata } = await keyOf();
    assert.equal(keyLabel({ metadata, aliases: [] }), metadata.KeyId);
    assert.equal(keyLabel({ metadata, aliases: ['alias/zeta', 'alias/aws/s3', 'alias/alpha'] }), 'alias/alpha');
    assert.deepEqual(sortedAliases(['alias/aws/s3', 'alias/b', 'alias/a']), ['alias/a', 'alias/b', 'alias/aws/s3']);
  });

  it('describes state and spec, and says when a key is multi-Region', async () => {
    const { metadata } = await keyOf({ MultiRegion: true, KeySpec: 'SYMMETRIC_DEFAULT' });
    assert.equal(keyDescription(metadata), 'Enabled · SYMMETRIC_DEFAULT · multi-Region primary');
  });

  it('gives the tooltip the ARN, origin, manager, creation date and rotation', async () => {
    const { metadata, f } = await keyOf({ Description: 'payments' });
    await f.kms.enableKeyRotation({ KeyId: metadata.KeyId, RotationPeriodInDays: 90 }, ROOT);
    const record = recordOf(f, metadata.KeyId);
    const lines = keyTooltipLines({ metadata: keyMetadataOf(record), aliases: ['alias/app', 'alias/other'], rotation: record.rotation });
    const text = lines.join('\n');
    assert.match(text, new RegExp(`ARN: ${metadata.Arn}`));
    assert.match(text, /Origin: AWS_KMS/);
    assert.match(text, /Manager: CUSTOMER/);
    assert.match(text, /Created: 2024-01-01T00:00:00Z/);
    assert.match(text, /Rotation: every 90 days, next on 2024-03-31T00:00:00Z/);
    assert.match(text, /Aliases: alias\/app, alias\/other/);
    assert.match(text, /Description: payments/);
    assert.doesNotMatch(text, /Deletion/);
  });

  it('names the deletion date and waiting period of a key pending deletion', async () => {
    const { metadata, f } = await keyOf();
    await f.kms.scheduleKeyDeletion({ KeyId: metadata.KeyId, PendingWindowInDays: 7 }, ROOT);
    const pending = keyMetadataOf(recordOf(f, metadata.KeyId));
    const text = keyTooltipLines({ metadata: pending, aliases: [] }).join('\n');
    assert.match(text, /Deletion: scheduled for 2024-01-08T00:00:00Z \(7-day waiting period\)/);
    assert.equal(keyIcon(pending).id, 'trash');
    assert.equal(keyDescription(pending), 'PendingDeletion · SYMMETRIC_DEFAULT');
  });

  it('marks AWS managed keys as such in description and tooltip', async () => {
    const f = fixture();
    await f.kms.encrypt({ KeyId: 'alias/aws/s3', Plaintext: new Uint8Array([1]) }, { ...ROOT, context: { viaService: 's3.us-east-1.amazonaws.com' } }).catch(() => undefined);
    const record = f.store.listKeys().find((k) => k.record.keyManager === 'AWS')?.record;
    assert.ok(record, 'using alias/aws/s3 creates the AWS managed key');
    const metadata = keyMetadataOf(record);
    assert.match(keyDescription(metadata), /^AWS managed · Enabled/);
    assert.match(keyTooltipLines({ metadata, aliases: ['alias/aws/s3'] }).join('\n'), /Manager: AWS \(an AWS managed key/);
    assert.equal(keyContextValue(metadata).split(' ')[1], 'aws');
  });

  it('picks an icon by usage and colours it by state', async () => {
    const { metadata } = await keyOf();
    assert.deepEqual(keyIcon(metadata), { id: 'key', color: 'charts.green' });
    assert.deepEqual(keyIcon({ ...metadata, KeyState: 'Disabled' }), { id: 'key', color: 'disabledForeground' });
    assert.equal(keyIcon({ ...metadata, KeyUsage: 'SIGN_VERIFY' }).id, 'verified');
    assert.equal(keyIcon({ ...metadata, KeyUsage: 'GENERATE_VERIFY_MAC' }).id, 'shield');
    assert.equal(keyIcon({ ...metadata, KeyState: 'PendingImport' }).id, 'cloud-upload');
  });

  it('gives quick picks the label, description and the key ID and Region as detail', async () => {
    const { metadata } = await keyOf();
    const text = keyPickText({ metadata, aliases: ['alias/app'] });
    assert.equal(text.label, 'alias/app');
    assert.equal(text.detail, `${metadata.KeyId} · us-east-1`);
    assert.equal(keyPickText({ metadata, aliases: [] }).detail, metadata.Arn);
  });
});

interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}

/** Evaluates the `viewItem =~ /re/` and `viewItem == x` terms of a when clause for one context value. */
function menuShows(when: string, viewItem: string): boolean {
  const regex = /viewItem =~ \/(.+?)\/(?= &&|$)/.exec(when);
  if (regex) return new RegExp(regex[1]!).test(viewItem);
  const equals = /viewItem == '?([^'&]+?)'?(?= &&|$)/.exec(when);
  if (equals) return equals[1] === viewItem;
  return true;
}

describe('context values against the manifest\'s menus', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuItem[]> } };
  const items = manifest.contributes.menus['view/item/context']!.filter((i) => !i.group?.startsWith('inline'));
  const commandsFor = (viewItem: string): string[] =>
    [...new Set(items.filter((i) => i.when?.includes('viewItem') && menuShows(i.when, viewItem)).map((i) => i.command.replace('kmsStudio.', '')))].sort();

  it('offers an enabled symmetric key its whole menu but Enable and Cancel Deletion', async () => {
    const { metadata } = await keyOf();
    assert.deepEqual(commandsFor(keyContextValue(metadata)), [
      'copyKeyArn', 'createAlias', 'createGrant', 'disableKey', 'disableKeyRotation', 'enableKeyRotation', 'openKeyPolicy', 'rotateKeyNow', 'scheduleKeyDeletion', 'showAuditLog', 'simulateRequest',
    ]);
  });

  it('offers a disabled key Enable, not Disable or Rotate Now', async () => {
    const { metadata } = await keyOf();
    const commands = commandsFor(keyContextValue({ ...metadata, KeyState: 'Disabled', Enabled: false }));
    assert.ok(commands.includes('enableKey'));
    assert.ok(!commands.includes('disableKey') && !commands.includes('rotateKeyNow'));
  });

  it('offers a key pending deletion Cancel Deletion and not another Schedule', async () => {
    const { metadata } = await keyOf();
    const commands = commandsFor(keyContextValue({ ...metadata, KeyState: 'PendingDeletion', Enabled: false }));
    assert.ok(commands.includes('cancelKeyDeletion'));
    assert.ok(!commands.includes('scheduleKeyDeletion') && !commands.includes('enableKey'));
  });

  it('offers AWS managed keys only what reads: the policy, the ARN, a simulation, the audit log', async () => {
    const { metadata } = await keyOf();
    assert.deepEqual(commandsFor(keyContextValue({ ...metadata, KeyManager: 'AWS' })), ['copyKeyArn', 'openKeyPolicy', 'showAuditLog', 'simulateRequest']);
  });

  it('offers Import Key Material to EXTERNAL keys and Replicate to multi-Region primaries only', async () => {
    const external = (await keyOf({ Origin: 'EXTERNAL' })).metadata;
    assert.ok(commandsFor(keyContextValue(external)).includes('importKeyMaterial'));
    const primary = (await keyOf({ MultiRegion: true })).metadata;
    assert.ok(commandsFor(keyContextValue(primary)).includes('replicateKey'));
    const plain = (await keyOf()).metadata;
    assert.ok(!commandsFor(keyContextValue(plain)).includes('importKeyMaterial'));
    assert.ok(!commandsFor(keyContextValue(plain)).includes('replicateKey'));
  });

  it('offers no rotation to signing keys', async () => {
    const { metadata } = await keyOf({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const commands = commandsFor(keyContextValue(metadata));
    assert.ok(!commands.some((c) => /Rotat/.test(c)), commands.join(', '));
  });

  it('offers grants Retire and Revoke, customer aliases Delete, AWS aliases nothing', () => {
    assert.deepEqual(commandsFor('kmsGrant'), ['retireGrant', 'revokeGrant']);
    assert.deepEqual(commandsFor('kmsAlias customer'), ['deleteAlias']);
    assert.deepEqual(commandsFor('kmsAlias aws'), []);
  });
});
