/**
 * IPv4 and IPv6 addresses and CIDR blocks for IpAddress / NotIpAddress (IAM User Guide, IP address condition
 * operators: RFC 4632 notation, IPv4 and IPv6). Addresses are compared as integers of their family's width;
 * the two families never match each other.
 */

export interface IpValue {
  family: 4 | 6;
  value: bigint;
}

export interface CidrBlock extends IpValue {
  prefix: number;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let head = text;
  let tailV4: bigint | undefined;
  // An embedded IPv4 address (::ffff:192.0.2.1) fills the last 32 bits.
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseIpv4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(parseInt(g, 16));
  }
  if (tailV4 !== undefined) value = (value & ~0xffffffffn) | tailV4;
  return value;
}

export function parseIp(text: string): IpValue | undefined {
  const v4 = parseIpv4(text);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = text.includes(':') ? parseIpv6(text) : undefined;
  return v6 !== undefined ? { family: 6, value: v6 } : undefined;
}

/** A CIDR block; a bare address is the block of that one address. */
export function parseCidr(text: string): CidrBlock | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!ip) return undefined;
  const width = ip.family === 4 ? 32 : 128;
  if (slash < 0) return { ...ip, prefix: width };
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > width) return undefined;
  return { ...ip, prefix: Number(prefixText) };
}

export function cidrContains(block: CidrBlock, ip: IpValue): boolean {
  if (block.family !== ip.family) return false;
  const width = BigInt(block.family === 4 ? 32 : 128);
  const shift = width - BigInt(block.prefix);
  return block.value >> shift === ip.value >> shift;
}
