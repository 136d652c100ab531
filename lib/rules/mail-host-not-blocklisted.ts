import { Finding } from "../finding";
import { defineRule, report, unverified } from "./rule";

/** The mail hosts' addresses are on none of the DNS blocklists named with `maildns verify --dnsbl`. */
export default defineRule({
  id: "mail-host-not-blocklisted",
  severity: "error",
  rfc: "RFC 5782",
  summary: "mail-host addresses are not on the given DNS blocklists",
  consequence: "receivers that use the list reject mail from the address with 554 5.7.1, or defer it with 421",
  check(view) {
    const out: Finding[] = [];
    for (const r of view.facts.dnsbl ?? []) {
      const subject = `${r.address} ${r.zone}`;
      if (r.error) out.push(unverified(this, subject, `could not verify ${r.address} against ${r.zone}: ${r.error}`));
      else if (r.listed) {
        out.push(report(this, subject, `${r.address} is listed on ${r.zone}: ${r.meaning}${r.reason ? ` (the list says: ${r.reason})` : ""}`, {
          consequence: `receivers that use ${r.zone} reject mail from ${r.address} with 554 5.7.1, or defer it with 421`,
          hint: "find out why (the list's reason), fix it, then ask the list for removal",
        }));
      }
    }
    return out;
  },
});
