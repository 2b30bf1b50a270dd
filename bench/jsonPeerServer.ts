/**
 * The peer of the LSP benchmark: a language server that does what VS Code's own JSON server does for a
 * document with a schema: parse with vscode-json-languageservice and validate against the key policy's JSON
 * Schema (schemas/policy-key.schema.json), then publish. Started over stdio by bench/lsp.bench.ts, with no
 * validation delay, exactly like KMS Studio's server is started there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { createConnection, TextDocuments, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from 'vscode-json-languageservice';

const schemas = path.resolve(__dirname, '..', '..', 'schemas');
const keyPolicySchema = pathToFileURL(path.join(schemas, 'policy-key.schema.json')).href;

const service = getLanguageService({
  // The key policy schema refers to policy.schema.json; the service asks for it by URI.
  schemaRequestService: async (uri) => fs.readFileSync(fileURLToPath(uri), 'utf8'),
});
service.configure({ validate: true, allowComments: false, schemas: [{ uri: keyPolicySchema, fileMatch: ['*.keypolicy.json'] }] });

const connection = createConnection(process.stdin, process.stdout);
const documents = new TextDocuments(TextDocument);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } }));
documents.onDidChangeContent(async ({ document }) => {
  const json = service.parseJSONDocument(document);
  const diagnostics = await service.doValidation(document, json, { schemaValidation: 'error' });
  await connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
});
documents.listen(connection);
connection.listen();
