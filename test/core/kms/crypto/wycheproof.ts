/**
 * Loading of Project Wycheproof vector files from test/fixtures/wycheproof (see the README there for where they
 * come from), and the bookkeeping every vector test shares: counting outcomes so each test can assert it ran as
 * many vectors as the file holds, and flipping bits for the negative case of each valid vector.
 */
import { readFileSync } from 'node:fs';
import { fixture } from '../../../support/paths';

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

export interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  result: WycheproofResult;
}

export interface WycheproofFile<G, T extends WycheproofTest> {
  algorithm: string;
  numberOfTests: number;
  testGroups: Array<G & { tests: T[] }>;
}

export function loadVectors<G, T extends WycheproofTest>(name: string): WycheproofFile<G, T> {
  return JSON.parse(readFileSync(fixture('wycheproof', name), 'utf8')) as WycheproofFile<G, T>;
}

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

/** Every test of a file with its group, flattened. */
export function allTests<G, T extends WycheproofTest>(file: WycheproofFile<G, T>): Array<{ group: G; test: T }> {
  return file.testGroups.flatMap((group) => group.tests.map((test) => ({ group, test })));
}

/** A copy of `bytes` with one bit flipped (bit 0 of byte 0 unless told otherwise). */
export function flipBit(bytes: Uint8Array, bit = 0): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[Math.floor(bit / 8) % out.length] ^= 1 << bit % 8;
  return out;
}

/** "tcId 12 (comment)": how a failure names the vector. */
export function label(t: WycheproofTest): string {
  return `tcId ${t.tcId} (${t.comment || t.flags.join(', ')})`;
}

/** Counts per result, for the assertion that a test saw every vector of its file. */
export function countByResult(tests: Array<{ test: WycheproofTest }>): Record<WycheproofResult, number> {
  const counts: Record<WycheproofResult, number> = { valid: 0, invalid: 0, acceptable: 0 };
  for (const { test } of tests) counts[test.result]++;
  return counts;
}
