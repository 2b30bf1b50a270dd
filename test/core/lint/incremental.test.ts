import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Finding } from '../../../core/lint/finding';
import { DocumentLinter, lintDocument, type LintOptions } from '../../../core/lint/lintDocument';
import type { LintRule } from '../../../core/lint/lintRule';
import { LINT_RULES } from '../../../core/lint/ruleRegistry';
import type { RuleConfig } from '../../../core/lint/ruleConfig';
import type { DocumentKind } from '../../../core/policy/documentKind';
import { parseJson } from '../../../core/policy/parse';
import { policyTextArbitrary, statementArbitrary, statementSpans } from './policyArbitraries';

/**
 * The language server lints each version of a document with a DocumentLinter, which reuses the statement
 * findings of statements whose text did not change. Whatever was linted before, its findings must be exactly
 * those of linting the text from scratch: checked here over random edit sequences on random policies.
 */

type PolicyKind = 'keyPolicy' | 'identityPolicy';

/** One edit of a policy text; statement edits pick a statement by `at` (0..1 over the statements). */
type Edit =
  | { kind: 'replaceStatement'; at: number; statement: Record<string, unknown>; indent: number }
  | { kind: 'insertStatement'; at: number; statement: Record<string, unknown> }
  | { kind: 'deleteStatement'; at: number }
  | { kind: 'duplicateStatement'; at: number }
  | { kind: 'swapStatements'; at: number; with: number }
  | { kind: 'renameSid'; at: number; sid: string }
  | { kind: 'whitespace'; at: number; text: string }
  | { kind: 'text'; at: number; remove: number; text: string }
  | { kind: 'undo' };

function editArbitrary(kind: PolicyKind): fc.Arbitrary<Edit> {
  const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('replaceStatement' as const), at, statement: statementArbitrary(kind), indent: fc.constantFrom(0, 2, 4) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('insertStatement' as const), at, statement: statementArbitrary(kind) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('deleteStatement' as const), at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('duplicateStatement' as const), at }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('swapStatements' as const), at, with: at }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('renameSid' as const), at, sid: fc.constantFrom('Team1', 'Team2', 'Enable IAM User Permissions', 'Enable IAM User Permissions 2', '', 'A longer name for the statement') }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('whitespace' as const), at, text: fc.constantFrom(' ', '\n', '\n    ', '\t') }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('text' as const),
        at,
        remove: fc.integer({ min: 0, max: 4 }),
        text: fc.constantFrom('', '"', ',', '}', '{', '"kms:*"', 'x', '"Sid": "S",', ' 1'),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'undo' as const }) },
  );
}

/** The text between the items of the Statement list, copied from the text itself. */
function separator(text: string, spans: Array<{ offset: number; length: number }>): string {
  if (spans.length >= 2) return text.slice(spans[0]!.offset + spans[0]!.length, spans[1]!.offset);
  return ', ';
}

function apply(edit: Edit, text: string, history: string[]): string {
  if (edit.kind === 'undo') return history.length >= 2 ? history[history.length - 2]! : text;
  if (edit.kind === 'whitespace' || edit.kind === 'text') {
    const offset = Math.floor(edit.at * (text.length + 1));
    const remove = edit.kind === 'text' ? edit.remove : 0;
    return text.slice(0, offset) + edit.text + text.slice(offset + remove);
  }
  const spans = statementSpans(text);
  if (spans.length === 0) return text;
  const i = Math.floor(edit.at * spans.length);
  const span = spans[i]!;
  const before = text.slice(0, span.offset);
  const after = text.slice(span.offset + span.length);
  const own = text.slice(span.offset, span.offset + span.length);
  switch (edit.kind) {
    case 'replaceStatement':
      return before + JSON.stringify(edit.statement, null, edit.indent) + after;
    case 'insertStatement':
      return before + JSON.stringify(edit.statement) + separator(text, spans) + own + after;
    case 'duplicateStatement':
      return before + own + separator(text, spans) + own + after;
    case 'deleteStatement': {
      if (spans.length === 1) return before + after;
      // With the separator that follows it (or, for the last one, the one before it).
      if (i < spans.length - 1) return before + text.slice(spans[i + 1]!.offset);
      const previous = spans[i - 1]!;
      return text.slice(0, previous.offset + previous.length) + after;
    }
    case 'swapStatements': {
      const j = Math.floor(edit.with * spans.length);
      if (i === j) return text;
      const [a, b] = i < j ? [span, spans[j]!] : [spans[j]!, span];
      return (
        text.slice(0, a.offset) +
        text.slice(b.offset, b.offset + b.length) +
        text.slice(a.offset + a.length, b.offset) +
        text.slice(a.offset, a.offset + a.length) +
        text.slice(b.offset + b.length)
      );
    }
    case 'renameSid': {
      const renamed = own.replace(/"Sid"\s*:\s*("(?:[^"\\]|\\.)*"|\d+)/, `"Sid": ${JSON.stringify(edit.sid)}`);
      return before + renamed + after;
    }
  }
}

function lintBoth(linter: DocumentLinter, text: string, kind: DocumentKind, options: LintOptions): { incremental: Finding[]; scratch: Finding[] } {
  const errors: string[] = [];
  const onRuleError = (id: string, e: unknown) => errors.push(`${id}: ${String(e)}`);
  const incremental = linter.lint(parseJson(text), kind, { ...options, onRuleError });
  const scratch = lintDocument(parseJson(text), kind, { ...options, onRuleError });
  assert.deepEqual(errors, [], 'a rule threw');
  return { incremental, scratch };
}

/** A key policy of about 32 KB like the benchmark's: the default statements, then one statement per team. */
function bigKeyPolicyText(): string {
  const team = (i: number) => ({
    Sid: `Allow team ${i} to use the key through AWS services`,
    Effect: 'Allow',
    Principal: { AWS: [`arn:aws:iam::111122223333:role/team-${i}-app`, `arn:aws:iam::111122223333:role/team-${i}-batch`] },
    Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
    Resource: '*',
    Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:EncryptionContext:team': `team-${i}` } },
  });
  const statements: unknown[] = [
    { Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
    { Sid: 'Only key administrators disable or delete the key', Effect: 'Deny', Principal: { AWS: '*' }, Action: ['kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy'], Resource: '*', Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/KeyAdmin' } } },
    { Sid: 'Allow access for Key Administrators', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/KeyAdmin' }, Action: ['kms:Create*', 'kms:Put*', 'kms:ScheduleKeyDeletion'], Resource: '*' },
  ];
  const text = () => JSON.stringify({ Version: '2012-10-17', Id: 'shared-platform-key', Statement: statements }, null, 2);
  for (let i = 0; text().length < 31_000; i++) statements.push(team(i));
  return text();
}

const RULE_CONFIGS: RuleConfig[] = [{}, { REDUNDANT_ACTION: 'off', KMS_RESOURCE_NOT_STAR: 'ERROR' }, { INVALID_ACTION: 'SUGGESTION', KMS_LOCKOUT_RISK: 'off' }];

describe('DocumentLinter', () => {
  for (const kind of ['keyPolicy', 'identityPolicy'] as const) {
    it(`finds what linting from scratch finds, after any sequence of edits (${kind})`, () => {
      fc.assert(
        fc.property(
          policyTextArbitrary(kind),
          fc.array(editArbitrary(kind), { minLength: 1, maxLength: 10 }),
          fc.constantFrom(...RULE_CONFIGS),
          (start, edits, rules) => {
            const linter = new DocumentLinter();
            const history = [start];
            let text = start;
            const first = lintBoth(linter, text, kind, { rules });
            assert.deepEqual(first.incremental, first.scratch, 'first version');
            for (const [n, edit] of edits.entries()) {
              text = apply(edit, text, history);
              history.push(text);
              const { incremental, scratch } = lintBoth(linter, text, kind, { rules });
              assert.deepEqual(incremental, scratch, `after edit ${n + 1} (${edit.kind}) of ${edits.length}:\n${text}`);
            }
          },
        ),
        { seed: 20261129, numRuns: 300 },
      );
    });
  }

  it('starts over when the same document is linted as another kind', () => {
    fc.assert(
      fc.property(policyTextArbitrary('keyPolicy'), fc.array(fc.constantFrom<DocumentKind>('keyPolicy', 'identityPolicy', 'grant'), { minLength: 2, maxLength: 5 }), (text, kinds) => {
        const linter = new DocumentLinter();
        for (const kind of kinds) {
          const { incremental, scratch } = lintBoth(linter, text, kind, {});
          assert.deepEqual(incremental, scratch, kind);
        }
      }),
      { seed: 7, numRuns: 100 },
    );
  });

  it('shifts kept findings, their related locations and their fixes with the statement', () => {
    // A statement with a redundant action (a fix and a related location) after one whose length changes.
    const redundant = { Sid: 'Use', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/App' }, Action: ['kms:*', 'kms:Decrypt'], Resource: '*' };
    const root = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' };
    const texts = ['Root', 'Root and more', 'R', 'Root'].map((sid) => JSON.stringify({ Version: '2012-10-17', Statement: [{ ...root, Sid: sid }, redundant] }, null, 2));
    const linter = new DocumentLinter();
    for (const text of texts) {
      const { incremental, scratch } = lintBoth(linter, text, 'keyPolicy', {});
      assert.deepEqual(incremental, scratch);
      const finding = incremental.find((f) => f.code === 'REDUNDANT_ACTION');
      assert.ok(finding?.fix && finding.related, 'the redundant action is reported with a fix and a related location');
      assert.equal(text.slice(finding.offset, finding.offset + finding.length), '"kms:Decrypt"');
      assert.equal(text.slice(finding.related[0]!.offset, finding.related[0]!.offset + finding.related[0]!.length), '"kms:*"');
    }
  });

  it('checks again only the statements an edit changed', (t) => {
    const rule = LINT_RULES.find((r) => r.id === 'actionNames') as LintRule;
    const original = rule.checkStatement!;
    let checked: string[] = [];
    t.after(() => (rule.checkStatement = original));
    rule.checkStatement = (context, statement, report) => {
      checked.push(statement.sid?.value ?? '');
      original.call(rule, context, statement, report);
    };
    const text = bigKeyPolicyText();
    const statements = statementSpans(text).length;
    const linter = new DocumentLinter();
    linter.lint(parseJson(text), 'keyPolicy');
    assert.equal(checked.length, statements);
    checked = [];
    // The Sid grows by two characters, so every later statement moves.
    const edited = text.replace('"Enable IAM User Permissions"', '"Enable IAM User Permissions 1"');
    const { incremental, scratch } = lintBoth(linter, edited, 'keyPolicy', {});
    assert.deepEqual(incremental, scratch);
    assert.deepEqual(checked.slice(0, 1), ['Enable IAM User Permissions 1'], 'the incremental lint checks the edited statement, and it alone');
    assert.equal(checked.length, 1 + statements, 'then the lint from scratch checks every statement');
  });

  it('keeps up with the edits the LSP benchmark makes to a 32 KB key policy', () => {
    const text = bigKeyPolicyText();
    const linter = new DocumentLinter();
    for (let i = 0; i < 25; i++) {
      const variant = i === 0 ? text : text.replace('"Enable IAM User Permissions"', `"Enable IAM User Permissions ${String(i % 10)}"`);
      const { incremental, scratch } = lintBoth(linter, variant, 'keyPolicy', {});
      assert.deepEqual(incremental, scratch);
    }
  });
});
