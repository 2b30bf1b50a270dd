/**
 * Which addresses and Host names are this machine. The endpoint binds to loopback unless told otherwise, and a
 * loopback-only endpoint also refuses requests whose Host header names another machine: a web page can point a
 * name it controls at 127.0.0.1 (DNS rebinding) and would otherwise reach the local KMS, whose default access key
 * is public knowledge.
 */
import { isIP } from 'node:net';

/** Whether `host` (an address or name to bind to) is loopback: 127.0.0.0/8, ::1, or localhost. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost')) return true;
  if (isIP(lower) === 4) return lower.startsWith('127.');
  if (isIP(lower) === 6) return lower === '::1' || lower === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(lower);
  return false;
}

/** The host name of a Host header value (`127.0.0.1:4599`, `[::1]:4599`, `localhost`). */
export function hostOfHeader(value: string): string {
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end < 0 ? value : value.slice(0, end + 1);
  }
  const colon = value.lastIndexOf(':');
  return colon < 0 ? value : value.slice(0, colon);
}

/** `host` as it goes into a URL: IPv6 addresses in brackets. */
export function urlHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}
