import { MailDnsError } from "../lib/errors";
import { isAtOrBelow, normalizeName } from "../lib/names";
import { buildMtaStsRecord, MAX_AGE_LIMIT, mtaStsHost, mtaStsName, parseMtaStsPolicy, policyUrl, renderMtaStsPolicy } from "../lib/mta-sts";
import { buildTlsRptRecord, tlsRptName, tlsRptUri } from "../lib/tlsrpt";
import type { RecordType } from "../lib/records";
import type { ZoneHandle } from "../zones/zone";
import type { MailDomainArgs, TtlKind } from "./mail-domain-args";

/**
 * The transport-security records of a mail domain: MTA-STS (RFC 8461) — the
 * `_mta-sts` TXT whose id is derived from the policy text maildns renders
 * from the MX targets, the policy itself (an output, to be served), the
 * `mta-sts` host record — and TLS reporting (RFC 8460).
 */
export interface TransportPlan {
  /** The policy text to serve at https://mta-sts.<domain>/.well-known/mta-sts.txt. */
  mtaStsPolicy?: string;
  mtaStsUrl?: string;
}

type Add = (z: ZoneHandle, name: string, type: RecordType, kind: TtlKind, values: string[]) => void;

const fail = (domain: string, field: string, value: unknown, reason: string, rfc: string, ruleId?: string): never => {
  throw new MailDnsError("invalid-config", reason, { domain, field, value, rfc, ruleId });
};

/** Adds the records; `mxHosts` are the MX targets (without the trailing dot). */
export function planTransport(args: MailDomainArgs, domain: string, zone: ZoneHandle, mxHosts: string[], add: Add): TransportPlan {
  const out: TransportPlan = {};
  const sts = args.mtaSts;
  if (sts !== undefined) {
    if (typeof sts !== "object" || sts === null) fail(domain, "mtaSts", sts, "mtaSts is an object: { mode, maxAge?, extraMx?, host? }", "RFC 8461 §3.2");
    if (!["enforce", "testing", "none"].includes(sts.mode)) fail(domain, "mtaSts.mode", sts.mode, "the mode is enforce, testing or none", "RFC 8461 §3.2", "mta-sts-policy-syntax");
    const maxAge = sts.maxAge ?? 604800;
    if (!Number.isInteger(maxAge) || maxAge < 0 || maxAge > MAX_AGE_LIMIT) fail(domain, "mtaSts.maxAge", sts.maxAge, `max_age is whole seconds, at most ${MAX_AGE_LIMIT} (one year)`, "RFC 8461 §3.2", "mta-sts-policy-syntax");
    const extra = (sts.extraMx ?? []).map((m, i) => {
      const wild = typeof m === "string" && m.startsWith("*.");
      const host = normalizeName(wild ? m.slice(2) : m, { field: `mtaSts.extraMx[${i}]`, kind: "host", domain });
      return wild ? `*.${host}` : host;
    });
    if (sts.mode !== "none" && mxHosts.length === 0) fail(domain, "mtaSts.mode", sts.mode, "an MTA-STS policy needs MX hosts to list (a null-MX domain takes no mail)", "RFC 8461 §3.2", "mta-sts-policy-covers-mx");
    const policy = renderMtaStsPolicy({ mode: sts.mode, maxAge, mx: sts.mode === "none" ? [] : [...mxHosts, ...extra] });
    const problems = parseMtaStsPolicy(policy, policyUrl(domain)).findings;
    if (problems.length) fail(domain, "mtaSts", sts.mode, problems.map((f) => f.message).join("; "), "RFC 8461 §3.2", "mta-sts-policy-syntax");
    add(zone, mtaStsName(domain), "TXT", "dmarc", [buildMtaStsRecord(policy)]);
    const host = sts.host;
    if (host !== undefined) {
      const name = mtaStsHost(domain);
      if (!isAtOrBelow(name, zone.zone)) fail(domain, "mtaSts.host", name, `${name} is not in zone ${zone.zone}`, "RFC 8461 §3.3");
      const v4 = host.ipv4 ?? [];
      const v6 = host.ipv6 ?? [];
      if (host.cname !== undefined && v4.length + v6.length > 0) fail(domain, "mtaSts.host", host, "give the policy host's addresses or a CNAME target, not both", "RFC 1034 §3.6.2", "cname-coexistence");
      if (host.cname !== undefined) add(zone, name, "CNAME", "address", [`${normalizeName(host.cname, { field: "mtaSts.host.cname", kind: "host", domain })}.`]);
      else if (v4.length + v6.length === 0) fail(domain, "mtaSts.host", host, "give the policy host's ipv4/ipv6 addresses or a cname", "RFC 8461 §3.3");
      if (v4.length) add(zone, name, "A", "address", v4);
      if (v6.length) add(zone, name, "AAAA", "address", v6);
    }
    out.mtaStsPolicy = policy;
    out.mtaStsUrl = policyUrl(domain);
  }
  const rpt = args.tlsRpt;
  if (rpt !== undefined) {
    if (!rpt || !Array.isArray(rpt.rua) || rpt.rua.length === 0) fail(domain, "tlsRpt.rua", rpt?.rua, "name where reports go: mailto: addresses or https: URLs", "RFC 8460 §3", "tlsrpt-record-syntax");
    const uris = rpt.rua.map((u, i) => tlsRptUri(String(u)) ?? fail(domain, `tlsRpt.rua[${i}]`, u, "a report destination is an address, a mailto: or an https: URI", "RFC 8460 §3", "tlsrpt-record-syntax"));
    add(zone, tlsRptName(domain), "TXT", "dmarc", [buildTlsRptRecord(uris)]);
  }
  return out;
}
