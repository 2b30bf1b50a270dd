import type { Node } from 'jsonc-parser';
import { parseArn } from '../authz';
import { findAction, grantOperationNames } from '../catalog';
import { closestName } from './closestName';
import type { Fix } from './finding';
import { labelFor, typeMismatchMessage } from './grammarMessages';
import { propertyNamed, propertyValue, spanOf, stringItems, stringOf } from './jsonTree';
import { defineRule, GRANT, type Report } from './lintRule';
import { placeSchemaErrors, type PlacedSchemaError } from './schemaFindings';
import type { SchemaError } from './schemaValidation';
import { replaceNode } from './textEdits';

const CODES = {
  KMS_GRANT_MISSING_FIELD: { severity: 'ERROR', description: 'A grant without KeyId, a grantee principal or operations.' },
  KMS_GRANT_INVALID_FIELD: { severity: 'ERROR', description: 'A grant field of the wrong type or form, or one CreateGrant does not take.' },
  KMS_GRANT_INVALID_OPERATION: { severity: 'ERROR', description: 'An operation name that is not a grant operation.' },
  KMS_GRANT_CONSTRAINT_UNSUPPORTED: {
    severity: 'ERROR',
    description: 'An unknown grant constraint, both EncryptionContextEquals and EncryptionContextSubset, or an encryption context constraint on operations without one.',
  },
  KMS_GRANT_TOO_MANY_CONSTRAINTS: { severity: 'ERROR', description: 'More than 8 encryption context pairs in one grant constraint.' },
} as const;

type GrantCode = keyof typeof CODES;

const CREATE_GRANT_FIELDS = ['KeyId', 'GranteePrincipal', 'GranteeServicePrincipal', 'RetiringPrincipal', 'RetiringServicePrincipal', 'Operations', 'Constraints', 'GrantTokens', 'Name', 'DryRun'];
const LIST_ENTRY_FIELDS = ['KeyId', 'GrantId', 'Name', 'CreationDate', 'GranteePrincipal', 'GranteeServicePrincipal', 'RetiringPrincipal', 'RetiringServicePrincipal', 'IssuingAccount', 'Operations', 'Constraints'];
/**
 * Operations a grant with an encryption context constraint may include although they take no encryption context:
 * the constraint does not apply to DescribeKey and RetireGrant, and a CreateGrant permission passes it on to the
 * grants it creates (AWS KMS API Reference, CreateGrant, Constraints).
 */
const CONSTRAINT_EXEMPT = new Set(['DescribeKey', 'RetireGrant', 'CreateGrant']);

function fallbackCode(error: SchemaError): GrantCode {
  return error.keyword === 'required' ? 'KMS_GRANT_MISSING_FIELD' : 'KMS_GRANT_INVALID_FIELD';
}

function operationFix(node: Node): Fix | undefined {
  const written = stringOf(node);
  if (written === undefined) return undefined;
  // A policy-style name (kms:Decrypt) is the commonest slip; otherwise the closest operation name.
  const bare = written.replace(/^kms:/i, '');
  const exact = grantOperationNames().find((n) => n.toLowerCase() === bare.toLowerCase());
  const target = exact ?? closestName(bare, grantOperationNames());
  return target ? { title: `Change to ${target}`, edits: [replaceNode(node, JSON.stringify(target))] } : undefined;
}

function describe(placed: PlacedSchemaError, code: GrantCode): { message: string; fix?: Fix } {
  const { node, name, error } = placed;
  const inList = error.path[0] === 'Grants';
  const what = inList ? 'a grant' : 'a CreateGrant request';
  const path = error.keyword === 'additionalProperties' ? [...error.path, name] : error.path;
  switch (code) {
    case 'KMS_GRANT_MISSING_FIELD':
      if (error.keyword === 'minItems') return { message: 'Operations is empty: a grant must allow at least one operation, such as "Decrypt".' };
      if (error.keyword === 'anyOf') return { message: 'A grant needs a grantee: add GranteePrincipal with the ARN of the account, user or role that gets the permissions (or GranteeServicePrincipal for an AWS service).' };
      return { message: `${name} is required in ${what}.` };
    case 'KMS_GRANT_INVALID_OPERATION': {
      const fix = operationFix(node);
      const message = `${node.type === 'string' ? JSON.stringify(node.value) : 'This value'} is not a grant operation${fix ? ` (did you mean ${fix.title.slice('Change to '.length)}?)` : ''}. A grant can allow ${grantOperationNames().join(', ')}.`;
      return fix ? { message, fix } : { message };
    }
    case 'KMS_GRANT_CONSTRAINT_UNSUPPORTED':
      if (placed.elements) return { message: 'A grant takes one encryption context constraint: EncryptionContextEquals or EncryptionContextSubset, not both.' };
      return { message: `"${name}" is not a grant constraint. Use EncryptionContextEquals, EncryptionContextSubset or SourceArn.` };
    case 'KMS_GRANT_TOO_MANY_CONSTRAINTS':
      return { message: `${name} has ${node.children?.length ?? 0} encryption context pairs; a grant constraint can have at most 8.` };
    case 'KMS_GRANT_INVALID_FIELD':
    default: {
      if (placed.elements) return { message: `Specify either ${placed.elements[0]} or ${placed.elements[1]}, not both.` };
      if (error.keyword === 'additionalProperties') {
        const fields = inList ? LIST_ENTRY_FIELDS : CREATE_GRANT_FIELDS;
        const closest = closestName(name, fields);
        const key = node.parent?.children?.[0];
        const taken = closest !== undefined && !!propertyNamed(node.parent?.parent, closest);
        const result: { message: string; fix?: Fix } = { message: `"${name}" is not a field of ${what}${closest ? `; did you mean ${closest}?` : '.'}` };
        if (closest && key && !taken) result.fix = { title: `Rename to ${closest}`, edits: [replaceNode(key, JSON.stringify(closest))] };
        return result;
      }
      if (error.keyword === 'type') {
        const result: { message: string; fix?: Fix } = { message: typeMismatchMessage(placed, path) };
        // "Operations": "Decrypt" is meant as a list of one.
        if (name === 'Operations' && node.type === 'string') result.fix = { title: 'Make it a list', edits: [replaceNode(node, `[${JSON.stringify(node.value)}]`)] };
        return result;
      }
      const limit = error.params['limit'];
      const expect = typeof error.annotation?.expect === 'string' ? error.annotation.expect : 'valid';
      if (error.keyword === 'maxLength') return { message: `${labelFor(path)} is longer than ${String(limit)} characters.` };
      if (error.keyword === 'minLength') return { message: `${labelFor(path)} must be at least ${String(limit)} character${limit === 1 ? '' : 's'} long.` };
      if (error.keyword === 'maxItems') return { message: `${labelFor(path)} takes at most ${String(limit)} items.` };
      return { message: `${labelFor(path)} is not ${expect}.` };
    }
  }
}

/** The grant objects of the document: the CreateGrant request itself, or each entry of list-grants output. */
function grantObjects(root: Node): Node[] {
  const grants = propertyValue(root, 'Grants');
  if (grants) return grants.type === 'array' ? (grants.children ?? []).filter((g) => g.type === 'object') : [];
  return [root];
}

function checkGrant(grant: Node, isRequest: boolean, report: Report<GrantCode>): void {
  const operations = stringItems(propertyValue(grant, 'Operations'));
  const constraints = propertyValue(grant, 'Constraints');
  for (const name of ['EncryptionContextEquals', 'EncryptionContextSubset']) {
    const constraint = propertyNamed(constraints, name);
    // An empty map is no constraint at all (IAM Access Analyzer API Reference, KmsGrantConstraints).
    const pairs = constraint?.children?.[1];
    if (!constraint || operations.length === 0 || (pairs?.type === 'object' && (pairs.children?.length ?? 0) === 0)) continue;
    const known = operations.map((o) => ({ node: o, action: findAction(String(o.value)) })).filter((o) => o.action?.grantOperation);
    const without = known.filter((o) => !o.action!.takesEncryptionContext && !CONSTRAINT_EXEMPT.has(o.action!.name));
    const withContext = known.some((o) => o.action!.takesEncryptionContext || o.action!.name === 'CreateGrant');
    if (without.length > 0) {
      report(
        'KMS_GRANT_CONSTRAINT_UNSUPPORTED',
        spanOf(constraint.children![0]!),
        `${without.map((o) => o.action!.name).join(', ')} ${without.length === 1 ? 'is an operation' : 'are operations'} of asymmetric or HMAC keys, which take no encryption context, so AWS KMS refuses ${name} on this grant. Grant ${without.length === 1 ? 'it' : 'them'} in a grant of ${without.length === 1 ? 'its' : 'their'} own, without the constraint.`,
      );
    } else if (known.length > 0 && !withContext) {
      report(
        'KMS_GRANT_CONSTRAINT_UNSUPPORTED',
        spanOf(constraint.children![0]!),
        `None of this grant's operations takes an encryption context, so ${name} constrains nothing. Remove it, or add the cryptographic operations it is meant for.`,
      );
    }
  }
  const servicePrincipal = propertyNamed(grant, 'GranteeServicePrincipal');
  if (isRequest && servicePrincipal) {
    if (!propertyNamed(constraints, 'SourceArn')) {
      report('KMS_GRANT_MISSING_FIELD', spanOf(servicePrincipal.children![0]!), 'A grant for GranteeServicePrincipal needs a SourceArn constraint naming the resource the service acts for.');
    }
    if (!propertyNamed(grant, 'RetiringPrincipal') && !propertyNamed(grant, 'RetiringServicePrincipal')) {
      report('KMS_GRANT_MISSING_FIELD', spanOf(servicePrincipal.children![0]!), 'A grant for GranteeServicePrincipal needs a RetiringPrincipal or RetiringServicePrincipal.');
    }
  }
  for (const field of ['GranteePrincipal', 'RetiringPrincipal']) {
    const value = propertyValue(grant, field);
    const text = stringOf(value);
    if (text === undefined || !/^[\w+=,.@:/-]+$/.test(text)) continue;
    const arn = parseArn(text);
    const isPrincipalArn = !!arn && /^\d{12}$/.test(arn.account) && ((arn.service === 'iam' && /^(root|user\/.+|role\/.+)$/.test(arn.resource)) || (arn.service === 'sts' && /^(assumed-role|federated-user)\/.+/.test(arn.resource)));
    // list-grants shows a service principal name for grants AWS services hold.
    const isServiceName = !isRequest && /\.amazonaws\.com(\.cn)?$/.test(text);
    if (!isPrincipalArn && !isServiceName) {
      report('KMS_GRANT_INVALID_FIELD', spanOf(value!), `${field} must be the ARN of an AWS account (…:root), IAM user, IAM role, assumed-role session or federated user, such as arn:aws:iam::111122223333:role/Example.`);
    }
  }
}

/** Grants: the CreateGrant request grammar and what AWS KMS checks when it creates a grant. */
export const grantRule = defineRule({
  id: 'grants',
  kinds: GRANT,
  codes: CODES,
  run(ctx, report) {
    const root = ctx.root;
    if (!root) return;
    for (const placed of placeSchemaErrors(root, 'grant.schema.json', fallbackCode)) {
      const code: GrantCode = placed.code in CODES ? (placed.code as GrantCode) : fallbackCode(placed.error);
      const { message, fix } = describe(placed, code);
      report(code, placed.at, message, fix ? { fix } : {});
    }
    if (root.type !== 'object') return;
    const isRequest = !propertyNamed(root, 'Grants');
    for (const grant of grantObjects(root)) checkGrant(grant, isRequest, report);
  },
});
