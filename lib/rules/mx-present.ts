import { Finding } from "../finding";
import { defineRule, report } from "./rule";

/**
 * A mail domain publishes MX records, or a null MX when it takes no mail.
 * Without either, senders fall back to its address (implicit MX).
 */
export default defineRule({
  id: "mx-present",
  severity: "error",
  rfc: "RFC 5321 §5.1, RFC 7505",
  summary: "MX records, or a null MX for a domain that takes no mail",
  consequence: "senders fall back to the domain's own address (implicit MX) and, with none, bounce the mail with 5.1.2; with an address that runs no mail server, they retry for days first",
  check(view) {
    const out: Finding[] = [];
    for (const d of view.facts.mailDomains ?? []) {
      if (!view.knows(d, "MX") || view.facts.questions?.[`${d} MX`] === "nxdomain") continue;
      if (view.values(d, "MX").length > 0) continue;
      const addresses = [...view.values(d, "A"), ...view.values(d, "AAAA")];
      out.push(report(this, `${d} MX`, addresses.length
        ? `${d} has no MX record: senders deliver to its address ${addresses.join(", ")} instead (implicit MX)`
        : `${d} has no MX record and no address: mail to it cannot be delivered`, {
        hint: `publish the MX records of ${d}, or "0 ." (null MX, RFC 7505) if it takes no mail`,
      }));
    }
    return out;
  },
});
