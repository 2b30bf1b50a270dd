import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Explanation } from '../../../core/authz/explanation';
import { denialSummary, explanationMarkdown, policyHighlights } from '../../../client/src/model/explanationView';
import { BOB, fixture, recordOf, rejection, ROOT } from './kmsFixture';

const DENY_DECRYPT = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
      { Sid: 'No decryption', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' },
      {
        Sid: 'Payments app',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:user/bob' },
        Action: 'kms:Encrypt',
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:app': 'payments' } },
      },
    ],
  },
  null,
  2,
);

async function denied(): Promise<{ explanation: Explanation; policy: string; keyArn: string; conditionExplanation: Explanation }> {
  const f = fixture();
  const key = (await f.kms.createKey({ Policy: DENY_DECRYPT }, ROOT)).KeyMetadata;
  const blob = (await f.kms.encrypt({ KeyId: key.KeyId, Plaintext: new Uint8Array([1]) }, ROOT)).CiphertextBlob;
  const error = await rejection(f.kms.decrypt({ CiphertextBlob: blob }, ROOT));
  const condition = await rejection(f.kms.encrypt({ KeyId: key.KeyId, Plaintext: new Uint8Array([1]), EncryptionContext: { app: 'billing' } }, BOB));
  return { explanation: error.explanation as Explanation, policy: recordOf(f, key.KeyId).policy, keyArn: key.Arn, conditionExplanation: condition.explanation as Explanation };
}

describe('the explanation beside the key policy', () => {
  it('highlights the deciding Deny statement at its place in the policy text', async () => {
    const { explanation, policy } = await denied();
    const highlights = policyHighlights(explanation);
    assert.equal(highlights.length, 1);
    const [deny] = highlights;
    assert.equal(deny!.kind, 'deny');
    const text = policy.slice(deny!.offset, deny!.offset + deny!.length);
    assert.match(text, /^\{[\s\S]*"Sid": "No decryption"[\s\S]*\}$/);
    assert.match(deny!.label, /Decided explicitDeny: the key policy's statement "No decryption"/);
  });

  it('marks a condition that was not met, inside its statement', async () => {
    const { conditionExplanation, policy } = await denied();
    const condition = policyHighlights(conditionExplanation).find((h) => h.kind === 'condition');
    assert.ok(condition, 'a highlight for the failed condition');
    assert.match(policy.slice(condition.offset, condition.offset + condition.length), /StringEquals|kms:EncryptionContext:app/);
  });

  it('writes the decision, the reason, the deciding statements and the context as Markdown', async () => {
    const { explanation, keyArn } = await denied();
    const markdown = explanationMarkdown(explanation, { operation: 'Decrypt', keyArn, errorName: 'AccessDeniedException', errorMessage: 'not authorized' });
    assert.match(markdown, /^# kms:Decrypt: explicitDeny/);
    assert.match(markdown, /\*\*AccessDeniedException\*\*: not authorized/);
    assert.match(markdown, /- Caller: `arn:aws:iam::111122223333:root` \(Account, account 111122223333\)/);
    assert.match(markdown, /## Deciding statements\n\n- \*\*Deny\*\* in the key policy's statement "No decryption" \(highlighted in the key policy\)/);
    assert.match(markdown, /## Request context/);
  });

  it('keeps ARNs readable in the raw page, escaping only what Markdown would misread', async () => {
    const { explanation, keyArn } = await denied();
    const markdown = explanationMarkdown(explanation, { operation: 'Decrypt', errorName: 'AccessDeniedException', errorMessage: `not allowed on ${keyArn} for *_you_*` });
    assert.ok(markdown.includes(`not allowed on ${keyArn} for \\*\\_you\\_\\*`), markdown.split('\n')[2]);
  });

  it('lists the failed condition with the policy\'s and the request\'s values', async () => {
    const { conditionExplanation } = await denied();
    const markdown = explanationMarkdown(conditionExplanation, { operation: 'Encrypt' });
    assert.match(markdown, /## Conditions that were not met/);
    assert.match(markdown, /the policy wants `"payments"`, the request has `"billing"`/);
  });

  it('sums a denial up in one line for a notification', async () => {
    const { explanation } = await denied();
    assert.match(denialSummary(explanation, 'Decrypt'), /^Decrypt was denied \(explicitDeny\): .+\.$/);
  });
});
