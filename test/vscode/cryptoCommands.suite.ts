// Encrypt and decrypt selections, data keys, signatures, MACs and random bytes through executeCommand, in real
// editors: the selection is replaced, the remembered key is offered first, the encryption context is honoured,
// and a refused call is reported with what to do.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KmsStudioApi } from '../../client/src/extension';
import { replaceSelections, selectedText } from '../../client/src/commands/editorText';
import { closeAllEditors, createKey, editorWith, kmsStudio, selectAll, useTempStore, type TempStore } from './kmsSupport';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

suite('Crypto commands', () => {
  let api: KmsStudioApi;
  let store: TempStore;

  suiteSetup(async () => {
    api = await kmsStudio();
    store = await useTempStore(api, 'crypto');
  });
  suiteTeardown(async () => {
    await closeAllEditors();
    await store.dispose();
  });
  teardown(closeAllEditors);

  test('Encrypt Selection replaces the selection with base64 ciphertext; Decrypt Selection brings the text back', async () => {
    const key = await createKey({ alias: 'crypto-app' });
    const editor = await editorWith('attack at dawn');
    const ciphertexts = await vscode.commands.executeCommand<string[]>('kmsStudio.encryptSelection', { keyId: 'alias/crypto-app' });
    assert.equal(ciphertexts?.length, 1);
    assert.equal(editor.document.getText(), ciphertexts![0]);
    assert.match(editor.document.getText(), BASE64);
    selectAll(editor);
    const plaintexts = await vscode.commands.executeCommand<string[]>('kmsStudio.decryptSelection', {});
    assert.deepEqual(plaintexts, ['attack at dawn']);
    assert.equal(editor.document.getText(), 'attack at dawn');
    const audit = (await api.host.open()).log.read({ keyId: key.Arn, operation: ['Encrypt', 'Decrypt'] });
    assert.deepEqual(audit.map((e) => `${e.eventName}:${e.errorCode ?? 'OK'}`), ['Encrypt:OK', 'Decrypt:OK']);
  });

  test('a selection whose document changed while the command waited is not replaced; the result is offered instead', async () => {
    const editor = await editorWith('secret words');
    selectAll(editor);
    const taken = selectedText('the text to encrypt');
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'typed meanwhile: ')));
    assert.equal(await replaceSelections(taken, ['RESULT']), false, 'nothing is replaced');
    assert.equal(editor.document.getText(), 'typed meanwhile: secret words', 'the document keeps what was typed');

    selectAll(editor);
    assert.equal(await replaceSelections(selectedText('the text to encrypt'), ['RESULT']), true, 'an unchanged document is replaced');
    assert.equal(editor.document.getText(), 'RESULT');
  });

  test('each of several selections is encrypted on its own', async () => {
    await createKey({ alias: 'crypto-multi' });
    const editor = await editorWith('one two');
    editor.selections = [new vscode.Selection(0, 0, 0, 3), new vscode.Selection(0, 4, 0, 7)];
    const ciphertexts = await vscode.commands.executeCommand<string[]>('kmsStudio.encryptSelection', { keyId: 'alias/crypto-multi' });
    assert.equal(ciphertexts?.length, 2);
    assert.equal(editor.document.getText(), `${ciphertexts![0]} ${ciphertexts![1]}`);
  });

  test('a ciphertext made with an encryption context decrypts only with the same one', async () => {
    await createKey({ alias: 'crypto-context' });
    const editor = await editorWith('payroll');
    await vscode.commands.executeCommand('kmsStudio.encryptSelection', { keyId: 'alias/crypto-context', encryptionContext: 'app=payments,team=blue' });
    const ciphertext = editor.document.getText();
    selectAll(editor);
    assert.equal(await vscode.commands.executeCommand('kmsStudio.decryptSelection', { encryptionContext: { app: 'billing', team: 'blue' } }), undefined);
    assert.equal(api.reporter.lastError?.name, 'InvalidCiphertextException');
    assert.match(api.reporter.lastError!.text, /decrypt with exactly the encryption context it was encrypted with/);
    assert.equal(editor.document.getText(), ciphertext, 'a failed decrypt leaves the selection as it was');
    selectAll(editor);
    assert.deepEqual(await vscode.commands.executeCommand('kmsStudio.decryptSelection', { encryptionContext: '{"team": "blue", "app": "payments"}' }), ['payroll']);
  });

  test('a malformed encryption context is refused before any call, saying how to write one', async () => {
    await createKey({ alias: 'crypto-bad-context' });
    await editorWith('x');
    assert.equal(await vscode.commands.executeCommand('kmsStudio.encryptSelection', { keyId: 'alias/crypto-bad-context', encryptionContext: 'app' }), undefined);
    assert.match(api.reporter.lastError!.text, /"app" has no "=": Write pairs as key=value/);
  });

  test('Decrypt Selection of a disabled key\'s ciphertext reports DisabledException and what to do', async () => {
    const key = await createKey({ alias: 'crypto-disabled' });
    const editor = await editorWith('secret');
    await vscode.commands.executeCommand('kmsStudio.encryptSelection', { keyId: key.KeyId });
    await vscode.commands.executeCommand('kmsStudio.disableKey', { keyId: key.KeyId });
    selectAll(editor);
    assert.equal(await vscode.commands.executeCommand('kmsStudio.decryptSelection', {}), undefined);
    assert.equal(api.reporter.lastError?.name, 'DisabledException');
    assert.match(api.reporter.lastError!.text, /^Decrypt failed: DisabledException: .* is disabled\. Enable the key/);
  });

  test('a selection that is not base64 is refused with the reason', async () => {
    await editorWith('not base64!');
    assert.equal(await vscode.commands.executeCommand('kmsStudio.decryptSelection', {}), undefined);
    assert.match(api.reporter.lastError!.text, /not base64 \(it holds "!"/);
  });

  test('no selection: the command says to select text first', async () => {
    const editor = await editorWith('text');
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    assert.equal(await vscode.commands.executeCommand('kmsStudio.encryptSelection', { keyId: 'alias/crypto-app' }), undefined);
    assert.match(api.reporter.lastError!.text, /Select the text to encrypt first/);
  });

  test('Generate Data Key inserts the encrypted key and returns the plaintext once', async () => {
    const key = await createKey();
    const editor = await editorWith('');
    const dataKey = await vscode.commands.executeCommand<{ ciphertextBlob: string; plaintext: string }>('kmsStudio.generateDataKey', { keyId: key.KeyId, keySpec: 'AES_128' });
    assert.ok(dataKey);
    assert.equal(Buffer.from(dataKey.plaintext, 'base64').length, 16);
    assert.equal(editor.document.getText(), dataKey.ciphertextBlob);
    selectAll(editor);
    const [plain] = (await vscode.commands.executeCommand<string[]>('kmsStudio.decryptSelection', {}))!;
    // The data key is binary, so Decrypt Selection inserts it as base64: the same bytes GenerateDataKey returned.
    assert.equal(plain, dataKey.plaintext);
  });

  test('Sign Selection and Verify Selection with an ECC key; a changed text does not verify', async () => {
    const key = await createKey({ keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' });
    const editor = await editorWith('I owe you 10 EUR');
    const signature = await vscode.commands.executeCommand<string>('kmsStudio.signSelection', { keyId: key.KeyId });
    assert.match(signature!, BASE64);
    assert.equal(await vscode.commands.executeCommand('kmsStudio.verifySelection', { keyId: key.KeyId, signature }), true);
    await editor.edit((e) => e.replace(new vscode.Range(0, 10, 0, 12), '99'));
    selectAll(editor);
    assert.equal(await vscode.commands.executeCommand('kmsStudio.verifySelection', { keyId: key.KeyId, signature }), false);
  });

  test('Generate MAC and Verify MAC with an HMAC key', async () => {
    const key = await createKey({ keySpec: 'HMAC_384', keyUsage: 'GENERATE_VERIFY_MAC' });
    const editor = await editorWith('message');
    const mac = await vscode.commands.executeCommand<string>('kmsStudio.generateMac', { keyId: key.KeyId });
    assert.equal(Buffer.from(mac!, 'base64').length, 48);
    assert.equal(await vscode.commands.executeCommand('kmsStudio.verifyMac', { keyId: key.KeyId, mac }), true);
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'a '));
    selectAll(editor);
    assert.equal(await vscode.commands.executeCommand('kmsStudio.verifyMac', { keyId: key.KeyId, mac }), false);
  });

  test('an operation the key\'s usage does not allow is refused with InvalidKeyUsageException', async () => {
    const key = await createKey({ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' });
    await editorWith('x');
    assert.equal(await vscode.commands.executeCommand('kmsStudio.encryptSelection', { keyId: key.KeyId }), undefined);
    assert.equal(api.reporter.lastError?.name, 'InvalidKeyUsageException');
  });

  test('Generate Random inserts the number of bytes asked for, as base64', async () => {
    const editor = await editorWith('');
    const value = await vscode.commands.executeCommand<string>('kmsStudio.generateRandom', { numberOfBytes: 24 });
    assert.equal(Buffer.from(value!, 'base64').length, 24);
    assert.equal(editor.document.getText(), value);
  });
});
