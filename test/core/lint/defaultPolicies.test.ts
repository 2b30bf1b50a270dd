import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentKind } from '../../../core/policy/documentKind';
import { fixture, repoRoot } from '../../support/paths';
import { covered, lint } from './helpers';

/** ERROR and SECURITY_WARNING findings, as `CODE "covered text"`. */
function serious(text: string, kind: DocumentKind): string[] {
  return lint(text, kind)
    .filter((f) => f.severity === 'ERROR' || f.severity === 'SECURITY_WARNING')
    .map((f) => `${f.code} ${JSON.stringify(covered(text, f))}`);
}

describe('policies AWS itself writes', () => {
  for (const file of ['default.keypolicy.json', 'console-default.keypolicy.json']) {
    it(`${file} has no ERROR or SECURITY_WARNING`, () => {
      assert.deepEqual(serious(readFileSync(fixture('lint', file), 'utf8'), 'keyPolicy'), []);
    });
  }

  it('the default key policy has no finding at all', () => {
    assert.deepEqual(lint(readFileSync(fixture('lint', 'default.keypolicy.json'), 'utf8'), 'keyPolicy'), []);
  });

  it('the AWS managed key policy for EBS is reported only for its lockout, which is by design', () => {
    const text = readFileSync(fixture('lint', 'caller-account-via-service.keypolicy.json'), 'utf8');
    assert.deepEqual(serious(text, 'keyPolicy'), ['KMS_LOCKOUT_RISK "\\"Statement\\""']);
  });
});

describe('the examples workspace', () => {
  const examples = join(repoRoot, 'examples');
  const files: Array<[string, DocumentKind]> = [
    ...readdirSync(examples).filter((f) => f.endsWith('.keypolicy.json')).map((f): [string, DocumentKind] => [join(examples, f), 'keyPolicy']),
    ...readdirSync(join(examples, 'iam')).filter((f) => f.endsWith('.iam.json')).map((f): [string, DocumentKind] => [join(examples, 'iam', f), 'identityPolicy']),
  ];

  it('has key policies and IAM policies to check', () => {
    assert.ok(files.filter(([, k]) => k === 'keyPolicy').length >= 2 && files.filter(([, k]) => k === 'identityPolicy').length >= 2);
  });

  for (const [file, kind] of files) {
    const name = file.slice(examples.length + 1);
    if (name === 'broken.keypolicy.json') {
      it(`${name} is reported for its syntax error`, () => {
        const findings = serious(readFileSync(file, 'utf8'), kind);
        assert.ok(findings.length > 0 && findings.every((f) => f.startsWith('JSON_SYNTAX_ERROR')), findings.join('\n'));
      });
    } else {
      it(`${name} has no ERROR or SECURITY_WARNING`, () => {
        assert.deepEqual(serious(readFileSync(file, 'utf8'), kind), []);
      });
    }
  }
});

describe('scenario files', () => {
  it('get only their syntax errors from lintDocument', () => {
    const text = readFileSync(join(repoRoot, 'examples', 'app.kms-scenarios.json'), 'utf8');
    assert.deepEqual(lint(text, 'scenarios'), []);
    const codes = lint('{"keys": {}, "cases": [}', 'scenarios').map((f) => f.code);
    assert.ok(codes.length > 0 && codes.every((c) => c === 'JSON_SYNTAX_ERROR'), codes.join());
  });
});
