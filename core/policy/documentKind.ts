import picomatch from 'picomatch';

/** What a JSON document is to KMS Studio. Anything else is left to VS Code's own JSON support. */
export type DocumentKind = 'keyPolicy' | 'identityPolicy' | 'grant' | 'scenarios';

/** The glob settings of `kmsStudio.files.*`, with the manifest's defaults. */
export interface FileSettings {
  keyPolicies: string[];
  identityPolicies: string[];
  grants: string[];
  scenarios: string[];
}

export const DEFAULT_FILE_SETTINGS: FileSettings = {
  keyPolicies: ['**/*.keypolicy.json', '**/*.key-policy.json'],
  identityPolicies: ['**/*.iam.json', '**/*.iam-policy.json'],
  grants: ['**/*.grant.json', '**/*.grants.json'],
  scenarios: ['**/*.kms-scenarios.json'],
};

/**
 * Classifies documents by path. Matchers are compiled once per settings object, because the server
 * classifies on every open and change.
 */
export class DocumentClassifier {
  private readonly matchers: Array<[DocumentKind, (path: string) => boolean]>;

  constructor(settings: FileSettings = DEFAULT_FILE_SETTINGS) {
    const compile = (globs: string[]) => (globs.length ? picomatch(globs, { dot: true }) : () => false);
    // Scenario files are checked first: `x.kms-scenarios.json` must never be taken for a policy by a broad glob.
    this.matchers = [
      ['scenarios', compile(settings.scenarios)],
      ['keyPolicy', compile(settings.keyPolicies)],
      ['identityPolicy', compile(settings.identityPolicies)],
      ['grant', compile(settings.grants)],
    ];
  }

  /** `path` is a file system path or a URI's path component, with forward slashes. */
  classify(path: string): DocumentKind | undefined {
    const normalized = path.replace(/\\/g, '/');
    for (const [kind, matches] of this.matchers) {
      if (matches(normalized)) return kind;
    }
    return undefined;
  }
}

/** Reads a possibly partial settings object (from a client or a config file) over the defaults. */
export function fileSettingsFrom(value: unknown): FileSettings {
  const source = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const list = (name: keyof FileSettings): string[] => {
    const v = source[name];
    return Array.isArray(v) && v.every((g) => typeof g === 'string') ? (v as string[]) : DEFAULT_FILE_SETTINGS[name];
  };
  return {
    keyPolicies: list('keyPolicies'),
    identityPolicies: list('identityPolicies'),
    grants: list('grants'),
    scenarios: list('scenarios'),
  };
}

/**
 * Tells a document's kind by content, for files no glob names: a key policy's statements name a Principal (AWS
 * requires one), an identity policy's never do; a grant is a CreateGrant request or `list-grants` output.
 */
export function kindFromContent(value: unknown): DocumentKind | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const document = value as Record<string, unknown>;
  if ('cases' in document && 'keys' in document) return 'scenarios';
  if (Array.isArray(document['Grants']) || ('GranteePrincipal' in document && 'Operations' in document)) return 'grant';
  const statement = document['Statement'];
  const statements = Array.isArray(statement) ? statement : statement ? [statement] : [];
  if (statements.length === 0) return 'Version' in document ? 'identityPolicy' : undefined;
  const named = statements.some((s) => s && typeof s === 'object' && ('Principal' in s || 'NotPrincipal' in s));
  return named ? 'keyPolicy' : 'identityPolicy';
}
