import { Finding } from "../finding";
import { defineRule, report } from "./rule";
import { mailHostAddresses } from "./select";

/** Every address of an MX host has a PTR record (receivers check reverse DNS of the hosts that send). */
export default defineRule({
  id: "ptr-present",
  severity: "error",
  rfc: "RFC 1912 §2.1, RFC 8601 §3 (iprev)",
  summary: "each address of a mail host has reverse DNS",
  consequence: "receivers reject mail from an address without reverse DNS with 550 5.7.25, or defer it with 421 4.7.1 (greylisting) when the mail host also sends",
  check(view) {
    // Only live DNS shows whether a PTR exists; a stack may leave reverse DNS to the address holder.
    if (!view.live) return [];
    const out: Finding[] = [];
    const seen = new Set<string>();
    for (const { host, ip, rev } of mailHostAddresses(view)) {
      if (seen.has(rev) || !view.knows(rev, "PTR")) continue;
      seen.add(rev);
      if (view.values(rev, "PTR").length > 0) continue;
      out.push(report(this, `${rev} PTR`, `${ip} (address of mail host ${host}) has no PTR record`, {
        hint: `ask whoever holds ${ip} (your hosting or cloud provider) to set its PTR to ${host}`,
      }));
    }
    return out;
  },
});
