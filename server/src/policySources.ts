import * as fs from 'node:fs';
import type { TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';

/**
 * Reads the policy files scenario files name: from the editor when the file is open there (so an unsaved edit
 * to a policy shows up in its scenarios at once), from disk otherwise. Every read leaves a fingerprint, so a
 * scenario's results can tell when a file they were computed from has changed since.
 */
export class PolicySources {
  constructor(private readonly documents: TextDocuments<TextDocument>) {}

  /** The file system path of a document URI; for other schemes the URI's path. */
  static pathOf(uri: string): string {
    const parsed = URI.parse(uri);
    return parsed.scheme === 'file' ? parsed.fsPath : parsed.path;
  }

  private openDocument(file: string): TextDocument | undefined {
    return this.documents.all().find((d) => PolicySources.pathOf(d.uri) === file);
  }

  /** Reads a file; throws as fs does (the scenario loader turns that into a problem on the policy path). */
  read(file: string, fingerprints: Map<string, string>): string {
    const open = this.openDocument(file);
    if (open) {
      fingerprints.set(file, `open:${open.uri}:${open.version}`);
      return open.getText();
    }
    fingerprints.set(file, this.diskFingerprint(file));
    return fs.readFileSync(file, 'utf8');
  }

  /** What `read` would record for the file now. */
  fingerprint(file: string): string {
    const open = this.openDocument(file);
    return open ? `open:${open.uri}:${open.version}` : this.diskFingerprint(file);
  }

  private diskFingerprint(file: string): string {
    try {
      const stat = fs.statSync(file);
      return `disk:${stat.mtimeMs}:${stat.size}`;
    } catch (e) {
      return `missing:${(e as NodeJS.ErrnoException).code ?? 'error'}`;
    }
  }

  /** Whether every file a result was computed from still reads the same. */
  unchanged(fingerprints: ReadonlyMap<string, string>): boolean {
    for (const [file, print] of fingerprints) if (this.fingerprint(file) !== print) return false;
    return true;
  }
}
