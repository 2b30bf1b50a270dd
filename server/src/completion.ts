import { findNodeAtLocation, type JSONPath, type Node } from 'jsonc-parser';
import {
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  type CompletionItem,
  type CompletionList,
  type Position,
  type Range,
} from 'vscode-languageserver';
import { findConditionKey } from '../../core/catalog';
import {
  actionCompletions,
  conditionKeyCompletions,
  effectCompletions,
  grantOperationCompletions,
  operatorCompletions,
  policyKeyCompletions,
  principalElementCompletions,
  principalTypeCompletions,
  principalValueCompletions,
  resourceCompletions,
  statementActions,
  statementElementCompletions,
  statementSnippetCompletion,
  valueCompletions,
  type CompletionEntry,
} from '../../core/language/completionItems';
import { grantContext, policyContext, scenarioContext } from '../../core/language/documentContext';
import { cursorLocation, type CursorLocation } from '../../core/language/jsonLocation';
import {
  caseSnippetCompletion,
  casePrincipalCompletions,
  scenarioEnumCompletions,
  scenarioPropertyCompletions,
} from '../../core/language/scenarioCompletions';
import type { Policy } from '../../core/policy/model';
import { policyFromJson } from '../../core/policy/policyModel';
import type { DocumentAnalysis } from './documentCache';
import { rangeOf } from './ranges';

export interface CompletionOptions {
  /** The client takes snippets (placeholders, tab stops). */
  snippets: boolean;
}

const KINDS: Record<CompletionEntry['category'], CompletionItemKind> = {
  action: CompletionItemKind.Function,
  wildcard: CompletionItemKind.Function,
  operator: CompletionItemKind.Operator,
  conditionKey: CompletionItemKind.Field,
  value: CompletionItemKind.Value,
  property: CompletionItemKind.Property,
  principal: CompletionItemKind.Reference,
  snippet: CompletionItemKind.Snippet,
};

/** Everything the entries for one cursor position need, gathered once. */
interface Site {
  analysis: DocumentAnalysis;
  location: CursorLocation;
  /** The account ID the document already uses, for ARN templates. */
  account: string;
  /** The text right after what a completion replaces. */
  following: string;
}

/** The property names already present in the object at `path` (from the tolerant tree of this version). */
function presentKeys(root: Node | undefined, path: JSONPath): Set<string> {
  const node = root ? (path.length ? findNodeAtLocation(root, path) : root) : undefined;
  const names = new Set<string>();
  if (node?.type !== 'object') return names;
  for (const prop of node.children ?? []) {
    const key = prop.children?.[0]?.value;
    if (typeof key === 'string' && key) names.add(key);
  }
  return names;
}

function conditionValueCompletions(key: string, account: string): CompletionEntry[] {
  const info = findConditionKey(key);
  if (!info) return [];
  if (info.type === 'Bool') return valueCompletions(['true', 'false']);
  if (info.type === 'ARN') return principalValueCompletions('AWS', account).filter((e) => e.value !== '*');
  if (info.name === 'kms:CallerAccount' || info.name === 'aws:PrincipalAccount' || info.name === 'aws:ResourceAccount') return valueCompletions([account]);
  return [];
}

/** Entries inside a policy, whole or inline in a scenario; `path` is relative to the policy, `base` is its path. */
function policyEntries(site: Site, path: JSONPath, base: JSONPath, kind: 'keyPolicy' | 'identityPolicy', policy: () => Policy): CompletionEntry[] {
  const context = policyContext(path, site.location.isAtPropertyKey);
  if (!context) return [];
  const root = site.analysis.json.root;
  const statementPath = (statement: number): JSONPath => {
    const listed = typeof path[1] === 'number';
    return [...base, 'Statement', ...(listed ? [statement] : [])];
  };
  switch (context.kind) {
    case 'policyKey':
      return policyKeyCompletions(presentKeys(root, base));
    case 'version':
      return valueCompletions([{ value: '2012-10-17', documentation: 'The current policy language version; the only one with policy variables.' }]);
    case 'statement':
      return site.location.token ? [] : [statementSnippetCompletion(kind, site.account)];
    case 'statementKey':
      return statementElementCompletions(kind, presentKeys(root, statementPath(context.statement)));
    case 'effect':
      return effectCompletions();
    case 'action':
      return actionCompletions({ wildcards: true });
    case 'resource':
      return resourceCompletions(site.account);
    case 'principalType':
      return principalTypeCompletions();
    case 'principalValue':
      return context.type === '*' ? principalElementCompletions(site.account) : principalValueCompletions(context.type, site.account);
    case 'conditionOperator':
      return operatorCompletions();
    case 'conditionKey': {
      const statement = policy().statements.find((s) => s.index === context.statement);
      const written = statement?.action?.values.filter((v) => v.jsonType === 'string').map((v) => v.value) ?? [];
      return conditionKeyCompletions(statementActions(written));
    }
    case 'conditionValue':
      return conditionValueCompletions(context.key, site.account);
    default:
      return [];
  }
}

function grantEntries(site: Site, path: JSONPath, base: JSONPath): CompletionEntry[] {
  const context = grantContext(path, site.location.isAtPropertyKey);
  if (!context) return [];
  const root = site.analysis.json.root;
  switch (context.kind) {
    case 'grantKey': {
      const objectPath = [...base, ...path.slice(0, -1)];
      // A grant has the shape `list-grants` prints, which the scenario schema describes.
      return scenarioPropertyCompletions(['keys', '', 'grants', 0], presentKeys(root, objectPath));
    }
    case 'operation':
      return grantOperationCompletions();
    case 'grantPrincipal':
      return principalValueCompletions('AWS', site.account).filter((e) => e.value !== '*');
    case 'constraintKey':
      return scenarioPropertyCompletions(['keys', '', 'grants', 0, 'Constraints'], presentKeys(root, [...base, ...path.slice(0, -1)]));
  }
}

function scenarioEntries(site: Site): CompletionEntry[] {
  const { path, isAtPropertyKey } = site.location;
  const root = site.analysis.json.root;
  const objectPath = path.slice(0, -1);
  // Request context keys are condition keys: offer them by name.
  if (path[0] === 'cases' && path[2] === 'context' && path.length === 4 && isAtPropertyKey) {
    return conditionKeyCompletions([]).map((e) => ({ ...e, propertyValueSnippet: '"$1"' }));
  }
  const context = scenarioContext(path, isAtPropertyKey);
  if (!context) return [];
  switch (context.kind) {
    case 'scenarioKey':
    case 'keyProperty':
    case 'principalProperty':
      return scenarioPropertyCompletions(objectPath, presentKeys(root, objectPath));
    case 'keyValue':
      return scenarioEnumCompletions(path);
    case 'keyGrant':
      return grantEntries(site, context.rest, path.slice(0, 4));
    case 'principalArn':
      return principalValueCompletions('AWS', site.account)
        .filter((e) => e.value !== '*')
        .map((e) => ({ ...e, category: 'property' as const, propertyValueSnippet: '{"policies": [$0]}' }));
    case 'case': {
      if (context.isKey) return scenarioPropertyCompletions(objectPath, presentKeys(root, objectPath));
      const keyNames = [...presentKeys(root, ['keys'])];
      if (context.field === undefined) return site.location.token ? [] : [caseSnippetCompletion(keyNames[0])];
      if (path.length !== 3) return [];
      switch (context.field) {
        case 'action':
          return actionCompletions({ wildcards: false });
        case 'expect':
          return scenarioEnumCompletions(path);
        case 'key':
          return valueCompletions(keyNames.map((value) => ({ value, detail: 'a key of this file' })));
        case 'principal':
          return casePrincipalCompletions([...presentKeys(root, ['principals'])], site.account);
        default:
          return [];
      }
    }
    case 'inlinePolicy': {
      const { prefix, rest } = context.policy;
      const kind = prefix[0] === 'keys' ? 'keyPolicy' : 'identityPolicy';
      return policyEntries(site, rest, prefix, kind, () => {
        const node = root ? findNodeAtLocation(root, prefix) : undefined;
        return policyFromJson({ text: site.analysis.text, root: node?.type === 'object' ? node : undefined, syntaxErrors: [] });
      });
    }
    default:
      return [];
  }
}

function configEntries(site: Site): CompletionEntry[] {
  const { path, isAtPropertyKey } = site.location;
  if (path.length === 1 && isAtPropertyKey) {
    return presentKeys(site.analysis.json.root, []).has('rules')
      ? []
      : [{ label: 'rules', category: 'property', documentation: 'Rule levels by finding code.', sortText: '0', propertyValueSnippet: '{$1}' }];
  }
  if (path.length === 2 && path[0] === 'rules' && !isAtPropertyKey) {
    return valueCompletions(['off', 'ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION']);
  }
  return [];
}

/** Escapes text for the literal part of a snippet. */
function snippetText(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** A snippet's text with placeholders reduced to their defaults, for clients without snippets. */
function plainFromSnippet(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^}]*\|\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$\d+/g, '')
    .replace(/\\([\\$}])/g, '$1');
}

function toItem(entry: CompletionEntry, site: Site, range: Range, options: CompletionOptions): CompletionItem {
  const { location } = site;
  let newText: string;
  let snippet = false;
  // What follows the replaced text decides the punctuation: computed once per request, not per item.
  const following = site.following;
  if (location.isAtPropertyKey) {
    // Renaming a property that already has a value: replace only the name.
    const hasColon = /^\s*:/.test(following);
    const value = entry.propertyValueSnippet ?? '"$1"';
    const name = entry.valueSnippet ?? snippetText(entry.value ?? entry.label);
    newText = `"${name}"${hasColon ? '' : `: ${value}`}`;
    snippet = !hasColon || entry.valueSnippet !== undefined;
  } else if (entry.jsonSnippet) {
    newText = entry.jsonSnippet;
    snippet = true;
  } else if (entry.valueSnippet && options.snippets) {
    newText = `"${entry.valueSnippet}"`;
    snippet = true;
  } else {
    newText = JSON.stringify(entry.value ?? entry.label);
  }
  if (!(location.isAtPropertyKey && /^\s*:/.test(following))) {
    // Another property or value follows: the inserted one needs a comma after it.
    const next = /^\s*(.)/.exec(following);
    if (next && /["{[\w-]/.test(next[1]!)) newText += ',';
  }
  if (snippet && !options.snippets) {
    newText = plainFromSnippet(newText);
    snippet = false;
  }
  const item: CompletionItem = {
    label: entry.label,
    kind: KINDS[entry.category],
    sortText: entry.sortText,
    // The replaced text starts with the quote the user typed; filtering must see the same.
    filterText: entry.jsonSnippet ? entry.label : JSON.stringify(entry.value ?? entry.label),
    textEdit: { range, newText },
    insertTextFormat: snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
  };
  if (entry.detail) item.detail = entry.detail;
  if (entry.documentation) item.documentation = { kind: MarkupKind.Markdown, value: entry.documentation };
  return item;
}

/**
 * Completion for KMS documents. It reads the cursor's place from the raw text, so it works while the text
 * does not parse (the usual state while typing), and uses the tree of this version only for what is around.
 */
export function completionAt(analysis: DocumentAnalysis, position: Position, options: CompletionOptions): CompletionList | null {
  if (!analysis.role || analysis.tooDeep) return null;
  const offset = analysis.lines.offsetAt(position);
  const location = cursorLocation(analysis.text, offset);
  const accountMatch = /\b(\d{12})\b/.exec(analysis.text);
  const token = location.token;
  const inToken = token && offset >= token.offset && offset <= token.offset + token.length;
  const replaced = inToken ? { offset: token.offset, length: token.length } : { offset, length: 0 };
  const end = replaced.offset + replaced.length;
  const site: Site = { analysis, location, account: accountMatch?.[1] ?? '111122223333', following: analysis.text.slice(end, end + 200) };
  let entries: CompletionEntry[];
  switch (analysis.role) {
    case 'keyPolicy':
    case 'identityPolicy': {
      const kind = analysis.role;
      entries = policyEntries(site, location.path, [], kind, () => analysis.policy);
      break;
    }
    case 'grant':
      entries = grantEntries(site, location.path, []);
      break;
    case 'scenarios':
      entries = scenarioEntries(site);
      break;
    case 'workspaceConfig':
      entries = configEntries(site);
      break;
  }
  if (entries.length === 0) return null;
  const range = rangeOf(analysis.lines, replaced.offset, replaced.length);
  return { isIncomplete: false, items: entries.map((e) => toItem(e, site, range, options)) };
}
