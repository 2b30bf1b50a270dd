import * as path from 'node:path';
import { findNodeAtLocation, getNodeValue, type Node } from 'jsonc-parser';
import { parseJson } from '../policy/parse';
import { policyFromJson } from '../policy/policyModel';
import { jsonPath, validateAgainstSchema } from '../schema/schemaValidator';
import type { PolicySource, Scenario, ScenarioCase, ScenarioGrant, ScenarioKey, ScenarioProblem } from './scenarioModel';

/** Reads a file named by a scenario (a policy path); throws with a readable message when it cannot. */
export type ReadFile = (file: string) => string;

export type LoadResult = { scenario: Scenario; problems: [] } | { scenario?: undefined; problems: ScenarioProblem[] };

type Json = Record<string, unknown>;

/**
 * Loads a scenario file: JSONC syntax, then the schema (schemas/kms-scenarios.schema.json), then what a schema
 * cannot say (a case naming an unknown key, a policy file that is missing or broken). Every problem names the
 * file, the JSON path and what is wrong, with an offset when one can be placed.
 */
export function loadScenario(text: string, file: string, readFile: ReadFile): LoadResult {
  // Scenario files are the user's own, not AWS's: comments and trailing commas are welcome.
  const parsed = parseJson(text, { strict: false });
  const at = (segments: Array<string | number>, message: string): ScenarioProblem => {
    const node = parsed.root ? findNodeAtLocation(parsed.root, segments) : undefined;
    return { file, jsonPath: jsonPath(segments), message, offset: node?.offset, length: node?.length };
  };
  if (parsed.syntaxErrors.length > 0 || !parsed.root) {
    return {
      problems: parsed.syntaxErrors.map((e) => ({ file, jsonPath: '$', message: e.message, offset: e.offset, length: e.length })),
    };
  }
  const value = getNodeValue(parsed.root) as unknown;
  const violations = validateAgainstSchema('kms-scenarios.schema.json', value);
  if (violations.length > 0) return { problems: violations.map((v) => at(v.path, v.message)) };

  const doc = value as Json;
  const problems: ScenarioProblem[] = [];
  const dir = path.dirname(file);

  const policyAt = (segments: Array<string | number>): PolicySource | undefined => {
    const node = findNodeAtLocation(parsed.root!, segments)!;
    if (node.type === 'object') {
      // Inline: the model's offsets point into the scenario file itself, so hovers there can show the statement.
      return { file, policy: policyFromJson({ text, root: node, syntaxErrors: [] }) };
    }
    const target = path.resolve(dir, String(node.value));
    let policyText: string;
    try {
      policyText = readFile(target);
    } catch (e) {
      problems.push(at(segments, `policy file ${String(node.value)} cannot be read (${describeError(e)})`));
      return undefined;
    }
    const policyJson = parseJson(policyText);
    if (policyJson.syntaxErrors.length > 0 || policyJson.root?.type !== 'object') {
      const first = policyJson.syntaxErrors[0];
      problems.push(at(segments, `policy file ${String(node.value)} is not a JSON object${first ? `: ${first.message}` : ''}`));
      return undefined;
    }
    return { file: target, policy: policyFromJson(policyJson) };
  };

  const keys = new Map<string, ScenarioKey>();
  for (const [name, raw] of Object.entries(doc['keys'] as Record<string, Json>)) {
    const keyPolicy = policyAt(['keys', name, 'policy']);
    if (!keyPolicy) continue;
    keys.set(name, {
      name,
      arn: raw['arn'] as string,
      keyPolicy,
      keySpec: (raw['keySpec'] as string | undefined) ?? 'SYMMETRIC_DEFAULT',
      keyUsage: (raw['keyUsage'] as string | undefined) ?? defaultUsage((raw['keySpec'] as string | undefined) ?? 'SYMMETRIC_DEFAULT'),
      origin: (raw['origin'] as string | undefined) ?? 'AWS_KMS',
      multiRegion: (raw['multiRegion'] as boolean | undefined) ?? false,
      multiRegionKeyType: raw['multiRegionKeyType'] as string | undefined,
      aliases: (raw['aliases'] as string[] | undefined) ?? [],
      tags: (raw['tags'] as Record<string, string> | undefined) ?? {},
      grants: grantList(raw['grants']),
    });
  }

  const principals = new Map<string, { policies: PolicySource[]; tags: Record<string, string> }>();
  for (const [arn, raw] of Object.entries((doc['principals'] as Record<string, Json> | undefined) ?? {})) {
    const policies = ((raw['policies'] as unknown[] | undefined) ?? [])
      .map((_, i) => policyAt(['principals', arn, 'policies', i]))
      .filter((p): p is PolicySource => p !== undefined);
    principals.set(arn, { policies, tags: (raw['tags'] as Record<string, string> | undefined) ?? {} });
  }

  const caseNodes = findNodeAtLocation(parsed.root, ['cases'])?.children ?? [];
  const cases: ScenarioCase[] = (doc['cases'] as Json[]).map((raw, index) => {
    const node: Node = caseNodes[index]!;
    if (!(doc['keys'] as Json)[raw['key'] as string]) {
      problems.push(at(['cases', index, 'key'], `names key "${String(raw['key'])}", which is not in $.keys`));
    }
    const fields: Record<string, { offset: number; length: number }> = {};
    for (const property of node.children ?? []) {
      const [name, value] = property.children ?? [];
      if (name && value && typeof name.value === 'string') fields[name.value] = { offset: value.offset, length: value.length };
    }
    return {
      index,
      offset: node.offset,
      length: node.length,
      fields,
      name: (raw['name'] as string | undefined) ?? `case ${index + 1}`,
      principal: raw['principal'] as string,
      action: raw['action'] as string,
      key: raw['key'] as string,
      via: raw['via'] as string | undefined,
      encryptionContext: raw['encryptionContext'] as Record<string, string> | undefined,
      grantTokens: raw['grantTokens'] as string[] | undefined,
      context: (raw['context'] as ScenarioCase['context'] | undefined) ?? {},
      expect: raw['expect'] as ScenarioCase['expect'],
    };
  });

  if (problems.length > 0) return { problems };
  return { scenario: { file, keys, principals, cases }, problems: [] };
}

/** AWS's default KeyUsage for a KeySpec when CreateKey is given none. */
function defaultUsage(keySpec: string): string {
  if (keySpec.startsWith('HMAC_')) return 'GENERATE_VERIFY_MAC';
  if (keySpec.startsWith('ECC_') || keySpec.startsWith('ML_DSA')) return 'SIGN_VERIFY';
  return 'ENCRYPT_DECRYPT';
}

function describeError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : (code ?? String(e));
}

/** A key's grants: the `Grants` list of list-grants output, or that whole output (the schema allows both). */
function grantList(value: unknown): ScenarioGrant[] {
  if (Array.isArray(value)) return value as ScenarioGrant[];
  if (value && typeof value === 'object') return ((value as { Grants?: ScenarioGrant[] }).Grants ?? []);
  return [];
}
