import { allActions, findAction } from '../catalog';
import type { Located } from '../policy/model';
import { closestName } from './closestName';
import type { Fix } from './finding';
import { defineRule, POLICY_KINDS } from './lintRule';
import { kmsActionsMatching, stringValues } from './statementActions';
import { replaceNode } from './textEdits';

const CODES = {
  INVALID_ACTION: { severity: 'ERROR', description: 'A kms: action that does not exist, or a kms: wildcard that matches no action.' },
  UNSUPPORTED_ACTION_IN_POLICY: { severity: 'ERROR', description: 'An action of another service in a key policy, where only AWS KMS actions apply.', kinds: ['keyPolicy'] },
} as const;

let names: string[] | undefined;
function actionNames(): string[] {
  return (names ??= allActions().map((a) => a.fullName));
}

function suggestion(value: Located, name: string): Fix {
  return { title: `Change to ${name}`, edits: [replaceNode(value, JSON.stringify(name))] };
}

/**
 * Action and NotAction names. Only `kms:` actions are checked against the catalog: an identity policy may name
 * any service's actions, which KMS Studio does not know, while a key policy governs AWS KMS actions only.
 */
export const actionNameRule = defineRule({
  id: 'actionNames',
  kinds: POLICY_KINDS,
  codes: CODES,
  checkStatement(ctx, statement, report) {
    for (const element of [statement.action, statement.notAction]) {
      if (!element) continue;
      const elementName = element === statement.action ? 'Action' : 'NotAction';
      for (const value of stringValues(element.values)) {
        const text = value.value;
        if (text === '*') continue;
        const colon = text.indexOf(':');
        if (colon < 0) {
          const kms = findAction(text);
          report(
            'INVALID_ACTION',
            value,
            `"${text}" has no service prefix: ${elementName} values are written service:action${kms ? `; did you mean ${kms.fullName}?` : ', such as kms:Decrypt.'}`,
            kms ? { fix: suggestion(value, kms.fullName) } : {},
          );
          continue;
        }
        const service = text.slice(0, colon).toLowerCase();
        const hasWildcard = /[*?]/.test(text);
        if (service === 'kms') {
          if (hasWildcard) {
            if (kmsActionsMatching(text).length === 0) report('INVALID_ACTION', value, `${text} matches no AWS KMS action. Check the spelling of the part before the wildcard.`);
          } else if (!findAction(text)) {
            const closest = closestName(text, actionNames());
            report(
              'INVALID_ACTION',
              value,
              `${text} is not an AWS KMS action${closest ? `. Did you mean ${closest}?` : '. See the AWS KMS permissions reference for the action names.'}`,
              closest ? { fix: suggestion(value, closest) } : {},
            );
          }
        } else if (ctx.kind === 'keyPolicy' && (!hasWildcard || kmsActionsMatching(text).length === 0)) {
          report(
            'UNSUPPORTED_ACTION_IN_POLICY',
            value,
            `A key policy controls only AWS KMS actions, so ${text} has no effect here. Grant it in an IAM policy or in that service's resource policy.`,
          );
        }
      }
    }
  },
});
