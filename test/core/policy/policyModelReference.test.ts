import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Node } from 'jsonc-parser';
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
} from '../../../core/policy/model';
import { parseJson, type ParsedJson } from '../../../core/policy/parse';
import { policyFromJson, policyFromJsonReusing } from '../../../core/policy/policyModel';
import { fixture, repoRoot } from '../../support/paths';

/**
 * policyFromJson walks each object once and builds each span directly, because the language server builds the
 * model on every change. The straightforward reading below is the reference: the model must be the same, on
 * well-formed policies and on the recovered trees of broken ones (duplicate names, missing values, wrong types).
 */

/** The model as first written: a Map of properties per object, spreads for spans. */
function referenceModel(parsed: ParsedJson): Policy {
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

const KEYS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Version', 'Id', 'Statement', 'AWS', 'Service', 'Federated', 'CanonicalUser', 'StringEquals', 'kms:ViaService', 'X'];

function check(text: string): void {
  for (const strict of [true, false]) {
    const parsed = parseJson(text, { strict });
    assert.deepStrictEqual(policyFromJson(parsed), referenceModel(parsed), text);
  }
}

describe('policyFromJson', () => {
  it('builds the reference model of the examples and fixtures', () => {
    const dirs = [join(repoRoot, 'examples'), join(repoRoot, 'examples', 'iam'), fixture('lint')];
    for (const d of dirs) for (const f of readdirSync(d).filter((f) => f.endsWith('.json'))) check(readFileSync(join(d, f), 'utf8'));
  });

  it('builds the reference model of random documents, duplicate names included', () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie('v'), { maxLength: 3 }),
        // Objects as lists of entries, so that names repeat.
        fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('v')), { maxLength: 5 }).map((entries) => ({ entries })),
      ),
    }));
    const write = (v: unknown): string => {
      if (v && typeof v === 'object' && !Array.isArray(v) && 'entries' in v) {
        return `{${(v as { entries: Array<[string, unknown]> }).entries.map(([k, x]) => `${JSON.stringify(k)}: ${write(x)}`).join(', ')}}`;
      }
      if (Array.isArray(v)) return `[${v.map(write).join(', ')}]`;
      return JSON.stringify(v) ?? 'null';
    };
    fc.assert(
      fc.property(value.v, value.v, (statement, other) => {
        check(write(statement));
        check(`{"Version": "2012-10-17", "Statement": [${write(statement)}, ${write(other)}], "Statement": ${write(other)}}`);
        check(`{"Statement": ${write(statement)}, "Id": ${write(other)}}`);
      }),
      { seed: 11, numRuns: 1500 },
    );
  });

  it('builds the reference model of the recovered trees of broken documents', () => {
    const base = '{"Version": "2012-10-17", "Statement": [{"Sid": "A", "Effect": "Allow", "Principal": {"AWS": ["x", 5]}, "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"k": ["a", {}]}}}, {"Effect": "Deny"}]}';
    const tokens = ['{', '}', '[', ']', ',', ':', '"', '"Sid":', '"Effect": 1,', '"Principal": "x",', '"Condition": {"A": 1},', '//', '\n'];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: base.length }), fc.constantFrom(...tokens), fc.integer({ min: 0, max: 6 }), (at, token, remove) => {
        check(base.slice(0, at) + token + base.slice(at + remove));
      }),
      { seed: 12, numRuns: 3000 },
    );
  });

  it('reuses a previous version’s statements only where that gives the same model', () => {
    const statement = (sid: string, action: string) => `{"Sid": ${JSON.stringify(sid)}, "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/App"}, "Action": ${JSON.stringify(action)}, "Resource": "*"}`;
    const item = fc.tuple(fc.constantFrom('A', 'B', 'Longer Sid'), fc.constantFrom('kms:Decrypt', 'kms:*'));
    const write = (items: Array<[string, string]>, single: boolean, space: string) => {
      const list = items.map(([sid, action]) => statement(sid, action));
      return `{"Version": "2012-10-17",${space}"Statement": ${single ? list[0]! : `[${list.join(`,${space}`)}]`}}`;
    };
    // A document, and the same with one statement replaced (or the layout changed), as an edit makes it.
    const versions = fc
      .record({
        items: fc.array(item, { minLength: 1, maxLength: 6 }),
        replacement: item,
        at: fc.nat(),
        single: fc.boolean(),
        space: fc.constantFrom(' ', '\n  '),
        otherSpace: fc.constantFrom(' ', '\n  '),
      })
      .map(({ items, replacement, at, single, space, otherSpace }) => {
        const edited = items.map((it, i) => (i === at % items.length ? replacement : it));
        return [write(items, single, space), write(edited, single, at % 5 === 0 ? otherSpace : space)] as const;
      });
    let reused = 0;
    fc.assert(
      fc.property(versions, ([before, after]) => {
        const previous = policyFromJson(parseJson(before));
        const next = policyFromJsonReusing(parseJson(after), previous);
        assert.deepStrictEqual(next, policyFromJson(parseJson(after)));
        reused += next.statements.filter((s) => previous.statements.includes(s)).length;
      }),
      { seed: 13, numRuns: 1000 },
    );
    assert.ok(reused > 100, 'statements are reused');
  });
});
