// A real VS Code for tests and `npm start` on machines where desktop VS Code cannot be downloaded: the npm
// package code-server is VS Code's own server and workbench, served to a browser.
//
// As a library:  ensureCodeServer(), startCodeServer({ folder, port }), workbenchUrl(...)
// As a CLI:      node scripts/code-server.mjs install
//
// code-server's npm postinstall downloads binaries from GitHub, which these machines cannot reach, so
// ensureCodeServer() performs the same steps by hand and builds the native modules from source with the
// node-gyp that ships inside npm. Everything lives under .cache/ (git-ignored); nothing is written into
// the user's home.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = path.join(repoRoot, '.cache');
export const installDir = path.join(cacheDir, 'code-server');

/**
 * code-server releases pinned by the major version of the Node.js that runs them: code-server runs on the
 * Node.js that starts it, and its native modules are built against that Node's ABI. 4.100.3 (VS Code
 * 1.100.3) is the last release that supports Node 20.
 */
const RELEASES = { 20: '4.100.3' };

/** Native modules of VS Code's server that must be built here; the others are Windows/macOS only or prebuilt. */
const NATIVE_MODULES = ['node-pty', '@vscode/spdlog', 'native-watchdog', 'kerberos'];

const MARKER = path.join(installDir, '.install-complete.json');
const LOCK = path.join(cacheDir, 'code-server.install.lock');

function log(message) {
  process.stderr.write(`[code-server] ${message}\n`);
}

function nodeMajor() {
  return Number(process.versions.node.split('.')[0]);
}

// ---------------------------------------------------------------------------------------------------------
// Cleanup

/**
 * Synchronous cleanups for whatever this process has running (code-server groups, install steps, the
 * install lock), run if the process ends or is signalled before they were undone the normal way.
 */
const cleanups = new Set();
let exitHooksInstalled = false;

function onAbnormalEnd(cleanup) {
  cleanups.add(cleanup);
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  const runAll = () => {
    for (const c of [...cleanups]) {
      cleanups.delete(c);
      try {
        c();
      } catch {
        // Best effort: one failed cleanup must not keep the others from running.
      }
    }
  };
  process.on('exit', runAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const handler = () => {
      runAll();
      // Listening for a signal replaces Node's default of exiting; when nobody else handles it, restore the
      // default and re-raise, so the process still ends the way its parent expects.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, handler);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, handler);
  }
}

function killGroup(pgid) {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** The pinned code-server release for the running Node.js (KMS_STUDIO_CODE_SERVER_VERSION overrides it). */
export function codeServerVersion() {
  const override = process.env.KMS_STUDIO_CODE_SERVER_VERSION;
  if (override) return override;
  const version = RELEASES[nodeMajor()];
  if (!version) {
    throw new Error(
      `No code-server release is pinned for Node.js ${process.versions.node} (pinned: ${Object.entries(RELEASES)
        .map(([major, v]) => `Node ${major} -> ${v}`)
        .join(', ')}). Run with one of those Node.js versions, or set KMS_STUDIO_CODE_SERVER_VERSION.`,
    );
  }
  return version;
}

/** The code-server entry point once installed. */
function entryPoint() {
  return path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

// ---------------------------------------------------------------------------------------------------------
// Installation

function which(command) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not in this PATH entry.
    }
  }
  return undefined;
}

/** The directory holding include/node/ for the running Node.js, so node-gyp never downloads headers. */
function nodeHeadersDir() {
  const candidates = [process.env.npm_config_nodedir, path.resolve(path.dirname(process.execPath), '..')];
  return candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h')));
}

/** npm's bundled node-gyp: `npm rebuild` cannot build node-pty offline because its script runs `npx node-gyp`. */
function nodeGypScript() {
  const candidates = [process.env.npm_config_node_gyp];
  const npm = which('npm');
  if (npm) {
    const npmRoot = path.resolve(path.dirname(fs.realpathSync(npm)), '..');
    candidates.push(path.join(npmRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  }
  return candidates.find((file) => file && fs.existsSync(file));
}

/** Debian's ripgrep replaces the binary @vscode/ripgrep would download (KMS_STUDIO_RG names another one). */
function ripgrep() {
  const rg = process.env.KMS_STUDIO_RG ?? which('rg');
  return rg && fs.existsSync(rg) ? rg : undefined;
}

/**
 * What an offline install needs from the machine, each with the Debian package that provides it. Checked up
 * front so a missing package is named in one clear error instead of surfacing as a compiler failure.
 */
export function missingPrerequisites() {
  const missing = [];
  const need = (ok, what, pkg) => {
    if (!ok) missing.push(`${what} (Debian package: ${pkg})`);
  };
  need(which('npm'), 'npm', 'npm, or Node.js from nodejs.org');
  need(nodeGypScript(), "npm's bundled node-gyp", 'npm');
  need(nodeHeadersDir(), `Node.js headers (include/node/ next to ${process.execPath}, or npm_config_nodedir)`, 'libnode-dev, or Node.js from nodejs.org');
  need(which('make') && (which('c++') || which('g++')), 'a C/C++ toolchain (make, g++)', 'build-essential');
  need(which('python3'), 'python3 (for node-gyp)', 'python3');
  need(which('pkg-config'), 'pkg-config', 'pkg-config');
  need(which('krb5-config') || fs.existsSync('/usr/include/gssapi/gssapi.h'), 'Kerberos headers (for the kerberos module)', 'libkrb5-dev');
  need(ripgrep(), 'ripgrep (rg), used by VS Code for search', 'ripgrep');
  return missing;
}

/** Environment for the install's child processes. */
function installEnv(nodedir) {
  const env = { ...process.env };
  // Under `npm run`/`npm start` npm exports the repository's prefix and package data; the nested installs
  // must resolve their own package.json instead of the repository's.
  for (const key of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$)/i.test(key)) delete env[key];
  }
  return {
    ...env,
    npm_config_nodedir: nodedir,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'warn',
  };
}

/**
 * Runs an install step, keeping its output for the error message instead of flooding the terminal. The
 * step gets its own process group, so that an interrupted install also stops the compilers npm and
 * node-gyp started; the group is recorded in the lock for a later install to stop if this process dies.
 */
function run(command, args, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const stopStep = () => killGroup(child.pid);
    if (child.pid) {
      onAbnormalEnd(stopStep);
      fs.writeFileSync(path.join(LOCK, 'step'), String(child.pid));
    }
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      cleanups.delete(stopStep);
      if (code === 0) return resolve();
      const output = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n').slice(-40).join('\n');
      reject(
        new Error(
          `\`${[command, ...args].join(' ')}\` in ${cwd} failed (${signal ?? `exit code ${code}`}):\n${output}`,
        ),
      );
    });
  });
}

function readMarker() {
  try {
    return JSON.parse(fs.readFileSync(MARKER, 'utf8'));
  } catch {
    return undefined;
  }
}

function isInstalled(version) {
  const marker = readMarker();
  return marker?.version === version && marker?.nodeMajor === nodeMajor() && fs.existsSync(entryPoint());
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return error.code === 'EPERM';
  }
  // A process that has ended but was not reaped yet (containers often lack an init that reaps) is a zombie.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/**
 * Takes the install lock, so that test files running in parallel do not install over each other. The lock
 * is a directory (mkdir is atomic) holding the owner's pid; a lock whose owner died is taken over.
 */
async function acquireLock() {
  fs.mkdirSync(cacheDir, { recursive: true });
  let announced = false;
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      const release = () => fs.rmSync(LOCK, { recursive: true, force: true });
      onAbnormalEnd(release);
      return () => {
        cleanups.delete(release);
        release();
      };
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8'));
    } catch {
      // The owner has created the directory but not yet written its pid; look again shortly.
    }
    if (Number.isInteger(owner) && owner > 0 && !processAlive(owner)) {
      log(`taking over the install lock of process ${owner}, which has ended`);
      stopOrphanedStep();
      fs.rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for the code-server install lock ${LOCK}`);
    if (!announced) log(`waiting for another install of code-server (lock ${path.relative(repoRoot, LOCK)})`);
    announced = true;
    // Another process owns the lock and there is no cross-process event to wait on, so look again in a second.
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * Stops the install step a killed installer left running, so it does not write into the fresh install. The
 * recorded process group is only killed while its leader still works inside the install folder: its pid
 * may have been reused since.
 */
function stopOrphanedStep() {
  try {
    const pgid = Number(fs.readFileSync(path.join(LOCK, 'step'), 'utf8'));
    const cwd = fs.readlinkSync(`/proc/${pgid}/cwd`);
    if (Number.isInteger(pgid) && pgid > 0 && (cwd === installDir || cwd.startsWith(installDir + path.sep))) killGroup(pgid);
  } catch {
    // No step recorded, or it has ended.
  }
}

/**
 * Installs code-server into .cache/code-server/ unless a completed install of the pinned release is there,
 * and returns the path of its entry point. Throws an error naming what is missing when it cannot.
 */
export async function ensureCodeServer() {
  const version = codeServerVersion();
  if (isInstalled(version)) return entryPoint();

  const missing = missingPrerequisites();
  if (missing.length > 0) {
    throw new Error(`Cannot install code-server ${version}: missing ${missing.join('; ')}.`);
  }

  const release = await acquireLock();
  try {
    // Another process may have finished the install while this one waited for the lock.
    if (isInstalled(version)) return entryPoint();
    await install(version);
    return entryPoint();
  } finally {
    release();
  }
}

async function install(version) {
  const started = Date.now();
  const nodedir = nodeHeadersDir();
  const env = installEnv(nodedir);
  const nodeGyp = nodeGypScript();
  const packageDir = path.join(installDir, 'node_modules', 'code-server');
  const vscodeDir = path.join(packageDir, 'lib', 'vscode');
  const step = (n, text) => log(`[${n}/6] ${text} (${((Date.now() - started) / 1000).toFixed(0)} s)`);

  // Without a completion marker the folder holds a half-finished install (or another release): start over.
  log(`installing code-server ${version} into ${path.relative(repoRoot, installDir)}/`);
  fs.rmSync(installDir, { recursive: true, force: true });
  fs.mkdirSync(installDir, { recursive: true });
  // A package.json of its own keeps npm from walking up to the repository's.
  fs.writeFileSync(
    path.join(installDir, 'package.json'),
    `${JSON.stringify({ name: 'code-server-cache', private: true, description: 'Generated by scripts/code-server.mjs' }, null, 2)}\n`,
  );

  step(1, `npm install --ignore-scripts code-server@${version}`);
  await run('npm', ['install', '--ignore-scripts', '--no-save', `code-server@${version}`], { cwd: installDir, env });

  // argon2 is loaded even with --auth none, and its prebuilt binary would come from GitHub.
  step(2, 'building argon2');
  await run('npm', ['rebuild', 'argon2', '--build-from-source'], { cwd: installDir, env });

  step(3, "installing VS Code's server dependencies");
  await run('npm', ['install', '--omit=dev', '--ignore-scripts'], { cwd: vscodeDir, env });

  step(4, `building native modules: ${NATIVE_MODULES.join(', ')}`);
  for (const name of NATIVE_MODULES) {
    await run(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodedir}`, '--jobs=max'], {
      cwd: path.join(vscodeDir, 'node_modules', name),
      env,
    });
  }

  step(5, 'linking ripgrep');
  const rgTarget = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  fs.mkdirSync(path.dirname(rgTarget), { recursive: true });
  fs.copyFileSync(ripgrep(), rgTarget);
  fs.chmodSync(rgTarget, 0o755);

  step(6, "finishing code-server's postinstall (links, built-in extensions)");
  symlink('node_modules', path.join(vscodeDir, 'node_modules.asar'));
  symlink('code-linux.sh', path.join(vscodeDir, 'bin', 'remote-cli', 'code-server'));
  symlink('browser-linux.sh', path.join(vscodeDir, 'bin', 'helpers', 'browser.sh'));
  await run('npm', ['install', '--omit=dev'], { cwd: path.join(vscodeDir, 'extensions'), env });

  fs.writeFileSync(
    MARKER,
    `${JSON.stringify({ version, nodeMajor: nodeMajor(), node: process.versions.node, installedAt: new Date().toISOString() }, null, 2)}\n`,
  );
  log(`code-server ${version} installed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

function symlink(target, link) {
  fs.rmSync(link, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.symlinkSync(target, link);
}

// ---------------------------------------------------------------------------------------------------------
// Running

/** Settings that keep a scratch workbench quiet and offline: nothing opens, asks or phones home on its own. */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'json.schemaDownload.enable': false,
  'npm.fetchOnlinePackageInfo': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
};

/** A free TCP port on 127.0.0.1, as chosen by the kernel. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function get(url) {
  return new Promise((resolve, reject) => {
    const request = http.get(url, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    request.on('error', reject);
    request.setTimeout(5000, () => request.destroy(new Error(`GET ${url} timed out`)));
  });
}

/**
 * A watchdog for the code-server process group, running as its own process. It reads a pipe from this
 * process; the pipe closes however this process ends (even SIGKILL or a crash), and the watchdog then kills
 * the process group and removes the scratch directory. Exit hooks cannot cover those endings.
 */
const WATCHDOG = `
const fs = require('node:fs');
const [pgid, scratch] = process.argv.slice(1);
process.stdin.resume();
process.stdin.on('close', () => {
  try { process.kill(-Number(pgid), 'SIGKILL'); } catch {}
  fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 5 });
  process.exit(0);
});
`;

/**
 * Starts code-server on 127.0.0.1 (a free port when port is 0) with scratch HOME, XDG, user-data and
 * extensions directories under .cache/run-<random>/, and waits until it answers /healthz. The extension
 * gallery (open-vsx.org) is switched off unless `gallery` is true.
 *
 * Returns { url, port, scratchDir, output(), exited, stop() }: output() is everything code-server printed
 * so far (the extension host's output included), exited settles when it ends, and stop() kills its whole
 * process group (extension host and file watcher included) and removes the scratch directory.
 */
export async function startCodeServer({ folder, port = 0, gallery = false } = {}) {
  const entry = await ensureCodeServer();
  // A port taken by another server could answer /healthz in code-server's place, so check it up front.
  if (port && !(await portIsFree(port))) throw new Error(`Port ${port} on 127.0.0.1 is already in use`);
  const chosenPort = port || (await freePort());
  const scratchDir = path.join(cacheDir, `run-${randomBytes(6).toString('hex')}`);
  const dirs = {
    home: path.join(scratchDir, 'home'),
    config: path.join(scratchDir, 'xdg-config'),
    data: path.join(scratchDir, 'xdg-data'),
    cache: path.join(scratchDir, 'xdg-cache'),
    state: path.join(scratchDir, 'xdg-state'),
    runtime: path.join(scratchDir, 'xdg-runtime'),
    userData: path.join(scratchDir, 'user-data'),
    extensions: path.join(scratchDir, 'extensions'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), `${JSON.stringify(QUIET_SETTINGS, null, 2)}\n`);
  const configFile = path.join(scratchDir, 'config.yaml');
  fs.writeFileSync(configFile, `bind-addr: 127.0.0.1:${chosenPort}\nauth: none\ncert: false\n`);

  // Without a scratch HOME and XDG dirs, code-server writes its config and data into the user's home.
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    // Variables of an enclosing VS Code (its terminal sets them) would make code-server talk to that one.
    if (/^(VSCODE_|ELECTRON_)/.test(key) || key === 'PASSWORD' || key === 'HASHED_PASSWORD') delete env[key];
  }
  Object.assign(env, {
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
    XDG_RUNTIME_DIR: dirs.runtime,
  });
  // Without an extension gallery the workbench makes no marketplace queries (open-vsx.org) at startup,
  // which tests do not need and offline machines cannot answer.
  if (!gallery) env.EXTENSIONS_GALLERY = JSON.stringify({ serviceUrl: '' });

  const args = [
    entry,
    '--bind-addr', `127.0.0.1:${chosenPort}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userData,
    '--extensions-dir', dirs.extensions,
    '--config', configFile,
    ...(folder ? [path.resolve(folder)] : []),
  ];
  // detached: the child calls setsid(), so code-server leads a new session and process group; the extension
  // host and file watcher it forks join that group, and stop() kills the whole group at once. It also keeps
  // a Ctrl-C in the terminal from reaching code-server before this process has cleaned up.
  const child = spawn(process.execPath, args, { cwd: scratchDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) {
    const error = await new Promise((resolve) => child.once('error', resolve));
    fs.rmSync(scratchDir, { recursive: true, force: true });
    throw new Error(`Could not start code-server: ${error.message}`);
  }
  const pgid = child.pid;
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(pgid), scratchDir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });

  const chunks = [];
  let size = 0;
  const keep = (chunk) => {
    chunks.push(chunk);
    size += chunk.length;
    // Keep the last few MB: enough for any test's output, bounded for a long `npm start`.
    while (size > 4 * 1024 * 1024 && chunks.length > 1) size -= chunks.shift().length;
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const output = () => Buffer.concat(chunks).toString('utf8');
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    watchdog.kill('SIGKILL');
    killGroup(pgid);
    fs.rmSync(scratchDir, { recursive: true, force: true, maxRetries: 5 });
  };
  onAbnormalEnd(stopSync);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    cleanups.delete(stopSync);
    watchdog.kill('SIGKILL');
    killGroup(pgid);
    // Wait until the main process is reaped, so nothing writes into the scratch directory while it goes.
    await exited;
    await fs.promises.rm(scratchDir, { recursive: true, force: true, maxRetries: 5 });
  };

  const url = `http://127.0.0.1:${chosenPort}/`;
  try {
    await waitForHealth(url, exited, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port: chosenPort, scratchDir, output, exited, stop };
}

/**
 * Polls /healthz until code-server answers, failing early if it exits. code-server offers no readiness
 * event to a parent process, so this is a probe with a short interval and an overall deadline.
 */
async function waitForHealth(url, exited, output, timeoutMs = 60_000) {
  let exit;
  void exited.then((result) => {
    exit = result;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit) {
      throw new Error(`code-server exited (${exit.signal ?? `exit code ${exit.code}`}) before it was ready:\n${output()}`);
    }
    try {
      if ((await get(new URL('healthz', url))) === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`code-server did not answer ${url}healthz within ${timeoutMs / 1000} s:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A `vscode-remote://` URI for a path on the machine code-server runs on, as the workbench URL expects. */
export function remoteUri(port, fsPath) {
  const absolute = path.resolve(fsPath);
  return `vscode-remote://127.0.0.1:${port}${absolute.split(path.sep).map(encodeURIComponent).join('/')}`;
}

/**
 * The workbench URL that opens `folder` with the extension at `extensionDevelopmentPath` loaded from
 * source and, when `extensionTestsPath` is given, runs that test module in the extension host.
 * `--extensionDevelopmentPath` is not a code-server flag; the workbench reads the same options from the
 * `payload` parameter instead.
 */
export function workbenchUrl({ url, port, folder, extensionDevelopmentPath, extensionTestsPath }) {
  const base = new URL(url ?? `http://127.0.0.1:${port}/`);
  const remotePort = Number(base.port);
  const payload = [];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(remotePort, extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(remotePort, extensionTestsPath)]);
  if (folder) base.searchParams.set('folder', path.resolve(folder));
  if (payload.length > 0) base.searchParams.set('payload', JSON.stringify(payload));
  return base.toString();
}

// ---------------------------------------------------------------------------------------------------------
// CLI

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command] = process.argv.slice(2);
  if (command === 'install') {
    try {
      const started = Date.now();
      const entry = await ensureCodeServer();
      log(`ready: ${path.relative(repoRoot, entry)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      log(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    }
  } else {
    process.stderr.write('Usage: node scripts/code-server.mjs install\n');
    process.exitCode = 2;
  }
}
