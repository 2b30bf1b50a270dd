import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { evaluate } from '../../../core/authz/evaluate';
import type { AuthorizationRequest, Grant, RequestKey } from '../../../core/authz/request';
import { parsePolicy } from '../../../core/policy/policyModel';
import { fixture } from '../../support/paths';

interface CaseFile {
  description: string;
  source: string;
  key: RequestKey;
  keyPolicy: unknown;
  identityPolicies: Record<string, unknown>;
  grants?: Grant[];
  cases: Array<{
    name: string;
    request: Omit<AuthorizationRequest, 'key'>;
    identityPolicies?: string[];
    decision: string;
    code?: string;
    deciding?: string[];
  }>;
}

const dir = fixture('authz');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

describe('authorization case files', () => {
  it('finds the case files', () => {
    assert.ok(files.length >= 4, `expected case files in ${dir}`);
  });

  for (const file of files) {
    const data = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as CaseFile;
    describe(`${file}: ${data.description}`, () => {
      it('names its source', () => assert.ok(data.source.length > 10));
      const keyPolicy = parsePolicy(JSON.stringify(data.keyPolicy, null, 2)).policy;
      const named = Object.fromEntries(
        Object.entries(data.identityPolicies).map(([name, doc]) => [name, { name, policy: parsePolicy(JSON.stringify(doc, null, 2)).policy }]),
      );
      for (const c of data.cases) {
        it(c.name, () => {
          const identityPolicies = (c.identityPolicies ?? []).map((name) => {
            assert.ok(named[name], `no identity policy named ${name}`);
            return named[name]!;
          });
          const result = evaluate({ ...c.request, key: data.key }, { keyPolicy, identityPolicies, grants: data.grants ?? [] });
          assert.equal(result.decision, c.decision, result.explanation.reason);
          if (c.code) assert.equal(result.explanation.code, c.code);
          if (c.deciding) {
            const labels = result.explanation.deciding.map((r) => (r.source.kind === 'grant' ? r.source.grantId : r.sid));
            assert.deepEqual(labels, c.deciding);
          }
        });
      }
    });
  }
});
