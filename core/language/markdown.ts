/** Small helpers for the markdown that hovers and completion documentation are written in. */

/** Markdown treats `*` as emphasis and `_` likewise; actions and ARNs are written with them. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, (c) => `\\${c}`);
}

/** Code spans cannot escape a backtick, so a value holding one is fenced with two. */
export function inlineCode(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** A JSON string literal, as the value is written in a policy. */
export function quoted(value: string): string {
  return JSON.stringify(value);
}

/** `a`, `a or b`, `a, b or c`. */
export function joinWords(items: readonly string[], conjunction = 'or'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/**
 * Shortens numbered families of keys (`kms:RecipientAttestation:PCR0` … `PCR31`) to one entry each,
 * `kms:RecipientAttestation:PCR0…31`: Decrypt alone lists over fifty of them.
 */
export function compressKeyList(keys: readonly string[]): string[] {
  const families = new Map<string, number[]>();
  const out: string[] = [];
  for (const key of keys) {
    const m = /^(.*?)(\d+)$/.exec(key);
    if (!m) {
      out.push(key);
      continue;
    }
    const list = families.get(m[1]!);
    if (list) list.push(Number(m[2]));
    else {
      families.set(m[1]!, [Number(m[2])]);
      out.push(m[1]!);
    }
  }
  return out.map((k) => {
    const numbers = families.get(k);
    if (!numbers) return k;
    if (numbers.length === 1) return `${k}${numbers[0]}`;
    return `${k}${Math.min(...numbers)}…${Math.max(...numbers)}`;
  });
}

/** At most `max` items, then "and N more". */
export function limitList(items: readonly string[], max: number): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}
