import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { fileUri, LspTestClient, VSCODE_LIKE_CAPABILITIES } from '../support/lspClient';
import { KEY_POLICY, markdownOf, positionAt, positionOf, tempWorkspace } from './helpers';

const IDENTITY_POLICY = `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadFromTheOffice",
      "Effect": "Deny",
      "NotAction": "kms:Describe*",
      "Resource": "*",
      "Condition": { "ForAnyValue:StringLikeIfExists": { "kms:EncryptionContextKeys": "tenant-*" }, "Bool": { "aws:SecureTransport": "false" } }
    },
    { "Effect": "Allow", "Action": ["s3:GetObject", "kms:Decrpt"], "Resource": "*" }
  ]
}
`;

const GRANT = `{
  "KeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  "GranteePrincipal": "arn:aws:iam::111122223333:role/Worker",
  "Operations": ["Decrypt", "GenerateDataKey"]
}
`;

const SCENARIOS = `{
  "keys": {
    "k": { "arn": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "policy": "key.keypolicy.json" },
    "inline": {
      "arn": "arn:aws:kms:us-east-1:111122223333:key/0000abcd-12ab-34cd-56ef-1234567890ab",
      "policy": { "Version": "2012-10-17", "Statement": [
        { "Sid": "Everyone", "Effect": "Allow", "Principal": "*", "Action": "kms:Encrypt", "Resource": "*" }
      ] }
    }
  },
  "cases": [
    {
      "name": "the app decrypts billing data",
      "principal": "arn:aws:sts::111122223333:assumed-role/App/checkout-1",
      "action": "kms:Decrypt", "key": "k",
      "encryptionContext": { "app": "billing" },
      "expect": "allowed"
    },
    {
      "name": "another account needs its own IAM policy too",
      "principal": "arn:aws:iam::444455556666:user/someone",
      "action": "kms:Encrypt", "key": "inline",
      "expect": "implicitDeny"
    }
  ]
}
`;

describe('hover', () => {
  let client: LspTestClient;
  const ws = tempWorkspace({ 'key.keypolicy.json': KEY_POLICY, 'h.kms-scenarios.json': SCENARIOS });
  const keyUri = fileUri(ws.file('key.keypolicy.json'));
  const iamUri = fileUri(ws.file('reader.iam.json'));
  const grantUri = fileUri(ws.file('worker.grant.json'));
  const scenarioUri = fileUri(ws.file('h.kms-scenarios.json'));

  const hover = async (uri: string, text: string, needle: string, delta = 1, occurrence = 0): Promise<string> =>
    markdownOf(await client.hover(uri, positionOf(text, needle, delta, occurrence)));

  before(async () => {
    ({ client } = await LspTestClient.start({}, { capabilities: VSCODE_LIKE_CAPABILITIES, workspaceFolders: [ws.dir] }));
    await client.open(keyUri, KEY_POLICY);
    await client.open(iamUri, IDENTITY_POLICY);
    await client.open(grantUri, GRANT);
    await client.open(scenarioUri, SCENARIOS);
  });

  after(async () => {
    await client.stop();
    ws.cleanup();
  });

  it('explains an action: access level, cross-account, grant, condition keys', async () => {
    const text = await hover(keyUri, KEY_POLICY, '"kms:Decrypt"', 3);
    assert.match(text, /\*\*kms:Decrypt\*\*/);
    assert.match(text, /Write/);
    assert.match(text, /Cross-account: \*\*yes\*\*/);
    assert.match(text, /Grant: \*\*yes\*\*/);
    assert.match(text, /`kms:EncryptionAlgorithm`/);
    // Over fifty attestation keys are shown as families.
    assert.match(text, /`kms:RecipientAttestation:PCR0…31`/);
    const range = (await client.hover(keyUri, positionOf(KEY_POLICY, '"kms:Decrypt"', 3)))!.range!;
    assert.deepEqual(range.start, positionOf(KEY_POLICY, '"kms:Decrypt"', 0));
  });

  it('says which actions a wildcard covers, and warns about permissions management', async () => {
    const family = await hover(keyUri, KEY_POLICY, 'kms:GenerateDataKey*', 3);
    assert.match(family, /covers 4 AWS KMS actions/);
    assert.match(family, /`kms:GenerateDataKeyWithoutPlaintext`/);
    const all = await hover(keyUri, KEY_POLICY, '"kms:*"', 2);
    assert.match(all, /all \d+ AWS KMS actions/);
    assert.match(all, /`kms:PutKeyPolicy`/);
  });

  it('says what NotAction means, and that a misspelt action matches nothing, and leaves other services alone', async () => {
    const notAction = await hover(iamUri, IDENTITY_POLICY, 'kms:Describe*', 3);
    assert.match(notAction, /\*\*except\*\*/);
    assert.match(await hover(iamUri, IDENTITY_POLICY, 'kms:Decrpt', 3), /is not an AWS KMS action/);
    assert.equal(await client.hover(iamUri, positionOf(IDENTITY_POLICY, 's3:GetObject', 3)), null);
  });

  it('explains a condition operator: type, IfExists, set operators, missing keys', async () => {
    const plain = await hover(keyUri, KEY_POLICY, 'StringEquals', 3);
    assert.match(plain, /String operator/);
    assert.match(plain, /Missing key: \*\*false\*\*/);
    const prefixed = await hover(iamUri, IDENTITY_POLICY, 'ForAnyValue:StringLikeIfExists', 3);
    assert.match(prefixed, /IfExists/);
    assert.match(prefixed, /Missing key: \*\*true\*\*/);
    assert.match(prefixed, /ForAnyValue: at least one value/);
  });

  it('explains a condition key: type, supporting actions, who sets it', async () => {
    const context = await hover(keyUri, KEY_POLICY, 'kms:EncryptionContext:app', 3);
    assert.match(context, /String condition key/);
    assert.match(context, /`kms:Decrypt`/);
    assert.match(context, /Set by: AWS KMS, from the encryption context in the request/);
    assert.match(context, /chosen by the caller/);
    const secure = await hover(iamUri, IDENTITY_POLICY, 'aws:SecureTransport', 3);
    assert.match(secure, /Bool condition key/);
    assert.match(secure, /Set by: AWS, from the request/);
    assert.match(secure, /the caller cannot choose it/);
    const keys = await hover(iamUri, IDENTITY_POLICY, 'kms:EncryptionContextKeys', 3);
    assert.match(keys, /Multi-valued/);
  });

  it('explains principals: the account delegates to IAM, a role covers its sessions, "*" is everyone', async () => {
    assert.match(await hover(keyUri, KEY_POLICY, ':root"', 0), /delegates to the account's IAM policies/);
    assert.match(await hover(keyUri, KEY_POLICY, 'role/App', 2), /every session of it/);
    const star = await hover(scenarioUri, SCENARIOS, '"Principal": "*"', 14);
    assert.match(star, /Everyone/);
    assert.match(await hover(grantUri, GRANT, 'role/Worker', 2), /role `Worker`/);
  });

  it('summarizes a statement on its Sid and on its Effect', async () => {
    const sid = await hover(keyUri, KEY_POLICY, 'Allow use of the key', 2);
    assert.match(sid, /\*\*Allow\*\*: Allow use of the key/);
    assert.match(sid, /Allows role App in 111122223333 \(any of its sessions\)/);
    assert.match(sid, /`kms:Decrypt`/);
    assert.match(sid, /`StringEquals` holds for `kms:EncryptionContext:app` against "payments"/);
    const effect = await hover(iamUri, IDENTITY_POLICY, '"Effect": "Deny"', 12);
    assert.match(effect, /Denies the users and roles this policy is attached to from calling every action except `kms:Describe\*`/);
    assert.match(effect, /wins over every Allow/);
    const inline = await hover(scenarioUri, SCENARIOS, '"Sid": "Everyone"', 10);
    assert.match(inline, /Allows everyone to call `kms:Encrypt`/);
  });

  it('says what a Resource means in a key policy and in an IAM policy', async () => {
    assert.match(await hover(keyUri, KEY_POLICY, '"Resource": "*"', 13), /the KMS key the policy is attached to/);
    assert.match(await hover(iamUri, IDENTITY_POLICY, '"Resource": "*"', 13), /every KMS key/);
  });

  it('explains a grant operation', async () => {
    const text = await hover(grantUri, GRANT, '"GenerateDataKey"', 3);
    assert.match(text, /\*\*kms:GenerateDataKey\*\*/);
    assert.match(text, /Grant: \*\*yes\*\*/);
  });

  it('explains a failing case anywhere inside it: decision, Sid with a link, operator, key, policy and request values', async () => {
    for (const [needle, delta] of [['the app decrypts billing', 5], ['"billing"', 3], ['"expect": "allowed"', 2]] as const) {
      const text = await hover(scenarioUri, SCENARIOS, needle, delta);
      assert.match(text, /^\*\*✗ implicitDeny, expected allowed\*\*: the app decrypts billing data/, needle);
      assert.match(text, /Condition not met in key policy statement "Allow use of the key"/);
      const line = positionAt(KEY_POLICY, KEY_POLICY.indexOf('"kms:EncryptionContext:app"')).line + 1;
      assert.ok(text.includes(`[key.keypolicy.json:${line}](${keyUri}#L${line},`), text);
      assert.match(text, /`StringEquals` `kms:EncryptionContext:app`, policy `"payments"`, request `"billing"`/);
      assert.match(text, /Decided by key policy statement "Enable IAM User Permissions"/);
    }
  });

  it('explains a passing case that an inline policy decides, linking into the scenario file', async () => {
    const text = await hover(scenarioUri, SCENARIOS, 'another account needs', 3);
    assert.match(text, /^\*\*✓ implicitDeny\*\*/);
    assert.match(text, /no IAM policy in account 444455556666 allows kms:Encrypt/);
    assert.match(text, /Across accounts/);
    assert.ok(text.includes(`(${scenarioUri}#L`), text);
  });

  it('answers null where there is nothing to say', async () => {
    assert.equal(await client.hover(keyUri, { line: 0, character: 0 }), null);
    assert.equal(await client.hover(keyUri, positionOf(KEY_POLICY, '"Version"', 2)), null);
    assert.equal(await client.hover('file:///nowhere/unknown.keypolicy.json', { line: 0, character: 0 }), null);
  });
});
