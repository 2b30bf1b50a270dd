/**
 * `kms-studio kms <Operation>`: one call to the embedded KMS of a store folder, in AWS's JSON shapes, so what
 * works here works against AWS KMS with the same request body (`aws kms <operation> --cli-input-json`).
 *
 * The request is AWS's JSON request shape (binary fields as base64, as the AWS CLI takes them); the answer is
 * AWS's JSON response shape on stdout, exit 0. A KMS error is AWS's error body on stderr,
 * `{"__type": "<ExceptionName>", "message": "..."}`, exit 1, with the authorization explanation's reason beside
 * it for AccessDeniedException. What the user must fix before any request can be sent (an unknown operation,
 * input that is not JSON, a store or root key problem) exits 2.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { strictJsonProblem } from '../policy/parse';
import { resolveCaller } from '../authz/arn';
import { KmsError } from '../kms/errors';
import { operationModel, operationNames } from '../kms/model/apiModel';
import { decodeRequest, encodeResponse } from '../kms/model/codec';
import { DEFAULT_ACCOUNT, callerFromIdentity, isImplemented, rootCaller, type Caller } from '../kms/service';
import { loadIdentities, type Identity } from '../kms/store';
import { isRegion } from '../kms/store/kmsStore';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError, type CliIo, parseCommandArgs } from './io';
import type { Command } from './main';
import { asStoreProblem, openKms } from './openKms';

/** `createkey`, `create-key`, `create_key` → CreateKey: what a user probably meant by a name the API lacks. */
function suggestOperation(given: string): string | undefined {
  const squash = (name: string) => name.replace(/[-_\s]/g, '').toLowerCase();
  const wanted = squash(given);
  return operationNames().find((name) => squash(name) === wanted);
}

function unknownOperation(given: string): UsageError {
  const suggestion = suggestOperation(given);
  return new UsageError(
    `'${given}' is not an AWS KMS operation${suggestion ? `; did you mean ${suggestion}?` : '.'} ` +
      "Operations are named as in the AWS KMS API Reference (CreateKey, Encrypt, ...); 'kms-studio kms --list' lists them",
  );
}

/** The request body named by --input: JSON text, `@file`, or `-` for stdin; `{}` when absent. */
async function readRequestBody(input: string | undefined, io: CliIo): Promise<unknown> {
  if (input === undefined) return {};
  let text: string;
  let source: string;
  if (input === '-') {
    if (!io.readStdin) throw new UsageError('--input -: there is no standard input to read here');
    text = await io.readStdin();
    source = '--input - (stdin)';
  } else if (input.startsWith('@')) {
    const file = path.resolve(io.cwd, input.slice(1));
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new UsageError(`--input ${input}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(e)})`}`);
    }
    source = `--input ${input}`;
  } else {
    text = input;
    source = '--input';
  }
  if (text.trim() === '') throw new UsageError(`${source} is empty; give the request as JSON, {} for none`);
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`${source} is ${strictJsonProblem(text)}`);
  }
}

/**
 * The caller named by --as: the identities.json entry of that principal (by its ARN, or by the session ARN a
 * role entry calls as), else the principal with no IAM policies, which is still a caller AWS could see.
 */
function callerFor(as: string, identities: readonly Identity[]): Caller {
  const listed = identities.find((identity) => identity.principal === as) ?? identities.find((identity) => callerFromIdentity(identity).principal === as);
  if (listed) return callerFromIdentity(listed);
  const resolved = resolveCaller(as);
  if (typeof resolved === 'string') throw new UsageError(`--as: ${resolved}`);
  // Same role-to-session mapping as a listed role, without an access key or policies.
  const { accessKeyId: _unused, ...caller } = callerFromIdentity({ principal: as, accessKeyId: '', secretAccessKey: '', policies: [], tags: {} });
  return caller;
}

function identitiesFrom(file: string | undefined, io: CliIo, readStoreIdentities: () => Identity[]): Identity[] {
  if (file === undefined) return readStoreIdentities();
  const full = path.resolve(io.cwd, file);
  if (!fs.existsSync(full)) throw new UsageError(`--identities ${file}: no such file`);
  return loadIdentities(full);
}

/** AWS's JSON error body, plus the explanation's one-line reason where the KMS gives one. */
function errorBody(error: KmsError): Record<string, string> {
  const reason = (error.explanation as { reason?: unknown } | undefined)?.reason;
  return { __type: error.name, message: error.message, ...(typeof reason === 'string' ? { explanation: reason } : {}) };
}

function listOperations(io: CliIo): number {
  for (const name of [...operationNames()].sort()) io.stdout(isImplemented(name) ? `${name}\n` : `${name} (not available in this KMS yet)\n`);
  return EXIT_OK;
}

export const kmsCommand: Command = {
  summary: 'call an operation of the embedded KMS of a store folder, with AWS\'s JSON request and response shapes',
  usage:
    'kms-studio kms <Operation> --store DIR [--as PRINCIPAL_ARN] [--input JSON|@file|-] [--region REGION] [--identities FILE] [--root-key-file FILE]\n' +
    '       kms-studio kms --list',
  async run(args: string[], io: CliIo): Promise<number> {
    const parsed = parseCommandArgs(args, {
          store: { type: 'string' },
          as: { type: 'string' },
          input: { type: 'string' },
          region: { type: 'string' },
          identities: { type: 'string' },
          'root-key-file': { type: 'string' },
          list: { type: 'boolean' },
        });
    const { values, positionals } = parsed;
    if (values.list) {
      if (positionals.length > 0) throw new UsageError('--list takes no operation');
      return listOperations(io);
    }
    if (positionals.length === 0) throw new UsageError("name an operation, e.g. 'kms-studio kms CreateKey --store DIR'; 'kms-studio kms --list' lists them");
    if (positionals.length > 1) throw new UsageError(`one operation at a time; got ${positionals.join(', ')} (the request goes in --input)`);
    const operation = positionals[0]!;
    if (!operationModel(operation)) throw unknownOperation(operation);
    if (values.store === undefined || values.store === '') throw new UsageError('--store DIR is required: the folder that holds the KMS\'s keys (created on first use)');
    if (values.region !== undefined && !isRegion(values.region)) throw new UsageError(`--region: "${values.region}" is not a region name (like us-east-1)`);
    if (values.as !== undefined && values.as === '') throw new UsageError('--as needs a principal ARN');
    const body = await readRequestBody(values.input, io);

    let opened;
    let caller: Caller;
    try {
      opened = openKms(io, { store: values.store, ...(values['root-key-file'] !== undefined ? { rootKeyFile: values['root-key-file'] } : {}), create: true });
      const store = opened.store;
      caller = values.as === undefined ? rootCaller(DEFAULT_ACCOUNT) : callerFor(values.as, identitiesFrom(values.identities, io, () => store.readIdentities()));
    } catch (e) {
      const problem = asStoreProblem(e);
      if (!problem) throw e;
      io.stderr(`kms-studio kms: ${problem.message}\n`);
      return EXIT_USAGE;
    }

    try {
      const request = decodeRequest(operation, body);
      const response = await opened.kms.call(operation, request, caller, values.region !== undefined ? { region: values.region } : {});
      io.stdout(JSON.stringify(encodeResponse(operation, response), null, 2) + '\n');
      return EXIT_OK;
    } catch (e) {
      if (e instanceof KmsError) {
        io.stderr(JSON.stringify(errorBody(e), null, 2) + '\n');
        return EXIT_FAILED;
      }
      const problem = asStoreProblem(e);
      if (!problem) throw e;
      io.stderr(`kms-studio kms: ${problem.message}\n`);
      return EXIT_USAGE;
    }
  },
};
