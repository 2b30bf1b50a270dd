// Acting as another principal, and why a call was denied: Switch Identity updates the setting and the status
// bar; a denied call keeps its explanation; Explain opens it beside the key policy with the deciding statement
// highlighted; Simulate Request asks the same evaluator without making the call.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KmsStudioApi } from '../../client/src/extension';
import type { ShownExplanation } from '../../client/src/views/explanationView';
import type { AuthorizationResult } from '../../core/authz/explanation';
import { closeAllEditors, createKey, editorWith, kmsStudio, selectAll, useTempStore, type TempStore } from './kmsSupport';

const APP_ROLE = 'arn:aws:iam::111122223333:role/App';
const IDENTITIES = JSON.stringify({
  identities: [
    {
      principal: APP_ROLE,
      accessKeyId: 'AKIAAPPROLE000000001',
      secretAccessKey: 'app-secret',
      description: 'the payments application',
      policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:DescribeKey'], Resource: '*' }] }],
    },
  ],
});

const DENY_DECRYPT = JSON.stringify(
  {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
      { Sid: 'No decryption', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' },
    ],
  },
  null,
  2,
);

async function actAs(principal: string): Promise<void> {
  const result = await vscode.commands.executeCommand<string>('kmsStudio.switchIdentity', { principal });
  assert.ok(result, `switched to ${principal || 'root'}`);
}

function textAt(document: vscode.TextDocument, range: vscode.Range): string {
  return document.getText(range);
}

suite('Identity and explanations', () => {
  let api: KmsStudioApi;
  let store: TempStore;

  suiteSetup(async () => {
    api = await kmsStudio();
    store = await useTempStore(api, 'identity', { 'identities.json': IDENTITIES });
  });
  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('kmsStudio').update('identity', undefined, vscode.ConfigurationTarget.Global);
    await closeAllEditors();
    await store.dispose();
  });
  teardown(async () => {
    await actAs('');
    await closeAllEditors();
  });

  test('Switch Identity sets kmsStudio.identity, and the status bar and explorer say who acts', async () => {
    await actAs(APP_ROLE);
    assert.equal(vscode.workspace.getConfiguration('kmsStudio').get('identity'), APP_ROLE);
    assert.equal(api.host.principal(), APP_ROLE);
    assert.equal(api.statusBar.identity.text, '$(person) KMS: role/App');
    assert.match(String(api.statusBar.identity.tooltip), /arn:aws:iam::111122223333:role\/App/);
    assert.equal(api.treeView.description, 'as role/App');
    const caller = await api.host.caller();
    assert.equal(caller.principal, 'arn:aws:sts::111122223333:assumed-role/App/kms-studio', 'a role acts through a session');
    assert.equal(caller.policies?.length, 1, 'with the IAM policies of identities.json');
    await actAs('');
    assert.equal(api.statusBar.identity.text, '$(person) KMS: root (111122223333)');
  });

  test('Switch Identity offers the store\'s identities and refuses what is not a principal', async () => {
    const known = await api.host.knownIdentities();
    assert.deepEqual(known.map((k) => [k.identity.principal, k.source]), [[APP_ROLE, "the store's identities.json"]]);
    assert.equal(await vscode.commands.executeCommand('kmsStudio.switchIdentity', { principal: 'bob' }), undefined);
    assert.match(api.reporter.lastError!.text, /neither an ARN nor a service principal name/);
  });

  test('a call the identity may not make is denied, and Explain shows why beside a snapshot of the policy', async () => {
    const key = await createKey({ alias: 'identity-app' });
    const editor = await editorWith('card number');
    await vscode.commands.executeCommand('kmsStudio.encryptSelection', { keyId: key.KeyId });
    await actAs(APP_ROLE);
    selectAll(editor);
    assert.equal(await vscode.commands.executeCommand('kmsStudio.decryptSelection', {}), undefined);
    const denial = api.reporter.lastDenial;
    assert.ok(denial, 'the denial was kept');
    assert.equal(denial.operation, 'Decrypt');
    assert.equal(denial.explanation.decision, 'implicitDeny');
    assert.equal(denial.keyArn, key.Arn);
    assert.match(api.reporter.lastError!.text, /^Decrypt was denied \(implicitDeny\): .*Choose Explain/);

    const shown = await vscode.commands.executeCommand<ShownExplanation>('kmsStudio.explainDenial');
    assert.ok(shown?.policyUri, 'the key policy is shown');
    assert.equal(shown.live, false, 'the App role may not read the key policy, so a snapshot of it is shown');
    const policy = vscode.workspace.textDocuments.find((d) => d.uri.toString() === shown.policyUri!.toString())!;
    assert.equal(shown.highlights.length, 1);
    assert.equal(shown.highlights[0]!.highlight.kind, 'allow');
    assert.match(textAt(policy, shown.highlights[0]!.range), /"Sid" : "Enable IAM User Permissions"/);
    const explanation = vscode.workspace.textDocuments.find((d) => d.uri.toString() === shown.explanationUri.toString());
    assert.ok(explanation, 'the explanation document is open');
    assert.match(explanation.getText(), /^# kms:Decrypt: implicitDeny/);
    assert.match(explanation.getText(), /assumed-role\/App\/kms-studio/);
    const visible = vscode.window.visibleTextEditors.map((e) => e.document.uri.toString());
    assert.ok(visible.includes(shown.explanationUri.toString()) && visible.includes(shown.policyUri.toString()), 'both are visible side by side');
  });

  test('an explicit Deny is highlighted in the live key policy when the identity can read it', async () => {
    const key = await createKey({ policy: DENY_DECRYPT });
    const editor = await editorWith('report');
    await vscode.commands.executeCommand('kmsStudio.encryptSelection', { keyId: key.KeyId });
    selectAll(editor);
    assert.equal(await vscode.commands.executeCommand('kmsStudio.decryptSelection', {}), undefined);
    assert.equal(api.reporter.lastDenial?.explanation.decision, 'explicitDeny');
    const shown = await vscode.commands.executeCommand<ShownExplanation>('kmsStudio.explainDenial');
    assert.equal(shown?.live, true);
    assert.equal(shown!.policyUri!.scheme, 'kms-studio');
    const policy = vscode.workspace.textDocuments.find((d) => d.uri.toString() === shown!.policyUri!.toString())!;
    const deny = shown!.highlights.find((h) => h.highlight.kind === 'deny');
    assert.ok(deny);
    assert.match(textAt(policy, deny.range), /^\{[\s\S]*"Sid": "No decryption"[\s\S]*\}$/);
    const active = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === shown!.policyUri!.toString());
    assert.ok(active, 'the policy is visible');
    assert.ok(active.visibleRanges.some((r) => r.intersection(deny.range)), 'the deciding statement is scrolled into view');
  });

  test('Simulate Request decides without calling, and explains', async () => {
    const key = await createKey({ alias: 'identity-simulated' });
    const calls = async (): Promise<number> => (await api.host.open()).log.read({ operation: ['Decrypt', 'Encrypt'] }).length;
    const before = await calls();
    const denied = await vscode.commands.executeCommand<AuthorizationResult>('kmsStudio.simulateRequest', { keyId: key.KeyId, action: 'kms:Decrypt', principal: APP_ROLE });
    assert.equal(denied?.decision, 'implicitDeny');
    const allowed = await vscode.commands.executeCommand<AuthorizationResult>('kmsStudio.simulateRequest', { keyId: key.KeyId, action: 'Encrypt', principal: APP_ROLE, encryptionContext: 'app=x' });
    assert.equal(allowed?.decision, 'allowed');
    assert.equal(allowed!.explanation.code, 'AllowedByIamPolicyThroughKeyPolicy');
    assert.equal(await calls(), before, 'a simulation is not a call: no Decrypt or Encrypt is audited');
    assert.match(vscode.window.visibleTextEditors.map((e) => e.document.getText()).join('\n'), /# kms:Encrypt: allowed/);
  });
});
