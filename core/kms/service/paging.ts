/**
 * Limit/Marker paging of the List operations. A marker is opaque to the caller, as AWS's are: it names the
 * last item returned, so a page stays correct when items before it are added or removed between calls.
 */
import { invalidMarker } from './serviceErrors';

const PREFIX = 'kms-studio/1:';

export function encodeMarker(lastKey: string): string {
  return Buffer.from(PREFIX + lastKey, 'utf8').toString('base64url');
}

function decodeMarker(marker: string): string {
  const text = /^[A-Za-z0-9_-]+$/.test(marker) ? Buffer.from(marker, 'base64url').toString('utf8') : '';
  if (!text.startsWith(PREFIX)) throw invalidMarker();
  return text.slice(PREFIX.length);
}

export interface Page<T> {
  items: T[];
  nextMarker?: string;
  truncated: boolean;
}

/** One page of `items` (sorted by `keyOf`) after the marker, at most `limit` long. */
export function page<T>(items: readonly T[], keyOf: (item: T) => string, limit: number, marker: string | undefined): Page<T> {
  const after = marker !== undefined ? decodeMarker(marker) : undefined;
  const rest = after !== undefined ? items.filter((item) => keyOf(item) > after) : items;
  const chosen = rest.slice(0, limit);
  const truncated = rest.length > limit;
  return { items: chosen, truncated, ...(truncated ? { nextMarker: encodeMarker(keyOf(chosen[chosen.length - 1]!)) } : {}) };
}
