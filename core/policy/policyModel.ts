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
  return buildPolicy(parsed, undefined);
}

/**
 * The model of a new version of a document, given the model of a previous version: a statement whose text is
 * unchanged and at the same place in the text and in the list is the previous model's statement object itself
 * (models are not changed once built). Both texts must parse without errors: the tree of a statement is then
 * decided by its text alone. Equal, by value, to policyFromJson(parsed).
 */
export function policyFromJsonReusing(parsed: ParsedJson, previous: Policy | undefined): Policy {
  return buildPolicy(parsed, previous);
}

function buildPolicy(parsed: ParsedJson, previous: Policy | undefined): Policy {
  const root = parsed.root;
  const policy: Policy = {
    text: parsed.text,
    offset: root?.offset ?? 0,
    length: root?.length ?? 0,
    statements: [],
    unknownElements: [],
  };
  if (!root || root.type !== 'object') return policy;
  const props = root.children ?? [];
  for (let p = 0; p < props.length; p++) {
    const prop = props[p]!;
    const name = winningName(props, p);
    if (name === undefined) continue;
    const value = prop.children?.[1];
    if (name === 'Version') policy.version = scalar(value);
    else if (name === 'Id') policy.id = scalar(value);
    else if (name === 'Statement') {
      if (!value) continue;
      const element = elementSpan(prop, value) as ElementSpan & { isArray: boolean };
      element.isArray = value.type === 'array';
      policy.statementElement = element;
      // The index is the position in the list as written, so "statement #3" finds the third entry.
      const statements: Statement[] = [];
      const reuse = previous && previous.statements.length > 0 ? new StatementReuse(previous, parsed.text) : undefined;
      if (value.type === 'array') {
        const items = value.children ?? [];
        for (let i = 0; i < items.length; i++) {
          const item = items[i]!;
          if (item.type === 'object') statements.push(reuse?.find(item, i) ?? statementFrom(item, i));
        }
      } else if (value.type === 'object') statements.push(reuse?.find(value, 0) ?? statementFrom(value, 0));
      policy.statements = statements;
    } else policy.unknownElements.push(located(prop.children![0]!));
  }
  return policy;
}

/** The previous version's statements, found by position; kept only when their text is the same. */
class StatementReuse {
  private readonly byOffset = new Map<number, Statement>();

  constructor(
    private readonly previous: Policy,
    private readonly text: string,
  ) {
    for (const s of previous.statements) this.byOffset.set(s.offset, s);
  }

  find(node: Node, index: number): Statement | undefined {
    const s = this.byOffset.get(node.offset);
    if (!s || s.length !== node.length || s.index !== index) return undefined;
    const end = s.offset + s.length;
    return this.previous.text.slice(s.offset, end) === this.text.slice(s.offset, end) ? s : undefined;
  }
}

/**
 * The name of property `index` of an object's children when it is the one that counts: a property with a string
 * name and no later property of the same name (the last one wins, as in JSON.parse; the linter reports
 * duplicates). Visiting the winners in index order visits names in the order of their last occurrence, which is
 * the order a Map keyed by name, deleted and set again on each repeat, would give.
 */
function winningName(props: readonly Node[], index: number): string | undefined {
  const prop = props[index]!;
  const name = prop.type === 'property' ? prop.children?.[0]?.value : undefined;
  if (typeof name !== 'string') return undefined;
  for (let j = index + 1; j < props.length; j++) {
    const later = props[j]!;
    if (later.type === 'property' && later.children?.[0]?.value === name) return undefined;
  }
  return name;
}

function span(node: Node): Span {
  return { offset: node.offset, length: node.length };
}

function elementSpan(prop: Node, value: Node): ElementSpan {
  const key = prop.children![0]!;
  return {
    offset: prop.offset,
    length: prop.length,
    key: { offset: key.offset, length: key.length },
    valueSpan: { offset: value.offset, length: value.length },
    valueType: value.type as JsonType,
  };
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
function valuesOf(node: Node): Located[] {
  if (node.type !== 'array') return [located(node)];
  const items = node.children ?? [];
  const values = new Array<Located>(items.length);
  for (let i = 0; i < items.length; i++) values[i] = located(items[i]!);
  return values;
}

function stringList(prop: Node, value: Node | undefined): StringListElement | undefined {
  if (!value) return undefined;
  const element = elementSpan(prop, value) as StringListElement;
  element.values = valuesOf(value);
  element.isArray = value.type === 'array';
  return element;
}

function statementFrom(node: Node, index: number): Statement {
  const statement: Statement = { index, offset: node.offset, length: node.length, unknownElements: [] };
  const props = node.children ?? [];
  for (let p = 0; p < props.length; p++) {
    const name = winningName(props, p);
    if (name === undefined) continue;
    const prop = props[p]!;
    const value = prop.children?.[1];
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
      default:
        statement.unknownElements.push(located(prop.children![0]!));
    }
  }
  return statement;
}

function principalType(name: string): PrincipalType | undefined {
  return name === 'AWS' || name === 'Service' || name === 'Federated' || name === 'CanonicalUser' ? name : undefined;
}

function principalFrom(prop: Node, value: Node | undefined): PrincipalElement | undefined {
  if (!value) return undefined;
  const element = elementSpan(prop, value) as PrincipalElement;
  element.entries = [];
  element.unknownTypes = [];
  if (value.type === 'string') {
    // IAM accepts only "*" as a bare string; anything else is kept as a '*'-typed entry for the linter to
    // report, and never matches (see principalMatcher).
    element.entries.push({ type: '*', typeSpan: span(value), offset: value.offset, length: value.length, values: [located(value)] });
  } else if (value.type === 'object') {
    const props = value.children ?? [];
    for (let p = 0; p < props.length; p++) {
      const name = winningName(props, p);
      if (name === undefined) continue;
      const typeProp = props[p]!;
      const typeValue = typeProp.children?.[1];
      const type = principalType(name);
      if (!type || !typeValue) {
        element.unknownTypes.push(located(typeProp.children![0]!));
        continue;
      }
      const entry: PrincipalEntry = {
        type,
        typeSpan: span(typeProp.children![0]!),
        offset: typeProp.offset,
        length: typeProp.length,
        values: valuesOf(typeValue),
      };
      element.entries.push(entry);
    }
  }
  return element;
}

function conditionFrom(prop: Node, value: Node | undefined): ConditionElement | undefined {
  if (!value) return undefined;
  const element = elementSpan(prop, value) as ConditionElement;
  element.operators = [];
  if (value.type !== 'object') return element;
  for (const opProp of value.children ?? []) {
    const opName = opProp.children?.[0];
    const opValue = opProp.children?.[1];
    if (!opName || !opValue) continue;
    const block: ConditionOperatorBlock = {
      offset: opProp.offset,
      length: opProp.length,
      operator: located(opName),
      valueType: opValue.type as JsonType,
      keys: [],
    };
    if (opValue.type === 'object') {
      for (const keyProp of opValue.children ?? []) {
        const keyName = keyProp.children?.[0];
        const keyValue = keyProp.children?.[1];
        if (!keyName || !keyValue) continue;
        const entry: ConditionKeyEntry = {
          offset: keyProp.offset,
          length: keyProp.length,
          key: located(keyName),
          values: valuesOf(keyValue),
          isArray: keyValue.type === 'array',
        };
        block.keys.push(entry);
      }
    }
    element.operators.push(block);
  }
  return element;
}
