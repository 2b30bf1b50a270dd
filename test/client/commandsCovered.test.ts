// Every KMS command the manifest declares is run by some extension-host suite (test/vscode/*.suite.ts) through
// vscode.commands.executeCommand: a command added without a test fails here.
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/paths';

/** The language server's commands, older than the KMS client and covered by extension.suite.ts's registration test. */
const LANGUAGE_SERVER_COMMANDS = new Set(['kmsStudio.restartServer', 'kmsStudio.showOutput']);

describe('extension-host coverage of the commands', () => {
  it('runs every declared KMS command in some suite', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
    const dir = path.join(repoRoot, 'test', 'vscode');
    const suites = fs.readdirSync(dir).filter((f) => f.endsWith('.suite.ts')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n');
    const untested = manifest.contributes.commands
      .map((c) => c.command)
      .filter((id) => !LANGUAGE_SERVER_COMMANDS.has(id) && !new RegExp(`executeCommand(<[^>]*>)?\\('${id.replace('.', '\\.')}'`).test(suites));
    assert.deepEqual(untested, [], 'commands no extension-host suite runs through executeCommand');
  });
});
