import { Finding } from "../finding";
import { parseDmarc } from "../dmarc";
import { parseMx } from "../mx";
import { defineRule, report } from "./rule";
import { dmarcValues } from "./select";

/** The domain of each rua/ruf address can receive mail (an MX, or an address for implicit MX). */
export default defineRule({
  id: "dmarc-report-destination",
  severity: "error",
  rfc: "RFC 9990, RFC 7489 §7.1, RFC 5321 §5.1",
  summary: "report addresses are at domains that receive mail",
  consequence: "receivers' reports to the address bounce: the domain owner gets no aggregate or failure reports",
  check(view) {
    // Only live DNS shows all of a destination domain's records; a stack declares some of them.
    if (!view.live) return [];
    const out: Finding[] = [];
    for (const d of dmarcValues(view)) {
      const tags = parseDmarc(d.value).tags;
      const seen = new Set<string>();
      for (const u of [...(tags?.rua ?? []), ...(tags?.ruf ?? [])]) {
        if (seen.has(u.domain)) continue;
        seen.add(u.domain);
        if (!view.knows(u.domain, "MX") || !view.knows(u.domain, "A") || !view.knows(u.domain, "AAAA")) continue;
        const mx = view.values(u.domain, "MX").map(parseMx);
        const addresses = [...view.values(u.domain, "A"), ...view.values(u.domain, "AAAA")];
        if (mx.length > 0 && mx.every((m) => m?.exchange === "")) {
          out.push(report(this, `${d.name} TXT`, `reports go to ${u.address}, but ${u.domain} publishes a null MX: it accepts no mail`));
        } else if (mx.length === 0 && addresses.length === 0) {
          out.push(report(this, `${d.name} TXT`, `reports go to ${u.address}, but ${u.domain} has no MX and no address: it cannot receive mail`, {
            hint: `use an address at a domain that receives mail, or publish MX records for ${u.domain}`,
          }));
        }
      }
    }
    return out;
  },
});
