import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import { join } from 'node:path';
import { grantOperationNames } from '../../../core/catalog';
import { LINT_RULES, RULE_CODES, ruleCodeInfo } from '../../../core/lint/ruleRegistry';
import { fixture, repoRoot } from '../../support/paths';

/** IAM Access Analyzer's checks: issue code → finding type (test/fixtures/lint/access-analyzer-checks.tsv). */
function accessAnalyzerChecks(): Map<string, string> {
  const checks = new Map<string, string>();
  for (const line of readFileSync(fixture('lint', 'access-analyzer-checks.tsv'), 'utf8').split('\n')) {
    const [type, code] = line.split('\t');
    if (type && code && !line.startsWith('#') && type !== 'finding_type') checks.set(code, type);
  }
  return checks;
}

/** Every `x-lint` code a schema names. */
function schemaCodes(file: string): string[] {
  const codes: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'x-lint') {
          for (const [keyword, code] of Object.entries(v as Record<string, unknown>)) {
            if (keyword === 'expect' || keyword === 'elements') continue;
            if (typeof code === 'string') codes.push(code);
            else codes.push(...Object.values(code as Record<string, string>));
          }
        } else walk(v);
      }
    }
  };
  walk(JSON.parse(readFileSync(join(repoRoot, 'schemas', file), 'utf8')));
  return codes;
}

describe('the rule registry', () => {
  it('lists every code once, with a severity and a one-line description', () => {
    const codes = RULE_CODES.map((r) => r.code);
    assert.equal(new Set(codes).size, codes.length);
    for (const r of RULE_CODES) {
      assert.match(r.code, /^[A-Z][A-Z0-9_]+$/);
      assert.ok(['ERROR', 'SECURITY_WARNING', 'WARNING', 'SUGGESTION'].includes(r.severity), r.code);
      assert.ok(r.description.length > 10 && !r.description.includes('\n'), r.code);
    }
    assert.ok(ruleCodeInfo('JSON_SYNTAX_ERROR'));
  });

  it('gives every rule family a unique id and at least one kind', () => {
    const ids = LINT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of LINT_RULES) assert.ok(r.kinds.length > 0, r.id);
  });

  it('uses Access Analyzer’s finding type for the checks Access Analyzer also makes', () => {
    const checks = accessAnalyzerChecks();
    const shared = RULE_CODES.filter((r) => checks.has(r.code));
    assert.ok(shared.length >= 40, `only ${shared.length} codes in common`);
    for (const r of shared) assert.equal(r.severity, checks.get(r.code), r.code);
  });

  it('declares every code the schemas name', () => {
    for (const file of ['policy.schema.json', 'grant.schema.json']) {
      for (const code of schemaCodes(file)) assert.ok(ruleCodeInfo(code), `${file} names ${code}, which no rule declares`);
    }
  });

  it('lists in grant.schema.json exactly the catalog’s grant operations', () => {
    const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'grant.schema.json'), 'utf8'));
    assert.deepEqual([...schema.definitions.operations.items.enum].sort(), [...grantOperationNames()].sort());
  });

  it('ships schemas that are valid draft-07 JSON Schema (the linter compiles them without this check)', () => {
    const ajv = new Ajv({ strict: false });
    for (const file of ['policy.schema.json', 'policy-key.schema.json', 'policy-identity.schema.json', 'grant.schema.json']) {
      const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', file), 'utf8'));
      assert.equal(ajv.validateSchema(schema), true, `${file}: ${JSON.stringify(ajv.errors)}`);
    }
  });

  it('ships the per-kind policy schemas as references into policy.schema.json', () => {
    for (const [file, ref] of [['policy-key.schema.json', 'keyPolicy'], ['policy-identity.schema.json', 'identityPolicy']]) {
      const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', file!), 'utf8'));
      assert.equal(schema.$ref, `policy.schema.json#/definitions/${ref}`);
    }
  });
});
