import { isIP } from "node:net";
import { canonicalName } from "./names";
import { DnsResolver, errorCode, isNoAnswer } from "./resolver";
import { reversedLabels } from "./reverse";

/**
 * DNS blocklist queries (RFC 5782). The address is written in reverse
 * (octets for IPv4, nibbles for IPv6, §2.1 and §2.4) under the list's zone;
 * an A answer in 127.0.0.0/8 means "listed", with the reason in a TXT at
 * the same name; no such name means "not listed". A list that does not list
 * its own test address (127.0.0.2, and ::FFFF:7F00:2 for IPv6, §5) or that
 * answers outside 127/8 is not trusted: "could not verify".
 */
export interface DnsblResult {
  address: string;
  zone: string;
  /** true: listed; false: not listed; undefined: could not verify (see error). */
  listed?: boolean;
  /** The A answers (return codes), e.g. ["127.0.0.2"]. */
  codes: string[];
  /** What the codes mean, where the list documents them. */
  meaning?: string;
  /** The list's TXT reason. */
  reason?: string;
  error?: string;
}

/** The query name of `address` in `zone` (RFC 5782 §2.1, §2.4). */
export function dnsblName(address: string, zone: string): string {
  return `${reversedLabels(address).labels}.${canonicalName(zone)}`;
}

/**
 * Return codes some widely used lists document (facts from their public
 * documentation). Other lists: "listed".
 */
const KNOWN_CODES: { zone: RegExp; codes: Record<string, string> }[] = [
  {
    zone: /(^|\.)zen\.spamhaus\.org$/,
    codes: {
      "127.0.0.2": "Spamhaus SBL: a known spam source or spam operation",
      "127.0.0.3": "Spamhaus SBL CSS: a snowshoe or low-reputation sending address",
      "127.0.0.4": "Spamhaus XBL: an exploited or botnet-infected host",
      "127.0.0.9": "Spamhaus DROP: a hijacked or criminal network",
      "127.0.0.10": "Spamhaus PBL (ISP): an end-user address range that should not send mail directly",
      "127.0.0.11": "Spamhaus PBL (Spamhaus): an end-user address range that should not send mail directly",
    },
  },
];

export function meaningOf(zone: string, code: string): string {
  for (const k of KNOWN_CODES) if (k.zone.test(canonicalName(zone)) && k.codes[code]) return k.codes[code] as string;
  if (code.startsWith("127.255.255.")) return `the list refused the query (${code}): it does not answer this resolver`;
  return `listed (${code})`;
}

async function query(resolver: DnsResolver, name: string): Promise<{ codes: string[]; error?: string }> {
  try {
    return { codes: await resolver.resolve4(name) };
  } catch (e) {
    if (isNoAnswer(e)) return { codes: [] };
    return { codes: [], error: `${name} A: ${errorCode(e) ?? String(e)}` };
  }
}

/** Look `address` up in `zone`; never throws. */
export async function checkDnsbl(resolver: DnsResolver, address: string, zone: string): Promise<DnsblResult> {
  const base = { address, zone: canonicalName(zone), codes: [] as string[] };
  if (isIP(address) === 0) return { ...base, error: `${address} is not an IP address` };
  // The list must list its test entry, or its answers mean nothing (RFC 5782 §5).
  const probe = await query(resolver, dnsblName(isIP(address) === 4 ? "127.0.0.2" : "::ffff:7f00:2", zone));
  if (probe.error) return { ...base, error: probe.error };
  if (!probe.codes.some((c) => c.startsWith("127."))) {
    return { ...base, error: `${base.zone} does not list its test address 127.0.0.2 (RFC 5782 §5): it is not working, or refuses this resolver` };
  }
  const name = dnsblName(address, zone);
  const r = await query(resolver, name);
  if (r.error) return { ...base, error: r.error };
  if (r.codes.length === 0) return { ...base, listed: false };
  const out: DnsblResult = { ...base, codes: r.codes };
  if (r.codes.some((c) => !c.startsWith("127.") || c.startsWith("127.255.255."))) {
    return { ...out, error: `${base.zone} answered ${r.codes.join(", ")}, which is not a listing code (RFC 5782 §2.3)` };
  }
  out.listed = true;
  out.meaning = r.codes.map((c) => meaningOf(zone, c)).join("; ");
  try {
    const txt = await resolver.resolveTxt(name);
    const reason = txt.map((t) => t.join("")).join(" / ");
    if (reason) out.reason = reason;
  } catch {
    // The reason is optional (RFC 5782 §2.1).
  }
  return out;
}
