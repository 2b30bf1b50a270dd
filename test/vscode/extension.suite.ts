// Runs inside a real VS Code extension host (see index.ts) with examples/ as the workspace folder and the
// extension loaded from source: checks what only a real host can show, that the manifest, the activation
// and the language server's diagnostics fit together.
import * as assert from 'node:assert/strict';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import * as vscode from 'vscode';

const EXTENSION_ID = 'kms-studio.kms-studio';
const SOURCE = 'kms-studio';
const DIAGNOSTICS_TIMEOUT_MS = 30_000;

interface ManifestCommand {
  command: string;
  title: string;
}

function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `extension ${EXTENSION_ID} is not installed in this host`);
  return found;
}

/** examples/, opened as the workspace folder; the extension's own copy when the host runs without one. */
function examplesFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.name === 'examples');
  return folder?.uri ?? vscode.Uri.joinPath(extension().extensionUri, 'examples');
}

function example(name: string): vscode.Uri {
  return vscode.Uri.joinPath(examplesFolder(), name);
}

function codeOf(diagnostic: vscode.Diagnostic): string | number | undefined {
  const { code } = diagnostic;
  return typeof code === 'object' ? code.value : code;
}

function describe(diagnostics: readonly vscode.Diagnostic[]): string {
  if (diagnostics.length === 0) return '(none)';
  return diagnostics
    .map((d) => `${d.source}/${codeOf(d)} ${vscode.DiagnosticSeverity[d.severity]} at ${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.message}`)
    .join('; ');
}

function kmsStudio(diagnostics: readonly vscode.Diagnostic[]): vscode.Diagnostic[] {
  return diagnostics.filter((d) => d.source === SOURCE);
}

/**
 * Resolves with the diagnostics of `uri` once `accept` holds for them: checked now and again on every
 * change VS Code reports for that URI. Call it before the action that produces the diagnostics.
 */
function waitForDiagnostics(
  uri: vscode.Uri,
  what: string,
  accept: (diagnostics: vscode.Diagnostic[]) => boolean,
): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    const check = (): void => {
      const diagnostics = vscode.languages.getDiagnostics(uri);
      if (!accept(diagnostics)) return;
      done();
      resolve(diagnostics);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === key)) check();
    });
    const timer = setTimeout(() => {
      done();
      const current = describe(vscode.languages.getDiagnostics(uri));
      reject(new Error(`Timed out after ${DIAGNOSTICS_TIMEOUT_MS / 1000} s waiting for ${what} on ${uri.fsPath}; diagnostics now: ${current}`));
    }, DIAGNOSTICS_TIMEOUT_MS);
    const done = (): void => {
      clearTimeout(timer);
      subscription.dispose();
    };
    check();
  });
}

/** Where a strict JSON parser puts the first syntax error of `document`: the line the diagnostic belongs on. */
function firstSyntaxError(document: vscode.TextDocument): { line: number; code: string } {
  const errors: ParseError[] = [];
  parse(document.getText(), errors, { disallowComments: true, allowTrailingComma: false });
  assert.ok(errors.length > 0, `${document.uri.fsPath} was expected to hold a JSON syntax error`);
  return { line: document.positionAt(errors[0].offset).line, code: printParseErrorCode(errors[0].error) };
}

suite('KMS Studio in a VS Code extension host', () => {
  test('the extension is present and activates', async () => {
    const ext = extension();
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  test('every command the manifest declares is registered', async () => {
    const ext = extension();
    await ext.activate();
    const declared = ((ext.packageJSON as { contributes?: { commands?: ManifestCommand[] } }).contributes?.commands ?? []).map(
      (c) => c.command,
    );
    assert.ok(declared.length > 0, 'package.json declares no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      declared.filter((command) => !registered.has(command)),
      [],
      'commands declared in package.json but not registered',
    );
  });

  // This test runs before the one that opens the broken policy and uses it as a marker: the server
  // validates documents in the order they are opened and publishes over one ordered connection, so once the
  // broken policy's diagnostics arrive, the valid policy's have been published too. A valid document can
  // produce no diagnostics at all, which offers no event of its own to wait for.
  test('the default key policy yields no kms-studio error', async () => {
    const valid = example('default.keypolicy.json');
    const marker = example('broken.keypolicy.json');
    assert.ok(
      !vscode.workspace.textDocuments.some((d) => d.uri.toString() === marker.toString()),
      `${marker.fsPath} must not be open yet: it marks the end of this test's validation`,
    );
    const markerDiagnostics = waitForDiagnostics(marker, 'kms-studio diagnostics', (d) => kmsStudio(d).length > 0);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(valid));
    await vscode.workspace.openTextDocument(marker);
    await markerDiagnostics;

    const errors = kmsStudio(vscode.languages.getDiagnostics(valid)).filter(
      (d) => d.severity === vscode.DiagnosticSeverity.Error,
    );
    assert.deepEqual(errors.map((d) => describe([d])), [], 'kms-studio errors on the default key policy');
  });

  test('a key policy with a JSON syntax error yields JSON_SYNTAX_ERROR on the right line', async () => {
    const uri = example('broken.keypolicy.json');
    const arrived = waitForDiagnostics(uri, 'a kms-studio JSON_SYNTAX_ERROR', (d) =>
      kmsStudio(d).some((x) => codeOf(x) === 'JSON_SYNTAX_ERROR'),
    );
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'json', 'policies stay in the json language');
    const diagnostics = await arrived;

    const expected = firstSyntaxError(document);
    const syntaxErrors = kmsStudio(diagnostics).filter((d) => codeOf(d) === 'JSON_SYNTAX_ERROR');
    assert.ok(
      syntaxErrors.some((d) => d.range.start.line === expected.line && d.severity === vscode.DiagnosticSeverity.Error),
      `expected an Error on line ${expected.line + 1} (${expected.code}); got ${describe(diagnostics)}`,
    );
  });

  test('fixing the syntax error clears the diagnostic', async () => {
    const uri = example('broken.keypolicy.json');
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    const { line, code } = firstSyntaxError(document);
    assert.equal(code, 'CommaExpected', 'this test fixes a missing comma; the example holds another error');
    await waitForDiagnostics(uri, 'the JSON_SYNTAX_ERROR', (d) => kmsStudio(d).some((x) => codeOf(x) === 'JSON_SYNTAX_ERROR'));

    // The error is reported at the token after the missing comma; put the comma at the end of the line before.
    const previous = document.lineAt(line - 1);
    const cleared = waitForDiagnostics(uri, 'the JSON_SYNTAX_ERROR to clear', (d) =>
      kmsStudio(d).every((x) => codeOf(x) !== 'JSON_SYNTAX_ERROR'),
    );
    try {
      assert.ok(await editor.edit((edit) => edit.insert(previous.range.end, ',')), 'the edit was not applied');
      await cleared;
    } finally {
      // Leave the example as it is on disk for whatever runs next.
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    assert.equal(document.isDirty, false);
  });
});
