import { getNodeValue, type Node } from 'jsonc-parser';
import { POLICY_VERSION_2012, type Statement } from '../policy/model';
import { parseOperator } from '../catalog';
import { closestName } from './closestName';
import type { Fix } from './finding';
import { labelFor, quoted, typeMismatchMessage } from './grammarMessages';
import { nodeForSpan } from './jsonTree';
import { defineRule, POLICY_KINDS, remembered, type LintContext, type Report } from './lintRule';
import { placeErrors, type PlacedSchemaError } from './schemaFindings';
import { statementStub, validateGrammar, validateStatementGrammar, type PolicyGrammarKind, type SchemaError } from './schemaValidation';
import { insertFirstProperty, replaceNode } from './textEdits';

const POLICY_ELEMENTS = ['Version', 'Id', 'Statement'];
const KEY_STATEMENT_ELEMENTS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const IDENTITY_STATEMENT_ELEMENTS = KEY_STATEMENT_ELEMENTS.filter((e) => !e.includes('Principal'));
const PRINCIPAL_TYPES = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

const CODES = {
  MISSING_VERSION: { severity: 'WARNING', description: 'The policy has no Version element.' },
  INVALID_VERSION: { severity: 'ERROR', description: 'Version is not 2012-10-17 (or 2008-10-17).' },
  MISSING_STATEMENT: { severity: 'ERROR', description: 'The policy has no Statement element, or no statement in it.' },
  MISSING_EFFECT: { severity: 'ERROR', description: 'A statement has no Effect.' },
  INVALID_EFFECT: { severity: 'ERROR', description: 'Effect is not exactly "Allow" or "Deny".' },
  MISSING_ACTION: { severity: 'ERROR', description: 'A statement has neither Action nor NotAction.' },
  MISSING_PRINCIPAL: { severity: 'ERROR', description: 'A key policy statement has neither Principal nor NotPrincipal.', kinds: ['keyPolicy'] },
  MISSING_RESOURCE: { severity: 'ERROR', description: 'A statement has neither Resource nor NotResource.' },
  INVALID_POLICY_ELEMENT: { severity: 'ERROR', description: 'An element that is not part of the policy grammar.' },
  UNSUPPORTED_ELEMENT_COMBINATION: { severity: 'ERROR', description: 'Action and NotAction (or Resource/NotResource, Principal/NotPrincipal) in one statement.' },
  DATA_TYPE_MISMATCH: { severity: 'ERROR', description: 'A value of the wrong type: an element of the wrong JSON type (an object where a string belongs), or a condition value its operator cannot read ("yes" for Bool, 10.0.0.0/33 for IpAddress, "tomorrow" for a Date operator).' },
  INVALID_PRINCIPAL_KEY: { severity: 'ERROR', description: 'A principal type other than AWS, Service, Federated or CanonicalUser.', kinds: ['keyPolicy'] },
  INVALID_PRINCIPAL_FORMAT: { severity: 'ERROR', description: 'A principal that is not in a form IAM accepts.', kinds: ['keyPolicy'] },
  UNSUPPORTED_SID: { severity: 'ERROR', description: 'An IAM policy Sid with characters other than letters and digits.', kinds: ['identityPolicy'] },
  EMPTY_SID_VALUE: { severity: 'SUGGESTION', description: 'An empty Sid.' },
  EMPTY_ARRAY_ACTION: { severity: 'SUGGESTION', description: 'An empty Action or NotAction list.' },
  EMPTY_ARRAY_RESOURCE: { severity: 'SUGGESTION', description: 'An empty Resource or NotResource list.' },
  EMPTY_ARRAY_PRINCIPAL: { severity: 'SUGGESTION', description: 'An empty list of principals.', kinds: ['keyPolicy'] },
  EMPTY_ARRAY_CONDITION: { severity: 'SUGGESTION', description: 'A condition key with an empty list of values.' },
  EMPTY_ARRAY_CONDITION_FORALLVALUES: { severity: 'SUGGESTION', description: 'ForAllValues with an empty list of values.' },
  EMPTY_ARRAY_CONDITION_FORANYVALUE: { severity: 'SUGGESTION', description: 'ForAnyValue with an empty list of values.' },
  EMPTY_ARRAY_CONDITION_IFEXISTS: { severity: 'SUGGESTION', description: 'An …IfExists operator with an empty list of values.' },
  EMPTY_OBJECT_CONDITION: { severity: 'SUGGESTION', description: 'An empty Condition or condition operator.' },
  EMPTY_OBJECT_PRINCIPAL: { severity: 'SUGGESTION', description: 'An empty Principal object.', kinds: ['keyPolicy'] },
  UNIQUE_SIDS_REQUIRED: { severity: 'ERROR', description: 'Two statements of a key policy share a Sid.', kinds: ['keyPolicy'] },
  UNIQUE_SIDS_RECOMMENDED: { severity: 'WARNING', description: 'Two statements of an IAM policy share a Sid.', kinds: ['identityPolicy'] },
} as const;

type GrammarCode = keyof typeof CODES;

function fallbackCode(error: SchemaError): GrammarCode {
  return error.keyword === 'type' ? 'DATA_TYPE_MISMATCH' : 'INVALID_POLICY_ELEMENT';
}

/** The EMPTY_ARRAY_CONDITION variant Access Analyzer uses for the operator's prefix or suffix. */
function emptyConditionCode(operator: string): GrammarCode {
  const parsed = parseOperator(operator);
  if (parsed.setOperator === 'ForAllValues') return 'EMPTY_ARRAY_CONDITION_FORALLVALUES';
  if (parsed.setOperator === 'ForAnyValue') return 'EMPTY_ARRAY_CONDITION_FORANYVALUE';
  return parsed.ifExists ? 'EMPTY_ARRAY_CONDITION_IFEXISTS' : 'EMPTY_ARRAY_CONDITION';
}

function renameFix(keyNode: Node, siblings: Node, candidates: string[]): Fix | undefined {
  const written = String(keyNode.value);
  const target = candidates.find((c) => c.toLowerCase() === written.toLowerCase()) ?? closestName(written, candidates);
  if (!target) return undefined;
  const taken = (siblings.children ?? []).some((p) => p.children?.[0]?.value === target);
  if (taken) return undefined;
  return { title: `Rename to "${target}"`, edits: [replaceNode(keyNode, JSON.stringify(target))] };
}

function describe(ctx: LintContext, placed: PlacedSchemaError, code: GrammarCode): { message: string; fix?: Fix } {
  const { node, name, error } = placed;
  const path = error.keyword === 'additionalProperties' ? [...error.path, name] : error.path;
  const keyPolicy = ctx.kind === 'keyPolicy';
  switch (code) {
    case 'MISSING_VERSION':
      return {
        message: 'The policy has no Version. Add "Version": "2012-10-17": without it IAM reads the policy as version 2008-10-17, where policy variables such as ${aws:username} are plain text.',
        fix: { title: 'Add "Version": "2012-10-17"', edits: [insertFirstProperty(ctx.text, node, 'Version', JSON.stringify(POLICY_VERSION_2012))] },
      };
    case 'INVALID_VERSION':
      return {
        message: `Version ${quoted(node)} is not a policy language version. Use "2012-10-17", the current version.`,
        fix: { title: 'Use "Version": "2012-10-17"', edits: [replaceNode(node, JSON.stringify(POLICY_VERSION_2012))] },
      };
    case 'MISSING_STATEMENT':
      return {
        message: node.type === 'array'
          ? 'The Statement list is empty: a policy needs at least one statement.'
          : 'The policy has no Statement. Add "Statement" with at least one statement.',
      };
    case 'MISSING_EFFECT':
      return { message: 'This statement has no Effect. Add "Effect": "Allow" or "Effect": "Deny".' };
    case 'INVALID_EFFECT': {
      const lower = typeof node.value === 'string' ? node.value.toLowerCase() : '';
      const intended = lower === 'allow' ? 'Allow' : lower === 'deny' ? 'Deny' : undefined;
      const result: { message: string; fix?: Fix } = { message: `Effect must be "Allow" or "Deny", spelled exactly so; ${quoted(node)} is neither.` };
      if (intended) result.fix = { title: `Use "${intended}"`, edits: [replaceNode(node, JSON.stringify(intended))] };
      return result;
    }
    case 'MISSING_ACTION':
      return {
        message: keyPolicy
          ? 'This statement has neither Action nor NotAction, so it has no effect (AWS KMS accepts it and ignores it). Add "Action" with the KMS actions it allows or denies, such as "kms:Decrypt".'
          : 'This statement has neither Action nor NotAction. Add "Action" with the actions it allows or denies, such as "kms:Decrypt".',
      };
    case 'MISSING_RESOURCE':
      return {
        message: keyPolicy
          ? 'This statement has neither Resource nor NotResource, so it has no effect (AWS KMS accepts it and ignores it). Add "Resource": "*", which in a key policy means this KMS key.'
          : 'This statement has neither Resource nor NotResource. Add "Resource" with the ARNs of the KMS keys it applies to.',
      };
    case 'MISSING_PRINCIPAL':
      return {
        message: 'A key policy statement must name who it applies to. Add "Principal", such as {"AWS": "arn:aws:iam::111122223333:role/Example"}, or {"AWS": "arn:aws:iam::111122223333:root"} to let the account\'s IAM policies decide.',
      };
    case 'INVALID_POLICY_ELEMENT': {
      if (!keyPolicy && (name === 'Principal' || name === 'NotPrincipal')) {
        // Misplaced rather than unknown: the element exists, but not in this kind of policy.
        return {
          message: `An identity-based policy cannot have ${name}: it applies to the user, group or role it is attached to. Remove ${name}, or move this statement to the key policy.`,
        };
      }
      const inStatement = error.path.length > 0;
      const elements = !inStatement ? POLICY_ELEMENTS : keyPolicy ? KEY_STATEMENT_ELEMENTS : IDENTITY_STATEMENT_ELEMENTS;
      const keyNode = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      const holder = keyNode?.parent?.parent;
      const fix = keyNode && holder ? renameFix(keyNode, holder, elements) : undefined;
      const result: { message: string; fix?: Fix } = {
        message: `"${name}" is not an element of ${inStatement ? 'a policy statement' : 'a policy'}. Use ${elements.join(', ')}${fix ? `; did you mean ${fix.title.slice('Rename to '.length)}?` : '.'}`,
      };
      if (fix) result.fix = fix;
      return result;
    }
    case 'UNSUPPORTED_ELEMENT_COMBINATION': {
      const [a, b] = placed.elements ?? ['', ''];
      return { message: `${a} and ${b} cannot be used in the same statement. Remove one of them.` };
    }
    case 'DATA_TYPE_MISMATCH':
      return { message: typeMismatchMessage(placed, path) };
    case 'INVALID_PRINCIPAL_KEY': {
      const keyNode = node.parent?.type === 'property' ? node.parent.children?.[0] : undefined;
      const holder = keyNode?.parent?.parent;
      const fix = keyNode && holder ? renameFix(keyNode, holder, PRINCIPAL_TYPES) : undefined;
      const result: { message: string; fix?: Fix } = { message: `"${name}" is not a principal type. Use AWS, Service, Federated or CanonicalUser.` };
      if (fix) result.fix = fix;
      return result;
    }
    case 'INVALID_PRINCIPAL_FORMAT': {
      const result: { message: string; fix?: Fix } = {
        message: `A Principal written as a plain string can only be "*". To name an AWS principal write {"AWS": ${quoted(node)}}.`,
      };
      if (node.type === 'string') result.fix = { title: 'Write it as {"AWS": …}', edits: [replaceNode(node, `{"AWS": ${JSON.stringify(node.value)}}`)] };
      return result;
    }
    case 'UNSUPPORTED_SID': {
      const cleaned = typeof node.value === 'string' ? node.value.replace(/[^A-Za-z0-9]/g, '') : '';
      const result: { message: string; fix?: Fix } = {
        message: 'In an IAM policy a Sid may contain only letters and digits (A-Z, a-z, 0-9). Remove the other characters.',
      };
      if (cleaned) result.fix = { title: `Use "${cleaned}"`, edits: [replaceNode(node, JSON.stringify(cleaned))] };
      return result;
    }
    case 'EMPTY_SID_VALUE':
      return { message: 'The Sid is empty. Name the statement after what it is for, or remove the Sid.' };
    case 'EMPTY_ARRAY_ACTION':
      return { message: `${name} is an empty list, so this statement matches no action. Add actions or remove the statement.` };
    case 'EMPTY_ARRAY_RESOURCE':
      return { message: `${name} is an empty list, so this statement matches no resource. Add resources or remove the statement.` };
    case 'EMPTY_ARRAY_PRINCIPAL':
      return { message: `${labelFor(path)} is an empty list, so it names no one. Add principals or remove it.` };
    case 'EMPTY_ARRAY_CONDITION':
      return { message: `Condition key ${name} has an empty list of values. Add values or remove the key.` };
    case 'EMPTY_ARRAY_CONDITION_FORALLVALUES':
      return { message: `ForAllValues with no values for ${name} matches only requests without the key. To test that the key is absent, use "Null": {"${name}": "true"}.` };
    case 'EMPTY_ARRAY_CONDITION_FORANYVALUE':
      return { message: `ForAnyValue with no values for ${name} never matches. Add values or remove the key.` };
    case 'EMPTY_ARRAY_CONDITION_IFEXISTS':
      return { message: `…IfExists with no values for ${name} matches only requests without the key. To test that the key is absent, use "Null": {"${name}": "true"}.` };
    case 'EMPTY_OBJECT_CONDITION':
      return { message: `${labelFor(path)} is empty, so it adds no condition. Add a condition or remove it.` };
    case 'EMPTY_OBJECT_PRINCIPAL':
      return { message: `${labelFor(path)} is an empty object, so it names no one. Add principals such as {"AWS": "arn:aws:iam::111122223333:root"}.` };
    default:
      return { message: `${labelFor(path)} is not valid here.` };
  }
}

function checkUniqueSids(ctx: LintContext, report: Report<GrammarCode>): void {
  const seen = new Map<string, { offset: number; length: number }>();
  const code: GrammarCode = ctx.kind === 'keyPolicy' ? 'UNIQUE_SIDS_REQUIRED' : 'UNIQUE_SIDS_RECOMMENDED';
  for (const statement of ctx.policy.statements) {
    const sid = statement.sid;
    if (!sid || sid.jsonType !== 'string' || sid.value === '') continue;
    const first = seen.get(sid.value);
    if (!first) {
      seen.set(sid.value, sid);
      continue;
    }
    report(code, sid, `Sid ${JSON.stringify(sid.value)} is already used by another statement. ${code === 'UNIQUE_SIDS_REQUIRED' ? 'Sids must be unique in a key policy' : 'Give each statement its own Sid'}, so that findings and explanations can name one statement.`, {
      related: [{ ...first, message: 'The first statement with this Sid' }],
    });
  }
}

function reportPlaced(ctx: LintContext, placed: PlacedSchemaError, report: Report<GrammarCode>): void {
  let code: GrammarCode = placed.code in CODES ? (placed.code as GrammarCode) : fallbackCode(placed.error);
  if (code === 'EMPTY_ARRAY_CONDITION') code = emptyConditionCode(String(placed.error.path[placed.error.path.length - 2] ?? ''));
  const { message, fix } = describe(ctx, placed, code);
  report(code, placed.at, message, fix ? { fix } : {});
}

function grammarKind(ctx: LintContext): PolicyGrammarKind {
  return ctx.kind === 'keyPolicy' ? 'keyPolicy' : 'identityPolicy';
}

/**
 * The document's value as the schema reads it (getNodeValue: the last of duplicate names wins), with each
 * statement of the model replaced by a statement that has no error of its own: the statements' errors are
 * found statement by statement, and nothing above a statement in the schema looks inside one.
 */
function skeletonValue(root: Node, statements: ReadonlySet<number>, stub: unknown): unknown {
  if (root.type !== 'object') return getNodeValue(root);
  const value: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const prop of root.children ?? []) {
    const valueNode = prop.children?.[1];
    if (!valueNode) continue;
    const name = prop.children![0]!.value as string;
    value[name] = name === 'Statement' ? statementsValue(valueNode, statements, stub) : getNodeValue(valueNode);
  }
  return value;
}

function statementsValue(node: Node, statements: ReadonlySet<number>, stub: unknown): unknown {
  if (node.type === 'object') return statements.has(node.offset) ? stub : getNodeValue(node);
  if (node.type !== 'array') return getNodeValue(node);
  return (node.children ?? []).map((item) => (item.type === 'object' && statements.has(item.offset) ? stub : getNodeValue(item)));
}

/** The text with each statement cut out (a NUL, which cannot stand in a text that parses, marks where). */
function textAround(text: string, statements: readonly Statement[]): string {
  const parts: string[] = [];
  let from = 0;
  for (const s of statements) {
    parts.push(text.slice(from, s.offset));
    from = s.offset + s.length;
  }
  parts.push(text.slice(from));
  return parts.join('\u0000');
}

/** Whether an offset lies inside one of the statements (sorted by offset, as the model lists them). */
function insideStatement(statements: readonly Statement[], offset: number): boolean {
  let low = 0;
  let high = statements.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const s = statements[mid]!;
    if (offset < s.offset) high = mid - 1;
    else if (offset >= s.offset + s.length) low = mid + 1;
    else return true;
  }
  return false;
}

/** The IAM policy grammar, from schemas/policy.schema.json, and the uniqueness of Sids. */
export const policyGrammarRule = defineRule({
  id: 'policyGrammar',
  kinds: POLICY_KINDS,
  codes: CODES,
  checkStatement(ctx, statement, report) {
    const node = nodeForSpan(ctx.root, statement);
    if (!node || node.type !== 'object') return;
    const prefix = ctx.policy.statementElement?.isArray ? ['Statement', statement.index] : ['Statement'];
    const errors = validateStatementGrammar(grammarKind(ctx), getNodeValue(node));
    for (const placed of placeErrors(node, errors, fallbackCode, prefix)) reportPlaced(ctx, placed, report);
  },
  checkDocument(ctx, report) {
    if (!ctx.root) return;
    const kind = grammarKind(ctx);
    const file = kind === 'keyPolicy' ? 'policy-key.schema.json' : 'policy-identity.schema.json';
    const root = ctx.root;
    const statements = ctx.policy.statements;
    // The skeleton is the text around the statements: its errors (paths, not offsets) hold while that is unchanged.
    const errors = remembered(ctx, 'policyGrammar.skeleton', [kind, textAround(ctx.text, statements)], () =>
      validateGrammar(file, skeletonValue(root, new Set(statements.map((s) => s.offset)), statementStub(kind))),
    );
    for (const placed of placeErrors(root, errors, fallbackCode)) {
      // A stand-in statement has no errors; were the schema to find one, it would not be this statement's.
      if (insideStatement(statements, placed.node.offset)) continue;
      reportPlaced(ctx, placed, report);
    }
    checkUniqueSids(ctx, report);
  },
});
