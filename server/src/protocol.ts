/**
 * What the client and the server say to each other beyond LSP itself. Both sides import this file, so a
 * change of shape is a compile error on both.
 */
import type { FileSettings } from '../../core/policy/documentKind';

/** `initializationOptions` and the `kmsStudio` settings section as the server reads them. */
export interface ServerSettings {
  files: FileSettings;
}

/** The `source` of every diagnostic KMS Studio publishes. */
export const DIAGNOSTIC_SOURCE = 'kms-studio';
