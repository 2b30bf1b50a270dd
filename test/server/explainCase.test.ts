import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileUri, LspTestClient } from '../support/lspClient';
import { repoRoot } from '../support/paths';
import { positionAt, positionOf } from './helpers';

describe('kmsStudio/explainCase', () => {
  let client: LspTestClient;
  const file = path.join(repoRoot, 'examples', 'app.kms-scenarios.json');
  const text = fs.readFileSync(file, 'utf8');
  const uri = fileUri(file);
  const keyPolicy = fs.readFileSync(path.join(repoRoot, 'examples', 'app.keypolicy.json'), 'utf8');

  before(async () => {
    ({ client } = await LspTestClient.start({}));
    await client.open(uri, text);
  });

  after(async () => {
    await client.stop();
  });

  it('explains a case by index: decision, expectation, the full explanation and where the deciding statement is', async () => {
    const result = await client.explainCase({ uri, caseIndex: 9 });
    assert.ok(result);
    assert.equal(result.name, 'only key administrators schedule deletion, whatever IAM says');
    assert.equal(result.decision, 'explicitDeny');
    assert.equal(result.expected, 'explicitDeny');
    assert.equal(result.pass, true);
    assert.equal(result.explanation.code, 'ExplicitDeny');
    assert.match(result.reason, /Only key administrators schedule deletion/);
    assert.equal(result.locations.length, 1);
    const [location] = result.locations;
    assert.equal(location!.uri, fileUri(path.join(repoRoot, 'examples', 'app.keypolicy.json')));
    const statementStart = keyPolicy.lastIndexOf('{', keyPolicy.indexOf('"Only key administrators schedule deletion"'));
    assert.deepEqual(location!.range!.start, positionAt(keyPolicy, statementStart));
    assert.match(result.markdown, /^\*\*✓ explicitDeny\*\*/);
  });

  it('explains the case at a position, with the failed conditions placed in their policy file', async () => {
    const result = await client.explainCase({ uri, position: positionOf(text, 'the analyst cannot decrypt from home', 4) });
    assert.ok(result);
    assert.equal(result.caseIndex, 3);
    assert.equal(result.decision, 'implicitDeny');
    const [mismatch] = result.explanation.conditionMismatches;
    assert.equal(mismatch!.operator, 'IpAddress');
    assert.equal(mismatch!.key, 'aws:SourceIp');
    assert.deepEqual(mismatch!.requestValues, ['198.51.100.20']);
    const analyst = fs.readFileSync(path.join(repoRoot, 'examples', 'iam', 'analyst.iam.json'), 'utf8');
    assert.equal(result.conditionLocations[0]!.uri, fileUri(path.join(repoRoot, 'examples', 'iam', 'analyst.iam.json')));
    assert.equal(result.conditionLocations[0]!.range!.start.line, positionAt(analyst, analyst.indexOf('"aws:SourceIp"')).line);
  });

  it('answers null outside any case, for an unknown index, and for a document that is no scenario file', async () => {
    assert.equal(await client.explainCase({ uri, position: { line: 0, character: 0 } }), null);
    assert.equal(await client.explainCase({ uri, caseIndex: 99 }), null);
    const policyUri = 'file:///ws/x.keypolicy.json';
    await client.open(policyUri, '{}');
    assert.equal(await client.explainCase({ uri: policyUri, caseIndex: 0 }), null);
    assert.equal(await client.explainCase({ uri: 'file:///ws/not-open.kms-scenarios.json', caseIndex: 0 }), null);
  });
});
