import { Finding } from "../finding";
import { isSpfRecord } from "../spf/parse";
import { defineRule, report } from "./rule";

/** A mail domain publishes an SPF record; one that sends nothing publishes "v=spf1 -all". */
export default defineRule({
  id: "spf-present",
  severity: "error",
  rfc: "RFC 7208 §4.5, RFC 7208 §2.5.1",
  summary: "the mail domain publishes an SPF record",
  consequence: "receivers get SPF none: anyone can send as the domain unchecked, and mailbox providers with bulk-sender rules reject unauthenticated mail with 550 5.7.26",
  check(view) {
    const out: Finding[] = [];
    for (const d of view.facts.mailDomains ?? []) {
      if (!view.knows(d, "TXT") || view.facts.questions?.[`${d} TXT`] === "nxdomain") continue;
      if (view.values(d, "TXT").some(isSpfRecord)) continue;
      out.push(report(this, `${d} SPF`, `${d} has no SPF record (no TXT starting with "v=spf1")`, {
        hint: `publish "v=spf1 <your senders> -all", or "v=spf1 -all" if ${d} sends no mail`,
      }));
    }
    return out;
  },
});
