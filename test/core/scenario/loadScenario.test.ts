import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadScenario } from '../../../core/scenario/loadScenario';

const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const POLICY = { Version: '2012-10-17', Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' }] };

function files(map: Record<string, string>) {
  return (file: string): string => {
    const text = map[path.basename(file)];
    if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return text;
  };
}

function scenario(doc: unknown): string {
  return JSON.stringify(doc, null, 2);
}

describe('loadScenario', () => {
  it('loads keys with defaults, principals and cases; inline policies keep offsets into the scenario file', () => {
    const text = scenario({
      keys: { app: { arn: KEY_ARN, policy: POLICY } },
      principals: { 'arn:aws:iam::111122223333:role/App': { policies: ['app.iam.json'], tags: { team: 'blue' } } },
      cases: [{ principal: 'arn:aws:iam::111122223333:role/App', action: 'kms:Decrypt', key: 'app', expect: 'allowed' }],
    });
    const result = loadScenario(text, '/ws/a.kms-scenarios.json', files({ 'app.iam.json': JSON.stringify(POLICY) }));
    assert.deepEqual(result.problems, []);
    const s = result.scenario!;
    const key = s.keys.get('app')!;
    assert.equal(key.keySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(key.keyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(key.origin, 'AWS_KMS');
    assert.equal(key.multiRegion, false);
    assert.equal(key.keyPolicy.file, '/ws/a.kms-scenarios.json');
    const sid = key.keyPolicy.policy.statements[0]!.sid!;
    assert.equal(text.slice(sid.offset, sid.offset + sid.length), '"Root"');
    const principal = s.principals.get('arn:aws:iam::111122223333:role/App')!;
    assert.equal(principal.policies[0]!.file, '/ws/app.iam.json');
    assert.equal(s.cases[0]!.name, 'case 1');
    assert.equal(text.slice(s.cases[0]!.offset, s.cases[0]!.offset + 1), '{');
  });

  it('accepts comments and trailing commas (JSONC)', () => {
    const text = `// checks\n{ "keys": { "k": { "arn": "${KEY_ARN}", "policy": ${JSON.stringify(POLICY)}, }, }, "cases": [], }`;
    assert.deepEqual(loadScenario(text, '/ws/a.kms-scenarios.json', files({})).problems, []);
  });

  const invalid: Array<[string, unknown, string, RegExp]> = [
    ['a missing cases list', { keys: {} }, '$', /missing required property "cases"/],
    ['an unknown top-level property', { keys: {}, cases: [], extra: 1 }, '$.extra', /unknown property "extra"/],
    ['a bad expect', { keys: { k: { arn: KEY_ARN, policy: POLICY } }, cases: [{ principal: 'p', action: 'kms:Decrypt', key: 'k', expect: 'deny' }] }, '$.cases[0].expect', /must be one of "allowed", "implicitDeny", "explicitDeny"/],
    ['an action outside kms', { keys: { k: { arn: KEY_ARN, policy: POLICY } }, cases: [{ principal: 'p', action: 's3:GetObject', key: 'k' }] }, '$.cases[0].action', /expected form/],
    ['a key ARN that is not a KMS key ARN', { keys: { k: { arn: 'arn:aws:s3:::bucket', policy: POLICY } }, cases: [] }, '$.keys.k.arn', /expected form/],
    ['a policy that is a number', { keys: { 'my-key': { arn: KEY_ARN, policy: 5 } }, cases: [] }, '$.keys["my-key"].policy', /not any of the accepted forms/],
    ['a case naming an unknown key', { keys: {}, cases: [{ principal: 'p', action: 'kms:Decrypt', key: 'nope' }] }, '$.cases[0].key', /not in \$\.keys/],
    ['a missing policy file', { keys: { k: { arn: KEY_ARN, policy: 'gone.json' } }, cases: [] }, '$.keys.k.policy', /gone\.json cannot be read \(no such file\)/],
    ['a broken policy file', { keys: { k: { arn: KEY_ARN, policy: 'broken.json' } }, cases: [] }, '$.keys.k.policy', /broken\.json is not a JSON object: Comma expected/],
  ];
  for (const [name, doc, where, message] of invalid) {
    it(`names the file, the JSON path and the problem for ${name}`, () => {
      const text = scenario(doc);
      const result = loadScenario(text, '/ws/s.kms-scenarios.json', files({ 'broken.json': '{"a": 1 "b": 2}' }));
      assert.equal(result.scenario, undefined);
      const problem = result.problems.find((p) => p.jsonPath === where);
      assert.ok(problem, `expected a problem at ${where}, got ${JSON.stringify(result.problems)}`);
      assert.equal(problem.file, '/ws/s.kms-scenarios.json');
      assert.match(problem.message, message);
      assert.ok(!/must NOT|must match/.test(problem.message), 'no raw ajv text');
      if (where !== '$') assert.ok(problem.offset !== undefined && problem.offset > 0, 'the problem is placed in the text');
    });
  }

  it('reports a syntax error with its offset', () => {
    const result = loadScenario('{"keys": {} "cases": []}', '/ws/s.kms-scenarios.json', files({}));
    assert.equal(result.problems[0]!.offset, 12);
    assert.match(result.problems[0]!.message, /Comma expected/);
  });
});
