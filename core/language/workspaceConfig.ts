import { findNodeAtLocation, type Node } from 'jsonc-parser';
import { readRuleConfig } from '../lint/ruleConfig';
import { parseStudioConfig, STUDIO_CONFIG_FILE, type StudioConfig } from '../lint/studioConfig';
import { parseJson } from '../policy/parse';

/** The project configuration file at a workspace root, which the CLI reads as well. */
export const WORKSPACE_CONFIG_FILE = STUDIO_CONFIG_FILE;

export interface WorkspaceConfigProblem {
  message: string;
  offset: number;
  length: number;
}

const KNOWN_PROPERTIES = new Set(['rules', 'files', '$schema']);

/**
 * The problems of a `.kmsstudio.json` text, each at its place, for an editor to underline. What the file means
 * (its rules and globs) is `parseStudioConfig`'s to say, so the CLI and the editor never read it differently;
 * this only finds where the problems it reports are.
 */
export function locateWorkspaceConfigProblems(text: string): WorkspaceConfigProblem[] {
  const parsed = parseJson(text, { strict: false });
  if (parsed.syntaxErrors.length > 0) return parsed.syntaxErrors.map((e) => ({ message: e.message, offset: e.offset, length: e.length }));
  const root = parsed.root;
  if (!root) return [{ message: 'The file is empty: write {"rules": {}}.', offset: 0, length: 0 }];
  if (root.type !== 'object') return [{ message: 'The configuration must be an object: {"rules": {…}}.', offset: root.offset, length: root.length }];
  const problems: WorkspaceConfigProblem[] = [];
  for (const prop of root.children ?? []) {
    const key = prop.children?.[0];
    if (key && typeof key.value === 'string' && !KNOWN_PROPERTIES.has(key.value)) {
      problems.push({ message: `Unknown property "${key.value}": the file has rules and files.`, offset: key.offset, length: key.length });
    }
  }
  const rulesNode = findNodeAtLocation(root, ['rules']);
  if (rulesNode) {
    for (const p of readRuleConfig(valueOf(rulesNode)).problems) {
      const node = (p.code && rulesNode.type === 'object' && findNodeAtLocation(rulesNode, [p.code])) || rulesNode;
      problems.push({ message: p.message, offset: node.offset, length: node.length });
    }
  }
  return problems;
}

/** The plain value of a node, as readRuleConfig takes it. */
function valueOf(node: Node): unknown {
  if (node.type === 'object') {
    return Object.fromEntries((node.children ?? []).flatMap((p) => (p.children?.length === 2 ? [[String(p.children[0]!.value), valueOf(p.children[1]!)]] : [])));
  }
  if (node.type === 'array') return (node.children ?? []).map(valueOf);
  return node.value as unknown;
}

/** What the file means, read as the CLI reads it. */
export function readWorkspaceConfig(text: string): StudioConfig {
  return parseStudioConfig(text);
}
