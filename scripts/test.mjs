// Runs every compiled node:test file (out/test/**/*.test.js) in one `node --test` run. The mocha suites
// under out/test/vscode/ run inside a VS Code extension host instead (see test/e2e/), so they are left out.
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return full === join('out', 'test', 'vscode') ? [] : walk(full);
    return entry.name.endsWith('.test.js') ? [full] : [];
  });
}

const filter = process.argv.slice(2);
const files = walk(join('out', 'test'))
  .filter((f) => filter.length === 0 || filter.some((part) => f.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`No test files matched ${filter.join(' ') || 'out/test/**/*.test.js'}`);
  process.exit(1);
}
console.error(`Running ${files.length} test files: ${files.map((f) => relative('out/test', f)).join(', ')}`);
// Two files at a time: each file is its own process, and most of their time is start-up on a 2-core machine.
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
