import { MailDnsError } from "../errors";
import { formatSpf, Mechanism, parseSpf, Qualifier, SpfRecord } from "./parse";

/**
 * Structured SPF policy, rendered in a fixed order: a, mx, ip4, ip6,
 * include, exists, then `all` or `redirect`. Every part is validated by
 * parsing the rendered record with the RFC 7208 parser.
 */
export interface SpfPolicy {
  /** `true` for the domain itself, or names. */
  a?: (string | true)[];
  mx?: (string | true)[];
  ip4?: string[];
  ip6?: string[];
  include?: string[];
  exists?: string[];
  /** Qualifier of the final `all`; default "-" (fail). Omit with `redirect`. */
  all?: Qualifier | "none";
  redirect?: string;
  exp?: string;
}

export function buildSpf(policy: SpfPolicy, field = "spf"): string {
  const parts: string[] = ["v=spf1"];
  for (const a of policy.a ?? []) parts.push(a === true ? "a" : `a:${a}`);
  for (const m of policy.mx ?? []) parts.push(m === true ? "mx" : `mx:${m}`);
  for (const ip of policy.ip4 ?? []) parts.push(`ip4:${ip}`);
  for (const ip of policy.ip6 ?? []) parts.push(`ip6:${ip}`);
  for (const d of policy.include ?? []) parts.push(`include:${d}`);
  for (const d of policy.exists ?? []) parts.push(`exists:${d}`);
  const all = policy.all ?? (policy.redirect !== undefined ? "none" : "-");
  if (all !== "none") parts.push(all === "+" ? "+all" : `${all}all`);
  if (policy.redirect !== undefined) parts.push(`redirect=${policy.redirect}`);
  if (policy.exp !== undefined) parts.push(`exp=${policy.exp}`);
  const text = parts.join(" ");
  const parsed = parseSpf(text);
  if (!parsed.record) {
    const first = parsed.errors[0] as { term: string; message: string };
    throw new MailDnsError("invalid-spf", first.message, {
      field, value: first.term, ruleId: "spf-syntax", rfc: "RFC 7208 §12",
    });
  }
  return formatSpf(parsed.record);
}

const ORDER = ["a", "mx", "ip4", "ip6", "include", "exists"] as const;

/**
 * The structured policy of a parsed record, when it fits the structured form
 * (terms in canonical order, default qualifiers); otherwise undefined.
 */
export function policyFromRecord(rec: SpfRecord): SpfPolicy | undefined {
  const p: SpfPolicy = {};
  let rank = 0;
  let sawAll = false;
  for (const t of rec.terms) {
    if (t.kind === "modifier") {
      if (t.name === "redirect") p.redirect = t.value;
      else if (t.name === "exp") p.exp = t.value;
      else return undefined;
      continue;
    }
    if (sawAll) return undefined;
    if (t.name === "all") {
      p.all = t.qualifier;
      sawAll = true;
      continue;
    }
    const r = ORDER.indexOf(t.name as (typeof ORDER)[number]);
    const hasCidr = t.network === undefined && (t.cidr4 !== undefined || t.cidr6 !== undefined);
    if (r < rank || r < 0 || t.explicitQualifier || hasCidr) return undefined;
    rank = r;
    pushTerm(p, t);
  }
  if (!sawAll) p.all = "none";
  if (p.all === "none" && p.redirect === undefined) return undefined;
  return p;
}

function pushTerm(p: SpfPolicy, t: Mechanism): void {
  switch (t.name) {
    case "a": (p.a ??= []).push(t.domainSpec ?? true); break;
    case "mx": (p.mx ??= []).push(t.domainSpec ?? true); break;
    case "ip4":
    case "ip6": {
      const prefix = t.cidr4 ?? t.cidr6;
      (p[t.name] ??= []).push(`${t.network}${prefix !== undefined ? `/${prefix}` : ""}`);
      break;
    }
    case "include": (p.include ??= []).push(t.domainSpec as string); break;
    case "exists": (p.exists ??= []).push(t.domainSpec as string); break;
    default: break;
  }
}
