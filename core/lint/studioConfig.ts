import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { fileSettingsFrom, type FileSettings } from '../policy/documentKind';
import { readRuleConfig, type RuleConfig } from './ruleConfig';

/** The name of the project configuration file, at the workspace root. */
export const STUDIO_CONFIG_FILE = '.kmsstudio.json';

/**
 * A `.kmsstudio.json`: `{"rules": {"KMS_RESOURCE_NOT_STAR": "off"}, "files": {"keyPolicies": ["**\/*.kp.json"]}}`.
 * The editor and the CLI read the same file, so a project's rule levels hold in both.
 */
export interface StudioConfig {
  rules: RuleConfig;
  /** File globs; absent when the file sets none, so editor settings stay in force. */
  files?: FileSettings;
  /** What was wrong with the file, in words; the parts that were readable still apply. */
  problems: string[];
}

export function parseStudioConfig(text: string): StudioConfig {
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true }) as unknown;
  if (errors.length > 0) {
    return { rules: {}, problems: errors.map((e) => `${printParseErrorCode(e.error)} at offset ${e.offset}`) };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return { rules: {}, problems: ['the file must hold a JSON object'] };
  }
  const doc = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(doc)) {
    if (key !== 'rules' && key !== 'files' && key !== '$schema') problems.push(`unknown property "${key}" (expected rules, files)`);
  }
  const rules = readRuleConfig(doc['rules']);
  problems.push(...rules.problems.map((p) => `rules: ${p.message}`));
  return { rules: rules.rules, ...(doc['files'] !== undefined ? { files: fileSettingsFrom(doc['files']) } : {}), problems };
}

/**
 * Finds the `.kmsstudio.json` that governs `dir`: in it or the nearest folder above. Returns undefined when
 * there is none, and throws an Error naming the file when it exists but cannot be read.
 */
export function findStudioConfig(dir: string): { file: string; config: StudioConfig } | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const file = path.join(current, STUDIO_CONFIG_FILE);
    if (fs.existsSync(file)) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        throw new Error(`${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
      return { file, config: parseStudioConfig(text) };
    }
    if (path.dirname(current) === current) return undefined;
  }
}
