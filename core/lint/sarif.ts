import { LineIndex } from '../policy/lineIndex';
import type { Finding, Severity } from './finding';

/** A rule as SARIF's tool.driver.rules lists it. */
export interface SarifRule {
  code: string;
  description: string;
  severity: Severity;
}

export interface SarifFile {
  /** Relative to the folder the analysis ran in, with forward slashes: GitHub code scanning resolves it from the repository root. */
  uri: string;
  text: string;
  findings: readonly Finding[];
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  ERROR: 'error',
  SECURITY_WARNING: 'warning',
  WARNING: 'warning',
  SUGGESTION: 'note',
};

/**
 * GitHub code scanning ranks security results by `security-severity` (a CVSS-like score as a string) and
 * shows rules tagged "security" as security alerts; the other levels are plain problems.
 */
function ruleProperties(severity: Severity): Record<string, unknown> {
  if (severity === 'SECURITY_WARNING') return { tags: ['security'], 'security-severity': '7.5', severity };
  return { tags: ['correctness'], severity };
}

/** A SARIF 2.1.0 log of one run of the linter. */
export function toSarif(files: readonly SarifFile[], toolVersion: string, knownRules: readonly SarifRule[] = []): object {
  const rules = new Map<string, SarifRule>(knownRules.map((r) => [r.code, r]));
  for (const f of files) {
    for (const finding of f.findings) {
      if (!rules.has(finding.code)) rules.set(finding.code, { code: finding.code, description: finding.code, severity: finding.severity });
    }
  }
  const ruleList = [...rules.values()].sort((a, b) => a.code.localeCompare(b.code));
  const ruleIndex = new Map(ruleList.map((r, i) => [r.code, i]));
  const results = files.flatMap((file) => {
    const lines = new LineIndex(file.text);
    return file.findings.map((finding) => {
      const start = lines.positionAt(finding.offset);
      const end = lines.positionAt(finding.offset + finding.length);
      return {
        ruleId: finding.code,
        ruleIndex: ruleIndex.get(finding.code)!,
        level: LEVEL[finding.severity],
        message: { text: finding.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: file.uri, uriBaseId: '%SRCROOT%' },
              // SARIF lines and columns are 1-based; columns count UTF-16 code units (run.columnKind below).
              region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
            },
          },
        ],
        properties: { severity: finding.severity },
      };
    });
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'KMS Studio',
            semanticVersion: toolVersion,
            rules: ruleList.map((r) => ({
              id: r.code,
              name: r.code,
              shortDescription: { text: r.description },
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: ruleProperties(r.severity),
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The folder kms-studio lint ran in.' } } },
        results,
      },
    ],
  };
}
