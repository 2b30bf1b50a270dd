import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Finding } from '../../../core/lint/finding';
import { lintDocument } from '../../../core/lint/lintDocument';
import { parseJson } from '../../../core/policy/parse';
import { ruleCodeInfo } from '../../../core/lint/ruleRegistry';
import type { DocumentKind } from '../../../core/policy/documentKind';
import { fixture, repoRoot } from '../../support/paths';

/**
 * lintText takes whatever an editor holds: half-typed, pasted, generated. Whatever the text, it returns findings
 * that point inside the text, and no rule throws (a throwing rule would lose its findings silently). A text with
 * syntax errors gets only those, so the rules are also run here on the parser's recovered tree of such texts,
 * as they would be if that ever changed.
 */

const KINDS: DocumentKind[] = ['keyPolicy', 'identityPolicy', 'grant', 'scenarios'];
const SEVERITIES = new Set(['ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION']);

function checkFindings(text: string, kind: DocumentKind): void {
  const parsed = parseJson(text);
  const failures: string[] = [];
  const onRuleError = (id: string, e: unknown) => failures.push(`${id}: ${(e as Error)?.stack ?? String(e)}`);
  const findings: unknown = lintDocument(parsed, kind, { onRuleError });
  assert.ok(Array.isArray(findings));
  const recovered = parsed.syntaxErrors.length > 0 ? lintDocument({ ...parsed, syntaxErrors: [] }, kind, { onRuleError }) : [];
  assert.deepEqual(failures, [], `a rule threw on ${kind} ${JSON.stringify(text.slice(0, 200))}`);
  for (const f of [...(findings as Finding[]), ...recovered]) {
    assert.ok(ruleCodeInfo(f.code)?.kinds.includes(kind), `${f.code} is not registered for ${kind}`);
    assert.ok(SEVERITIES.has(f.severity), f.code);
    assert.ok(Number.isInteger(f.offset) && Number.isInteger(f.length), f.code);
    assert.ok(f.offset >= 0 && f.length >= 0 && f.offset + f.length <= text.length, `${f.code} at ${f.offset}+${f.length} in ${text.length}`);
    assert.ok(typeof f.message === 'string' && f.message.length > 0, f.code);
    for (const e of f.fix?.edits ?? []) assert.ok(e.offset >= 0 && e.length >= 0 && e.offset + e.length <= text.length, `${f.code} fix edit out of range`);
    for (const r of f.related ?? []) assert.ok(r.offset >= 0 && r.offset + r.length <= text.length, `${f.code} related out of range`);
  }
}

const GRANT_SEEDS = [
  '{"KeyId": "k", "GranteePrincipal": "arn:aws:iam::111122223333:role/W", "Operations": ["Decrypt"], "Constraints": {"EncryptionContextSubset": {"a": "b"}}}',
  '{"Grants": [{"KeyId": "k", "GrantId": "g", "GranteePrincipal": "rds.amazonaws.com", "Operations": ["Encrypt", "Sign"]}], "Truncated": false}',
];

/** Valid documents to mutate: the examples, the fixtures, and grants. */
function seeds(): string[] {
  const dirs = [join(repoRoot, 'examples'), join(repoRoot, 'examples', 'iam'), fixture('lint')];
  const files = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.json')).map((f) => join(d, f)));
  return [...files.map((f) => readFileSync(f, 'utf8')), ...GRANT_SEEDS];
}

const TOKENS = ['{', '}', '[', ']', ',', ':', '"', 'null', 'true', '-0', '1e999', '"kms:*"', '"*"', '"Statement"', '"Condition": 5', '"Action": {}', '\\u0000', '\\', '\n', '//', '/*', '"ForAllValues:StringLike"', '"__proto__"', '"constructor"', '"\ud800"', '${', '"arn:aws:iam::*:root"'];

describe('lintText on hostile shapes', () => {
  const wrap = (statement: string) => `{"Version": "2012-10-17", "Statement": ${statement}}`;
  const shapes: Array<[string, string]> = [
    ['an empty text', ''],
    ['whitespace', ' \n\t '],
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"kms:*"'],
    ['Statement a number', wrap('5')],
    ['Statement a string', wrap('"Allow"')],
    ['Statement a list of nulls', wrap('[null, 1, "x", []]')],
    ['Action an object', wrap('[{"Effect": "Allow", "Principal": "*", "Action": {"kms": "*"}, "Resource": "*"}]')],
    ['Condition a string', wrap('[{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": "true"}]')],
    ['Condition operators of every wrong type', wrap('[{"Effect": "Deny", "Principal": {"AWS": 5}, "Action": [1], "Resource": [null], "Condition": {"StringEquals": [1], "Bool": null, "Null": {"k": {}}, "IpAddress": {"aws:SourceIp": [[]]}}}]')],
    ['Principal of every wrong type', wrap('[{"Effect": "Allow", "Principal": {"AWS": {"AWS": "*"}, "Service": [5], "Federated": null}, "Action": "kms:*", "Resource": "*"}]')],
    ['prototype keys', wrap('[{"__proto__": {"Effect": "Allow"}, "constructor": 1, "Effect": "Allow", "Principal": {"__proto__": "*"}, "Action": "kms:*", "Resource": "*", "Condition": {"toString": {"hasOwnProperty": "x"}, "StringEquals": {"__proto__": "y"}}}]')],
    ['duplicate keys', wrap('[{"Effect": "Allow", "Effect": "Deny", "Action": "kms:*", "Action": 5, "Principal": "*", "Resource": "*"}]')],
    ['deep nesting inside a condition', wrap(`[{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"StringEquals": {"k": ${'['.repeat(250)}${']'.repeat(250)}}}}]`)],
    ['nesting past the parser limit', '['.repeat(100_000)],
    ['a long run of digits', wrap(`[{"Effect": "Allow", "Principal": "*", "Action": "kms:*", "Resource": "*", "Condition": {"NumericEquals": {"aws:MultiFactorAuthAge": "${'9'.repeat(50_000)}x"}}}]`)],
    ['a long wildcard action', wrap(`[{"Effect": "Allow", "Principal": "*", "Action": ["kms:${'*a'.repeat(5000)}", "kms:${'a'.repeat(10000)}"], "Resource": "*"}]`)],
    ['many statements', wrap(`[${Array.from({ length: 3000 }, (_, i) => `{"Sid": "S${i % 7}", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:role/R${i}"}, "Action": ["kms:Decrypt", "kms:*"], "Resource": "*"}`).join(',')}]`)],
    ['lone surrogates and control characters', wrap('[{"Sid": "\ud800\u0001", "Effect": "Allow", "Principal": "*", "Action": "kms:\udfff", "Resource": "*"}]')],
    ['comments and trailing commas', '{"Version": "2012-10-17", /* c */ "Statement": [{"Effect": "Allow",},],}'],
  ];
  for (const [name, text] of shapes) {
    it(`returns well-formed findings for ${name}, as every kind`, () => {
      for (const kind of KINDS) checkFindings(text, kind);
    });
  }
});

describe('lintText on random mutations of valid documents', () => {
  const docs = seeds();

  it('survives truncations, deletions and inserted tokens', () => {
    const mutation = fc.record({
      doc: fc.integer({ min: 0, max: docs.length - 1 }),
      edits: fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
          fc.record({ kind: fc.constant('delete' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), length: fc.integer({ min: 1, max: 40 }) }),
          fc.record({ kind: fc.constant('insert' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 8 })) }),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    });
    fc.assert(
      fc.property(mutation, ({ doc, edits }) => {
        let text = docs[doc]!;
        for (const e of edits) {
          const at = Math.floor(e.at * text.length);
          if (e.kind === 'truncate') text = text.slice(0, at);
          else if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + e.length);
          else text = text.slice(0, at) + e.text + text.slice(at);
        }
        for (const kind of KINDS) checkFindings(text, kind);
      }),
      { seed: 20260115, numRuns: 1500 },
    );
  });

  it('survives any JSON value put anywhere in the tree', () => {
    /** Replaces the value at a path chosen by `choices` (each picks a child, while there are children). */
    function replaceAt(value: unknown, choices: number[], replacement: unknown): unknown {
      if (choices.length === 0 || value === null || typeof value !== 'object') return replacement;
      const [choice, ...rest] = choices;
      if (Array.isArray(value)) {
        if (value.length === 0) return replacement;
        const i = choice! % value.length;
        return value.map((v, j) => (j === i ? replaceAt(v, rest, replacement) : v));
      }
      const keys = Object.keys(value);
      if (keys.length === 0) return replacement;
      const key = keys[choice! % keys.length]!;
      return { ...(value as Record<string, unknown>), [key]: replaceAt((value as Record<string, unknown>)[key], rest, replacement) };
    }
    const parsed = docs.map((d) => {
      try {
        return JSON.parse(d) as unknown;
      } catch {
        return {};
      }
    });
    const mutation = fc.record({
      doc: fc.integer({ min: 0, max: parsed.length - 1 }),
      path: fc.array(fc.nat(20), { maxLength: 6 }),
      value: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('*', 'kms:*', 'Allow', 'Deny', 'ForAllValues:StringEquals', 'arn:aws:iam::111122223333:root', 'kms:EncryptionContext:x')),
      pretty: fc.boolean(),
    });
    fc.assert(
      fc.property(mutation, ({ doc, path, value, pretty }) => {
        const mutated = replaceAt(parsed[doc], path, value);
        const text = JSON.stringify(mutated, null, pretty ? 2 : undefined) ?? '';
        for (const kind of KINDS) checkFindings(text, kind);
      }),
      { seed: 20260116, numRuns: 1500 },
    );
  });
});
