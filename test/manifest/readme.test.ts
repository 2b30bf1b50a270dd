import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RULE_CODES } from '../../core/lint/ruleRegistry';
import { repoRoot } from '../support/paths';

const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

describe('README', () => {
  it('gives the two commands a new user runs after cloning in its first lines', () => {
    const head = readme.split('\n').slice(0, 12).join('\n');
    assert.match(head, /npm install && npm start/);
    assert.match(head, /npm test/);
  });

  it('lists every lint rule with its severity', () => {
    for (const rule of RULE_CODES) {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${rule.code}\` |`));
      assert.ok(row, `${rule.code} is missing from the README's rule table`);
      assert.ok(row.includes(`| ${rule.severity} |`), `${rule.code} is listed with another severity than ${rule.severity}`);
    }
  });

  it('says why each dependency is there', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const name of [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)]) {
      assert.ok(readme.includes(`\`${name}\``), `${name} is not explained in the README`);
    }
  });
});
