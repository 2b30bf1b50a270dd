/**
 * The KMS's notion of "now". Everything time-based in the KMS (key rotation, the deletion waiting period, grant
 * and audit timestamps) reads this interface instead of `Date.now()`, so tests can fix time and a sandbox can move
 * it forward: `kms-studio clock --store DIR advance 30` makes a 30-day deletion window elapse without waiting.
 */
export interface Clock {
  now(): Date;
}

const MS_PER_DAY = 24 * 60 * 60 * 1000;

/** Real time. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock that moves only when told to: for tests. */
export class ManualClock implements Clock {
  private ms: number;

  constructor(start: Date | string | number = '2024-01-01T00:00:00.000Z') {
    this.ms = toMs(start, 'start');
  }

  now(): Date {
    return new Date(this.ms);
  }

  set(time: Date | string | number): void {
    this.ms = toMs(time, 'time');
  }

  advanceMs(ms: number): Date {
    this.ms += nonNegative(ms, 'ms');
    return this.now();
  }

  advance(days: number): Date {
    return this.advanceMs(nonNegative(days, 'days') * MS_PER_DAY);
  }
}

/**
 * Where a sandbox clock keeps its offset. The store implements it (DIR/clock.json), so every process sharing a
 * store shares one sandbox time. `withLock` makes read-offset-then-write-offset atomic across processes.
 */
export interface ClockOffsetStore {
  readClockOffset(): number;
  writeClockOffset(offsetMs: number): void;
  withLock<T>(fn: () => T): T;
}

/**
 * System time plus an offset persisted in the store. The offset is re-read on every `now()` rather than cached,
 * so a VS Code window sees `kms-studio clock advance` from a terminal at once. The offset only grows (or resets to
 * zero): AWS time never runs backwards, and a key whose deletion already happened must not come back.
 */
export class SandboxClock implements Clock {
  constructor(
    private readonly offsets: ClockOffsetStore,
    private readonly base: Clock = systemClock,
  ) {}

  now(): Date {
    return new Date(this.base.now().getTime() + this.offsets.readClockOffset());
  }

  offsetMs(): number {
    return this.offsets.readClockOffset();
  }

  /** Moves sandbox time forward by `days` (fractions allowed) and returns the new time. */
  advance(days: number): Date {
    const delta = nonNegative(days, 'days') * MS_PER_DAY;
    this.offsets.withLock(() => this.offsets.writeClockOffset(this.offsets.readClockOffset() + delta));
    return this.now();
  }

  /** Back to system time. */
  reset(): void {
    this.offsets.withLock(() => this.offsets.writeClockOffset(0));
  }
}

function toMs(value: Date | string | number, name: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : value;
  if (!Number.isFinite(ms)) throw new RangeError(`${name} is not a valid time: ${String(value)}`);
  return ms;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
  return value;
}
