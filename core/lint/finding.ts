/**
 * A finding is what every check in KMS Studio produces: data with source offsets, so the same object
 * feeds an LSP diagnostic, a CLI line, a SARIF result and a hover. Severities are IAM Access Analyzer's.
 */
export type Severity = 'ERROR' | 'SECURITY_WARNING' | 'WARNING' | 'SUGGESTION';

export interface RelatedLocation {
  offset: number;
  length: number;
  message: string;
}

/** A text edit in offsets of the document the finding was made on. */
export interface TextEditFix {
  offset: number;
  length: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEditFix[];
}

export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  offset: number;
  length: number;
  related?: RelatedLocation[];
  fix?: Fix;
}
