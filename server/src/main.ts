import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

// The transport (--node-ipc from VS Code, --stdio for tests and other editors) is read from argv.
startServer(createConnection(ProposedFeatures.all));
