import { isIP } from "node:net";
import { MailDnsError } from "./errors";
import { canonicalName, nameProblems } from "./names";

/** MX records (RFC 5321 §5.1, RFC 7505 null MX, RFC 2181 §10.3). */
export interface MxValue {
  preference: number;
  /** Canonical host name; "" for the null MX ("."). */
  exchange: string;
}

export const MX_RFC = "RFC 5321 §5.1";

export function isNullMx(mx: MxValue): boolean {
  return mx.exchange === "";
}

/** Parse `"10 mail.example.com."`; undefined when it is not an MX value. */
export function parseMx(value: string): MxValue | undefined {
  const m = /^\s*([0-9]{1,5})\s+(\S+)\s*$/.exec(value);
  if (!m) return undefined;
  const preference = Number(m[1]);
  if (preference > 65535) return undefined;
  const target = m[2] as string;
  return { preference, exchange: target === "." ? "" : canonicalName(target) };
}

/** Parse an MX value or throw MailDnsError naming where it came from. */
export function requireMx(value: string, field: string): MxValue {
  const mx = parseMx(value);
  if (!mx) throw new MailDnsError("invalid-mx", 'not an MX value ("<preference> <host>")', { field, value, rfc: "RFC 1035 §3.3.9" });
  return mx;
}

/** Presentation form, with the trailing dot: `10 mail.example.com.` / `0 .`. */
export function formatMx(mx: MxValue): string {
  return `${mx.preference} ${mx.exchange === "" ? "." : `${mx.exchange}.`}`;
}

export interface MxCheckContext {
  domain?: string;
  field?: string;
}

/** Validate one MX; throws MailDnsError naming the field and the rule. */
export function checkMx(preference: unknown, exchange: unknown, ctx: MxCheckContext = {}): MxValue {
  const { domain, field = "mx" } = ctx;
  if (typeof preference !== "number" || !Number.isInteger(preference) || preference < 0 || preference > 65535) {
    throw new MailDnsError("invalid-mx", "an MX preference is an integer 0-65535", {
      domain, field: `${field}.preference`, value: preference, rfc: "RFC 1035 §3.3.9",
    });
  }
  if (typeof exchange !== "string") {
    throw new MailDnsError("invalid-mx", "an MX target is a host name", { domain, field: `${field}.host`, value: exchange, ruleId: "name-syntax" });
  }
  const bare = exchange.replace(/^\[|\]$/g, "");
  if (isIP(bare) !== 0) {
    throw new MailDnsError("invalid-mx", "an MX target must be a host name, not an address", {
      domain, field: `${field}.host`, value: exchange, ruleId: "mx-not-ip-literal", rfc: MX_RFC,
    });
  }
  if (exchange === "." || exchange === "") return { preference, exchange: "" };
  const name = canonicalName(exchange);
  const problems = nameProblems(name, "host");
  if (problems.length > 0) {
    throw new MailDnsError("invalid-mx", `not a valid host name: ${problems.join("; ")}`, {
      domain, field: `${field}.host`, value: exchange, ruleId: "name-syntax", rfc: "RFC 1123 §2.1",
    });
  }
  return { preference, exchange: name };
}
