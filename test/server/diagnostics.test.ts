import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { ConfigurationRequest, FileChangeType, type Diagnostic } from 'vscode-languageserver-protocol';
import { lintText } from '../../core/lint/lintDocument';
import type { Severity } from '../../core/lint/finding';
import type { DocumentKind } from '../../core/policy/documentKind';
import type { DiagnosticData } from '../../server/src/protocol';
import { fileUri, LspTestClient, VSCODE_LIKE_CAPABILITIES } from '../support/lspClient';
import { KEY_POLICY, messageOf, positionAt, tempWorkspace } from './helpers';

const SEVERITY: Record<Severity, number> = { ERROR: 1, SECURITY_WARNING: 2, WARNING: 2, SUGGESTION: 3 };

/** Documents with problems of each kind the linter checks. */
const SAMPLES: Array<{ kind: DocumentKind; name: string; text: string }> = [
  {
    kind: 'keyPolicy',
    name: 'sample.keypolicy.json',
    text: '{\n  "Statement": [\n    { "Sid": "Use", "Effect": "Allow", "Principal": { "AWS": "arn:aws:iam::111122223333:role/App" }, "Action": ["kms:Decrpyt", "kms:Encrypt", "kms:Encrypt"], "Resource": "*", "Condition": { "StringEquals": { "kms:ViaService": "s3.*.amazonaws.com" } } }\n  ]\n}\n',
  },
  {
    kind: 'identityPolicy',
    name: 'sample.iam.json',
    text: '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow", "Action": "kms:*", "Resource": "*" },\n    { "Effect": "Allow", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*" }\n  ]\n}\n',
  },
  {
    kind: 'grant',
    name: 'sample.grant.json',
    text: '{\n  "KeyId": "1234abcd-12ab-34cd-56ef-1234567890ab",\n  "GranteePrincipal": "arn:aws:iam::111122223333:role/Worker",\n  "Operations": ["Decrypt", "PutKeyPolicy"]\n}\n',
  },
];

/** The policy whose first rule finding the rule-level tests turn off and re-level. */
const LEVELED = SAMPLES[0]!;

/** A rule code the linter reports for LEVELED, found at run time so the tests follow the linter's vocabulary. */
function ruleCode(): string | undefined {
  return lintText(LEVELED.text, LEVELED.kind).find((f) => f.code !== 'JSON_SYNTAX_ERROR')?.code;
}

const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => String(d.code));

describe('diagnostics', () => {
  const ws = tempWorkspace();
  let client: LspTestClient;

  before(async () => {
    ({ client } = await LspTestClient.start({}, { capabilities: VSCODE_LIKE_CAPABILITIES }));
  });

  after(async () => {
    await client.stop();
    ws.cleanup();
  });

  it('publishes exactly what the linter finds for key policies, identity policies and grants', async (t) => {
    let checked = 0;
    for (const sample of SAMPLES) {
      const uri = `file:///ws/${sample.name}`;
      await client.open(uri, sample.text);
      const published = await client.diagnosticsForVersion(uri, 1);
      const findings = lintText(sample.text, sample.kind);
      assert.equal(published.diagnostics.length, findings.length, `${sample.name}: ${JSON.stringify(published.diagnostics)}`);
      findings.forEach((f, i) => {
        const d = published.diagnostics[i]!;
        assert.equal(d.code, f.code);
        assert.equal(d.source, 'kms-studio');
        assert.equal(d.severity, SEVERITY[f.severity], `${f.code} is ${f.severity}`);
        assert.equal(messageOf(d), f.message);
        assert.deepEqual(d.range, { start: positionAt(sample.text, f.offset), end: positionAt(sample.text, f.offset + f.length) });
        assert.equal(d.relatedInformation?.length ?? 0, f.related?.length ?? 0);
        const data = d.data as DiagnosticData;
        assert.equal(data.version, 1);
        assert.equal(data.fix?.title, f.fix?.title);
        checked++;
      });
    }
    if (checked === 0) t.skip('SKIPPED: the linter reports nothing for these samples yet');
  });

  it('takes rule levels from initializationOptions and from didChangeConfiguration', async (t) => {
    const code = ruleCode();
    if (!code) return t.skip('SKIPPED: the linter reports no rule finding yet');
    const { client: c } = await LspTestClient.start({ lint: { rules: { [code]: 'off' } } });
    try {
      const uri = `file:///ws/${LEVELED.name}`;
      await c.open(uri, LEVELED.text);
      assert.ok(!codes((await c.diagnosticsForVersion(uri, 1)).diagnostics).includes(code), `${code} is off`);
      await c.changeConfiguration({ kmsStudio: { files: {}, lint: { rules: { [code]: 'suggestion' } } } });
      const relevelled = await c.diagnosticsFor(uri, (p) => codes(p.diagnostics).includes(code));
      assert.ok(relevelled.diagnostics.filter((d) => d.code === code).every((d) => d.severity === 3), 'SUGGESTION is Information');
    } finally {
      await c.stop();
    }
  });

  it('takes initializationOptions wrapped in their section name too', async (t) => {
    const code = ruleCode();
    if (!code) return t.skip('SKIPPED: the linter reports no rule finding yet');
    const { client: c } = await LspTestClient.start({ kmsStudio: { lint: { rules: { [code]: 'off' } } } });
    try {
      const uri = `file:///ws/${LEVELED.name}`;
      await c.open(uri, LEVELED.text);
      assert.ok(!codes((await c.diagnosticsForVersion(uri, 1)).diagnostics).includes(code), `${code} is off`);
    } finally {
      await c.stop();
    }
  });

  it('asks a pull-model client for the kmsStudio section when a settings change comes without it', async (t) => {
    const code = ruleCode();
    if (!code) return t.skip('SKIPPED: the linter reports no rule finding yet');
    const { client: c } = await LspTestClient.start({}, { capabilities: { workspace: { configuration: true } } });
    try {
      const sections: Array<string | undefined> = [];
      c.connection.onRequest(ConfigurationRequest.type, (params) =>
        params.items.map((item) => {
          sections.push(item.section);
          return item.section === 'kmsStudio' ? { lint: { rules: { [code]: 'off' } } } : null;
        }),
      );
      const uri = `file:///ws/${LEVELED.name}`;
      await c.open(uri, LEVELED.text);
      assert.ok(codes((await c.diagnosticsForVersion(uri, 1)).diagnostics).includes(code));
      await c.changeConfiguration(null);
      await c.diagnosticsFor(uri, (p) => !codes(p.diagnostics).includes(code));
      assert.deepEqual(sections, ['kmsStudio']);
    } finally {
      await c.stop();
    }
  });

  it('logs a rule level it cannot read, and keeps the others', async () => {
    const { client: c } = await LspTestClient.start({ lint: { rules: { SCENARIO_EXPECTATION_FAILED: 'loud', OTHER: 'off' } } });
    try {
      const log = await c.waitFor('a log line about the bad level', () => c.logs.find((l) => /kmsStudio\.lint\.rules: .*"loud"/.test(l.message)));
      assert.equal(log.type, 2, 'a warning');
    } finally {
      await c.stop();
    }
  });

  it('reads .kmsstudio.json from the workspace folder, re-reads it when it changes, and lets settings win', async (t) => {
    const code = ruleCode();
    if (!code) return t.skip('SKIPPED: the linter reports no rule finding yet');
    const folder = tempWorkspace({ '.kmsstudio.json': JSON.stringify({ rules: { [code]: 'off' } }), [LEVELED.name]: LEVELED.text });
    const { client: c } = await LspTestClient.start({}, { capabilities: VSCODE_LIKE_CAPABILITIES, workspaceFolders: [folder.dir] });
    try {
      await c.waitFor('the file watcher registration', () => c.registrations.find((r) => r.method === 'workspace/didChangeWatchedFiles'));
      const uri = fileUri(folder.file(LEVELED.name));
      await c.open(uri, LEVELED.text);
      assert.ok(!codes((await c.diagnosticsForVersion(uri, 1)).diagnostics).includes(code), `.kmsstudio.json turns ${code} off`);

      folder.write('.kmsstudio.json', JSON.stringify({ rules: { [code]: 'ERROR' } }));
      await c.changeWatchedFiles([{ uri: fileUri(folder.file('.kmsstudio.json')), type: FileChangeType.Changed }]);
      const raised = await c.diagnosticsFor(uri, (p) => codes(p.diagnostics).includes(code));
      assert.ok(raised.diagnostics.filter((d) => d.code === code).every((d) => d.severity === 1));

      await c.changeConfiguration({ kmsStudio: { files: {}, lint: { rules: { [code]: 'SUGGESTION' } } } });
      await c.diagnosticsFor(uri, (p) => p.diagnostics.some((d) => d.code === code && d.severity === 3));
    } finally {
      await c.stop();
      folder.cleanup();
    }
  });

  it('re-reads .kmsstudio.json on a settings change when the client cannot watch files', async () => {
    const folder = tempWorkspace({
      'key.keypolicy.json': KEY_POLICY,
      's.kms-scenarios.json': JSON.stringify({
        keys: { k: { arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', policy: 'key.keypolicy.json' } },
        cases: [{ principal: 'arn:aws:iam::111122223333:user/nobody', action: 'kms:Decrypt', key: 'k', expect: 'allowed' }],
      }),
    });
    const { client: c } = await LspTestClient.start({}, { workspaceFolders: [folder.dir] });
    try {
      const uri = fileUri(folder.file('s.kms-scenarios.json'));
      await c.open(uri, fs.readFileSync(folder.file('s.kms-scenarios.json'), 'utf8'));
      const first = await c.diagnosticsForVersion(uri, 1);
      assert.deepEqual(first.diagnostics.map((d) => [d.code, d.severity]), [['SCENARIO_EXPECTATION_FAILED', 1]]);
      folder.write('.kmsstudio.json', '{ "rules": { "SCENARIO_EXPECTATION_FAILED": "warning" } }');
      c.forget(uri);
      await c.changeConfiguration({ kmsStudio: { files: {} } });
      const relevelled = await c.diagnosticsFor(uri, () => true);
      assert.deepEqual(relevelled.diagnostics.map((d) => [d.code, d.severity]), [['SCENARIO_EXPECTATION_FAILED', 2]]);
      assert.equal(c.registrations.length, 0, 'nothing was registered with a client that cannot watch');
    } finally {
      await c.stop();
      folder.cleanup();
    }
  });

  it('follows workspace folders as they are added and removed', async () => {
    const configured = tempWorkspace({ '.kmsstudio.json': '{ "rules": { "SCENARIO_EXPECTATION_FAILED": "SUGGESTION" } }' });
    const scenario = JSON.stringify({
      keys: { k: { arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab', policy: { Statement: [] } } },
      cases: [{ principal: 'arn:aws:iam::111122223333:user/nobody', action: 'kms:Decrypt', key: 'k', expect: 'allowed' }],
    });
    const { client: c } = await LspTestClient.start({}, { capabilities: VSCODE_LIKE_CAPABILITIES, workspaceFolders: [ws.dir] });
    try {
      const uri = fileUri(configured.write('s.kms-scenarios.json', scenario));
      await c.open(uri, scenario);
      assert.equal((await c.diagnosticsForVersion(uri, 1)).diagnostics[0]?.severity, 1, 'outside the workspace: default level');
      c.forget(uri);
      await c.changeWorkspaceFolders([configured.dir], []);
      assert.equal((await c.diagnosticsFor(uri)).diagnostics[0]?.severity, 3, 'its folder\'s .kmsstudio.json applies');
      c.forget(uri);
      await c.changeWorkspaceFolders([], [configured.dir]);
      assert.equal((await c.diagnosticsFor(uri)).diagnostics[0]?.severity, 1);
    } finally {
      await c.stop();
      configured.cleanup();
    }
  });

  it('reports a malformed .kmsstudio.json in the log, and on the file when it is open, without stopping', async () => {
    const broken = '{\n  "rules": {\n    "SCENARIO_EXPECTATION_FAILED": "loud",\n  }\n  "extra": 1\n}\n';
    const folder = tempWorkspace({ '.kmsstudio.json': broken });
    const { client: c } = await LspTestClient.start({}, { workspaceFolders: [folder.dir] });
    try {
      await c.waitFor('a log line naming the file', () => c.logs.find((l) => l.message.includes('.kmsstudio.json')));
      const uri = fileUri(folder.file('.kmsstudio.json'));
      await c.open(uri, broken);
      const published = await c.diagnosticsForVersion(uri, 1);
      assert.ok(published.diagnostics.length > 0);
      assert.ok(published.diagnostics.every((d) => d.code === 'KMSSTUDIO_CONFIG_INVALID' && d.severity === 1));
      // Fixed in the editor, the file reports its remaining problem in place: the level it cannot read.
      const readable = '{\n  "rules": {\n    "SCENARIO_EXPECTATION_FAILED": "loud"\n  },\n  "extra": 1\n}\n';
      await c.replace(uri, readable, 2);
      const second = await c.diagnosticsForVersion(uri, 2);
      const level = second.diagnostics.find((d) => /"loud"/.test(messageOf(d)));
      assert.ok(level, JSON.stringify(second.diagnostics));
      assert.deepEqual(level.range.start, positionAt(readable, readable.indexOf('"loud"')));
      const extra = second.diagnostics.find((d) => /Unknown property "extra"/.test(messageOf(d)));
      assert.ok(extra);
      await c.replace(uri, '{ "rules": {} }', 3);
      assert.deepEqual((await c.diagnosticsForVersion(uri, 3)).diagnostics, []);
    } finally {
      assert.equal(await c.stop(), 0);
      folder.cleanup();
    }
  });

  it('publishes for the newest version only, in order, and clears a closed document', async () => {
    const uri = 'file:///ws/typing.keypolicy.json';
    await client.open(uri, KEY_POLICY);
    await client.diagnosticsForVersion(uri, 1);
    for (let v = 2; v <= 30; v++) await client.replace(uri, KEY_POLICY.slice(0, KEY_POLICY.length - v), v);
    const last = await client.diagnosticsForVersion(uri, 30);
    assert.ok(last.diagnostics.some((d) => d.code === 'JSON_SYNTAX_ERROR'));
    const versions = client.published.filter((p) => p.uri === uri).map((p) => p.version!);
    assert.deepEqual(versions, [...versions].sort((a, b) => a - b), 'a version is never published after a newer one');
    assert.ok(versions.length < 29, `the debounce coalesced the edits: ${versions.join(', ')}`);
    await client.close(uri);
    await client.diagnosticsFor(uri, (p) => p.version === undefined && p.diagnostics.length === 0);
  });
});
