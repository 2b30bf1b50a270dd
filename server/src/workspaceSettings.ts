import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeRuleConfigs, readRuleConfig, type RuleConfig } from '../../core/lint/ruleConfig';
import { readWorkspaceConfig, WORKSPACE_CONFIG_FILE } from '../../core/language/workspaceConfig';
import { DocumentClassifier, fileSettingsFrom, type DocumentKind, type FileSettings } from '../../core/policy/documentKind';

interface FolderConfig {
  folder: string;
  configFile: string;
  /** The file's rules (none when it is missing or malformed). */
  rules: RuleConfig;
  /** The file's globs, when it sets any. */
  files?: FileSettings;
  classifier?: DocumentClassifier;
  /** The file's rules under the editor settings, as one object, so lint results can be cached against it. */
  merged: RuleConfig;
  /** The file's text as last read: an unchanged file is not re-read into new objects or re-logged. */
  text?: string;
}

/**
 * What decides how a document is checked: its kind (from the file globs) and its rule levels. The workspace
 * folder's `.kmsstudio.json` gives rules, with the editor's `kmsStudio.lint.rules` over them (settings win, as
 * the manifest says); globs the file sets win over the editor's, as they do for the CLI. A malformed file never
 * stops the server: its problems are logged, and its readable parts still apply.
 */
export class WorkspaceSettings {
  private editorRules: RuleConfig = {};
  private editorClassifier = new DocumentClassifier();
  private folders: FolderConfig[] = [];
  private readonly noFolder: { merged: RuleConfig } = { merged: {} };

  constructor(private readonly log: (message: string) => void) {}

  setFolders(folders: readonly string[]): void {
    this.folders = folders.map((folder) => ({ folder, configFile: path.join(folder, WORKSPACE_CONFIG_FILE), rules: {}, merged: {} }));
    this.reloadConfigFiles();
    this.remerge();
  }

  /** `kmsStudio.files` from initializationOptions or didChangeConfiguration. */
  setEditorFiles(value: unknown): void {
    this.editorClassifier = new DocumentClassifier(fileSettingsFrom(value));
  }

  /** `kmsStudio.lint.rules` from initializationOptions or didChangeConfiguration. */
  setEditorRules(value: unknown): void {
    const { rules, problems } = readRuleConfig(value);
    for (const p of problems) this.log(`kmsStudio.lint.rules: ${p.message}`);
    this.editorRules = rules;
    this.remerge();
  }

  /** Reads every folder's `.kmsstudio.json` again; returns whether anything it says changed. */
  reloadConfigFiles(): boolean {
    let changed = false;
    for (const config of this.folders) {
      let text: string | undefined;
      try {
        text = fs.readFileSync(config.configFile, 'utf8');
      } catch {
        text = undefined;
      }
      if (text === config.text && 'text' in config) continue;
      config.text = text;
      const before = JSON.stringify([config.rules, config.files]);
      const read = text === undefined ? undefined : readWorkspaceConfig(text);
      for (const p of read?.problems ?? []) this.log(`${config.configFile}: ${p}`);
      config.rules = read?.rules ?? {};
      config.files = read?.files;
      config.classifier = read?.files ? new DocumentClassifier(read.files) : undefined;
      if (JSON.stringify([config.rules, config.files]) !== before) changed = true;
    }
    // Cached lint results are keyed by the merged object: keep it unless the rules really changed.
    if (changed) this.remerge();
    return changed;
  }

  private remerge(): void {
    for (const config of this.folders) config.merged = mergeRuleConfigs(config.rules, this.editorRules);
    this.noFolder.merged = mergeRuleConfigs(this.editorRules);
  }

  /** Whether a path is the configuration file of a workspace folder. */
  isConfigFile(file: string): boolean {
    return this.folders.some((c) => c.configFile === file);
  }

  /** The innermost workspace folder containing the file. */
  private folderOf(file: string): FolderConfig | undefined {
    let best: FolderConfig | undefined;
    for (const config of this.folders) {
      const prefix = config.folder.endsWith(path.sep) ? config.folder : config.folder + path.sep;
      if ((file === config.folder || file.startsWith(prefix)) && (!best || config.folder.length > best.folder.length)) best = config;
    }
    return best;
  }

  rulesFor(file: string): RuleConfig {
    return (this.folderOf(file) ?? this.noFolder).merged;
  }

  classify(file: string): DocumentKind | undefined {
    return (this.folderOf(file)?.classifier ?? this.editorClassifier).classify(file);
  }
}
