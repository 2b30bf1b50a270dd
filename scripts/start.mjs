// `npm start` (after `npm run build`): opens examples/ in VS Code with the extension loaded from source.
//
// - With a desktop VS Code (VSCODE_EXECUTABLE, or `code` on PATH) it opens an Extension Development Host
//   window there.
// - Otherwise it runs VS Code's own server and workbench (code-server, installed into .cache/ on first
//   use) on 127.0.0.1 and prints the URL to open in a browser; Ctrl-C stops it.
//
// Usage: npm start [-- --port N]     (or PORT=N npm start; the default 0 picks a free port)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { codeServerVersion, repoRoot, startCodeServer, workbenchUrl } from './code-server.mjs';

const examplesDir = path.join(repoRoot, 'examples');

function parsePort(argv, env) {
  let value = env.PORT;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') value = argv[++i];
    else if (argv[i].startsWith('--port=')) value = argv[i].slice('--port='.length);
    else throw new Error(`Unknown argument ${argv[i]}. Usage: npm start [-- --port N]`);
  }
  if (value === undefined || value === '') return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port ${value}`);
  return port;
}

function findOnPath(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = dir && path.join(dir, command);
    if (candidate && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Opens an Extension Development Host window in desktop VS Code; its CLI returns once the window is up. */
function openInDesktop(executable) {
  console.error(`Opening ${path.relative(process.cwd(), examplesDir) || '.'} in ${executable} with the extension from ${repoRoot}`);
  const child = spawn(executable, [`--extensionDevelopmentPath=${repoRoot}`, examplesDir], { stdio: 'inherit' });
  child.on('error', (error) => {
    console.error(`Could not start ${executable}: ${error.message}`);
    process.exitCode = 1;
  });
  child.on('exit', (code, signal) => {
    process.exitCode = signal ? 1 : (code ?? 1);
  });
}

async function serveInBrowser(port) {
  // The gallery stays on so that other extensions can be installed next to this one, as in a real VS Code.
  const server = await startCodeServer({ folder: examplesDir, port, gallery: true });
  const url = workbenchUrl({ url: server.url, folder: examplesDir, extensionDevelopmentPath: repoRoot });
  console.log(
    [
      '',
      `KMS Studio is running in VS Code ${codeServerVersion()} (code-server), with the extension loaded from source.`,
      'Open this URL in a browser on this machine:',
      '',
      `  ${url}`,
      '',
      `It listens on 127.0.0.1 only; from another machine, forward the port first: ssh -L ${server.port}:127.0.0.1:${server.port} <this host>`,
      'After a rebuild (npm run build), run "Developer: Reload Window" in the browser. Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );

  const reason = await new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    void server.exited.then((exit) => resolve(exit));
  });
  if (typeof reason === 'string') {
    console.error('Stopping code-server...');
    await server.stop();
    return;
  }
  console.error(`code-server exited unexpectedly (${reason.signal ?? `exit code ${reason.code}`}):\n${server.output().trimEnd().split('\n').slice(-40).join('\n')}`);
  await server.stop();
  process.exitCode = 1;
}

try {
  const port = parsePort(process.argv.slice(2), process.env);
  const desktop = process.env.VSCODE_EXECUTABLE || findOnPath('code');
  if (desktop) openInDesktop(desktop);
  else await serveInBrowser(port);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
