import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { lintDocument, lintText } from '../../../core/lint/lintDocument';
import { parseJson } from '../../../core/policy/parse';
import { keyPolicy, lint, statement } from './helpers';

describe('lintDocument', () => {
  it('reports only syntax errors for a document that does not parse', () => {
    const text = '{"Statement": [{"Effect": "Allow", "Action": "kms:Decyrpt",}]}';
    assert.deepEqual(lintText(text, 'keyPolicy').map((f) => f.code), ['JSON_SYNTAX_ERROR']);
  });

  it('refuses comments, as AWS does', () => {
    const text = keyPolicy().replace('{', '{ // the app key\n');
    assert.deepEqual(lintText(text, 'keyPolicy').map((f) => f.code), ['JSON_SYNTAX_ERROR']);
  });

  it('gives the same findings for the cached parse and for the text', () => {
    const text = keyPolicy(statement({ Action: ['kms:*', 'kms:Decyrpt'] }));
    assert.deepEqual(lintDocument(parseJson(text), 'keyPolicy'), lintText(text, 'keyPolicy'));
  });

  it('orders findings by position', () => {
    const findings = lint(keyPolicy(statement({ Effect: 'allow', Action: 'kms:Decyrpt', Condition: { Bool: { 'aws:SecureTransport': 'yes' } } })), 'keyPolicy');
    assert.ok(findings.length >= 3);
    assert.deepEqual(findings.map((f) => f.offset), [...findings.map((f) => f.offset)].sort((a, b) => a - b));
  });

  it('applies the rule configuration last: off drops a code, a level replaces its severity', () => {
    const text = keyPolicy(statement({ Action: ['kms:*', 'kms:Decrypt'], Resource: 'arn:aws:kms:us-east-1:111122223333:key/k' }));
    const codes = (rules: Record<string, 'off' | 'ERROR'>) => lintText(text, 'keyPolicy', { rules }).map((f) => `${f.code}:${f.severity}`);
    assert.ok(codes({}).includes('KMS_RESOURCE_NOT_STAR:WARNING'));
    assert.ok(!codes({ KMS_RESOURCE_NOT_STAR: 'off' }).some((c) => c.startsWith('KMS_RESOURCE_NOT_STAR')));
    assert.ok(codes({ REDUNDANT_ACTION: 'ERROR' }).includes('REDUNDANT_ACTION:ERROR'));
  });

  it('runs each kind’s rules only', () => {
    const grant = JSON.stringify({ KeyId: 'k', GranteePrincipal: 'arn:aws:iam::111122223333:role/W', Operations: ['Decrypt'] });
    assert.deepEqual(lint(grant, 'grant'), []);
    assert.ok(lint(grant, 'keyPolicy').some((f) => f.code === 'MISSING_STATEMENT'));
    assert.ok(!lint(keyPolicy(), 'grant').some((f) => f.code.startsWith('MISSING_')));
  });
});
