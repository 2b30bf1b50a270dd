import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { parsePolicy } from '../../../core/policy/policyModel';

/** The text a span covers. */
function at(text: string, span: { offset: number; length: number }): string {
  return text.slice(span.offset, span.offset + span.length);
}

const CONSOLE_POLICY = `{
  "Version": "2012-10-17",
  "Id": "key-consolepolicy-3",
  "Statement": [
    {
      "Sid": "Enable IAM User Permissions",
      "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:root"},
      "Action": "kms:*",
      "Resource": "*"
    },
    {
      "Sid": "Allow use of the key",
      "Effect": "Allow",
      "Principal": {"AWS": ["arn:aws:iam::111122223333:role/KeyUser", "111122223333"], "Service": "cloudtrail.amazonaws.com"},
      "Action": ["kms:Encrypt", "kms:Decrypt"],
      "NotResource": "arn:aws:kms:*:*:alias/*",
      "Condition": {
        "StringEquals": {"kms:ViaService": ["s3.us-east-1.amazonaws.com", "ebs.us-east-1.amazonaws.com"]},
        "Bool": {"aws:SecureTransport": true}
      }
    }
  ]
}`;

describe('parsePolicy', () => {
  it('reads version, id and every statement with its index and span', () => {
    const { policy, syntaxErrors } = parsePolicy(CONSOLE_POLICY);
    assert.deepEqual(syntaxErrors, []);
    assert.equal(policy.version?.value, '2012-10-17');
    assert.equal(policy.id?.value, 'key-consolepolicy-3');
    assert.equal(policy.statements.length, 2);
    assert.deepEqual(policy.statements.map((s) => s.index), [0, 1]);
    assert.equal(policy.statementElement?.isArray, true);
    const second = policy.statements[1]!;
    assert.ok(at(CONSOLE_POLICY, second).startsWith('{\n      "Sid": "Allow use of the key"'));
    assert.ok(at(CONSOLE_POLICY, second).endsWith('}'));
  });

  it('keeps the offset of every value, quotes included', () => {
    const { policy } = parsePolicy(CONSOLE_POLICY);
    const s = policy.statements[1]!;
    assert.equal(at(CONSOLE_POLICY, s.sid!), '"Allow use of the key"');
    assert.equal(s.effect, 'Allow');
    assert.equal(at(CONSOLE_POLICY, s.effectElement!), '"Allow"');
    assert.deepEqual(s.action!.values.map((v) => at(CONSOLE_POLICY, v)), ['"kms:Encrypt"', '"kms:Decrypt"']);
    assert.equal(at(CONSOLE_POLICY, s.action!.key), '"Action"');
    assert.equal(s.notResource!.values[0]!.value, 'arn:aws:kms:*:*:alias/*');
    assert.equal(s.notResource!.isArray, false);
  });

  it('normalises Principal into typed entries with their values', () => {
    const { policy } = parsePolicy(CONSOLE_POLICY);
    const entries = policy.statements[1]!.principal!.entries;
    assert.deepEqual(
      entries.map((e) => [e.type, e.values.map((v) => v.value)]),
      [
        ['AWS', ['arn:aws:iam::111122223333:role/KeyUser', '111122223333']],
        ['Service', ['cloudtrail.amazonaws.com']],
      ],
    );
    assert.equal(at(CONSOLE_POLICY, entries[1]!.typeSpan), '"Service"');
  });

  it('reads the bare "*" principal as one entry of type *', () => {
    const text = '{"Statement": {"Effect": "Deny", "Principal": "*", "Action": "kms:*", "Resource": "*"}}';
    const { policy } = parsePolicy(text);
    assert.equal(policy.statementElement?.isArray, false, 'a single Statement object is accepted');
    const entry = policy.statements[0]!.principal!.entries[0]!;
    assert.equal(entry.type, '*');
    assert.equal(at(text, entry.values[0]!), '"*"');
  });

  it('reads conditions as operator → key → values, keeping non-string values as their text', () => {
    const { policy } = parsePolicy(CONSOLE_POLICY);
    const condition = policy.statements[1]!.condition!;
    assert.deepEqual(
      condition.operators.map((o) => [o.operator.value, o.keys.map((k) => [k.key.value, k.values.map((v) => v.value)])]),
      [
        ['StringEquals', [['kms:ViaService', ['s3.us-east-1.amazonaws.com', 'ebs.us-east-1.amazonaws.com']]]],
        ['Bool', [['aws:SecureTransport', ['true']]]],
      ],
    );
    const bool = condition.operators[1]!.keys[0]!.values[0]!;
    assert.equal(bool.jsonType, 'boolean');
    assert.equal(at(CONSOLE_POLICY, bool), 'true');
    assert.equal(at(CONSOLE_POLICY, condition.operators[0]!.keys[0]!.key), '"kms:ViaService"');
  });

  it('records elements it does not know instead of dropping them silently', () => {
    const text = '{"Version": "2012-10-17", "Statment": [], "Statement": [{"Effect": "Allow", "Actions": "kms:*"}]}';
    const { policy } = parsePolicy(text);
    assert.deepEqual(policy.unknownElements.map((e) => e.value), ['Statment']);
    assert.deepEqual(policy.statements[0]!.unknownElements.map((e) => e.value), ['Actions']);
  });

  it('leaves effect unset when Effect is neither Allow nor Deny, keeping what was written', () => {
    const { policy } = parsePolicy('{"Statement": [{"Effect": "allow"}]}');
    assert.equal(policy.statements[0]!.effect, undefined);
    assert.equal(policy.statements[0]!.effectElement?.value, 'allow');
  });

  it('keeps what it can read from a broken document', () => {
    const text = '{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Action": ["kms:Decrypt", ';
    const { policy, syntaxErrors } = parsePolicy(text);
    assert.ok(syntaxErrors.length > 0);
    assert.equal(policy.statements[0]?.sid?.value, 'A');
    assert.deepEqual(policy.statements[0]?.action?.values.map((v) => v.value), ['kms:Decrypt']);
  });

  it('never throws, whatever the input', () => {
    const hostile = [
      '',
      'null',
      '[]',
      '"Statement"',
      '{"Statement": 5}',
      '{"Statement": [1, "x", null, []]}',
      '{"Statement": [{"Principal": 7, "Action": {}, "Resource": [[]], "Condition": "x"}]}',
      '{"Statement": [{"Condition": {"StringEquals": "x", "Bool": {"k": {"nested": 1}}}}]}',
      '{"Statement": [{"Principal": {"AWS": {"x": 1}, "Nope": "y"}}]}',
      '{'.repeat(10_000),
      '{"Statement": [' + '{"Effect": "Allow"},'.repeat(2000) + ']}',
    ];
    for (const text of hostile) {
      const { policy } = parsePolicy(text);
      assert.ok(Array.isArray(policy.statements));
    }
  });

  it('keeps non-object statements out of the list but indexes statements by their written position', () => {
    const { policy } = parsePolicy('{"Statement": [{"Sid": "a"}, 5, {"Sid": "b"}]}');
    assert.deepEqual(policy.statements.map((s) => [s.index, s.sid?.value]), [[0, 'a'], [2, 'b']]);
  });

  it('lets the last of duplicate elements win, as JSON.parse does', () => {
    const { policy } = parsePolicy('{"Statement": [{"Effect": "Deny", "Effect": "Allow"}]}');
    assert.equal(policy.statements[0]!.effect, 'Allow');
  });
});
