/**
 * The audit log: CloudTrail-shaped events as JSON Lines, one file per UTC day of the event's time
 * (`DIR/audit/YYYY-MM-DD.jsonl`), so reading "since" a date skips older files and a file stays small.
 *
 * Appends take no lock. Each event is one write(2) of one complete line to a file opened with O_APPEND: the
 * kernel moves to the end and writes as one step, and on Linux a write to a regular file holds the inode's lock
 * for its whole length, so lines from processes appending at once never overwrite or interleave. (POSIX promises
 * this only for pipes up to PIPE_BUF; this relies on the local file systems of Linux and macOS, not on NFS.)
 * SIGKILL cannot tear a line, as a signal is delivered after the system call returns; a power loss can leave a
 * last line without its newline; the next append closes it off with a newline first, and readers skip it
 * (reporting it in `skipped`).
 * Appends are not fsynced: losing the last events to a power cut is the price of not paying an fsync per request
 * (CloudTrail itself delivers with minutes of delay).
 *
 * The day's file stays open between appends (dispose() closes it, and so does the log being garbage-collected):
 * opening, checking and closing it per event cost more than writing the line. Each append still looks at the path
 * first, so a file removed or replaced meanwhile (the folder cleared, a log rotated away) is opened anew, exactly
 * where an append that opened the path itself would have written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Clock } from '../clock';
import { buildAuditEvent, type AuditEvent, type AuditInput, type EventIds } from './auditEvent';
import { auditEventJson, isAuditEventJson } from './auditEventJson';
import { deepFreeze } from '../deepFreeze';

export type AuditOutcome = 'success' | 'failure' | 'accessDenied';

export interface AuditFilter {
  /** A key ID or key ARN: events whose resource or requested keyId is that key. */
  keyId?: string;
  since?: Date | string;
  until?: Date | string;
  /** One operation (eventName) or several. */
  operation?: string | readonly string[];
  /** `failure` is any error; `accessDenied` only AccessDeniedException. */
  outcome?: AuditOutcome;
  region?: string;
  /** Keep only the newest `limit` events (still oldest first). */
  limit?: number;
}

export interface AuditLog {
  append(event: AuditEvent): void;
  /** Events matching the filter, oldest first. */
  read(filter?: AuditFilter): AuditEvent[];
}

/** A line a read skipped: torn by a power loss during an append, or damaged. */
export interface SkippedLine {
  file: string;
  line: number;
  problem: string;
}

function toTime(value: Date | string, name: string): number {
  const ms = value instanceof Date ? value.getTime() : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid time: ${String(value)}`);
  return ms;
}

function keyMatches(event: AuditEvent, keyId: string): boolean {
  const matches = (candidate: unknown): boolean =>
    typeof candidate === 'string' && (candidate === keyId || candidate.endsWith(`:key/${keyId}`) || keyId.endsWith(`:key/${candidate}`));
  return (event.resources ?? []).some((resource) => matches(resource.ARN)) || matches(event.requestParameters?.['keyId']);
}

/** The filter as a predicate; invalid times are refused here, whether or not any event would reach them. */
export function auditPredicate(filter: AuditFilter): (event: AuditEvent) => boolean {
  const since = filter.since !== undefined ? toTime(filter.since, 'since') : undefined;
  const until = filter.until !== undefined ? toTime(filter.until, 'until') : undefined;
  const operations = filter.operation === undefined ? undefined : typeof filter.operation === 'string' ? [filter.operation] : filter.operation;
  return (event) => {
    const time = Date.parse(event.eventTime);
    if (since !== undefined && time < since) return false;
    if (until !== undefined && time > until) return false;
    if (filter.region !== undefined && event.awsRegion !== filter.region) return false;
    if (operations !== undefined && !operations.includes(event.eventName)) return false;
    if (filter.outcome === 'success' && event.errorCode !== undefined) return false;
    if (filter.outcome === 'failure' && event.errorCode === undefined) return false;
    if (filter.outcome === 'accessDenied' && event.errorCode !== 'AccessDeniedException') return false;
    if (filter.keyId !== undefined && !keyMatches(event, filter.keyId)) return false;
    return true;
  };
}

/** Filters, orders oldest first (stable, so events of the same second keep their order) and limits. */
export function filterAuditEvents(events: Iterable<AuditEvent>, filter: AuditFilter = {}): AuditEvent[] {
  const selected = [...events].filter(auditPredicate(filter));
  selected.sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
  return filter.limit !== undefined ? selected.slice(Math.max(0, selected.length - filter.limit)) : selected;
}

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/;

/** The day file a FileAuditLog holds open, and which file it is (device and inode), to tell when the path moved on. */
interface OpenDayFile {
  day: string;
  file: string;
  fd: number;
  dev: number;
  ino: number;
  /** The file's size after this log's last line was written: while it still is, the file ends with that newline. */
  endOfOwnLine?: number;
}

/** Closes the file of a log that was dropped without dispose(). */
const closeDropped = new FinalizationRegistry<number>((fd) => {
  try {
    fs.closeSync(fd);
  } catch {
    // Nothing is left to do for a log no one holds.
  }
});

export class FileAuditLog implements AuditLog {
  private openDay: OpenDayFile | undefined;
  private readonly lastByte = Buffer.alloc(1);

  constructor(readonly dir: string) {}

  append(event: AuditEvent): void {
    const day = event.eventTime.slice(0, 10);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new RangeError(`eventTime ${event.eventTime} is not an ISO time`);
    const { fd, size } = this.dayFile(day);
    try {
      let line = auditEventJson(event) + '\n';
      // A file that still ends where this log's last line ended ends with its newline: nothing to look at.
      if (size > 0 && size !== this.openDay?.endOfOwnLine) {
        fs.readSync(fd, this.lastByte, 0, 1, size - 1);
        if (this.lastByte[0] !== 0x0a) line = '\n' + line; // close off a line torn by a power loss
      }
      const bytes = Buffer.from(line, 'utf8');
      const written = fs.writeSync(fd, bytes);
      if (written !== bytes.length) throw new Error(`Short write to the audit log (${written} of ${bytes.length} bytes); the disk may be full`);
      // Another process may have appended meanwhile (the size is then larger): only an exact match is trusted.
      if (this.openDay) this.openDay.endOfOwnLine = size + written;
    } catch (error) {
      // Start from the path again next time, as a fresh open would.
      this.dispose();
      throw error;
    }
  }

  /**
   * The open file of `day` and its current size. The path is looked at on every append: while it still names the
   * file held open, that file is used; otherwise (removed, replaced, another day) the path is opened as an append
   * always opened it, creating the folder and the file where missing.
   */
  private dayFile(day: string): { fd: number; size: number } {
    const held = this.openDay;
    if (held && held.day === day) {
      // The held file stays open, so its inode number cannot be given to another file while it is compared.
      const stat = fs.statSync(held.file, { throwIfNoEntry: false });
      if (stat && stat.ino === held.ino && stat.dev === held.dev) return { fd: held.fd, size: stat.size };
    }
    this.dispose();
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = path.join(this.dir, `${day}.jsonl`);
    const fd = fs.openSync(file, 'a+', 0o600);
    try {
      const stat = fs.fstatSync(fd);
      this.openDay = { day, file, fd, dev: stat.dev, ino: stat.ino };
      closeDropped.register(this, fd, this);
      return { fd, size: stat.size };
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  /** Closes the day file held open; the next append opens it again. */
  dispose(): void {
    const held = this.openDay;
    if (!held) return;
    this.openDay = undefined;
    closeDropped.unregister(this);
    fs.closeSync(held.fd);
  }

  /**
   * Lines the last read() skipped. A torn line is skipped rather than failing the read, so one power cut does not
   * make the whole log unreadable; this says where it was.
   */
  skipped: SkippedLine[] = [];

  read(filter: AuditFilter = {}): AuditEvent[] {
    this.skipped = [];
    const sinceDay = filter.since !== undefined ? new Date(toTime(filter.since, 'since')).toISOString().slice(0, 10) : undefined;
    const untilDay = filter.until !== undefined ? new Date(toTime(filter.until, 'until')).toISOString().slice(0, 10) : undefined;
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const events: AuditEvent[] = [];
    for (const name of names.sort()) {
      const day = DAY_FILE.exec(name)?.[1];
      if (!day || (sinceDay && day < sinceDay) || (untilDay && day > untilDay)) continue;
      events.push(...this.readFile(path.join(this.dir, name)));
    }
    return filterAuditEvents(events, filter);
  }

  private readFile(file: string): AuditEvent[] {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const events: AuditEvent[] = [];
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let event: unknown;
      try {
        event = JSON.parse(line);
      } catch {
        this.skipped.push({ file, line: i + 1, problem: 'not JSON (a torn or damaged line)' });
        return;
      }
      const candidate = event as Partial<AuditEvent> | null;
      if (!candidate || typeof candidate !== 'object' || typeof candidate.eventName !== 'string' || typeof candidate.eventTime !== 'string') {
        this.skipped.push({ file, line: i + 1, problem: 'not an audit event (no eventName or eventTime)' });
        return;
      }
      events.push(candidate as AuditEvent);
    });
    return events;
  }
}

export class MemoryAuditLog implements AuditLog {
  private readonly events: AuditEvent[] = [];

  append(event: AuditEvent): void {
    // Kept as the event itself, frozen through (buildAuditEvent's are already), so a reader cannot change what
    // was recorded; and as its JSON text would read back, so a reader gets what the file log would give.
    this.events.push(deepFreeze(jsonCopyIfNeeded(event)));
  }

  read(filter: AuditFilter = {}): AuditEvent[] {
    return filterAuditEvents(this.events, filter);
  }
}

/**
 * The event as JSON would give it back: the event itself when it is JSON data already (the events of
 * buildAuditEvent are: strings, numbers, booleans, null, plain objects and arrays), a parsed copy otherwise.
 */
function jsonCopyIfNeeded(event: AuditEvent): AuditEvent {
  return isAuditEventJson(event) ? event : (JSON.parse(JSON.stringify(event)) as AuditEvent);
}

/** Builds events with the KMS clock's time and appends them: what the KMS operations call. */
export class AuditRecorder {
  constructor(
    readonly log: AuditLog,
    private readonly clock: Clock,
    private readonly ids?: EventIds,
  ) {}

  record(input: AuditInput): AuditEvent {
    const event = buildAuditEvent(input, this.clock.now(), this.ids);
    this.log.append(event);
    return event;
  }
}
