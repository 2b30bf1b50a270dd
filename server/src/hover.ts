import { findNodeAtLocation, type JSONPath, type Node } from 'jsonc-parser';
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver';
import { actionHoverMarkdown } from '../../core/language/actionDocs';
import { caseHoverMarkdown } from '../../core/language/caseExplanation';
import { conditionKeyHoverMarkdown, operatorHoverMarkdown } from '../../core/language/conditionDocs';
import { grantContext, policyContext, scenarioContext } from '../../core/language/documentContext';
import { nodeAtOffset } from '../../core/language/jsonLocation';
import { principalHoverMarkdown } from '../../core/language/principalDocs';
import { resourceHoverMarkdown } from '../../core/language/resourceDocs';
import { statementSummaryMarkdown } from '../../core/language/statementSummary';
import type { Policy } from '../../core/policy/model';
import { policyFromJson } from '../../core/policy/policyModel';
import type { DocumentAnalysis } from './documentCache';
import type { PolicySources } from './policySources';
import { rangeOf } from './ranges';
import { caseResultAt, linkerFor } from './scenarioAnalysis';

function markdown(value: string, node: Node, analysis: DocumentAnalysis): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, range: rangeOf(analysis.lines, node.offset, node.length) };
}

/**
 * Hover inside a policy (a whole document, or one written inline in a scenario file): `path` is relative to
 * the policy, `policy()` gives its model for statement summaries.
 */
function policyHover(path: JSONPath, isKey: boolean, node: Node, kind: 'keyPolicy' | 'identityPolicy', policy: () => Policy): string | undefined {
  const context = policyContext(path, isKey);
  if (!context) return undefined;
  const text = typeof node.value === 'string' ? node.value : undefined;
  switch (context.kind) {
    case 'action':
      return text !== undefined && !isKey ? actionHoverMarkdown(text, { notAction: context.element === 'NotAction' }) : undefined;
    case 'resource':
      return text !== undefined && node.type === 'string' ? resourceHoverMarkdown(text, kind) : undefined;
    case 'conditionOperator':
      return operatorHoverMarkdown(context.name);
    case 'conditionKey':
      return conditionKeyHoverMarkdown(context.name);
    case 'conditionValue':
      return conditionKeyHoverMarkdown(context.key);
    case 'principalValue':
      return text !== undefined && node.type === 'string'
        ? principalHoverMarkdown(context.type, text, { notPrincipal: context.element === 'NotPrincipal' })
        : undefined;
    case 'sid':
    case 'effect':
    case 'statementKey': {
      if (context.kind === 'statementKey' && context.name !== 'Sid' && context.name !== 'Effect') return undefined;
      const statement = policy().statements.find((s) => s.index === context.statement);
      return statement ? statementSummaryMarkdown(statement, kind) : undefined;
    }
    default:
      return undefined;
  }
}

function grantHover(path: JSONPath, isKey: boolean, node: Node): string | undefined {
  const context = grantContext(path, isKey);
  const text = typeof node.value === 'string' && !isKey ? node.value : undefined;
  if (!context || text === undefined) return undefined;
  if (context.kind === 'operation') return actionHoverMarkdown(text);
  if (context.kind === 'grantPrincipal') return principalHoverMarkdown(text.includes(':') ? 'AWS' : 'Service', text);
  return undefined;
}

function scenarioHover(analysis: DocumentAnalysis, sources: PolicySources, path: JSONPath, isKey: boolean, node: Node): string | undefined {
  const context = scenarioContext(path, isKey);
  if (!context) return undefined;
  switch (context.kind) {
    case 'case': {
      const scenario = analysis.scenario(sources);
      if (!scenario) return undefined;
      const result = caseResultAt(scenario, { index: context.index });
      if (!result) {
        const problems = [...scenario.load.problems, ...(scenario.run?.problems ?? [])];
        if (problems.length === 0) return undefined;
        return `**Not simulated**: the scenario file has problems to fix first.\n\n${problems.slice(0, 5).map((p) => `- ${p.jsonPath}: ${p.message}`).join('\n')}`;
      }
      return caseHoverMarkdown(result, linkerFor(scenario, result, analysis.scenarioText));
    }
    case 'inlinePolicy': {
      const root = analysis.json.root;
      const policyNode = root ? findNodeAtLocation(root, context.policy.prefix) : undefined;
      if (!policyNode || policyNode.type !== 'object') return undefined;
      // A key's inline policy is a key policy, a principal's an identity policy.
      const kind = context.policy.prefix[0] === 'keys' ? 'keyPolicy' : 'identityPolicy';
      return policyHover(context.policy.rest, isKey, node, kind, () => policyFromJson({ text: analysis.text, root: policyNode, syntaxErrors: [] }));
    }
    case 'keyGrant':
      return grantHover(context.rest, isKey, node);
    case 'principalArn':
      return principalHoverMarkdown(context.arn.startsWith('arn:') || context.arn === '*' ? 'AWS' : 'Service', context.arn);
    default:
      return undefined;
  }
}

/** Hover for any KMS document: what the thing under the cursor means, or how a scenario case was decided. */
export function hoverAt(analysis: DocumentAnalysis, position: Position, sources: PolicySources): Hover | null {
  if (!analysis.role || analysis.role === 'workspaceConfig' || analysis.tooDeep) return null;
  const offset = analysis.lines.offsetAt(position);
  const at = nodeAtOffset(analysis.json.root, offset);
  if (!at) return null;
  const { node, path, isKey } = at;
  let value: string | undefined;
  switch (analysis.role) {
    case 'keyPolicy':
    case 'identityPolicy':
      value = policyHover(path, isKey, node, analysis.role, () => analysis.policy);
      break;
    case 'grant':
      value = grantHover(path, isKey, node);
      break;
    case 'scenarios':
      value = scenarioHover(analysis, sources, path, isKey, node);
      break;
  }
  return value ? markdown(value, node, analysis) : null;
}
