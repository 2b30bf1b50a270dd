import type { Node } from 'jsonc-parser';
import type { Finding } from '../lint/finding';
import { parseJson, type ParsedJson } from './parse';
import type {
  ConditionElement,
  ConditionKeyEntry,
  ConditionOperatorBlock,
  ElementSpan,
  JsonType,
  Located,
  Policy,
  PrincipalElement,
  PrincipalEntry,
  PrincipalType,
  Span,
  Statement,
  StringListElement,
} from './model';

export interface ParsedPolicy {
  policy: Policy;
  syntaxErrors: Finding[];
}

/** Parses policy text into the model. Never throws: broken input gives a model of what could be read. */
export function parsePolicy(text: string, options: { strict?: boolean } = {}): ParsedPolicy {
  const parsed = parseJson(text, options);
  return { policy: policyFromJson(parsed), syntaxErrors: parsed.syntaxErrors };
}

/** Builds the model from an existing parse, so that lint and authz share one tree per document version. */
export function policyFromJson(parsed: ParsedJson): Policy {
  const root = parsed.root;
  const policy: Policy = {
    text: parsed.text,
    offset: root?.offset ?? 0,
    length: root?.length ?? 0,
    statements: [],
    unknownElements: [],
  };
  if (!root || root.type !== 'object') return policy;
  for (const [name, prop] of properties(root)) {
    const value = prop.children?.[1];
    if (name === 'Version') policy.version = scalar(value);
    else if (name === 'Id') policy.id = scalar(value);
    else if (name === 'Statement') {
      if (!value) continue;
      policy.statementElement = { ...elementSpan(prop, value), isArray: value.type === 'array' };
      const nodes = value.type === 'array' ? (value.children ?? []) : [value];
      // The index is the position in the list as written, so "statement #3" finds the third entry.
      policy.statements = nodes.flatMap((n, i) => (n.type === 'object' ? [statementFrom(n, i)] : []));
    } else policy.unknownElements.push(located(prop.children![0]!));
  }
  return policy;
}

/** Property name → property node, last one winning as in JSON.parse (the linter reports duplicates). */
function properties(object: Node): Map<string, Node> {
  const map = new Map<string, Node>();
  for (const prop of object.children ?? []) {
    const keyNode = prop.children?.[0];
    if (prop.type === 'property' && keyNode && typeof keyNode.value === 'string') {
      map.delete(keyNode.value);
      map.set(keyNode.value, prop);
    }
  }
  return map;
}

function span(node: Node): Span {
  return { offset: node.offset, length: node.length };
}

function elementSpan(prop: Node, value: Node): ElementSpan {
  return { ...span(prop), key: span(prop.children![0]!), valueSpan: span(value), valueType: value.type as JsonType };
}

function located(node: Node): Located {
  const jsonType = node.type as JsonType;
  const value = jsonType === 'object' || jsonType === 'array' ? '' : String(node.value);
  return { value, jsonType, offset: node.offset, length: node.length };
}

function scalar(node: Node | undefined): Located | undefined {
  return node && node.type !== 'object' && node.type !== 'array' ? located(node) : undefined;
}

/** A string or an array of scalars; nested objects and arrays are kept as values with jsonType set. */
function valueList(node: Node): { values: Located[]; isArray: boolean } {
  if (node.type === 'array') return { values: (node.children ?? []).map(located), isArray: true };
  return { values: [located(node)], isArray: false };
}

function stringList(prop: Node, value: Node | undefined): StringListElement | undefined {
  if (!value) return undefined;
  return { ...elementSpan(prop, value), ...valueList(value) };
}

const STATEMENT_ELEMENTS = new Set([
  'Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition',
]);

function statementFrom(node: Node, index: number): Statement {
  const statement: Statement = { index, ...span(node), unknownElements: [] };
  for (const [name, prop] of properties(node)) {
    const value = prop.children?.[1];
    if (!STATEMENT_ELEMENTS.has(name)) {
      statement.unknownElements.push(located(prop.children![0]!));
      continue;
    }
    switch (name) {
      case 'Sid':
        statement.sid = scalar(value);
        break;
      case 'Effect':
        statement.effectElement = scalar(value);
        if (value?.value === 'Allow' || value?.value === 'Deny') statement.effect = value.value;
        break;
      case 'Principal':
        statement.principal = principalFrom(prop, value);
        break;
      case 'NotPrincipal':
        statement.notPrincipal = principalFrom(prop, value);
        break;
      case 'Action':
        statement.action = stringList(prop, value);
        break;
      case 'NotAction':
        statement.notAction = stringList(prop, value);
        break;
      case 'Resource':
        statement.resource = stringList(prop, value);
        break;
      case 'NotResource':
        statement.notResource = stringList(prop, value);
        break;
      case 'Condition':
        statement.condition = conditionFrom(prop, value);
        break;
    }
  }
  return statement;
}

const PRINCIPAL_TYPES: readonly PrincipalType[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];

function principalFrom(prop: Node, value: Node | undefined): PrincipalElement | undefined {
  if (!value) return undefined;
  const element: PrincipalElement = { ...elementSpan(prop, value), entries: [], unknownTypes: [] };
  if (value.type === 'string') {
    // IAM accepts only "*" as a bare string; anything else is kept as a '*'-typed entry for the linter to
    // report, and never matches (see principalMatcher).
    element.entries.push({ type: '*', typeSpan: span(value), ...span(value), values: [located(value)] });
  } else if (value.type === 'object') {
    for (const [name, typeProp] of properties(value)) {
      const typeValue = typeProp.children?.[1];
      const type = PRINCIPAL_TYPES.find((t) => t === name);
      if (!type || !typeValue) {
        element.unknownTypes.push(located(typeProp.children![0]!));
        continue;
      }
      const entry: PrincipalEntry = {
        type,
        typeSpan: span(typeProp.children![0]!),
        ...span(typeProp),
        values: valueList(typeValue).values,
      };
      element.entries.push(entry);
    }
  }
  return element;
}

function conditionFrom(prop: Node, value: Node | undefined): ConditionElement | undefined {
  if (!value) return undefined;
  const element: ConditionElement = { ...elementSpan(prop, value), operators: [] };
  if (value.type !== 'object') return element;
  for (const opProp of value.children ?? []) {
    const opName = opProp.children?.[0];
    const opValue = opProp.children?.[1];
    if (!opName || !opValue) continue;
    const block: ConditionOperatorBlock = {
      ...span(opProp),
      operator: located(opName),
      valueType: opValue.type as JsonType,
      keys: [],
    };
    if (opValue.type === 'object') {
      for (const keyProp of opValue.children ?? []) {
        const keyName = keyProp.children?.[0];
        const keyValue = keyProp.children?.[1];
        if (!keyName || !keyValue) continue;
        const entry: ConditionKeyEntry = { ...span(keyProp), key: located(keyName), ...valueList(keyValue) };
        block.keys.push(entry);
      }
    }
    element.operators.push(block);
  }
  return element;
}
