import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { InsertTextFormat, type CompletionItem, type TextEdit } from 'vscode-languageserver-protocol';
import { LspTestClient, VSCODE_LIKE_CAPABILITIES } from '../support/lspClient';
import { applyEdits, cursor } from './helpers';

let counter = 0;

describe('completion', () => {
  let client: LspTestClient;
  let plain: LspTestClient;

  before(async () => {
    ({ client } = await LspTestClient.start({}, { capabilities: VSCODE_LIKE_CAPABILITIES }));
    ({ client: plain } = await LspTestClient.start({}));
  });

  after(async () => {
    await client.stop();
    await plain.stop();
  });

  /** Opens `marked` as a new document of the given kind and completes at its `|`. */
  const complete = async (marked: string, suffix = 'keypolicy.json', on = client): Promise<{ text: string; items: CompletionItem[] }> => {
    const { text, position } = cursor(marked);
    const uri = `file:///ws/c${++counter}.${suffix}`;
    await on.open(uri, text);
    return { text, items: await on.completion(uri, position) };
  };
  const labels = (items: CompletionItem[]): string[] => items.map((i) => i.label);
  const sorted = (items: CompletionItem[]): CompletionItem[] => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
  const apply = (text: string, item: CompletionItem): string => applyEdits(text, [item.textEdit as TextEdit]);

  it('offers every KMS action and useful wildcards inside Action, replacing the string typed so far', async () => {
    const { text, items } = await complete('{"Statement": [{"Effect": "Allow", "Action": "kms:De|"}]}');
    const all = labels(items);
    for (const expected of ['kms:Decrypt', 'kms:DescribeKey', 'kms:Describe*', 'kms:GenerateDataKey*', 'kms:ReEncrypt*', 'kms:*']) {
      assert.ok(all.includes(expected), `${expected} in ${all.join(', ')}`);
    }
    const decrypt = items.find((i) => i.label === 'kms:Decrypt')!;
    assert.equal(apply(text, decrypt), '{"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt"}]}');
    assert.equal(decrypt.filterText, '"kms:Decrypt"');
    assert.match((decrypt.documentation as { value: string }).value, /Cross-account/);
    // The everyday operations come first; kms:* last.
    const order = labels(sorted(items));
    assert.ok(order.indexOf('kms:Decrypt') < order.indexOf('kms:CancelKeyDeletion'));
    assert.equal(order[order.length - 1], 'kms:*');
  });

  it('completes inside an Action list in text that does not parse', async () => {
    const { text, items } = await complete('{"Statement": [{"Action": ["kms:Encrypt", |');
    const decrypt = items.find((i) => i.label === 'kms:Decrypt');
    assert.ok(decrypt);
    assert.equal(apply(text, decrypt), '{"Statement": [{"Action": ["kms:Encrypt", "kms:Decrypt"');
  });

  it('offers operators inside Condition, with IfExists and set-operator forms', async () => {
    const { text, items } = await complete('{"Statement": [{"Action": "kms:Decrypt", "Condition": {"|"}}]}');
    const all = labels(items);
    for (const expected of ['StringEquals', 'StringLikeIfExists', 'ForAnyValue:StringLike', 'ForAllValues:StringEquals', 'Null', 'ArnLike', 'Bool']) {
      assert.ok(all.includes(expected), expected);
    }
    assert.ok(!all.includes('NullIfExists'));
    assert.equal(labels(sorted(items))[0], 'StringEquals');
    const like = items.find((i) => i.label === 'StringLike')!;
    assert.equal(like.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(apply(text, like), '{"Statement": [{"Action": "kms:Decrypt", "Condition": {"StringLike": {$1}}}]}');
  });

  it('offers the condition keys the statement\'s actions support, and global keys', async () => {
    const { items } = await complete('{"Statement": [{"Action": ["kms:Decrypt", "kms:Encrypt"], "Condition": {"StringEquals": {"|"}}}]}');
    const all = labels(items);
    for (const expected of ['kms:EncryptionAlgorithm', 'kms:ViaService', 'kms:CallerAccount', 'aws:PrincipalArn', 'aws:SourceIp']) {
      assert.ok(all.includes(expected), expected);
    }
    // CreateKey's and grant keys do not apply to Decrypt or Encrypt.
    for (const absent of ['kms:BypassPolicyLockoutSafetyCheck', 'kms:GrantOperations', 'kms:GranteePrincipal']) {
      assert.ok(!all.includes(absent), absent);
    }
    const order = labels(sorted(items));
    assert.ok(order.indexOf('kms:ViaService') < order.indexOf('aws:SourceIp'), 'the statement\'s own keys before global ones');
    const context = items.find((i) => i.label.startsWith('kms:EncryptionContext:$'))!;
    assert.equal(context.insertTextFormat, InsertTextFormat.Snippet);
    assert.equal((context.textEdit as TextEdit).newText, '"kms:EncryptionContext:${1:key}": "$2"');

    const grants = await complete('{"Statement": [{"Action": "kms:CreateGrant", "Condition": {"ForAllValues:StringEquals": {|}}}]}');
    assert.ok(labels(grants.items).includes('kms:GrantOperations'));
  });

  it('offers Effect values, statement elements not yet written, and principal forms', async () => {
    assert.deepEqual(labels((await complete('{"Statement": [{"Effect": "|"}]}')).items), ['Allow', 'Deny']);
    const elements = labels((await complete('{"Statement": [{"Sid": "x", "Effect": "Allow", |}]}')).items);
    assert.ok(elements.includes('Principal') && elements.includes('Action') && elements.includes('Condition'));
    assert.ok(!elements.includes('Sid') && !elements.includes('Effect'));
    const identity = labels((await complete('{"Statement": [{|}]}', 'iam.json')).items);
    assert.ok(identity.includes('Action') && !identity.includes('Principal'), 'identity policies have no Principal');
    const principals = await complete('{"Statement": [{"Principal": {"AWS": "|"}, "Resource": "arn:aws:kms:us-east-1:444455556666:key/x"}]}');
    const root = principals.items.find((i) => i.label === 'arn:aws:iam::444455556666:root');
    assert.ok(root, `the document's account is used: ${labels(principals.items).join(', ')}`);
    assert.ok(labels(principals.items).includes('*'));
    assert.ok(labels(principals.items).some((l) => l.includes(':role/')));
    const service = labels((await complete('{"Statement": [{"Principal": {"Service": "|"}}]}')).items);
    assert.ok(service.includes('cloudtrail.amazonaws.com'));
  });

  it('offers a new statement where one goes, and the top-level elements', async () => {
    const statement = await complete('{"Version": "2012-10-17", "Statement": [|]}');
    assert.deepEqual(labels(statement.items), ['New statement']);
    const top = await complete('{"Version": "2012-10-17", |}');
    assert.deepEqual(labels(top.items).sort(), ['Id', 'Statement']);
  });

  it('completes scenario fields, keys, actions and expectations', async () => {
    const base = '{"keys": {"app-key": {}, "other": {}}, "principals": {"arn:aws:iam::111122223333:user/ana": {}}, "cases": [';
    const fields = await complete(`${base}{"name": "x", "|"}]}`, 'kms-scenarios.json');
    assert.deepEqual(labels(sorted(fields.items)).slice(0, 3), ['principal', 'action', 'key']);
    assert.ok(labels(fields.items).includes('expect') && !labels(fields.items).includes('name'));
    const keys = await complete(`${base}{"key": "|"}]}`, 'kms-scenarios.json');
    assert.deepEqual(labels(keys.items), ['app-key', 'other']);
    const expects = await complete(`${base}{"expect": "|"}]}`, 'kms-scenarios.json');
    assert.deepEqual(labels(expects.items), ['allowed', 'implicitDeny', 'explicitDeny']);
    const actions = await complete(`${base}{"action": "kms:|"}]}`, 'kms-scenarios.json');
    assert.ok(labels(actions.items).includes('kms:Decrypt'));
    assert.ok(!labels(actions.items).includes('kms:*'), 'a case names one action, no wildcard');
    const principals = await complete(`${base}{"principal": "|"}]}`, 'kms-scenarios.json');
    assert.equal(labels(sorted(principals.items))[0], 'arn:aws:iam::111122223333:user/ana');
    const newCase = await complete(`${base}|]}`, 'kms-scenarios.json');
    assert.deepEqual(labels(newCase.items), ['New case']);
    const top = await complete('{|}', 'kms-scenarios.json');
    assert.deepEqual(labels(top.items).sort(), ['$schema', 'cases', 'keys', 'principals']);
    const keySpec = await complete('{"keys": {"k": {"keySpec": "|"}}}', 'kms-scenarios.json');
    assert.ok(labels(keySpec.items).includes('SYMMETRIC_DEFAULT'));
    const context = await complete(`${base}{"context": {"aws:Sour|"}}]}`, 'kms-scenarios.json');
    assert.ok(labels(context.items).includes('aws:SourceIp'));
    // A policy written inline in the scenario file completes as a policy.
    const inline = await complete('{"keys": {"k": {"policy": {"Statement": [{"Action": "kms:Sign", "Condition": {"StringEquals": {"|"}}}]}}}, "cases": []}', 'kms-scenarios.json');
    assert.ok(labels(inline.items).includes('kms:SigningAlgorithm'));
    assert.ok(!labels(inline.items).includes('kms:EncryptionAlgorithm'));
    const grantOps = await complete('{"keys": {"k": {"grants": [{"Operations": ["|"]}]}}, "cases": []}', 'kms-scenarios.json');
    assert.ok(labels(grantOps.items).includes('GenerateDataKey'));
  });

  it('completes grant operations in a grant file', async () => {
    const { items } = await complete('{"GranteePrincipal": "x", "Operations": ["|"]}', 'grant.json');
    assert.ok(labels(items).includes('Decrypt'));
    assert.ok(!labels(items).includes('PutKeyPolicy'), 'only grant operations');
  });

  it('inserts plain text for a client without snippets', async () => {
    const { text, items } = await complete('{"Statement": [{"Effect": "Allow", |}]}', 'keypolicy.json', plain);
    const action = items.find((i) => i.label === 'Action')!;
    assert.equal(action.insertTextFormat, InsertTextFormat.PlainText);
    assert.equal(apply(text, action), '{"Statement": [{"Effect": "Allow", "Action": ""}]}');
  });

  it('answers nothing outside KMS documents and where nothing fits', async () => {
    assert.deepEqual((await complete('{"Statement": [{"Action": "|"}]}', 'package.json')).items, []);
    assert.deepEqual((await complete('{"Statement": [{"Sid": "|"}]}')).items, []);
  });
});
