import { bimiName, buildBimi, parseBimi } from "../lib/bimi";
import { MailDnsError } from "../lib/errors";
import type { RecordType } from "../lib/records";
import type { ZoneHandle } from "../zones/zone";
import type { MailDomainArgs, TtlKind } from "./mail-domain-args";

type Add = (z: ZoneHandle, name: string, type: RecordType, kind: TtlKind, values: string[]) => void;

/**
 * The BIMI assertion record, refused unless the domain's DMARC enforces
 * (p=quarantine or p=reject, sp not none): mailbox providers show no logo
 * otherwise, so the record would only advertise the logo's address.
 */
export function planBimi(args: MailDomainArgs, domain: string, zone: ZoneHandle, add: Add): void {
  const b = args.bimi;
  if (b === undefined) return;
  const fail = (field: string, value: unknown, reason: string, ruleId: string, rfc: string): never => {
    throw new MailDnsError("invalid-config", reason, { domain, field, value, ruleId, rfc });
  };
  const dmarc = args.dmarc === false ? undefined : (args.dmarc ?? { p: "reject" as const });
  if (!dmarc || (dmarc.p !== "quarantine" && dmarc.p !== "reject") || dmarc.sp === "none") {
    fail("bimi", dmarc ? `p=${dmarc.p}${dmarc.sp ? `, sp=${dmarc.sp}` : ""}` : "no DMARC", "BIMI needs the domain's DMARC at p=quarantine or p=reject (and sp not none)", "bimi-needs-enforcing-dmarc", "draft-brand-indicators-for-message-identification §4.3, RFC 9989");
  }
  const selector = b.selector ?? "default";
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(selector)) fail("bimi.selector", selector, "a selector is one DNS label", "name-syntax", "RFC 1035 §2.3.1");
  const value = buildBimi(b.logo, b.authority);
  const problems = parseBimi(value, "bimi").findings;
  if (problems.length) fail(problems[0]?.message.startsWith("a=") ? "bimi.authority" : "bimi.logo", problems[0]?.message.startsWith("a=") ? b.authority : b.logo, problems.map((f) => f.message).join("; "), "bimi-record-syntax", "draft-brand-indicators-for-message-identification §4.2");
  add(zone, bimiName(selector, domain), "TXT", "dmarc", [value]);
}
