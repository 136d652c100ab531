import { MailDnsError } from "./errors";
import { canonicalName } from "./names";

/**
 * The RFC 1035 §5 master-file (zone-file) format: entries, `$ORIGIN`,
 * `$TTL` (RFC 2308 §4), `$INCLUDE` (reported, not followed), parentheses
 * across lines, `;` comments, quoted strings with `\X` and `\DDD` escapes,
 * blank owners, TTL and class in either order, BIND's TTL units (1h30m).
 *
 * Written here because the zone-file packages on npm handle only a subset of
 * this grammar (no escapes, no parentheses inside quotes, no units), and the
 * zone-file backend checks every file it writes by reading it back with this.
 */
export interface MasterRecord {
  /** FQDN, lowercase, no trailing dot ("" for the root). */
  owner: string;
  ttl: number;
  class: string;
  type: string;
  /** RDATA tokens as written (quoted tokens keep their quotes), joined by one space. */
  rdata: string;
  /** 1-based line where the entry starts. */
  line: number;
}

export interface MasterFile {
  origin?: string;
  records: MasterRecord[];
  includes: { file: string; origin?: string; line: number }[];
}

const CLASSES = new Set(["IN", "CH", "HS", "CS"]);

interface Token {
  text: string;
  quoted: boolean;
}

interface Line {
  tokens: Token[];
  /** The entry starts with whitespace: the owner is the previous one. */
  blankOwner: boolean;
  line: number;
}

function fail(line: number, why: string, value?: string): never {
  throw new MailDnsError("invalid-zone-file", `line ${line}: ${why}`, { field: `line ${line}`, value, rfc: "RFC 1035 §5.1" });
}

/** Split text into logical lines (parentheses joined) of tokens. */
function logicalLines(text: string): Line[] {
  const out: Line[] = [];
  let tokens: Token[] = [];
  let depth = 0;
  let start = 1;
  let lineNo = 1;
  let blankOwner = false;
  let atLineStart = true;
  let i = 0;
  const flush = () => {
    if (tokens.length > 0) out.push({ tokens, blankOwner, line: start });
    tokens = [];
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (atLineStart && depth === 0) {
      start = lineNo;
      blankOwner = c === " " || c === "\t";
      atLineStart = false;
    }
    if (c === "\n") {
      lineNo++;
      i++;
      if (depth === 0) {
        flush();
        atLineStart = true;
      }
      continue;
    }
    if (c === " " || c === "\t" || c === "\r") {
      i++;
      continue;
    }
    if (c === ";") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "(") {
      depth++;
      i++;
      continue;
    }
    if (c === ")") {
      if (depth === 0) fail(lineNo, "a closing parenthesis without an opening one");
      depth--;
      i++;
      continue;
    }
    const quoted = c === '"';
    let j = quoted ? i + 1 : i;
    for (;;) {
      if (j >= text.length) {
        if (quoted) fail(lineNo, "an unterminated quoted string");
        break;
      }
      const d = text[j] as string;
      if (d === "\\") {
        if (j + 1 >= text.length) fail(lineNo, "a backslash at the end of the file");
        j += 2;
        continue;
      }
      if (quoted) {
        if (d === '"') {
          j++;
          break;
        }
        if (d === "\n") fail(lineNo, "a quoted string runs past the end of the line");
      } else if (" \t\r\n;()\"".includes(d)) {
        break;
      }
      j++;
    }
    tokens.push({ text: text.slice(i, j), quoted });
    i = j;
  }
  if (depth !== 0) fail(start, "an opening parenthesis is never closed");
  flush();
  return out;
}

/** A TTL: seconds, or BIND's units (1w2d3h4m5s), at most 2^31-1 (RFC 2181 §8). */
export function parseTtl(s: string): number | undefined {
  if (/^\d+$/.test(s)) {
    const n = Number(s);
    return n <= 2147483647 ? n : undefined;
  }
  const m = /^(?:\d+[wdhms])+$/i.test(s) ? s.match(/\d+[wdhms]/gi) : null;
  if (!m) return undefined;
  const unit: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1 };
  const n = m.reduce((sum, part) => sum + Number(part.slice(0, -1)) * (unit[part.slice(-1).toLowerCase()] as number), 0);
  return n <= 2147483647 ? n : undefined;
}

function absolute(name: string, origin: string | undefined, line: number): string {
  if (name === "@") {
    if (origin === undefined) fail(line, "@ used before $ORIGIN");
    return origin;
  }
  if (name.endsWith(".") && !name.endsWith("\\.")) return canonicalName(name === "." ? "" : name);
  if (origin === undefined) fail(line, `relative name ${name} before $ORIGIN`, name);
  return canonicalName(origin === "" ? name : `${name}.${origin}`);
}

/**
 * Parse a master file. `origin` is the initial origin (the zone), if known;
 * `$ORIGIN` changes it. Throws MailDnsError("invalid-zone-file") naming the line.
 */
export function parseMasterFile(text: string, opts: { origin?: string; defaultTtl?: number } = {}): MasterFile {
  let origin = opts.origin === undefined ? undefined : canonicalName(opts.origin);
  let defaultTtl = opts.defaultTtl;
  let lastOwner: string | undefined;
  let lastTtl: number | undefined;
  const out: MasterFile = { origin, records: [], includes: [] };
  for (const { tokens, blankOwner, line } of logicalLines(text)) {
    const first = tokens[0] as Token;
    if (!blankOwner && !first.quoted && first.text.startsWith("$")) {
      const directive = first.text.toUpperCase();
      const arg = tokens[1]?.text;
      if (arg === undefined) fail(line, `${first.text} needs an argument`);
      if (directive === "$ORIGIN") {
        if (!arg.endsWith(".")) fail(line, "$ORIGIN must be absolute (end with a dot)", arg);
        origin = absolute(arg, origin, line);
        out.origin ??= origin;
      } else if (directive === "$TTL") {
        defaultTtl = parseTtl(arg);
        if (defaultTtl === undefined) fail(line, "$TTL is not a TTL", arg);
      } else if (directive === "$INCLUDE") {
        const file = tokens[1]?.quoted ? arg.slice(1, -1) : arg;
        out.includes.push({ file, origin: tokens[2] ? absolute(tokens[2].text, origin, line) : undefined, line });
      } else {
        fail(line, `unknown directive ${first.text}`, first.text);
      }
      continue;
    }
    let k = 0;
    let owner: string;
    if (blankOwner) {
      if (lastOwner === undefined) fail(line, "the first record has no owner");
      owner = lastOwner;
    } else {
      owner = absolute(first.text, origin, line);
      k = 1;
    }
    let ttl: number | undefined;
    let cls: string | undefined;
    for (let n = 0; n < 2 && k < tokens.length; n++) {
      const t = (tokens[k] as Token).text;
      if (ttl === undefined && !tokens[k]?.quoted && parseTtl(t) !== undefined) {
        ttl = parseTtl(t);
        k++;
      } else if (cls === undefined && CLASSES.has(t.toUpperCase())) {
        cls = t.toUpperCase();
        k++;
      }
    }
    const type = tokens[k]?.text.toUpperCase();
    if (type === undefined || !/^[A-Z][A-Z0-9-]*$/.test(type)) fail(line, "no record type", tokens[k]?.text);
    const rdataTokens = tokens.slice(k + 1);
    if (rdataTokens.length === 0) fail(line, `${type} record without RDATA`);
    const effectiveTtl = ttl ?? defaultTtl ?? lastTtl;
    if (effectiveTtl === undefined) fail(line, "no TTL and no $TTL before it (RFC 2308 §4)");
    lastOwner = owner;
    lastTtl = effectiveTtl;
    out.records.push({ owner, ttl: effectiveTtl, class: cls ?? "IN", type, rdata: rdataTokens.map((t) => t.text).join(" "), line });
  }
  return out;
}
