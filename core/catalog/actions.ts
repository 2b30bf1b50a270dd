import { catalogData } from './catalogData';

/** Access levels as the Service Authorization Reference names them; an action can have two. */
export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

export interface KmsAction {
  /** The canonical spelling without the service prefix, e.g. `Decrypt`. */
  name: string;
  /** `kms:Decrypt`. */
  fullName: string;
  accessLevels: AccessLevel[];
  /** Resource types the action acts on (`key`, `alias`); empty for account-level actions such as CreateKey. */
  resourceTypes: { name: string; required: boolean }[];
  /** Action-level condition keys, as the reference spells them (patterns keep `${EncryptionContextKey}`). */
  conditionKeys: string[];
  dependentActions: string[];
  /** Whether a grant can allow it (the CreateGrant `Operations` enum). */
  grantOperation: boolean;
  /** Whether a principal in another account can be allowed to call it on a key. */
  crossAccount: boolean;
  /** Whether the request carries an EncryptionContext, so grant constraints and context keys apply. */
  takesEncryptionContext: boolean;
  /** Whether the action is authorized against a KMS key (so the key policy decides). */
  actsOnKey: boolean;
}

const byLowerName = new Map<string, KmsAction>();
for (const record of catalogData.actions) {
  const action: KmsAction = {
    name: record.name,
    fullName: `kms:${record.name}`,
    accessLevels: record.accessLevel.split(',').map((s) => s.trim() as AccessLevel),
    resourceTypes: record.resourceTypes,
    conditionKeys: record.conditionKeys,
    dependentActions: record.dependentActions,
    grantOperation: record.grantOperation,
    crossAccount: record.crossAccount,
    takesEncryptionContext: record.takesEncryptionContext,
    actsOnKey: record.resourceTypes.some((r) => r.name === 'key'),
  };
  byLowerName.set(action.fullName.toLowerCase(), action);
}

/**
 * Looks up a KMS action by `kms:Name` or bare `Name`, case-insensitively: IAM matches action names without
 * regard to case (IAM User Guide, Action element).
 */
export function findAction(name: string): KmsAction | undefined {
  const lower = name.toLowerCase();
  return byLowerName.get(lower.startsWith('kms:') ? lower : `kms:${lower}`);
}

export function allActions(): readonly KmsAction[] {
  return [...byLowerName.values()];
}

/** The operations a grant can allow, spelled as the API spells them (`Decrypt`, not `kms:Decrypt`). */
export function grantOperationNames(): string[] {
  return allActions()
    .filter((a) => a.grantOperation)
    .map((a) => a.name);
}
