import * as assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Finding, Severity } from '../../../core/lint/finding';
import { lintText } from '../../../core/lint/lintDocument';
import { ruleCodeInfo } from '../../../core/lint/ruleRegistry';
import { applyEdits } from '../../../core/lint/textEdits';
import type { DocumentKind } from '../../../core/policy/documentKind';
import { parseJson } from '../../../core/policy/parse';

export const ACCOUNT = '111122223333';
export const OTHER_ACCOUNT = '444455556666';
export const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/App`;
export const ADMIN = `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`;

type Json = Record<string, unknown>;

/** The statement that keeps the account able to manage the key, so other tests do not trip the lockout check. */
export const ROOT_STATEMENT: Json = { Sid: 'EnableIAMUserPermissions', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' };

/** A valid key policy statement for the App role, with fields replaced (or removed, with undefined). */
export function statement(overrides: Json = {}): Json {
  const base: Json = { Sid: 'UseTheKey', Effect: 'Allow', Principal: { AWS: ROLE }, Action: 'kms:Decrypt', Resource: '*' };
  const out: Json = { ...base, ...overrides };
  for (const [k, v] of Object.entries(out)) if (v === undefined) delete out[k];
  return out;
}

/** An identity policy statement: no Principal, a key ARN as Resource. */
export function identityStatement(overrides: Json = {}): Json {
  return statement({ Principal: undefined, Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, ...overrides });
}

/** A pretty-printed key policy: the root statement, then the given statements. */
export function keyPolicy(...statements: Json[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [ROOT_STATEMENT, ...statements] }, null, 2);
}

export function identityPolicy(...statements: Json[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
}

/** The text a finding covers. */
export function covered(text: string, f: { offset: number; length: number }): string {
  return text.slice(f.offset, f.offset + f.length);
}

/** Lints and checks the invariants every finding keeps: a registered code, its default severity, a span inside the text. */
export function lint(text: string, kind: DocumentKind): Finding[] {
  const failures: string[] = [];
  const findings = lintText(text, kind, { onRuleError: (id, e) => failures.push(`${id}: ${(e as Error)?.stack ?? String(e)}`) });
  assert.deepEqual(failures, [], 'a rule threw');
  for (const f of findings) {
    const info = ruleCodeInfo(f.code);
    assert.ok(info, `${f.code} is not in the registry`);
    assert.equal(f.severity, info.severity, `${f.code} reported with a severity other than its default`);
    assert.ok(info.kinds.includes(kind), `${f.code} reported in a ${kind}, which the registry does not list for it`);
    assert.ok(f.offset >= 0 && f.length >= 0 && f.offset + f.length <= text.length, `${f.code} spans outside the text`);
    assert.ok(f.message.length > 0 && !/must NOT|must match|should match/.test(f.message), `${f.code}: raw validator text in "${f.message}"`);
  }
  return findings;
}

function describeAll(text: string, findings: Finding[]): string {
  return findings.map((f) => `  ${f.code} ${JSON.stringify(covered(text, f))}`).join('\n') || '  (none)';
}

export interface FindingCase {
  name: string;
  kind?: DocumentKind;
  text: string;
  code: string;
  severity: Severity;
  /** The exact text the finding covers. */
  covers: string;
}

/** The one finding of `code` covering exactly `covers`; fails listing what was found otherwise. */
export function findingAt(text: string, kind: DocumentKind, code: string, covers: string): Finding {
  const findings = lint(text, kind);
  const hit = findings.find((f) => f.code === code && covered(text, f) === covers);
  assert.ok(hit, `expected ${code} covering ${JSON.stringify(covers)}; found:\n${describeAll(text, findings)}`);
  return hit;
}

/** Runs a table of cases: each must produce its code, at its severity, covering exactly its text. */
export function findingTable(cases: FindingCase[]): void {
  for (const c of cases) {
    it(`${c.code}: ${c.name}`, () => {
      const hit = findingAt(c.text, c.kind ?? 'keyPolicy', c.code, c.covers);
      assert.equal(hit.severity, c.severity);
    });
  }
}

export interface CleanCase {
  name: string;
  kind?: DocumentKind;
  text: string;
  /** Codes that must not be reported. */
  codes: string[];
}

export function cleanTable(cases: CleanCase[]): void {
  for (const c of cases) {
    it(`no ${c.codes.join('/')}: ${c.name}`, () => {
      const findings = lint(c.text, c.kind ?? 'keyPolicy');
      const hits = findings.filter((f) => c.codes.includes(f.code));
      assert.deepEqual(hits.map((f) => `${f.code} ${covered(c.text, f)}`), []);
    });
  }
}

/** Applies a finding's fix and returns the new text, checking it is still strict JSON. */
export function applyFix(text: string, finding: Finding): string {
  assert.ok(finding.fix, `${finding.code} has no fix`);
  const fixed = applyEdits(text, finding.fix.edits);
  assert.deepEqual(parseJson(fixed).syntaxErrors.map((e) => e.message), [], `the fix "${finding.fix.title}" broke the JSON:\n${fixed}`);
  return fixed;
}
