import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { SymbolKind, type DocumentSymbol, type SymbolInformation } from 'vscode-languageserver';
import { statementLabel } from '../../core/language/statementSummary';
import type { Statement } from '../../core/policy/model';
import type { DocumentAnalysis } from './documentCache';
import { rangeOf } from './ranges';

function statementDetail(statement: Statement): string {
  const actions = (statement.action ?? statement.notAction)?.values.map((v) => v.value).filter(Boolean) ?? [];
  const shown = actions.slice(0, 3).join(', ') + (actions.length > 3 ? ', …' : '');
  return [statement.effect ?? statement.effectElement?.value, statement.notAction ? `NotAction ${shown}` : shown].filter(Boolean).join(' ');
}

function symbol(analysis: DocumentAnalysis, name: string, kind: SymbolKind, node: { offset: number; length: number }, selection: { offset: number; length: number }, detail?: string, children?: DocumentSymbol[]): DocumentSymbol {
  return {
    // An empty name is refused by VS Code.
    name: name || ' ',
    kind,
    range: rangeOf(analysis.lines, node.offset, node.length),
    selectionRange: rangeOf(analysis.lines, selection.offset, selection.length),
    ...(detail ? { detail } : {}),
    ...(children ? { children } : {}),
  };
}

function policySymbols(analysis: DocumentAnalysis): DocumentSymbol[] {
  return analysis.policy.statements.map((s) =>
    symbol(analysis, statementLabel(s), SymbolKind.Object, s, s.sid ?? { offset: s.offset, length: 0 }, statementDetail(s)),
  );
}

function stringProperty(node: Node | undefined, name: string): Node | undefined {
  const value = node ? findNodeAtLocation(node, [name]) : undefined;
  return value?.type === 'string' ? value : undefined;
}

/** Keys and cases by name, principals by ARN; read from the tolerant tree, so a file that does not load still has an outline. */
function scenarioSymbols(analysis: DocumentAnalysis): DocumentSymbol[] {
  const root = analysis.json.root;
  if (root?.type !== 'object') return [];
  const out: DocumentSymbol[] = [];
  const section = (name: string, children: DocumentSymbol[]): void => {
    const prop = root.children?.find((p) => p.children?.[0]?.value === name);
    if (!prop) return;
    out.push(symbol(analysis, name, SymbolKind.Namespace, prop, prop.children![0]!, `${children.length}`, children));
  };
  const keys = findNodeAtLocation(root, ['keys']);
  section(
    'keys',
    (keys?.type === 'object' ? (keys.children ?? []) : []).flatMap((prop) => {
      const nameNode = prop.children?.[0];
      if (!nameNode || typeof nameNode.value !== 'string') return [];
      const arn = stringProperty(prop.children?.[1], 'arn');
      return [symbol(analysis, nameNode.value, SymbolKind.Key, prop, nameNode, typeof arn?.value === 'string' ? arn.value : undefined)];
    }),
  );
  const principals = findNodeAtLocation(root, ['principals']);
  section(
    'principals',
    (principals?.type === 'object' ? (principals.children ?? []) : []).flatMap((prop) => {
      const nameNode = prop.children?.[0];
      return nameNode && typeof nameNode.value === 'string' ? [symbol(analysis, nameNode.value, SymbolKind.Variable, prop, nameNode)] : [];
    }),
  );
  const cases = findNodeAtLocation(root, ['cases']);
  section(
    'cases',
    (cases?.type === 'array' ? (cases.children ?? []) : []).map((node, index) => {
      const name = stringProperty(node, 'name');
      const action = stringProperty(node, 'action');
      const label = typeof name?.value === 'string' ? name.value : `case ${index + 1}`;
      return symbol(analysis, label, SymbolKind.Event, node, name ?? { offset: node.offset, length: 0 }, typeof action?.value === 'string' ? action.value : undefined);
    }),
  );
  return out;
}

/** Grants by name (or ID): a CreateGrant request is one grant, `list-grants` output a list of them. */
function grantSymbols(analysis: DocumentAnalysis): DocumentSymbol[] {
  const root = analysis.json.root;
  if (root?.type !== 'object') return [];
  const list = findNodeAtLocation(root, ['Grants']);
  const nodes = list?.type === 'array' ? (list.children ?? []) : [root];
  return nodes
    .filter((n) => n.type === 'object')
    .map((node, index) => {
      const name = stringProperty(node, 'Name') ?? stringProperty(node, 'GrantId');
      const grantee = stringProperty(node, 'GranteePrincipal');
      const label = typeof name?.value === 'string' ? name.value : `Grant ${index + 1}`;
      return symbol(analysis, label, SymbolKind.Object, node, name ?? { offset: node.offset, length: 0 }, typeof grantee?.value === 'string' ? grantee.value : undefined);
    });
}

export function documentSymbolsFor(analysis: DocumentAnalysis): DocumentSymbol[] {
  switch (analysis.role) {
    case 'keyPolicy':
    case 'identityPolicy':
      return policySymbols(analysis);
    case 'scenarios':
      return scenarioSymbols(analysis);
    case 'grant':
      return grantSymbols(analysis);
    default:
      return [];
  }
}

/** For clients without hierarchical symbols: the same, flattened, children naming their container. */
export function flattenSymbols(uri: string, symbols: DocumentSymbol[], container?: string): SymbolInformation[] {
  return symbols.flatMap((s) => [
    { name: s.name, kind: s.kind, location: { uri, range: s.range }, ...(container ? { containerName: container } : {}) },
    ...flattenSymbols(uri, s.children ?? [], s.name),
  ]);
}
