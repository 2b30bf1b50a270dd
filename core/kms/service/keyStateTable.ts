/**
 * Which operation AWS KMS allows in which key state, and how it refuses the others: the table of the AWS KMS
 * Developer Guide, "Key states of AWS KMS keys" (awsdocs/aws-kms-developer-guide@bb765b75
 * doc_source/key-state.md, April 2023). The rows below are that table as published, cell for cell; the code
 * reads them instead of restating them, so the table stays the single source of truth.
 *
 * Columns: Enabled | Disabled | PendingDeletion (and PendingReplicaDeletion) | PendingImport | Unavailable |
 * Creating | Updating. A cell is OK, OK[n] (succeeds, with footnote n), FAIL[n,...] (refused as footnote n
 * says), ?[n] (depends on the key, footnote n) or N/A (the key cannot be in that state).
 */
import { KmsError } from '../errors';
import type { KeyRecord, KeyState } from './keyRecord';

const TABLE = `
CancelKeyDeletion | FAIL[4] | FAIL[4] | OK | FAIL[4] | FAIL[4,13] | FAIL[4] | FAIL[4]
CreateAlias | OK | OK | FAIL[3] | OK | OK | OK | OK
CreateGrant | OK | FAIL[1] | FAIL[2,3] | FAIL[5] | OK | FAIL[14] | OK
Decrypt | OK | FAIL[1] | FAIL[2,3] | FAIL[5] | FAIL[11] | FAIL[14] | OK
DeleteAlias | OK | OK | OK | OK | OK | OK | OK
DeleteImportedKeyMaterial | OK[9] | OK[9] | OK[9] | OK(no effect) | N/A | FAIL[14] | FAIL[15]
DescribeKey | OK | OK | OK | OK | OK | OK | OK
DisableKey | OK | OK | FAIL[3] | FAIL[5] | OK[12] | FAIL[14] | FAIL[15]
DisableKeyRotation | ?[7] | FAIL[1,7] | FAIL[3,7] | FAIL[6] | FAIL[7] | FAIL[14] | ?[7]
EnableKey | OK | OK | FAIL[3] | FAIL[5] | OK[12] | FAIL[14] | FAIL[15]
EnableKeyRotation | ?[7] | FAIL[1,7] | FAIL[3,7] | FAIL[6] | FAIL[7] | FAIL[14] | ?[7]
Encrypt | OK | FAIL[1] | FAIL[2,3] | FAIL[5] | FAIL[11] | FAIL[14] | OK
GenerateDataKey | OK | FAIL[1] | FAIL[2,3] | FAIL[5] | FAIL[11] | FAIL[14] | OK
GenerateDataKeyPair | OK | FAIL[1] | FAIL[2,3] | FAIL[5] | FAIL[11] | FAIL[14] | OK
GenerateDataKeyPairWithoutPlaintext | OK | FAIL[1] | FAIL[2,3] | FAIL[5] | FAIL[11] | FAIL[14] | OK
GenerateDataKeyWithoutPlaintext | OK | FAIL[1] | FAIL[2,3] | FAIL[5] | FAIL[11] | FAIL[14] | OK
GenerateMac | OK | FAIL[1] | FAIL[2,3] | N/A | N/A | FAIL[14] | OK
GetKeyPolicy | OK | OK | OK | OK | OK | OK | OK
GetKeyRotationStatus | ?[7] | ?[7] | ?[7] | FAIL[6] | FAIL[7] | ?[7] | ?[7]
GetParametersForImport | ?[9] | ?[9] | FAIL[8,9] | OK | FAIL[9] | FAIL[14] | FAIL[15]
GetPublicKey | OK | FAIL[1] | FAIL[2,3] | N/A | N/A | FAIL[14] | OK
ImportKeyMaterial | ?[9] | ?[9] | FAIL[8,9] | OK | FAIL[9] | FAIL[14] | OK
ListAliases | OK | OK | OK | OK | OK | OK | OK
ListGrants | OK | OK | OK | OK | OK | OK | OK
ListKeyPolicies | OK | OK | OK | OK | OK | OK | OK
ListResourceTags | OK | OK | OK | OK | OK | OK | OK
PutKeyPolicy | OK | OK | OK | OK | OK | OK | OK
ReEncrypt | OK | FAIL[1] | FAIL[2,3] | FAIL[5] | FAIL[11] | FAIL[14] | OK
ReplicateKey | OK | FAIL[1] | FAIL[2,3] | FAIL[5] | N/A | FAIL[14] | FAIL[15]
RetireGrant | OK | OK | OK | OK | OK | OK | OK
RevokeGrant | OK | OK | OK | OK | OK | OK | OK
ScheduleKeyDeletion | OK | OK | FAIL[3] | OK | OK | OK | FAIL[15]
Sign | OK | FAIL[1] | FAIL[2,3] | N/A | N/A | FAIL[14] | OK
TagResource | OK | OK | FAIL[3] | OK | OK | OK | OK
UntagResource | OK | OK | FAIL[3] | OK | OK | OK | OK
UpdateAlias | OK | OK | ?[10] | OK | OK | OK | OK
UpdateKeyDescription | OK | OK | FAIL[3] | OK | OK | OK | OK
UpdatePrimaryRegion | OK | FAIL[1] | FAIL[2,3] | FAIL[5] | N/A | FAIL[14] | OK
Verify | OK | FAIL[1] | FAIL[2,3] | N/A | N/A | FAIL[14] | OK
VerifyMac | OK | FAIL[1] | FAIL[2,3] | N/A | N/A | FAIL[14] | OK
`;

/**
 * Operations that postdate the 2023 table take the row of the operation the current Developer Guide treats them
 * like: DeriveSharedSecret (2024) as the other operations on asymmetric keys (Sign); RotateKeyOnDemand (2024) as
 * EnableKeyRotation (its errors are the same: DisabledException, KMSInvalidStateException,
 * UnsupportedOperationException); ListKeyRotations (2024) as GetKeyRotationStatus, a read that works in every
 * state of a key that rotates.
 */
const LATER_ROWS: Readonly<Record<string, string>> = { DeriveSharedSecret: 'Sign', RotateKeyOnDemand: 'EnableKeyRotation', ListKeyRotations: 'GetKeyRotationStatus' };

/** The table's columns, in order; PendingReplicaDeletion shares PendingDeletion's column. */
const COLUMNS: readonly KeyState[][] = [['Enabled'], ['Disabled'], ['PendingDeletion', 'PendingReplicaDeletion'], ['PendingImport'], ['Unavailable'], ['Creating'], ['Updating']];

export type KeyStateCell =
  | { kind: 'ok'; notes: number[] }
  | { kind: 'fail'; notes: number[] }
  | { kind: 'conditional'; notes: number[] }
  | { kind: 'notApplicable'; notes: number[] };

function parseCell(text: string): KeyStateCell {
  const notes = [...text.matchAll(/\d+/g)].map((m) => Number(m[0]));
  if (text.startsWith('OK')) return { kind: 'ok', notes };
  if (text.startsWith('FAIL')) return { kind: 'fail', notes };
  if (text.startsWith('?')) return { kind: 'conditional', notes };
  if (text === 'N/A') return { kind: 'notApplicable', notes };
  throw new Error(`key state table: cannot read cell "${text}"`);
}

const ROWS: ReadonlyMap<string, ReadonlyMap<KeyState, KeyStateCell>> = new Map(
  TABLE.trim()
    .split('\n')
    .map((line) => {
      const [operation, ...cells] = line.split('|').map((s) => s.trim());
      if (cells.length !== COLUMNS.length) throw new Error(`key state table: row ${operation} has ${cells.length} cells`);
      const byState = new Map<KeyState, KeyStateCell>();
      cells.forEach((cell, i) => COLUMNS[i]!.forEach((state) => byState.set(state, parseCell(cell))));
      return [operation!, byState] as const;
    }),
);

/** The operations the table has a row for, DeriveSharedSecret included. */
export function keyStateTableOperations(): string[] {
  return [...ROWS.keys(), ...Object.keys(LATER_ROWS)];
}

export function keyStateCell(operation: string, state: KeyState): KeyStateCell | undefined {
  return ROWS.get(LATER_ROWS[operation] ?? operation)?.get(state);
}

/** The rows as published, for tests that compare them with the reference copy. */
export function keyStateTableText(): string {
  return TABLE.trim();
}

/** The footnotes that name an exception, with AWS's message. */
const FOOTNOTES: Readonly<Record<number, { exception: string; message: (arn: string, state: KeyState) => string }>> = {
  1: { exception: 'DisabledException', message: (arn) => `${arn} is disabled.` },
  2: { exception: 'DisabledException', message: (arn, state) => `${arn} is ${pendingWhat(state)}.` },
  3: { exception: 'KMSInvalidStateException', message: (arn, state) => `${arn} is ${pendingWhat(state)}.` },
  4: { exception: 'KMSInvalidStateException', message: (arn, state) => `${arn} is not ${state === 'PendingReplicaDeletion' ? 'pending replica deletion' : 'pending deletion'}.` },
  5: { exception: 'KMSInvalidStateException', message: (arn) => `${arn} is pending import.` },
  6: { exception: 'UnsupportedOperationException', message: (arn) => `${arn} origin is EXTERNAL which is not valid for this operation.` },
  11: { exception: 'KMSInvalidStateException', message: (arn) => `${arn} is unavailable.` },
  14: { exception: 'KMSInvalidStateException', message: (arn) => `${arn} is creating.` },
  15: { exception: 'KMSInvalidStateException', message: (arn) => `${arn} is updating.` },
};

function pendingWhat(state: KeyState): string {
  return state === 'PendingReplicaDeletion' ? 'pending replica deletion' : 'pending deletion';
}

/**
 * The footnote a FAIL cell is raised as. Where the table says "[2] or [3]" (DisabledException or
 * KMSInvalidStateException for a key pending deletion), AWS answers KMSInvalidStateException: that is what
 * LocalStack's tests recorded against AWS for Encrypt, Decrypt, Sign and the data key operations, and what the
 * other pending-deletion cells ([3]) say. Other cells name one footnote with an exception first.
 */
function refusalNote(cell: KeyStateCell): number | undefined {
  if (cell.notes.includes(3)) return 3;
  return cell.notes.find((n) => FOOTNOTES[n] !== undefined);
}

/**
 * The exception the table gives for `operation` on a key in `state`, or undefined when the operation may go on.
 * A conditional cell (?[n]) goes on here; the operation decides the condition. N/A cells name states a key of
 * that kind could not be in when the table was written (an HMAC or asymmetric key pending import); this KMS
 * refuses them as the column's other operations do ([5] pending import, [11] unavailable).
 */
export function keyStateRefusal(operation: string, state: KeyState, keyArn: string): KmsError | undefined {
  const cell = keyStateCell(operation, state);
  if (!cell) throw new Error(`the key state table has no row for ${operation}`);
  if (cell.kind === 'ok' || cell.kind === 'conditional') return undefined;
  const note = cell.kind === 'notApplicable' ? (state === 'PendingImport' ? 5 : state === 'Unavailable' ? 11 : undefined) : refusalNote(cell);
  const footnote = note !== undefined ? FOOTNOTES[note] : undefined;
  if (!footnote) return new KmsError('KMSInvalidStateException', `${keyArn} is ${state}.`);
  return new KmsError(footnote.exception, footnote.message(keyArn, state));
}

/**
 * Note 10 of UpdateAlias: the key an alias moves to may not be pending deletion; AWS refuses it as note 3 says.
 */
export function pendingDeletionRefusal(keyArn: string, state: KeyState): KmsError | undefined {
  if (state !== 'PendingDeletion' && state !== 'PendingReplicaDeletion') return undefined;
  return new KmsError(FOOTNOTES[3]!.exception, FOOTNOTES[3]!.message(keyArn, state));
}

/** What the conditional footnotes look at: where the key's material comes from. */
export type KeyKind = Pick<KeyRecord, 'arn' | 'keyState' | 'origin'> & { customKeyStoreId?: string | undefined };

function originRefusal(key: KeyKind): KmsError {
  return new KmsError('UnsupportedOperationException', `${key.arn} origin is ${key.origin} which is not valid for this operation.`);
}

/**
 * The table's answer for `operation` on `key`, the conditional footnotes resolved against the key itself:
 *
 * - [7] (rotation): a key with imported material or in a custom key store is refused with
 *   UnsupportedOperationException, whatever its state;
 * - [9] (import): a key that cannot have imported material (origin other than EXTERNAL) likewise;
 * - [8] (import, pending deletion): a key with imported material is refused with KMSInvalidStateException.
 *
 * The kind of key is checked before its state, so an imported key that is also disabled hears that it cannot
 * rotate at all rather than that it is disabled.
 */
export function keyStateRefusalFor(operation: string, key: KeyKind): KmsError | undefined {
  const cell = keyStateCell(operation, key.keyState);
  if (!cell) throw new Error(`the key state table has no row for ${operation}`);
  if (cell.notes.includes(7) && (key.origin === 'EXTERNAL' || key.origin === 'EXTERNAL_KEY_STORE' || key.origin === 'AWS_CLOUDHSM' || key.customKeyStoreId)) return originRefusal(key);
  if (cell.notes.includes(9) && key.origin !== 'EXTERNAL') return originRefusal(key);
  if (cell.notes.includes(8) && key.origin === 'EXTERNAL') return new KmsError(FOOTNOTES[3]!.exception, FOOTNOTES[3]!.message(key.arn, key.keyState));
  if (cell.kind === 'fail' && cell.notes.every((n) => n >= 7 && n <= 9)) {
    // The condition does not hold for this key, and no other footnote says how to refuse: the column's usual answer.
    return keyStateRefusal(key.keyState === 'Unavailable' ? 'Encrypt' : 'DescribeKey', key.keyState, key.arn) ?? new KmsError('KMSInvalidStateException', `${key.arn} is ${key.keyState}.`);
  }
  return keyStateRefusal(operation, key.keyState, key.arn);
}

/** Throws the table's exception when `operation` may not act on `key` in its current state. */
export function checkKeyState(operation: string, key: KeyRecord): void {
  const refusal = keyStateRefusalFor(operation, key);
  if (refusal) throw refusal;
}
