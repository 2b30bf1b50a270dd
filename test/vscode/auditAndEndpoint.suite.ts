// The audit log view (filtered by key, operation and outcome), the cost estimate, the sandbox clock and the local
// endpoint: started, called as the AWS CLI would with the environment it shows, its changes reaching the key
// explorer, stopped.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { KmsStudioApi } from '../../client/src/extension';
import type { RunningEndpoint } from '../../client/src/endpoint/endpointController';
import { closeAllEditors, createKey, editorWith, kmsStudio, nextEvent, useTempStore, waitFor, type TempStore } from './kmsSupport';
import { callKms } from './sigv4';

async function documentOf(uri: string): Promise<vscode.TextDocument> {
  return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
}

suite('Audit log, cost estimate and local endpoint', () => {
  let api: KmsStudioApi;
  let store: TempStore;

  suiteSetup(async () => {
    api = await kmsStudio();
    store = await useTempStore(api, 'audit');
  });
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('kmsStudio.stopEndpoint');
    await closeAllEditors();
    await store.dispose();
  });

  test('Show Audit Log lists every call, and filters by key, operation and outcome', async () => {
    const key = await createKey({ alias: 'audited' });
    await editorWith('audited text');
    await vscode.commands.executeCommand('kmsStudio.encryptSelection', { keyId: key.KeyId });
    await vscode.commands.executeCommand('kmsStudio.disableKey', { keyId: key.KeyId });
    await vscode.commands.executeCommand('kmsStudio.generateDataKey', { keyId: key.KeyId });

    const all = await documentOf((await vscode.commands.executeCommand<string>('kmsStudio.showAuditLog', {}))!);
    for (const operation of ['CreateKey', 'CreateAlias', 'Encrypt', 'DisableKey', 'GenerateDataKey']) assert.match(all.getText(), new RegExp(`Z {2}${operation} {2}`), operation);

    const failed = await documentOf((await vscode.commands.executeCommand<string>('kmsStudio.showAuditLog', { keyId: key.Arn, outcome: 'failure' }))!);
    assert.match(failed.getText(), /Showing 1 of \d+ events: key arn:aws:kms:\S+, failed\./);
    assert.match(failed.getText(), /GenerateDataKey {2}DisabledException/);

    const fromNode = await documentOf((await vscode.commands.executeCommand<string>('kmsStudio.showAuditLog', { kind: 'key', key: (await api.tree.keys()).find((k) => k.keyId === key.KeyId) }))!);
    assert.match(fromNode.getText(), new RegExp(`Showing \\d+ of \\d+ events: key ${key.Arn}\\.`), 'run from a key in the explorer, the view shows that key\'s events');

    const encrypts = await documentOf((await vscode.commands.executeCommand<string>('kmsStudio.showAuditLog', { operation: 'Encrypt' }))!);
    assert.match(encrypts.getText(), /Showing 1 of/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), encrypts.uri.toString(), 'the view is shown');
  });

  test('an open audit view follows new calls', async () => {
    const uri = (await vscode.commands.executeCommand<string>('kmsStudio.showAuditLog', { operation: 'GenerateRandom' }))!;
    const document = await documentOf(uri);
    assert.match(document.getText(), /Showing 0 of/);
    const updated = nextEvent(vscode.workspace.onDidChangeTextDocument, 'the audit view to update', (e) => e.document.uri.toString() === uri && /Showing 1 of/.test(e.document.getText()));
    await vscode.commands.executeCommand('kmsStudio.generateRandom', { numberOfBytes: 8 });
    await updated;
  });

  test('Show Cost Estimate prices the keys and the requests', async () => {
    const report = await vscode.commands.executeCommand<{ keys: unknown[]; estimate: { total: number; requests: { symmetric: { requests: number } } } }>('kmsStudio.showCostEstimate');
    assert.ok(report);
    assert.ok(report.keys.length >= 1);
    assert.ok(report.estimate.requests.symmetric.requests >= 2);
    assert.match(vscode.window.activeTextEditor!.document.getText(), /^# KMS cost estimate/);
  });

  test('Advance Sandbox Clock moves the KMS clock and makes automatic rotation happen', async () => {
    const key = await createKey();
    await vscode.commands.executeCommand('kmsStudio.enableKeyRotation', { keyId: key.KeyId, rotationPeriodInDays: 90 });
    await vscode.commands.executeCommand('kmsStudio.advanceClock', { days: 91 });
    const rotated = await api.host.keyRecord(key.KeyId);
    assert.equal(rotated!.materials.length, 2);
    assert.equal(rotated!.materials[1]!.rotationType, 'AUTOMATIC');
    const rotations = (await api.host.open()).log.read({ operation: 'RotateKey', keyId: key.Arn });
    assert.equal(rotations.length, 1, 'the rotation is in the audit log as KMS\'s own event');
  });

  test('Start Local Endpoint serves the KMS to SigV4 clients; its changes reach the explorer; Stop ends it', async () => {
    const running = await vscode.commands.executeCommand<RunningEndpoint>('kmsStudio.startEndpoint', { port: 0 });
    assert.ok(running?.url.startsWith('http://127.0.0.1:'));
    assert.deepEqual(Object.keys(running.environment), ['url', 'region', 'accessKeyId', 'secretAccessKey']);
    assert.equal(api.statusBar.endpoint.text, `$(radio-tower) KMS endpoint :${running.port}`);
    const { environment } = running;
    const created = await callKms({ ...environment, operation: 'CreateKey', body: { Description: 'over the wire' } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const keyId = (created.body['KeyMetadata'] as { KeyId: string }).KeyId;
    await waitFor('the endpoint\'s key in the explorer', async () => (await api.tree.keys()).find((k) => k.keyId === keyId));
    const refused = await callKms({ ...environment, secretAccessKey: 'wrong', operation: 'ListKeys', body: {} });
    assert.equal(refused.status, 400);
    assert.equal(refused.body['__type'], 'InvalidSignatureException');

    assert.equal(await vscode.commands.executeCommand('kmsStudio.stopEndpoint'), true);
    await assert.rejects(async () => await fetch(running.url, { method: 'POST' }));
    assert.equal(await vscode.commands.executeCommand('kmsStudio.stopEndpoint'), false);
  });

  test('two quick Starts share one endpoint; identities.json edits, the store\'s or the workspace\'s, apply to the next request', async () => {
    const [first, second] = await Promise.all([api.endpoint.start(0), api.endpoint.start(0)]);
    try {
      assert.equal(first, second, 'the second Start gets the endpoint the first is bringing up');
      const alice = { principal: 'arn:aws:iam::111122223333:user/alice', accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(20).toString('base64') };
      const bob = { principal: 'arn:aws:iam::111122223333:user/bob', accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(20).toString('base64') };
      const asIdentity = (who: typeof alice) => callKms({ ...first.environment, accessKeyId: who.accessKeyId, secretAccessKey: who.secretAccessKey, operation: 'ListKeys', body: {} });
      // Signed by a listed access key, a call gets past the signature check (whatever IAM then decides).
      const recognized = async (who: typeof alice) => (await asIdentity(who)).body['__type'] !== 'UnrecognizedClientException';

      const storeFile = path.join(store.dir, 'identities.json');
      fs.writeFileSync(storeFile, JSON.stringify({ identities: [alice] }), { mode: 0o600 });
      await waitFor("alice, added to the store's identities.json, to be recognized", () => recognized(alice));
      fs.writeFileSync(storeFile, JSON.stringify({ identities: [] }), { mode: 0o600 });
      await waitFor("alice, removed from the store's identities.json, to be refused", async () => !(await recognized(alice)));

      const folder = vscode.workspace.workspaceFolders?.[0];
      assert.ok(folder, 'the suite runs with the examples folder open');
      // Written straight into the open folder: the watcher reports a new file there (one in a folder made just before
      // may go unreported in code-server).
      const workspaceFile = path.join(folder.uri.fsPath, 'identities.json');
      assert.equal(fs.existsSync(workspaceFile), false, 'the examples folder has no identities.json of its own');
      try {
        fs.writeFileSync(workspaceFile, JSON.stringify({ identities: [bob] }), { mode: 0o600 });
        await waitFor('bob, added to a workspace identities.json, to be recognized', () => recognized(bob));
      } finally {
        fs.rmSync(workspaceFile, { force: true });
      }
      await waitFor("bob, whose workspace identities.json is gone, to be refused", async () => !(await recognized(bob)));
    } finally {
      await api.endpoint.stop();
    }
  });
});
