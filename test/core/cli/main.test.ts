import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import { runCli } from '../../support/cli';

const manifest = require(path.join(repoRoot, 'package.json')) as { version: string; bin: Record<string, string> };

describe('kms-studio command line', () => {
  it('prints help listing its commands, exit 0', async () => {
    const run = await runCli(['--help'], repoRoot);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /Usage: kms-studio <command>/);
    assert.match(run.stdout, /^\s+lint\s+/m);
  });

  it('prints the manifest version', async () => {
    const run = await runCli(['--version'], repoRoot);
    assert.equal(run.code, 0);
    assert.equal(run.stdout.trim(), manifest.version);
  });

  it('refuses an unknown command with a clear message and exit 2', async () => {
    const run = await runCli(['frobnicate'], repoRoot);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /unknown command 'frobnicate'/);
    assert.match(run.stderr, /--help/);
  });

  it('shows help and exits 2 when given no command', async () => {
    const run = await runCli([], repoRoot);
    assert.equal(run.code, 2);
    assert.match(run.stdout, /Commands:/);
  });

  it('runs as the bundled bin with the same exit codes', () => {
    const bin = path.join(repoRoot, manifest.bin['kms-studio']!);
    assert.equal(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim(), manifest.version);
    const unknown = spawnSync(process.execPath, [bin, 'nope'], { encoding: 'utf8' });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command 'nope'/);
  });
});
