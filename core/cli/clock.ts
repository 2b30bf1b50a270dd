/**
 * `kms-studio clock`: the sandbox clock of a store folder, shared by every process using the store, so a user can
 * watch what takes days in AWS (the deletion waiting period, automatic rotation) happen at once:
 *
 *   kms-studio kms ScheduleKeyDeletion --store DIR --input '{"KeyId": "...", "PendingWindowInDays": 7}'
 *   kms-studio clock --store DIR advance 8
 *   kms-studio kms DescribeKey --store DIR --input '{"KeyId": "..."}'    → NotFoundException
 *
 * The first line printed is the sandbox time, ISO 8601, for scripts; the lines after it say what is pending.
 * Nothing here calls the KMS: a key whose deletion date has passed is deleted (and the DeleteKey event logged)
 * by the next request to the store, as the KMS sweeps before every call.
 */
import { SandboxClock } from '../kms/clock';
import type { KeyRecord } from '../kms/service';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIo, parseCommandArgs } from './io';
import type { Command } from './main';
import { asStoreProblem, openStore } from './openKms';

const MS_PER_DAY = 24 * 60 * 60 * 1000;

function days(ms: number): string {
  const d = Math.round((ms / MS_PER_DAY) * 1000) / 1000;
  return `${d} day${d === 1 ? '' : 's'}`;
}

function parseDays(value: string | undefined): number {
  if (value === undefined) throw new UsageError('advance needs a number of days: clock --store DIR advance 30');
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n)) throw new UsageError(`advance: "${value}" is not a number of days >= 0 (fractions allowed: 0.5 is 12 hours)`);
  return n;
}

/** What the new time means for the keys: deletions, rotations and expiries now due, and the next ones to come. */
function pendingLines(records: readonly KeyRecord[], now: number): string[] {
  const lines: string[] = [];
  for (const r of records) {
    if ((r.keyState === 'PendingDeletion' || r.keyState === 'PendingReplicaDeletion') && r.deletionDate) {
      const at = Date.parse(r.deletionDate);
      lines.push(
        at <= now
          ? `  key ${r.keyId} (${r.region}): deletion date ${r.deletionDate} has passed; the next request to the store deletes it`
          : `  key ${r.keyId} (${r.region}): pending deletion, deleted in ${days(at - now)} (${r.deletionDate})`,
      );
    }
    if (r.rotation?.enabled && r.rotation.nextRotationDate && r.keyState === 'Enabled') {
      const at = Date.parse(r.rotation.nextRotationDate);
      lines.push(
        at <= now
          ? `  key ${r.keyId} (${r.region}): automatic rotation was due ${r.rotation.nextRotationDate}; the next request to the store rotates it`
          : `  key ${r.keyId} (${r.region}): next automatic rotation in ${days(at - now)} (${r.rotation.nextRotationDate})`,
      );
    }
    if (r.expirationModel === 'KEY_MATERIAL_EXPIRES' && r.validTo && r.currentKeyMaterialId !== undefined && r.keyState !== 'PendingImport') {
      const at = Date.parse(r.validTo);
      lines.push(
        at <= now
          ? `  key ${r.keyId} (${r.region}): imported key material expired ${r.validTo}; the next request to the store deletes it`
          : `  key ${r.keyId} (${r.region}): imported key material expires in ${days(at - now)} (${r.validTo})`,
      );
    }
  }
  return lines;
}

function report(io: CliIo, clock: SandboxClock, records: readonly KeyRecord[]): void {
  const now = clock.now();
  const offset = clock.offsetMs();
  io.stdout(`${now.toISOString()}\n`);
  io.stdout(offset === 0 ? '  sandbox time is system time\n' : `  sandbox time is system time + ${days(offset)}\n`);
  for (const line of pendingLines(records, now.getTime())) io.stdout(line + '\n');
}

export const clockCommand: Command = {
  summary: "show or move a KMS store's sandbox clock, to watch key deletion and rotation happen without waiting",
  usage: 'kms-studio clock --store DIR show|advance DAYS|reset [--root-key-file FILE]',
  async run(args: string[], io: CliIo): Promise<number> {
    const parsed = parseCommandArgs(args, { store: { type: 'string' }, 'root-key-file': { type: 'string' } });
    const { values, positionals } = parsed;
    const [action, ...rest] = positionals;
    if (action === undefined) throw new UsageError('name an action: show, advance DAYS or reset');
    if (action !== 'show' && action !== 'advance' && action !== 'reset') throw new UsageError(`unknown action '${action}'; the actions are show, advance DAYS and reset`);
    const amount = action === 'advance' ? parseDays(rest.shift()) : undefined;
    if (rest.length > 0) throw new UsageError(`unexpected ${rest.map((r) => `'${r}'`).join(' ')} after ${action}`);
    if (values.store === undefined || values.store === '') throw new UsageError('--store DIR is required');

    try {
      const store = openStore(io, { store: values.store, ...(values['root-key-file'] !== undefined ? { rootKeyFile: values['root-key-file'] } : {}), create: false });
      const clock = new SandboxClock(store);
      if (action === 'advance') clock.advance(amount!);
      else if (action === 'reset') clock.reset();
      report(io, clock, store.listKeys().map((k) => k.record));
      return EXIT_OK;
    } catch (e) {
      const problem = asStoreProblem(e);
      if (!problem) throw e;
      io.stderr(`kms-studio clock: ${problem.message}\n`);
      return EXIT_USAGE;
    }
  },
};
