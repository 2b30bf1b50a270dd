/**
 * Which key a command acts on: the tree node it was run from, the `keyId` (and `region`) of its arguments, or
 * the person's choice in a quick pick of the keys that fit the command (the one used last offered first).
 */
import * as vscode from 'vscode';
import { keyPickText } from '../model/keyPresentation';
import { isKeyTreeNode, keyOfNode, type KeyEntry } from '../tree/keyNodes';
import { pickOne, type PickItem } from '../ui/prompts';
import type { CommandContext } from './commandContext';

export interface KeyTarget {
  /** What the KMS is given: a key ID, key ARN or alias name. */
  keyId: string;
  region: string;
  /** The key as the explorer read it, when it is in the store. */
  entry?: KeyEntry;
}

export interface KeyChoice {
  title: string;
  placeHolder?: string;
  /** Keys the command can act on; others are not offered. */
  fits?: (entry: KeyEntry) => boolean;
  /** Says what kind of key is needed, when no key fits. */
  needs?: string;
  /** workspaceState key remembering the last choice. */
  remember?: string;
}

interface Remembered {
  keyId: string;
  region: string;
}

function regionOfArn(text: string): string | undefined {
  return /^arn:[^:]+:kms:([^:]+):/.exec(text)?.[1];
}

/** A keyId (ID, ARN or alias) and optional region given as arguments, resolved against the explorer's keys. */
export async function keyFromArguments(ctx: CommandContext, keyId: string, region?: string): Promise<KeyTarget> {
  const where = region ?? regionOfArn(keyId) ?? ctx.host.region();
  const record = await ctx.host.keyRecord(keyId, where).catch(() => undefined);
  const entry = record ? (await ctx.tree.keys()).find((e) => e.region === record.region && e.keyId === record.keyId) : undefined;
  return { keyId, region: where, ...(entry ? { entry } : {}) };
}

export async function chooseKey(ctx: CommandContext, arg: unknown, choice: KeyChoice): Promise<KeyTarget> {
  if (isKeyTreeNode(arg)) {
    const entry = keyOfNode(arg);
    if (entry) return { keyId: entry.keyId, region: entry.region, entry };
  }
  const given = arg && typeof arg === 'object' ? (arg as { keyId?: unknown; region?: unknown }) : undefined;
  if (typeof given?.keyId === 'string' && given.keyId !== '') {
    return keyFromArguments(ctx, given.keyId, typeof given.region === 'string' ? given.region : undefined);
  }
  const all = await ctx.tree.keys();
  const fitting = choice.fits ? all.filter(choice.fits) : all;
  if (fitting.length === 0) {
    const what = choice.needs ? ` ${choice.needs}` : '';
    throw new Error(`There is no key${what} in the KMS yet: create one with KMS: Create Key${all.length > 0 && choice.needs ? ' (or pick another operation)' : ''}.`);
  }
  const remembered = choice.remember ? ctx.state.get<Remembered>(choice.remember) : undefined;
  const isRemembered = (e: KeyEntry): boolean => !!remembered && e.keyId === remembered.keyId && e.region === remembered.region;
  const ordered = [...fitting.filter(isRemembered), ...fitting.filter((e) => !isRemembered(e))];
  const items: PickItem<KeyEntry>[] = ordered.map((entry) => {
    const text = keyPickText(entry);
    return { ...text, description: `${text.description}${isRemembered(entry) ? ' · used last' : ''}`, value: entry };
  });
  const entry = await pickOne(items, { title: choice.title, placeHolder: choice.placeHolder ?? 'Choose a key' });
  if (choice.remember) await ctx.state.update(choice.remember, { keyId: entry.keyId, region: entry.region } satisfies Remembered);
  return { keyId: entry.keyId, region: entry.region, entry };
}

/** Runs `task` with a progress notification titled `title`: for calls that may take a moment (key generation). */
export function withProgress<T>(title: string, task: () => Promise<T>): Promise<T> {
  return Promise.resolve(vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, task));
}

/**
 * The key ID to give operations that take only a key ID or key ARN (CancelKeyDeletion, ScheduleKeyDeletion,
 * EnableKeyRotation, …): the resolved key's ID when the target named it by alias.
 */
export function keyIdOf(target: KeyTarget): string {
  return target.entry?.keyId ?? target.keyId;
}

/** A short name of a key for messages: its first alias, else its ID. */
export function keyName(target: KeyTarget): string {
  return target.entry?.aliases[0] ?? target.entry?.keyId ?? target.keyId;
}
