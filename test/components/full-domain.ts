import { MailDomainArgs } from "../../components/mail-domain-args";
import { ZoneHandle } from "../../zones/zone";

/**
 * The full domain of the provider tests: two mail hosts (IPv4 + IPv6) with
 * PTRs, SPF with an include, two DKIM selectors (one retiring), DMARC with
 * an external rua whose authorisation lives in another managed zone.
 */
export function fullDomain(z: { zone: ZoneHandle; report: ZoneHandle; rev4: ZoneHandle; rev6: ZoneHandle }): MailDomainArgs {
  return {
    domain: "example.com",
    zone: z.zone,
    mailHosts: [
      { name: "mx1", ipv4: ["192.0.2.10"], ipv6: ["2001:db8::10"], ptr: { zones: [z.rev4, z.rev6] } },
      { name: "mx2", ipv4: ["192.0.2.11"], ipv6: ["2001:db8::11"], ptr: { zones: [z.rev4, z.rev6] } },
    ],
    spf: { include: ["_spf.mailer.example"] },
    dkim: [{ selector: "s2026" }, { selector: "s2025", retired: true }],
    dmarc: { p: "quarantine", rua: ["dmarc@example.com", "reports@example.net"], reportZones: [z.report] },
    extraTxt: ["google-site-verification=abc123"],
  };
}

export const SPF = "v=spf1 ip4:192.0.2.10 ip4:192.0.2.11 ip6:2001:db8::10 ip6:2001:db8::11 include:_spf.mailer.example -all";
export const DMARC = "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com,mailto:reports@example.net";
export const REV6_10 = "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";
export const REV6_11 = "1.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa";
