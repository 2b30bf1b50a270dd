// Generates core/kms/model/kms-api.json, the AWS KMS API model the embedded KMS and the wire endpoint validate
// against: operations (input, output, errors) and shapes (types, members, required, min/max, enum, pattern).
// Source: the botocore model of AWS KMS (boto/botocore, botocore/data/kms/2014-11-01/service-2.json,
// Apache-2.0), given with --source (default ../shared/reference/botocore-kms-service-2.json). Documentation
// strings are dropped; everything else is kept as the model states it.
// `--check` fails when the committed file differs from what the source would give.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const sourceIndex = args.indexOf('--source');
const source = sourceIndex >= 0 ? args[sourceIndex + 1] : join(root, '..', 'shared', 'reference', 'botocore-kms-service-2.json');
const target = join(root, 'core', 'kms', 'model', 'kms-api.json');

const model = JSON.parse(readFileSync(source, 'utf8'));
const KEEP_SHAPE = ['type', 'required', 'min', 'max', 'enum', 'pattern', 'sensitive', 'exception', 'error', 'timestampFormat'];

function compactMember(member) {
  const out = { shape: member.shape };
  if (member.jsonvalue) out.jsonvalue = true;
  return out;
}

const shapes = {};
for (const [name, shape] of Object.entries(model.shapes)) {
  const out = {};
  for (const k of KEEP_SHAPE) if (shape[k] !== undefined) out[k] = shape[k];
  if (shape.members) out.members = Object.fromEntries(Object.entries(shape.members).map(([m, v]) => [m, compactMember(v)]));
  if (shape.member) out.member = compactMember(shape.member);
  if (shape.key) out.key = compactMember(shape.key);
  if (shape.value) out.value = compactMember(shape.value);
  shapes[name] = out;
}
const operations = Object.fromEntries(
  Object.entries(model.operations).map(([name, op]) => [
    name,
    { input: op.input?.shape, output: op.output?.shape, errors: (op.errors ?? []).map((e) => e.shape) },
  ]),
);
const text =
  JSON.stringify(
    {
      source: 'boto/botocore botocore/data/kms/2014-11-01/service-2.json (Apache-2.0), documentation removed',
      metadata: { apiVersion: model.metadata.apiVersion, targetPrefix: model.metadata.targetPrefix, jsonVersion: model.metadata.jsonVersion },
      operations,
      shapes,
    },
    null,
    1,
  ) + '\n';

if (args.includes('--check')) {
  const current = readFileSync(target, 'utf8');
  if (current !== text) {
    console.error('gen-kms-model: core/kms/model/kms-api.json is out of date; run node scripts/gen-kms-model.mjs');
    process.exit(1);
  }
  console.error('gen-kms-model: up to date');
} else {
  writeFileSync(target, text);
  console.error(`gen-kms-model: wrote ${Object.keys(operations).length} operations, ${Object.keys(shapes).length} shapes`);
}
