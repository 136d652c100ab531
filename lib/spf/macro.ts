/**
 * SPF macros (RFC 7208 §7). Written here because no maintained npm package
 * implements the macro language (transformers, delimiters, URL escaping,
 * %{p} validation, the 253-octet truncation) to the letter of the RFC.
 */

// macro-expand = ( "%{" macro-letter transformers *delimiter "}" ) / "%%" / "%_" / "%-"
const EXPAND = /^%\{([a-zA-Z])([0-9]*)([rR]?)([.\-+,/_=]*)\}/;
const DOMAIN_LETTERS = "slodiphv";
const EXP_LETTERS = "slodiphvcrt";

export interface MacroToken {
  literal?: string;
  letter?: string;
  upper?: boolean;
  digits?: number;
  reverse?: boolean;
  delimiters?: string;
}

/**
 * Tokenise a macro-string (or, with `explain`, an explain-string, which also
 * allows spaces and the c, r and t letters). Returns an error text on bad syntax.
 */
export function tokenizeMacroString(s: string, explain = false): MacroToken[] | string {
  const tokens: MacroToken[] = [];
  let literal = "";
  for (let i = 0; i < s.length; ) {
    const ch = s[i] as string;
    const code = ch.charCodeAt(0);
    if (ch === "%") {
      const next = s[i + 1];
      if (next === "%" || next === "_" || next === "-") {
        literal += next === "%" ? "%" : next === "_" ? " " : "%20";
        i += 2;
        continue;
      }
      const m = EXPAND.exec(s.slice(i));
      if (!m) return `"%" at offset ${i} is not followed by "{letter}", "%", "_" or "-" (RFC 7208 §7.1)`;
      const letter = (m[1] as string).toLowerCase();
      const allowed = explain ? EXP_LETTERS : DOMAIN_LETTERS;
      if (!allowed.includes(letter)) {
        return EXP_LETTERS.includes(letter)
          ? `macro letter "${m[1]}" is allowed only in explanation text (RFC 7208 §7.2)`
          : `"${m[1]}" is not a macro letter (RFC 7208 §7.2)`;
      }
      const digits = m[2] ? Number(m[2]) : undefined;
      if (digits === 0) return "a macro's digit transformer must be nonzero (RFC 7208 §7.3)";
      if (literal) tokens.push({ literal });
      literal = "";
      tokens.push({ letter, upper: m[1] !== letter, digits, reverse: m[3] !== "", delimiters: m[4] || "." });
      i += m[0].length;
      continue;
    }
    // macro-literal = %x21-24 / %x26-7E; explain-string also allows SP.
    if ((code >= 0x21 && code <= 0x7e) || (explain && code === 0x20)) {
      literal += ch;
      i++;
      continue;
    }
    return `character ${JSON.stringify(ch)} at offset ${i} is not allowed (RFC 7208 §7.1: visible ASCII only)`;
  }
  if (literal) tokens.push({ literal });
  return tokens;
}

const TOPLABEL = /^(?:[a-z0-9]*[a-z][a-z0-9]*|[a-z0-9]+-[a-z0-9-]*[a-z0-9])$/i;

/** domain-spec = macro-string domain-end; domain-end = ( "." toplabel [ "." ] ) / macro-expand */
export function domainSpecError(spec: string): string | undefined {
  if (spec === "") return "the domain-spec is empty (RFC 7208 §7.1)";
  const tokens = tokenizeMacroString(spec);
  if (typeof tokens === "string") return tokens;
  if (endsWithExpand(spec)) return undefined;
  const body = spec.endsWith(".") ? spec.slice(0, -1) : spec;
  const dot = body.lastIndexOf(".");
  const top = body.slice(dot + 1);
  if (dot < 0) return `"${spec}" has no top-level label; a domain-spec ends in "." toplabel or a macro (RFC 7208 §7.1)`;
  if (!TOPLABEL.test(top)) return `"${top}" is not a valid top-level label (RFC 7208 §7.1)`;
  return undefined;
}

function endsWithExpand(spec: string): boolean {
  // Walk the string so "%%}" style literals are not mistaken for an expand.
  let last = "literal";
  for (let i = 0; i < spec.length; ) {
    if (spec[i] === "%") {
      const m = EXPAND.exec(spec.slice(i));
      const len = m ? m[0].length : 2;
      last = "expand";
      i += len;
    } else {
      last = "literal";
      i++;
    }
  }
  return last === "expand";
}

/** Values of the macro letters for one evaluation. */
export interface MacroContext {
  sender: string;
  local: string;
  senderDomain: string;
  domain: string;
  ip: { readable: string; dotted: string; version: 4 | 6 };
  helo: string;
  receiver: string;
  now: Date;
  /** %{p}: resolved lazily, only when used. */
  validatedName: () => Promise<string>;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

export function urlEscape(s: string): string {
  let out = "";
  for (const ch of s) {
    if (UNRESERVED.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, "utf8")) out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

async function letterValue(letter: string, ctx: MacroContext): Promise<string> {
  switch (letter) {
    case "s": return ctx.sender;
    case "l": return ctx.local;
    case "o": return ctx.senderDomain;
    case "d": return ctx.domain;
    case "i": return ctx.ip.dotted;
    case "p": return ctx.validatedName();
    case "v": return ctx.ip.version === 4 ? "in-addr" : "ip6";
    case "h": return ctx.helo;
    case "c": return ctx.ip.readable;
    case "r": return ctx.receiver;
    case "t": return String(Math.floor(ctx.now.getTime() / 1000));
    default: return "";
  }
}

function transform(value: string, t: MacroToken): string {
  const delims = t.delimiters ?? ".";
  let parts = value.split(new RegExp(`[${delims.replace(/[-\\\]^/]/g, "\\$&")}]`));
  if (t.reverse) parts = parts.reverse();
  if (t.digits !== undefined && t.digits < parts.length) parts = parts.slice(parts.length - t.digits);
  return parts.join(".");
}

/** Expand a (pre-validated) macro-string or explain-string. */
export async function expandMacros(s: string, ctx: MacroContext, explain = false): Promise<string> {
  const tokens = tokenizeMacroString(s, explain);
  if (typeof tokens === "string") throw new Error(tokens);
  let out = "";
  for (const t of tokens) {
    if (t.literal !== undefined) {
      out += t.literal;
      continue;
    }
    const v = transform(await letterValue(t.letter as string, ctx), t);
    out += t.upper ? urlEscape(v) : v;
  }
  return out;
}

/**
 * A name for a DNS query after expansion: trailing dot removed, left labels
 * dropped until it fits 253 octets (RFC 7208 §7.3). Undefined when the result
 * cannot be queried (empty or over-long labels).
 */
export function queryName(expanded: string): string | undefined {
  let name = expanded.endsWith(".") ? expanded.slice(0, -1) : expanded;
  while (Buffer.byteLength(name) > 253) {
    const dot = name.indexOf(".");
    if (dot < 0) return undefined;
    name = name.slice(dot + 1);
  }
  if (name === "") return undefined;
  const labels = name.split(".");
  if (labels.some((l) => l === "" || Buffer.byteLength(l) > 63)) return undefined;
  return name;
}
