/**
 * The AWS CLI v2 (Debian's `awscli` package, which .ci/run installs) against the local endpoint with
 * `--endpoint-url`: create a key, encrypt a file, decrypt it, and read AWS's errors as the CLI prints them.
 *
 * Only the CLI at /usr/bin/aws (or KMS_STUDIO_AWS_CLI) is used, and only if it says it is aws-cli/2: a pyenv shim
 * earlier on PATH may be the v1 CLI. Without it the test says SKIPPED and why; with KMS_STUDIO_E2E=required (CI)
 * it fails instead.
 */
import { describe, it, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { skipOrFail } from '../e2e/harness';
import { startTestEndpoint, tempDir } from '../core/wire/wireHelpers';

const run = promisify(execFile);
const CLI = process.env['KMS_STUDIO_AWS_CLI'] ?? '/usr/bin/aws';

/** The CLI's version line, or why it cannot be used. */
async function awsCliV2(): Promise<{ version: string } | { skip: string }> {
  const install = "install Debian's awscli package (apt-get install awscli), or set KMS_STUDIO_AWS_CLI to an AWS CLI v2";
  if (!fs.existsSync(CLI)) return { skip: `the AWS CLI v2 is not at ${CLI}: ${install}` };
  try {
    const { stdout, stderr } = await run(CLI, ['--version'], { timeout: 30_000 });
    const version = (stdout || stderr).trim();
    return version.startsWith('aws-cli/2.') ? { version } : { skip: `${CLI} is ${version.split(' ')[0]}, not the AWS CLI v2: ${install}` };
  } catch (error) {
    return { skip: `${CLI} --version failed (${error instanceof Error ? error.message : String(error)}): ${install}` };
  }
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('the AWS CLI v2 against the endpoint', () => {
  it('creates a key, encrypts and decrypts a file with an encryption context, and prints AWS\'s errors', async (t: TestContext) => {
    const cli = await awsCliV2();
    if ('skip' in cli) return skipOrFail(t, cli.skip);
    const { url, log } = await startTestEndpoint({ folder: true });
    const dir = tempDir('kms-studio-awscli-');
    // Nothing from the user's own AWS configuration may reach the CLI.
    const env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: dir,
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_PAGER: '',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const aws = async (args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> => {
      try {
        const { stdout, stderr } = await run(CLI, ['kms', ...args, '--endpoint-url', url], { env: { ...env, ...extraEnv }, cwd: dir, timeout: 60_000 });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
      }
    };

    const created = await aws(['create-key', '--description', 'from the aws cli', '--output', 'json']);
    assert.equal(created.code, 0, created.stderr);
    const keyId = (JSON.parse(created.stdout) as { KeyMetadata: { KeyId: string } }).KeyMetadata.KeyId;

    fs.writeFileSync(path.join(dir, 'plain.txt'), 'secret data for the aws cli\n');
    const encrypted = await aws(['encrypt', '--key-id', keyId, '--plaintext', 'fileb://plain.txt', '--encryption-context', 'purpose=cli', '--output', 'text', '--query', 'CiphertextBlob']);
    assert.equal(encrypted.code, 0, encrypted.stderr);
    fs.writeFileSync(path.join(dir, 'secret.bin'), Buffer.from(encrypted.stdout.trim(), 'base64'));
    const decrypted = await aws(['decrypt', '--ciphertext-blob', 'fileb://secret.bin', '--encryption-context', 'purpose=cli', '--output', 'text', '--query', 'Plaintext']);
    assert.equal(decrypted.code, 0, decrypted.stderr);
    assert.equal(Buffer.from(decrypted.stdout.trim(), 'base64').toString('utf8'), 'secret data for the aws cli\n');

    // The error cases are independent of each other: run at once, as the CLI takes a second or two to start.
    const [notFound, wrongContext, badSecret, elsewhere] = await Promise.all([
      aws(['describe-key', '--key-id', 'alias/nope']),
      aws(['decrypt', '--ciphertext-blob', 'fileb://secret.bin', '--encryption-context', 'purpose=other']),
      aws(['list-keys'], { AWS_SECRET_ACCESS_KEY: 'wrong' }),
      aws(['list-keys', '--region', 'eu-west-1', '--output', 'json']),
    ]);
    assert.equal(notFound.code, 254);
    assert.match(notFound.stderr, /An error occurred \(NotFoundException\) when calling the DescribeKey operation: Alias arn:aws:kms:us-east-1:111122223333:alias\/nope is not found\./);
    assert.match(wrongContext.stderr, /\(InvalidCiphertextException\) when calling the Decrypt operation/);
    assert.match(badSecret.stderr, /\(InvalidSignatureException\) when calling the ListKeys operation: The request signature we calculated does not match/);
    assert.deepEqual((JSON.parse(elsewhere.stdout) as { Keys: unknown[] }).Keys, [], 'another Region has its own keys');

    const events = log.read({ operation: ['CreateKey', 'Encrypt', 'Decrypt'] });
    assert.deepEqual(events.map((e) => [e.eventName, e.errorCode ?? 'ok']), [['CreateKey', 'ok'], ['Encrypt', 'ok'], ['Decrypt', 'ok'], ['Decrypt', 'InvalidCiphertextException']]);
    assert.match(events[0]!.userAgent, /^aws-cli\/2\./);
  });
});
