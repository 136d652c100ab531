import { MailDnsError } from "./errors";

/**
 * TXT character-strings (RFC 1035 §3.3, §3.3.14, §5.1).
 *
 * A TXT value in maildns is one unsplit string. On the wire and in zone
 * files it is a sequence of character-strings of at most 255 octets each;
 * these helpers split (counting UTF-8 octets, never cutting a character),
 * quote for presentation, and parse presentation form back.
 */
export const MAX_STRING_OCTETS = 255;
export const TXT_RFC = "RFC 1035 §3.3";

export function octets(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

/** Split `value` into character-strings of at most `max` octets each. */
export function splitTxt(value: string, max: number = MAX_STRING_OCTETS): string[] {
  if (!Number.isInteger(max) || max < 4 || max > MAX_STRING_OCTETS) {
    throw new MailDnsError("invalid-txt", `a character-string holds 4 to ${MAX_STRING_OCTETS} octets`, {
      field: "max", value: max, ruleId: "txt-string-length", rfc: TXT_RFC,
    });
  }
  const out: string[] = [];
  let current = "";
  let size = 0;
  for (const ch of value) {
    const n = octets(ch);
    if (size + n > max) {
      out.push(current);
      current = "";
      size = 0;
    }
    current += ch;
    size += n;
  }
  out.push(current);
  return out;
}

export interface QuoteOptions {
  /** Write octets outside printable ASCII as \DDD (zone files). Default true. */
  escapeNonAscii?: boolean;
}

/** One character-string in presentation form, quoted. */
export function quoteString(s: string, opts: QuoteOptions = {}): string {
  const escapeNonAscii = opts.escapeNonAscii ?? true;
  let out = '"';
  for (const ch of s) {
    if (ch === '"' || ch === "\\") {
      out += `\\${ch}`;
      continue;
    }
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code <= 0x7e) {
      out += ch;
    } else if (code < 0x80 || escapeNonAscii) {
      for (const byte of Buffer.from(ch, "utf8")) out += `\\${byte.toString().padStart(3, "0")}`;
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

/** Character-strings in presentation form: `"first" "second"`. */
export function quoteTxt(strings: readonly string[], opts: QuoteOptions = {}): string {
  return strings.map((s) => quoteString(s, opts)).join(" ");
}

/** Split and quote an unsplit value. */
export function presentTxt(value: string, opts: QuoteOptions = {}): string {
  return quoteTxt(splitTxt(value), opts);
}

/**
 * Parse the presentation form of TXT RDATA (quoted or bare character-strings,
 * `\X` and `\DDD` escapes) into raw octet strings.
 */
export function parseTxtBytes(presentation: string): Buffer[] {
  const out: Buffer[] = [];
  const src = Buffer.from(presentation, "utf8");
  let i = 0;
  const fail = (why: string): never => {
    throw new MailDnsError("invalid-txt", `cannot parse TXT presentation: ${why}`, {
      value: presentation, ruleId: "txt-string-length", rfc: "RFC 1035 §5.1",
    });
  };
  while (i < src.length) {
    const c = src[i] as number;
    if (c === 0x20 || c === 0x09) {
      i++;
      continue;
    }
    const quoted = c === 0x22;
    if (quoted) i++;
    const bytes: number[] = [];
    let closed = !quoted;
    while (i < src.length) {
      const b = src[i] as number;
      if (quoted && b === 0x22) {
        closed = true;
        i++;
        break;
      }
      if (!quoted && (b === 0x20 || b === 0x09)) break;
      if (!quoted && b === 0x22) fail(`a quote inside an unquoted string at offset ${i}`);
      if (b === 0x5c) {
        const d = src.subarray(i + 1, i + 4).toString("latin1");
        if (/^[0-9]{3}$/.test(d)) {
          const v = Number(d);
          if (v > 255) fail(`escape \\${d} is above 255`);
          bytes.push(v);
          i += 4;
        } else if (i + 1 < src.length) {
          bytes.push(src[i + 1] as number);
          i += 2;
        } else {
          fail("a backslash at the end");
        }
        continue;
      }
      bytes.push(b);
      i++;
    }
    if (!closed) fail("an unterminated quoted string");
    out.push(Buffer.from(bytes));
  }
  return out;
}

/** Parse presentation form into character-strings (UTF-8 decoded). */
export function parseTxt(presentation: string): string[] {
  return parseTxtBytes(presentation).map((b) => b.toString("utf8"));
}
