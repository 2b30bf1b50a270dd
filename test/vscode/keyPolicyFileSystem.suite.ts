// Key policies as kms-studio: documents: reading calls GetKeyPolicy, the language server lints them as key
// policies whatever the file globs say, saving calls PutKeyPolicy, a refused save (lockout safety check,
// malformed policy, access denied) fails with the KMS's reason and keeps the edited text, changes by another
// process reach the open document, and AWS managed keys' policies are read-only.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { KmsStudioApi } from '../../client/src/extension';
import { cliPath, closeAllEditors, createKey, kmsStudio, nextEvent, useTempStore, waitFor, type TempStore } from './kmsSupport';
import { POLICY_WITH_WILDCARD_CONDITION } from '../support/policies';

const run = promisify(execFile);
const SOURCE = 'kms-studio';

const LOCKOUT_POLICY = JSON.stringify(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/Nobody' }, Action: 'kms:Encrypt', Resource: '*' }] },
  null,
  2,
);

function policyUri(keyId: string, region = 'us-east-1'): vscode.Uri {
  return vscode.Uri.parse(`kms-studio:/${region}/${keyId}.keypolicy.json`);
}

function codeOf(d: vscode.Diagnostic): string {
  return String(typeof d.code === 'object' ? d.code.value : d.code);
}

function diagnosticsOf(uri: vscode.Uri, accept: (d: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  const now = vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
  if (accept(now)) return Promise.resolve(now);
  return nextEvent(vscode.languages.onDidChangeDiagnostics, what, (e) => e.uris.some((u) => u.toString() === uri.toString()) && accept(vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE))).then(() =>
    vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE),
  );
}

async function replaceAll(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was applied');
}

suite('Key policy file system (kms-studio:)', () => {
  let api: KmsStudioApi;
  let store: TempStore;

  suiteSetup(async () => {
    api = await kmsStudio();
    // The CLI, another process, opens the same store with the same root key.
    store = await useTempStore(api, 'policies', {}, { sharedRootKey: true });
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await store.dispose();
  });
  teardown(closeAllEditors);

  test('Open Key Policy shows GetKeyPolicy\'s text in a json document of the kms-studio: scheme', async () => {
    const key = await createKey();
    const opened = await vscode.commands.executeCommand<string>('kmsStudio.openKeyPolicy', { keyId: key.KeyId });
    assert.equal(opened, policyUri(key.KeyId).toString());
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), opened);
    assert.equal(editor.document.languageId, 'json');
    assert.equal(editor.document.getText(), (await api.host.keyRecord(key.KeyId))!.policy);
    assert.ok((await api.host.open()).log.read({ operation: 'GetKeyPolicy', keyId: key.Arn }).length >= 1, 'reading called GetKeyPolicy');
  });

  test('the language server lints it as a key policy even when no glob names it, with a quick fix', async () => {
    const files = vscode.workspace.getConfiguration('kmsStudio.files');
    await files.update('keyPolicies', ['**/no-such-folder/*.json'], vscode.ConfigurationTarget.Global);
    try {
      const key = await createKey({ policy: POLICY_WITH_WILDCARD_CONDITION });
      const uri = policyUri(key.KeyId);
      const arrived = diagnosticsOf(uri, (d) => d.some((x) => codeOf(x) === 'WILDCARD_WITHOUT_LIKE_OPERATOR'), 'the wildcard finding');
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const [finding] = (await arrived).filter((d) => codeOf(d) === 'WILDCARD_WITHOUT_LIKE_OPERATOR');
      assert.equal(finding!.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(document.getText(finding!.range), '"pay*"');

      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, finding!.range, vscode.CodeActionKind.QuickFix.value, 10);
      const fix = actions.find((a) => /StringLike/.test(a.title) && a.edit);
      assert.ok(fix, `a quick fix for the finding; got ${actions.map((a) => a.title).join(', ')}`);
      const cleared = diagnosticsOf(uri, (d) => !d.some((x) => codeOf(x) === 'WILDCARD_WITHOUT_LIKE_OPERATOR'), 'the finding to clear');
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      await cleared;
      assert.match(document.getText(), /"StringLike"/);
    } finally {
      await files.update('keyPolicies', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('saving calls PutKeyPolicy: the store holds the saved text', async () => {
    const key = await createKey();
    const document = await vscode.workspace.openTextDocument(policyUri(key.KeyId));
    await vscode.window.showTextDocument(document);
    await replaceAll(document, POLICY_WITH_WILDCARD_CONDITION.replace('pay*', 'payments'));
    assert.equal(await document.save(), true);
    assert.equal(document.isDirty, false);
    assert.equal((await api.host.keyRecord(key.KeyId))!.policy, document.getText());
    const puts = (await api.host.open()).log.read({ operation: 'PutKeyPolicy', keyId: key.Arn });
    assert.deepEqual(puts.map((e) => e.errorCode ?? 'OK'), ['OK']);
  });

  test('a policy that would lock you out is refused on save, the edited text kept', async () => {
    const key = await createKey();
    const before = (await api.host.keyRecord(key.KeyId))!.policy;
    const uri = policyUri(key.KeyId);
    await assert.rejects(async () => await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(LOCKOUT_POLICY)), (error: Error) => {
      assert.match(error.message, /PutKeyPolicy failed: MalformedPolicyDocumentException: The new key policy will not allow you to update the key policy in the future\./);
      assert.match(error.message, /keep a statement that lets you call kms:PutKeyPolicy/);
      return true;
    });
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await replaceAll(document, LOCKOUT_POLICY);
    assert.equal(await document.save(), false, 'the save failed');
    assert.equal(document.isDirty, true, 'the editor keeps the edited text');
    assert.equal(document.getText(), LOCKOUT_POLICY);
    assert.equal((await api.host.keyRecord(key.KeyId))!.policy, before, 'the key policy did not change');
  });

  test('a malformed policy is refused with the KMS\'s reason', async () => {
    const key = await createKey();
    await assert.rejects(async () => await vscode.workspace.fs.writeFile(policyUri(key.KeyId), new TextEncoder().encode('{"Statement": [')), /PutKeyPolicy failed: MalformedPolicyDocumentException/);
  });

  test('a save the acting identity may not make is refused as AccessDeniedException, with Explain kept', async () => {
    const key = await createKey();
    const text = (await api.host.keyRecord(key.KeyId))!.policy;
    await vscode.commands.executeCommand('kmsStudio.switchIdentity', { principal: 'arn:aws:iam::111122223333:user/bob' });
    try {
      await assert.rejects(async () => await vscode.workspace.fs.writeFile(policyUri(key.KeyId), new TextEncoder().encode(text)), /PutKeyPolicy failed: AccessDeniedException/);
      assert.equal(api.reporter.lastDenial?.operation, 'PutKeyPolicy');
      await assert.rejects(async () => await vscode.workspace.fs.readFile(policyUri(key.KeyId)), /GetKeyPolicy failed: AccessDeniedException/);
    } finally {
      await vscode.commands.executeCommand('kmsStudio.switchIdentity', { principal: '' });
    }
  });

  test('a policy changed by another process (the CLI) reaches the open document', async () => {
    const key = await createKey();
    const document = await vscode.workspace.openTextDocument(policyUri(key.KeyId));
    await vscode.window.showTextDocument(document);
    const changed = nextEvent(vscode.workspace.onDidChangeTextDocument, 'the open policy to change', (e) => e.document === document && document.getText().includes('from the CLI'));
    const policy = JSON.stringify(JSON.parse(POLICY_WITH_WILDCARD_CONDITION.replace('Let the app role encrypt', 'from the CLI')));
    await run(process.execPath, [cliPath(), 'kms', 'PutKeyPolicy', '--store', store.dir, '--input', JSON.stringify({ KeyId: key.KeyId, Policy: policy })], { env: { ...process.env, KMS_STUDIO_ROOT_KEY: store.rootKey } });
    await changed;
    assert.equal(document.getText(), policy);
    assert.equal(document.isDirty, false);
  });

  test('an AWS managed key\'s policy is read-only', async () => {
    await vscode.commands.executeCommand('kmsStudio.generateDataKey', { keyId: 'alias/aws/ebs', keySpec: 'AES_256' });
    const managed = await waitFor('the AWS managed key', async () => (await api.host.open()).findKey('alias/aws/ebs', 'us-east-1'));
    const uri = policyUri(managed.keyId);
    const stat = await vscode.workspace.fs.stat(uri);
    assert.equal(stat.permissions, vscode.FilePermission.Readonly);
    await assert.rejects(async () => await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(managed.policy)), /AWS managed key/);
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    assert.match(text, /kms:ViaService/);
  });

  test('saving with create and no overwrite over an existing key policy is refused as FileExists', async () => {
    const key = await createKey();
    const before = (await api.host.keyRecord(key.KeyId))!.policy;
    const provider = api.policies;
    await assert.rejects(
      async () => await provider.writeFile(policyUri(key.KeyId), new TextEncoder().encode(POLICY_WITH_WILDCARD_CONDITION), { create: true, overwrite: false }),
      (e: Error) => e instanceof vscode.FileSystemError && e.code === 'FileExists',
    );
    assert.equal((await api.host.keyRecord(key.KeyId))!.policy, before, 'the key policy did not change');
    await assert.rejects(
      async () => await provider.writeFile(policyUri('1234abcd-12ab-34cd-56ef-1234567890ab'), new TextEncoder().encode(POLICY_WITH_WILDCARD_CONDITION), { create: true, overwrite: true }),
      (e: Error) => e instanceof vscode.FileSystemError && e.code === 'FileNotFound' && /create the key/.test(e.message),
    );
  });

  test('a store that cannot be opened makes its files Unavailable with the reason, not missing', async () => {
    const key = await createKey();
    const broken = fs.mkdtempSync(path.join(path.dirname(store.dir), 'kms-studio-broken-'));
    // A folder with files but no store.json: the store refuses it as damaged rather than creating a store there.
    fs.writeFileSync(path.join(broken, 'stray.txt'), 'not a store');
    const unavailable = (e: Error) => e instanceof vscode.FileSystemError && e.code === 'Unavailable' && /stray\.txt/.test(e.message);
    try {
      await vscode.workspace.getConfiguration('kmsStudio').update('store.location', broken, vscode.ConfigurationTarget.Global);
      await waitFor('the broken store to be refused', async () => api.host.open().then(() => false, () => true));
      await assert.rejects(async () => await api.policies.stat(policyUri(key.KeyId)), unavailable);
      await assert.rejects(async () => await api.policies.stat(vscode.Uri.parse('kms-studio:/us-east-1')), unavailable);
      await assert.rejects(async () => await api.policies.readDirectory(vscode.Uri.parse('kms-studio:/')), unavailable);
      await assert.rejects(async () => await api.policies.writeFile(policyUri(key.KeyId), new TextEncoder().encode(POLICY_WITH_WILDCARD_CONDITION), { create: false, overwrite: true }), unavailable);
    } finally {
      await vscode.workspace.getConfiguration('kmsStudio').update('store.location', store.dir, vscode.ConfigurationTarget.Global);
      fs.rmSync(broken, { recursive: true, force: true });
    }
    await waitFor('the store to open again', async () => (await api.host.open()).storeDir === store.dir);
  });

  test('the folders of kms-studio: are the Regions, their files the keys\' policies', async () => {
    const key = await createKey({ region: 'ap-south-1' });
    const root = await vscode.workspace.fs.readDirectory(vscode.Uri.parse('kms-studio:/'));
    assert.ok(root.some(([name, type]) => name === 'ap-south-1' && type === vscode.FileType.Directory));
    const files = await vscode.workspace.fs.readDirectory(vscode.Uri.parse('kms-studio:/ap-south-1'));
    assert.deepEqual(files, [[`${key.KeyId}.keypolicy.json`, vscode.FileType.File]]);
    await assert.rejects(async () => await vscode.workspace.fs.delete(policyUri(key.KeyId, 'ap-south-1')), /every key has one/);
    await assert.rejects(async () => await vscode.workspace.fs.stat(policyUri('no-such-key')), (e: Error) => e instanceof vscode.FileSystemError && e.code === 'FileNotFound');
  });
});
