import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../support/paths';

interface Manifest {
  name: string;
  displayName: string;
  main: string;
  bin: Record<string, string>;
  engines: { vscode: string };
  activationEvents?: string[];
  contributes: {
    commands: Array<{ command: string; title: string; category?: string }>;
    menus?: Record<string, Array<{ command: string }>>;
    configuration: { properties: Record<string, { type: string; default?: unknown; enum?: unknown[]; items?: { type: string } }> };
    grammars?: Array<{ path: string; scopeName: string; injectTo?: string[] }>;
    jsonValidation?: Array<{ fileMatch: string | string[]; url: string }>;
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;
const declared = manifest.contributes.commands.map((c) => c.command).sort();

/** Command ids the bundled client registers, read from dist/extension.js (the file VS Code loads). */
function registeredCommands(): string[] {
  const bundle = fs.readFileSync(path.join(repoRoot, manifest.main), 'utf8');
  const ids = new Set<string>();
  for (const m of bundle.matchAll(/registerCommand\(\s*["'`](kmsStudio\.[\w.]+)["'`]/g)) ids.add(m[1]!);
  return [...ids].sort();
}

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case 'array': return Array.isArray(value);
    case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer': return Number.isInteger(value);
    default: return typeof value === type;
  }
}

describe('extension manifest', () => {
  it('has the identity, entry points and engine the extension is published with', () => {
    assert.equal(manifest.name, 'kms-studio');
    assert.equal(manifest.displayName, 'KMS Studio');
    assert.equal(manifest.main, 'dist/extension.js');
    assert.deepEqual(manifest.bin, { 'kms-studio': 'dist/cli.js' });
    assert.equal(manifest.engines.vscode, '^1.91.0');
    for (const file of [manifest.main, manifest.bin['kms-studio']!, 'dist/server.js']) {
      assert.ok(fs.existsSync(path.join(repoRoot, file)), `${file} is built`);
    }
  });

  it('activates lazily, never on startup', () => {
    const events = manifest.activationEvents ?? [];
    assert.ok(events.length > 0);
    assert.ok(!events.includes('*') && !events.includes('onStartupFinished'), events.join(', '));
  });

  it('registers every declared command, and declares every registered one', () => {
    assert.deepEqual(registeredCommands(), declared);
  });

  it('puts every command in the KMS category with a title', () => {
    for (const c of manifest.contributes.commands) {
      assert.equal(c.category, 'KMS', c.command);
      assert.ok(c.title.length > 0, c.command);
    }
  });

  it('names only declared commands in menus', () => {
    for (const [menu, items] of Object.entries(manifest.contributes.menus ?? {})) {
      for (const item of items) assert.ok(declared.includes(item.command), `${menu} names ${item.command}`);
    }
  });

  it('gives every setting a description and a default of its type', () => {
    const properties = manifest.contributes.configuration.properties;
    for (const name of ['kmsStudio.trace.server', 'kmsStudio.files.keyPolicies', 'kmsStudio.files.identityPolicies', 'kmsStudio.files.scenarios']) {
      assert.ok(properties[name], `${name} is declared`);
    }
    for (const [name, p] of Object.entries(properties)) {
      assert.ok((p as { description?: string; markdownDescription?: string }).description ?? (p as { markdownDescription?: string }).markdownDescription, `${name} has a description`);
      if (p.default === undefined) continue;
      assert.ok(typeMatches(p.type, p.default), `${name}: default ${JSON.stringify(p.default)} is not a ${p.type}`);
      if (p.enum) assert.ok(p.enum.includes(p.default), `${name}: default is one of its enum`);
      if (p.type === 'array' && p.items) {
        for (const v of p.default as unknown[]) assert.ok(typeMatches(p.items.type, v), `${name}: item ${String(v)}`);
      }
    }
  });

  it('ships grammars that exist, parse and are injected into JSON', () => {
    const grammars = manifest.contributes.grammars ?? [];
    assert.ok(grammars.length > 0);
    for (const g of grammars) {
      const grammar = JSON.parse(fs.readFileSync(path.join(repoRoot, g.path), 'utf8')) as { scopeName: string; patterns: unknown[] };
      assert.equal(grammar.scopeName, g.scopeName);
      assert.ok(grammar.patterns.length > 0);
      assert.ok(g.injectTo?.includes('source.json'));
    }
  });

  it('ships JSON schemas that exist and parse, and every schema in schemas/ is valid JSON', () => {
    for (const v of manifest.contributes.jsonValidation ?? []) {
      assert.ok(fs.existsSync(path.join(repoRoot, v.url)), v.url);
    }
    const dir = path.join(repoRoot, 'schemas');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length > 0);
    for (const f of files) {
      const schema = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { $schema?: string };
      assert.match(schema.$schema ?? '', /json-schema\.org/, f);
    }
  });
});
